"""The Dichtbij page: cards, filters as a plain GET form, bad values, page links."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from buurthulp.listings.clock import local_today
from buurthulp.listings.models import Category, Urgency


def html_of(response) -> str:
    return response.get_data(as_text=True)


def test_login_required(client):
    response = client.get("/dichtbij")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_request_card_shows_band_street_name_and_when(client, auth, make, anna, bert, initiative):
    on_date = local_today() + timedelta(days=2)
    make.help_request(
        requester=bert,
        initiative=initiative,
        title="Hond uitlaten",
        category=Category.DOG_WALKING,
        urgency=Urgency.HIGH,
        on_date=on_date,
    )
    make.help_request(requester=bert, initiative=initiative, title="Lift", flexible_days=7)
    auth.login_direct(anna)
    html = html_of(client.get("/dichtbij"))
    assert "2 resultaten binnen 2 km" in html
    assert "Hond uitlaten" in html and "hond uitlaten" in html
    assert "0,5-1 km" in html
    assert "Assendorperstraat, Zwolle" in html
    assert "Bert B." in html and "Bakker" not in html
    assert f"{on_date.day} " in html and "10:00–12:00" in html
    assert "flexibel, binnen 7 dagen" in html
    assert html.count("badge-urgent") == 1 and "dringend" in html
    # The exact distance (0.96 km) never reaches the page.
    assert not re.search(r"0[.,]9\d", html)


def test_offer_card(client, auth, make, anna, bert, initiative):
    make.help_offer(
        volunteer=bert,
        initiative=initiative,
        title="Klusjes en tuin",
        categories=(Category.ODD_JOBS, Category.GARDEN),
        has_car=True,
    )
    auth.login_direct(anna)
    html = html_of(client.get("/dichtbij"))
    assert "badge-offer" in html and "Klusjes en tuin" in html
    assert "klusjes, tuin" in html and "heeft een auto" in html


def test_filters_by_query_string(client, auth, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative, title="Tuin", category=Category.GARDEN)
    make.help_request(requester=bert, initiative=initiative, title="Winkel")
    make.help_offer(
        volunteer=bert, initiative=initiative, title="Groen", categories=(Category.GARDEN,)
    )
    auth.login_direct(anna)
    html = html_of(client.get("/dichtbij?category=garden&type=hulpvragen&radius=5"))
    assert "Tuin" in html and "Winkel" not in html and "Groen" not in html
    assert '<option selected value="garden">' in html
    assert '<option selected value="5">' in html
    assert 'checked id="type-1" name="type" type="radio" value="hulpvragen"' in html
    html = html_of(client.get("/dichtbij?type=aanbod"))
    assert "Groen" in html and "Tuin" not in html


def test_the_filter_form_is_a_plain_get_form(client, auth, anna):
    auth.login_direct(anna)
    html = html_of(client.get("/dichtbij"))
    assert re.search(r'<form method="get" action="/dichtbij" class="filters">', html)
    assert '<button type="submit">Toon</button>' in html


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("radius=abc", "Die afstand kennen we niet"),
        ("radius=3", "Die afstand kennen we niet"),
        ("radius=", "Die afstand kennen we niet"),
        ("category=xyz", "Die soort hulp kennen we niet"),
        ("type=alles", "Die keuze kennen we niet"),
        ("page=-1", "Die pagina bestaat niet"),
        ("page=abc", "Die pagina bestaat niet"),
        ("page=99999999999999999999", "Die pagina bestaat niet"),
        ("page=7", "Die pagina bestaat niet"),
        ("radius=1e309&page=%00", "Die afstand kennen we niet"),
    ],
)
def test_bad_values_fall_back_with_a_dutch_note(
    client, auth, make, anna, bert, initiative, query, note
):
    make.help_request(requester=bert, initiative=initiative, title="Zichtbaar")
    auth.login_direct(anna)
    response = client.get(f"/dichtbij?{query}")
    assert response.status_code == 200
    html = html_of(response)
    assert note in html
    assert "Zichtbaar" in html
    assert '<option selected value="2">' in html or "radius=" not in query


def test_several_bad_values_at_once(client, auth, anna):
    auth.login_direct(anna)
    response = client.get("/dichtbij?radius=abc&page=-1&category=xyz&type=<script>")
    html = html_of(response)
    assert response.status_code == 200
    for note in ("afstand kennen we niet", "soort hulp kennen we niet", "keuze kennen", "pagina"):
        assert note in html
    assert "<script>" not in html


def test_page_links_keep_the_filters(client, auth, make, anna, bert, initiative):
    now = datetime.now(UTC)
    for n in range(45):
        make.help_request(
            requester=bert,
            initiative=initiative,
            title=f"Vraag {n:02d}",
            created_at=now - timedelta(minutes=n),
        )
    auth.login_direct(anna)
    html = html_of(client.get("/dichtbij?radius=5&type=hulpvragen&page=2"))
    assert "Vraag 20" in html and "Vraag 19" not in html and "Vraag 40" not in html
    assert 'aria-current="page">2</a>' in html
    links = re.findall(r'href="(/dichtbij\?[^"]+)"', html)
    assert links, html
    assert all("radius=5" in link and "type=hulpvragen" in link for link in links)
    assert any("page=3" in link for link in links) and any("page=1" in link for link in links)
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_one_page_has_no_page_links(client, auth, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative)
    auth.login_direct(anna)
    assert 'class="pagination"' not in html_of(client.get("/dichtbij"))


def test_empty_and_no_initiative(client, auth, make, anna):
    auth.login_direct(anna)
    assert "Er is nu niets binnen deze afstand" in html_of(client.get("/dichtbij"))
    loner = make.user(email="alleen@example.nl")
    auth.login_direct(loner)
    assert "nog geen lid van een bewonersinitiatief" in html_of(client.get("/dichtbij"))
