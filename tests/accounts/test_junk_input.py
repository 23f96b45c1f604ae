"""Every account form, posted with junk: never a 500, and scripts come back escaped."""

import io

import pytest

from tests.accounts.helpers import is_logged_in, text, user_by_email
from tests.factories import PASSWORD

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = {
    "empty": "",
    "oversized": "a" * 100_000,
    "unicode": "Zoë 🧓🏽 ĳsbeer 你好 \u202e\u0000",
    "html": SCRIPT,
    "wrong type": ["1", "twee", "3"],  # a list where one value is expected
}
PASSWORD_FIELDS = {"password", "password_repeat", "current_password"}
FORMS = {
    "register": (
        "/aanmelden",
        False,
        (
            "first_name",
            "last_name",
            "email",
            "phone",
            "postcode",
            "house_number",
            "street_name",
            "password",
            "password_repeat",
            "initiative",
            "shown_for",
        ),
    ),
    "login": ("/inloggen", False, ("email", "password", "remember")),
    "forgot": ("/wachtwoord-vergeten", False, ("email",)),
    "profile": (
        "/mijn-gegevens",
        True,
        (
            "first_name",
            "last_name",
            "email",
            "phone",
            "postcode",
            "house_number",
            "street_name",
            "locale",
        ),
    ),
    "password": (
        "/mijn-gegevens/wachtwoord",
        True,
        ("current_password", "password", "password_repeat"),
    ),
    "delete": ("/mijn-gegevens/verwijderen", True, ("password",)),
}


@pytest.fixture
def logged_in(client, auth, make):
    initiative = make.initiative(pc4s=("8011",))
    return auth.login_as(make.user(initiative=initiative, email="anna@example.nl"))


def assert_safe(response) -> None:
    assert response.status_code in (200, 302, 422), response.status_code
    html = text(response)
    assert SCRIPT not in html
    assert "Traceback" not in html


@pytest.mark.parametrize("payload", PAYLOADS, ids=list(PAYLOADS))
@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_every_field_with_junk(request, client, make, form, payload):
    path, needs_login, fields = FORMS[form]
    if needs_login:
        request.getfixturevalue("logged_in")
    response = client.post(path, data={name: PAYLOADS[payload] for name in fields})
    assert_safe(response)
    if payload == "html" and not set(fields) <= PASSWORD_FIELDS:
        assert response.status_code == 422
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text(response), "typed input is kept"
    if payload == "oversized":
        assert response.status_code == 422
        assert "Dit is te lang: gebruik hoogstens" in text(response)


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_files_where_text_is_expected(request, client, form):
    path, needs_login, fields = FORMS[form]
    if needs_login:
        request.getfixturevalue("logged_in")
    data = {name: (io.BytesIO(b"%PDF-1.4 junk"), "junk.pdf") for name in fields}
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert_safe(response)
    assert response.status_code == 422


def test_reset_form_with_junk(app, client, make):
    from buurthulp.accounts import tokens
    from buurthulp.accounts.models import User
    from buurthulp.extensions import db

    user = make.user()
    for name, value in PAYLOADS.items():
        with app.app_context():
            token = tokens.reset_token_make(user=db.session.get(User, user.id))
        response = client.post(
            f"/wachtwoord-herstellen/{token}", data={"password": value, "password_repeat": value}
        )
        assert_safe(response)
        # Any text is a fine password if it is long and rare enough, emoji included.
        assert response.status_code == (302 if name in ("unicode", "html") else 422), name


def test_register_with_script_in_every_text_field_renders_it_escaped(client, make):
    make.initiative(pc4s=("8011",))
    make.initiative(pc4s=("8011",))  # two serve the area, so the form comes back to choose
    data = {
        "first_name": SCRIPT,
        "last_name": SCRIPT,
        "email": "anna@example.nl",
        "postcode": "8011AB",
        "house_number": "1",
        "street_name": SCRIPT,
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    response = client.post("/aanmelden", data=data)
    assert response.status_code == 200
    html = text(response)
    assert SCRIPT not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3


def test_names_with_script_are_stored_as_text_and_shown_escaped(client, make):
    make.initiative(pc4s=("8011",))
    data = {
        "first_name": SCRIPT,
        "last_name": "Zoë 🧓🏽",
        "email": "zoe@example.nl",
        "postcode": "8011AB",
        "house_number": "1",
        "street_name": "Straat <b>vet</b>",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    assert client.post("/aanmelden", data=data).status_code == 302
    assert is_logged_in(client)
    html = text(client.get("/mijn-gegevens"))
    assert SCRIPT not in html and "<b>vet</b>" not in html
    assert 'value="Zoë 🧓🏽"' in html


def test_logout_with_junk_is_harmless(client, logged_in):
    response = client.post("/uitloggen", data={"next": SCRIPT, "x": "a" * 100_000})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_control_characters_are_dropped_before_storing(app, client, make):
    make.initiative(pc4s=("8011",))
    data = {
        "first_name": "Zo\x00ë\x07",
        "last_name": "de\tVries",
        "email": "zoe@example.nl",
        "postcode": "8011AB",
        "house_number": "1",
        "street_name": "Diezerstraat\r\n",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    assert client.post("/aanmelden", data=data).status_code == 302
    user = user_by_email(app, "zoe@example.nl")
    assert (user.first_name, user.last_name, user.street_name) == (
        "Zoë",
        "de Vries",
        "Diezerstraat",
    )
