"""English next to Dutch: the catalog is complete and sound, and the pages speak it.

The catalog check extracts the msgids the way `make messages` does (same
babel.cfg, same -k keywords, read from the Makefile), so a new Dutch string
that nobody translated fails the suite.
"""

import io
import os
import re
import tempfile
from html import unescape
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from buurthulp.geo.distance import DISTANCE_BANDS, FAR_BAND

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
# Words of Dutch UI text that have no business on an English page.
DUTCH_WORDS = re.compile(r"\b(uw|niet|heeft|bent|wilt|kunt|een|het|naar|voor|bij|nog|geen)\b")


def read_catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalog():
    """Compile messages.po into messages.mo, so `pytest` alone sees the current catalog.

    Written to a temporary file and renamed: xdist workers may do this at the same
    time, and other tests may be reading the file meanwhile.
    """
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(), use_fuzzy=False)
    if MO_FILE.exists() and MO_FILE.read_bytes() == buffer.getvalue():
        return
    handle, temporary = tempfile.mkstemp(dir=MO_FILE.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, MO_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def extraction_keywords() -> list[str]:
    """The -k keywords of `make messages`: the test extracts exactly as the Makefile does."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    recipe = re.search(r"^messages:.*\n((?:\t.*\n?)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no `messages` target"
    extract = next(line for line in recipe.group(1).splitlines() if "pybabel extract" in line)
    return re.findall(r"-k\s+(\S+)", extract)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("extract") / "messages.pot"
    keywords = [arg for keyword in extraction_keywords() for arg in ("-k", keyword)]
    CommandLineInterface().run(
        ["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), *keywords]
        + ["-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_makefile_extracts_lazy_and_marked_messages():
    assert {"_l", "lazy_gettext", "N_"} <= set(extraction_keywords())


def test_catalog_has_every_extracted_msgid(extracted_ids):
    catalog_ids = {message.id for message in read_catalog() if message.id}
    assert len(extracted_ids) > 300
    missing = sorted(map(str, extracted_ids - catalog_ids))
    assert not missing, f"not in messages.po, run `make messages` and translate: {missing}"


def test_every_msgid_is_translated_and_none_is_fuzzy():
    for message in read_catalog():
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert strings and all(s.strip() for s in strings), f"untranslated: {message.id!r}"


def test_babel_finds_no_format_errors():
    problems = [(message.id, errors) for message, errors in read_catalog().check()]
    assert not problems


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_placeholders_match_between_msgid_and_msgstr():
    for message in read_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = _placeholders(ids[-1])
        assert all(_placeholders(i) == expected for i in ids), message.id
        for string in strings:
            assert _placeholders(string) == expected, (message.id, string)
            if expected:
                # A lone % that is not a placeholder would break `msgstr % values`.
                assert "%" not in PLACEHOLDER.sub("", string), (message.id, string)


def test_distance_bands_are_in_the_catalog():
    catalog = read_catalog()
    for band in [label for _, label in DISTANCE_BANDS] + [FAR_BAND]:
        assert catalog.get(band) and catalog.get(band).string, band
    assert catalog.get("0,5-1 km").string == "0.5-1 km"
    assert catalog.get("minder dan 500 m").string == "less than 500 m"


# --- the pages in English --------------------------------------------------------------


def readable_text(html: str) -> str:
    """What a person reads or hears: text and the attributes read out (not form values)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    spoken = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(" ".join([text, *spoken])))


def assert_english(response, present: list[str], absent: list[str]) -> None:
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    readable = readable_text(html)
    for text in present:
        assert text in readable, text
    for text in absent:
        assert text not in readable, text
    # The only Dutch words left are the button back to Dutch and what people typed.
    leftover = DUTCH_WORDS.findall(readable)
    assert not leftover, leftover


def choose_english(client, next_path: str = "/") -> None:
    response = client.post("/taal", data={"locale": "en", "next": next_path})
    assert response.status_code == 302


def log_in_then_choose_english(client, auth, user) -> None:
    auth.login_as(user)
    client.get("/dichtbij")  # shows (and so uses up) the Dutch "U bent ingelogd."
    choose_english(client, "/dichtbij")


def test_public_pages_in_english(client):
    choose_english(client)
    assert_english(
        client.get("/"),
        ["Neighbours helping neighbours", "How it works", "Skip to the content", "Nederlands"],
        ["Buren helpen buren", "Aanmelden", "Inloggen", "Direct naar de inhoud"],
    )
    assert_english(
        client.get("/inloggen"),
        ["Log in", "Forgotten your password?", "Email address", "(required)"],
        ["Wachtwoord vergeten?", "E-mailadres", "verplicht"],
    )
    assert_english(
        client.get("/aanmelden"),
        ["Sign up", "First name", "For example 8011 AB", "Do you already have an account?"],
        ["Voornaam", "Bijvoorbeeld 8011 AB", "Heeft u al een account?"],
    )
    assert_english(
        client.get("/privacy"),
        ["Nobody else sees your address and house number."],
        ["Uw adres en huisnummer"],
    )


def test_form_errors_in_english(client):
    choose_english(client)
    response = client.post("/inloggen", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert_english(
        response,
        ["Something has not been filled in correctly", "Please enter your email address."],
        ["Er is iets niet goed ingevuld", "Vul uw e-mailadres in."],
    )
    # Messages from the Flask-free postcode and password rules are translated too.
    response = client.post(
        "/aanmelden",
        data={
            "first_name": "Ann",
            "last_name": "Smith",
            "email": "ann@example.org",
            "postcode": "8011 SS",
            "house_number": "twelve",
            "street_name": "Diezerstraat",
            "password": "short",
            "password_repeat": "short",
        },
    )
    assert response.status_code == 422
    assert_english(
        response,
        [
            "Postcodes with the letters SS do not exist. Please check the postcode.",
            "Please enter a house number, for example 12 or 12a.",
            "Please choose a password of at least 8 characters.",
        ],
        ["bestaan niet", "Vul een huisnummer in", "Kies een wachtwoord van minstens"],
    )


def test_error_page_and_login_message_in_english(client):
    choose_english(client)
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert_english(response, ["Page not found"], ["Pagina niet gevonden"])
    response = client.get("/mijn-hulp", follow_redirects=True)
    assert_english(response, ["Please log in to see this page."], ["Log in om deze pagina"])


@pytest.fixture
def neighbours(make):
    """Two members of one initiative in the same 4-digit area: less than 500 m apart."""
    initiative = make.initiative(name="Neighbour Help Zwolle", pc4s=("8011",))
    me = make.user(first_name="Ann", postcode="8011AB", initiative=initiative)
    other = make.user(first_name="Bob", postcode="8011CD", initiative=initiative)
    request = make.help_request(
        requester=other, initiative=initiative, title="Shopping on Friday", description=""
    )
    make.help_offer(volunteer=other, initiative=initiative, title="Walking your dog")
    make.help_request(requester=me, initiative=initiative, title="A lift to the doctor")
    return me, request


def test_pages_of_a_logged_in_member_in_english(client, auth, neighbours):
    me, request = neighbours
    log_in_then_choose_english(client, auth, me)
    assert_english(
        client.get("/dichtbij"),
        ["Nearby", "My help", "My details", "less than 500 m", "Help request", "Offer of help"],
        ["Dichtbij", "Mijn hulp", "minder dan 500 m", "Hulpvraag", "Aanbod"],
    )
    assert_english(
        client.get(f"/hulpvragen/{request.id}"),
        ["Distance", "less than 500 m", "I would like to help", "shopping"],
        ["Afstand", "minder dan 500 m", "Ik wil helpen", "boodschappen"],
    )
    assert_english(
        client.get("/hulpvragen/nieuw"),
        ["Ask for help", "What do you need help with?", "walking the dog", "Post help request"],
        ["Waar heeft u hulp bij nodig?", "hond uitlaten", "Hulpvraag plaatsen"],
    )
    assert_english(
        client.get("/hulpaanbod/nieuw"),
        ["Offer help", "What can you help with?", "Monday", "morning", "Post offer of help"]
        + ["Tell us what you can do for neighbours."],
        ["Waarmee kunt u helpen?", "maandag", "ochtend", "Aanbod plaatsen"],
    )
    assert_english(
        client.get("/mijn-hulp"),
        ["My help requests", "My offers of help", "A lift to the doctor"],
        ["Mijn hulpvragen", "Mijn hulpaanbod"],
    )
    assert_english(
        client.get("/mijn-gegevens"),
        ["My details", "First name", "What I belong to", "resident", "Change password"],
        ["Voornaam", "Waar ik bij hoor", "bewoner"],
    )


def test_listing_form_errors_in_english(client, auth, neighbours):
    me, _ = neighbours
    log_in_then_choose_english(client, auth, me)
    response = client.post("/hulpvragen/nieuw", data={"title": "", "when": "fixed"})
    assert response.status_code == 422
    assert_english(
        response,
        ["Something has not been filled in correctly", "Please enter a short title."],
        ["Vul een korte titel in.", "Er is iets niet goed ingevuld"],
    )


def test_dutch_stays_the_default(client, auth, neighbours):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Buren helpen buren" in html and "Neighbours helping neighbours" not in html
    me, _ = neighbours
    auth.login_as(me)
    html = client.get("/dichtbij").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "minder dan 500 m" in html and "less than 500 m" not in html
    assert "Mijn gegevens" in html and "My details" not in html


def test_back_to_dutch(client):
    choose_english(client)
    client.post("/taal", data={"locale": "nl", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in html and "Buren helpen buren" in html
