"""The core flow in headless Chromium: two neighbours register, one asks, the other offers help."""

import pytest

from tests.browser.actions import log_in, submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def watch_console(page, errors: list[str]) -> None:
    """Collect console errors and uncaught exceptions (a CSP violation shows up here)."""
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def register(page, *, first_name, last_name, email, postcode, house_number, street, password):
    page.goto("/aanmelden")
    form = "main form:has([name=password_repeat])"
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "postcode": postcode,
        "house_number": house_number,
        "street_name": street,
        "password": password,
        "password_repeat": password,
    }
    for name, value in fields.items():
        page.locator(f"{form} [name={name}]").fill(value)
    submit(page, form)
    if "/aanmelden" in page.url and page.locator(f"{form} [name=initiative]").count():
        # The initiative is suggested from the postcode: the resident confirms it.
        page.locator(f"{form} [name=initiative]").first.check()
        for name in ("password", "password_repeat"):
            if not page.locator(f"{form} [name={name}]").input_value():
                page.locator(f"{form} [name={name}]").fill(password)
        submit(page, form)
    assert "/aanmelden" not in page.url, page.locator("main").inner_text()
    if page.get_by_role("button", name="Uitloggen").count() == 0:
        log_in(page, email, password)


def test_neighbour_finds_request_on_dichtbij_and_offers_help(live_server, new_page):
    live_server.make.initiative(name="Burenhulp Assendorp", pc4s=("8011", "8012"))
    password = "Fietsen-langs-de-IJssel-7"
    anna, bert = new_page(), new_page()
    errors: list[str] = []
    watch_console(anna, errors)
    watch_console(bert, errors)

    register(
        anna,
        first_name="Anna",
        last_name="Jansen",
        email="anna@example.nl",
        postcode="8011 pb",
        house_number="387",
        street="Diezerstraat",
        password=password,
    )
    anna.goto("/hulpvragen/nieuw")
    form = "main form:has([name=title])"
    anna.locator(f"{form} [name=title]").fill("Boodschappen bij de Jumbo")
    anna.locator(f"{form} [name=description]").fill("Ik heb mijn enkel verstuikt.")
    anna.get_by_role("radio", name="boodschappen").check()
    anna.get_by_role("radio", name="Flexibel").check()
    anna.get_by_label("Binnen hoeveel dagen?").fill("5")
    submit(anna, form)
    assert "/hulpvragen/nieuw" not in anna.url, anna.locator("main").inner_text()
    request_url = anna.url

    register(
        bert,
        first_name="Bert",
        last_name="de Boer",
        email="bert@example.nl",
        postcode="8012AB",
        house_number="5",
        street="Assendorperstraat",
        password=password,
    )
    bert.goto("/dichtbij")
    link = bert.get_by_role("link", name="Boodschappen bij de Jumbo")
    with bert.expect_navigation():
        link.click()
    detail = bert.locator("main").inner_text()
    assert "387" not in detail and "8011PB" not in detail.replace(" ", "")
    bert.locator("main [name=message]").fill("Ik kan zaterdagochtend.")
    with bert.expect_navigation():
        bert.get_by_role("button", name="Ik wil helpen").click()
    assert bert.locator(".flashes").inner_text().strip(), "Bert gets no confirmation"
    assert bert.get_by_role("button", name="Ik wil helpen").count() == 0

    anna.goto(request_url)
    offers = anna.locator("main .card").all_inner_texts()
    assert len(offers) == 1, anna.locator("main").inner_text()
    assert "Bert" in offers[0] and "Ik kan zaterdagochtend." in offers[0]
    assert errors == []


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip-link", "#inhoud"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_dichtbij_fits_a_phone_screen(live_server, new_page, tmp_path):
    make = live_server.make
    initiative = make.initiative()
    neighbour = make.user(initiative=initiative, postcode="8012AB")
    for title in ("Hulp bij het invullen van de belastingaangifte", "Hond uitlaten"):
        make.help_request(requester=neighbour, initiative=initiative, title=title)
    make.help_offer(volunteer=neighbour, initiative=initiative)
    me = make.user(initiative=initiative, email="telefoon@example.nl")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, me.email)

    page.goto("/dichtbij")
    assert page.get_by_text("Hond uitlaten").count() > 0
    page.screenshot(path=tmp_path / "dichtbij-phone.png", full_page=True)
    assert (tmp_path / "dichtbij-phone.png").stat().st_size > 0
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"
