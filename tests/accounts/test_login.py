from datetime import timedelta

import pytest

from buurthulp.accounts.models import LoginSession
from buurthulp.extensions import db
from tests.accounts.helpers import cookie, error_messages, is_logged_in, text, user_by_email
from tests.factories import PASSWORD

GENERIC = "Dit e-mailadres en wachtwoord horen niet bij elkaar."


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(LoginSession.id)))


def test_login_page_fields(client):
    html = text(client.get("/inloggen"))
    assert 'name="email"' in html and 'autocomplete="email"' in html
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    assert 'name="remember" type="checkbox"' in html
    assert 'href="/wachtwoord-vergeten"' in html


def test_login_in_any_letter_case_starts_a_server_side_session(app, client, make):
    user = make.user(email="anna@example.nl")
    response = client.post("/inloggen", data={"email": " ANNA@example.nl ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dichtbij"
    assert is_logged_in(client)
    assert session_count(app) == 1
    assert cookie(client, "remember_token") is None
    assert user_by_email(app, user.email).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("anna@example.nl", "Verkeerd-wachtwoord-1"), ("niemand@example.nl", PASSWORD)],
)
def test_wrong_email_or_password_gets_one_generic_message(app, client, make, email, password):
    make.user(email="anna@example.nl")
    response = client.post("/inloggen", data={"email": email, "password": password})
    assert response.status_code == 422
    assert error_messages(response) == [GENERIC]
    html = text(response)
    assert f'value="{email}"' in html, "the email stays filled in"
    assert password not in html, "the password does not"
    assert not is_logged_in(client)
    assert session_count(app) == 0


def test_empty_login_form(client):
    response = client.post("/inloggen", data={})
    assert response.status_code == 422
    assert error_messages(response) == ["Vul uw e-mailadres in.", "Vul uw wachtwoord in."]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/mijn-gegevens", "/mijn-gegevens"),
        ("/hulpvragen/nieuw?x=1", "/hulpvragen/nieuw?x=1"),
        ("https://evil.example/", "/dichtbij"),
        ("//evil.example/", "/dichtbij"),
        ("/\\evil.example", "/dichtbij"),
        ("javascript:alert(1)", "/dichtbij"),
    ],
)
def test_login_goes_to_a_safe_next_page_only(client, make, next_url, expected):
    user = make.user()
    response = client.post(
        "/inloggen",
        query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_required_pages_send_to_login_with_next(client):
    for path in ("/mijn-gegevens", "/mijn-gegevens/wachtwoord", "/mijn-gegevens/download"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?next=")


def test_logout_deletes_the_server_side_session(app, client, auth, make):
    auth.login_as(make.user())
    assert session_count(app) == 1
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert session_count(app) == 0
    assert not is_logged_in(client)


def test_logout_needs_post(client, auth, make):
    auth.login_as(make.user())
    assert client.get("/uitloggen").status_code == 405
    assert is_logged_in(client)


def test_remember_me_sets_a_long_lived_cookie_that_logs_in_again(app, client, auth, make):
    user = make.user()
    auth.login(user.email, remember=True)
    remember = cookie(client, "remember_token")
    assert remember

    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert is_logged_in(fresh), "the remember cookie alone logs in"
    with app.app_context():
        row = db.session.execute(db.select(LoginSession)).scalar_one()
        lifetime = row.expires_at - row.created_at
        assert abs(lifetime - timedelta(days=30)) < timedelta(minutes=1)


def test_copied_session_cookie_is_rejected_after_logout(app, client, auth, make):
    auth.login_as(make.user())
    stolen = cookie(client, "session")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert is_logged_in(thief), "the copied cookie works while the session lives"

    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not is_logged_in(replay)


def test_copied_remember_cookie_is_rejected_after_logout(app, client, auth, make):
    user = make.user()
    auth.login(user.email, remember=True)
    stolen = cookie(client, "remember_token")
    auth.logout()
    assert cookie(client, "remember_token") is None, "logout clears the cookie in the browser"

    replay = app.test_client()
    replay.set_cookie("remember_token", stolen)
    assert not is_logged_in(replay)
    assert session_count(app) == 0


def test_two_browsers_have_separate_sessions(app, make, auth):
    user = make.user()
    phone, laptop = app.test_client(), app.test_client()
    for browser in (phone, laptop):
        browser.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert session_count(app) == 2
    phone.post("/uitloggen")
    assert not is_logged_in(phone)
    assert is_logged_in(laptop)


def test_login_posts_are_rate_limited(app, client, make):
    user = make.user()
    per_minute = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    wrong = {"email": user.email, "password": "Verkeerd-wachtwoord-1"}
    for _ in range(per_minute):
        assert client.post("/inloggen", data=wrong).status_code == 422
    blocked = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "U heeft het te vaak geprobeerd" in text(blocked)
    assert not is_logged_in(client)
    assert client.get("/inloggen").status_code == 200, "only posts are limited"


def test_logged_in_user_visiting_login_goes_on(client, auth, make):
    auth.login_as(make.user())
    response = client.get("/inloggen")
    assert response.status_code == 302 and response.headers["Location"] == "/dichtbij"
