"""Password reset by mail, end to end through a real SMTP server on localhost."""

import re
import time

import pytest

from buurthulp.accounts import tokens
from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import verify_password
from buurthulp.extensions import db
from tests.accounts.helpers import NEW_PASSWORD, error_messages, is_logged_in, text, user_by_email
from tests.factories import PASSWORD

SAME_ANSWER = "Als er een account is met dit e-mailadres"


@pytest.fixture
def app_settings(mail_settings):
    return mail_settings


def wait_for_mail(smtp_server, count: int = 1) -> list:
    deadline = time.monotonic() + 5
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return smtp_server.messages


def reset_link(message) -> str:
    found = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def ask_reset(client, email: str):
    return client.post("/wachtwoord-vergeten", data={"email": email})


def set_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "password_repeat": password})


def test_reset_by_mail_works_once_and_ends_all_sessions(app, client, make, smtp_server):
    user = make.user(email="anna@example.nl", first_name="Anna")
    elsewhere = app.test_client()
    elsewhere.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert is_logged_in(elsewhere)

    response = ask_reset(client, "Anna@Example.nl")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert SAME_ANSWER in text(client.get("/inloggen"))

    [message] = wait_for_mail(smtp_server)
    assert message["To"] == "anna@example.nl"
    assert message["Subject"] == "Een nieuw wachtwoord voor Buurthulp"
    assert "Beste Anna" in message.get_content()
    path = reset_link(message)

    page = client.get(path)
    assert page.status_code == 200 and 'autocomplete="new-password"' in text(page)
    done = set_password(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/inloggen"

    assert verify_password(user_by_email(app, user.email).password_hash, NEW_PASSWORD)
    assert not is_logged_in(elsewhere), "resetting ends every session"

    used = client.get(path)
    assert used.status_code == 400
    assert "Deze link werkt niet meer" in text(used)
    assert set_password(client, path, "Nog-een-ander-wachtwoord-8").status_code == 400
    assert verify_password(user_by_email(app, user.email).password_hash, NEW_PASSWORD)

    assert (
        client.post("/inloggen", data={"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_unknown_address_gets_the_same_answer_and_no_mail(client, make, smtp_server):
    make.user(email="anna@example.nl")
    unknown = ask_reset(client, "niemand@example.nl")
    known = ask_reset(client, "anna@example.nl")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    page = text(client.get("/inloggen"))
    assert page.count(SAME_ANSWER) == 2
    messages = wait_for_mail(smtp_server, 1)
    assert [m["To"] for m in messages] == ["anna@example.nl"]


def test_new_password_must_follow_the_rules(app, client, make, smtp_server):
    user = make.user(email="anna@example.nl")
    ask_reset(client, user.email)
    path = reset_link(wait_for_mail(smtp_server)[0])
    response = set_password(client, path, "wachtwoord123")
    assert response.status_code == 422
    assert any("te vaak gebruikt" in m for m in error_messages(response))
    assert verify_password(user_by_email(app, user.email).password_hash, PASSWORD)
    assert set_password(client, path).status_code == 302, "the link still works after a typo"


def test_expired_or_tampered_link_is_refused(app, client, make, smtp_server):
    user = make.user(email="anna@example.nl")
    ask_reset(client, user.email)
    path = reset_link(wait_for_mail(smtp_server)[0])
    assert client.get(path[:-3] + "abc").status_code == 400
    assert client.get("/wachtwoord-herstellen/" + "x" * 100_000).status_code == 400
    assert client.get(path).status_code == 200
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # every link is now too old
    assert client.get(path).status_code == 400


def test_token_is_bound_to_the_current_password(app, ctx, make):
    user = db.session.get(User, make.user().id)
    token = tokens.reset_token_make(user=user)
    assert tokens.reset_token_user(token, max_age=60).id == user.id
    user.password_hash = "scrypt:other"
    assert tokens.reset_token_user(token, max_age=60) is None


def test_forgot_password_is_rate_limited(app, client, smtp_server):
    per_minute = int(app.config["RESET_RATE_LIMIT"].split()[0])
    for n in range(per_minute):
        assert ask_reset(client, f"iemand{n}@example.nl").status_code == 302
    assert ask_reset(client, "iemand@example.nl").status_code == 429
    assert client.get("/wachtwoord-vergeten").status_code == 200


def test_mail_server_down_still_gives_the_same_answer(app, client, make, caplog):
    make.user(email="anna@example.nl")
    app.config["MAIL_PORT"] = 1  # nothing listens there
    response = ask_reset(client, "anna@example.nl")
    assert response.status_code == 302
    assert "could not be sent" in caplog.text


def test_links_use_server_base_url_over_the_host_header(app, client, make, smtp_server):
    make.user(email="anna@example.nl")
    app.config["SERVER_BASE_URL"] = "https://buurthulp.example.nl"
    client.post(
        "/wachtwoord-vergeten",
        data={"email": "anna@example.nl"},
        headers={"Host": "evil.example"},
    )
    body = wait_for_mail(smtp_server)[0].get_content()
    assert "https://buurthulp.example.nl/wachtwoord-herstellen/" in body
    assert "evil.example" not in body


def test_choosing_the_new_password_is_rate_limited_too(app, client, make, smtp_server):
    user = make.user(email="anna@example.nl")
    ask_reset(client, user.email)
    path = reset_link(wait_for_mail(smtp_server)[0])
    per_minute = int(app.config["RESET_RATE_LIMIT"].split()[0])
    for _ in range(per_minute):
        assert set_password(client, path, "kort").status_code == 422
    assert set_password(client, path).status_code == 429
    assert verify_password(user_by_email(app, user.email).password_hash, PASSWORD)
