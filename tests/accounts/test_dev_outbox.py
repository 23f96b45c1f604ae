"""The development outbox: mail written to disk instead of sent, readable in the browser."""

import pytest

from buurthulp.mail.sending import send_mail
from tests.accounts.helpers import text


@pytest.fixture
def app_settings(tmp_path):
    return {
        "ENV_NAME": "development",
        "MAIL_SERVER": None,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def test_outbox_lists_the_reset_mail_with_a_clickable_link(app, client, make):
    make.user(email="anna@example.nl")
    assert "Er is nog geen e-mail." in text(client.get("/dev/outbox"))
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})

    html = text(client.get("/dev/outbox"))
    assert "Een nieuw wachtwoord voor Buurthulp" in html
    assert "anna@example.nl" in html
    link = html.split('<a href="http://localhost/wachtwoord-herstellen/')[1].split('"')[0]
    assert client.get("/wachtwoord-herstellen/" + link).status_code == 200


def test_outbox_escapes_what_the_mail_contains(app, client):
    with app.test_request_context():
        send_mail(to="x@example.nl", subject="<script>alert(1)</script>", body="<b>hallo</b>")
    html = text(client.get("/dev/outbox"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;hallo&lt;/b&gt;" in html


@pytest.mark.parametrize("env_name", ["testing", "production"])
def test_outbox_is_not_there_outside_development(database_url, tmp_path, env_name, make_app):
    other = make_app(
        database_url,
        ENV_NAME=env_name,
        SECRET_KEY="x" * 48,
        MAIL_OUTBOX_DIR=str(tmp_path),
    )
    assert other.test_client().get("/dev/outbox").status_code == 404
