import pytest

from buurthulp.accounts import services
from buurthulp.accounts.passwords import verify_password
from tests.accounts.helpers import NEW_PASSWORD, error_messages, is_logged_in, text, user_by_email
from tests.factories import PASSWORD


def change(client, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return client.post(
        "/mijn-gegevens/wachtwoord",
        data={"current_password": current, "password": new, "password_repeat": repeat or new},
    )


def test_change_page_has_the_right_autocomplete(client, auth, make):
    auth.login_as(make.user())
    html = text(client.get("/mijn-gegevens/wachtwoord"))
    assert 'name="current_password"' in html and 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2


def test_change_password_keeps_this_session_and_ends_the_others(app, client, auth, make):
    user = make.user()
    auth.login_as(user)
    other_browser = app.test_client()
    other_browser.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert is_logged_in(other_browser)

    response = change(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn-gegevens"
    assert is_logged_in(client)
    assert not is_logged_in(other_browser)

    stored = user_by_email(app, user.email).password_hash
    assert verify_password(stored, NEW_PASSWORD)
    assert stored.startswith(app.config["PASSWORD_HASH_METHOD"])
    assert auth.logout().status_code == 302
    assert auth.login(user.email, PASSWORD).status_code == 422
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302


def test_wrong_current_password_changes_nothing(app, client, auth, make):
    user = make.user()
    auth.login_as(user)
    response = change(client, current="Niet-mijn-wachtwoord-3")
    assert response.status_code == 422
    assert error_messages(response) == ["Uw huidige wachtwoord klopt niet."]
    assert 'id="current_password-error"' in text(response)
    assert verify_password(user_by_email(app, user.email).password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("new", "repeat", "message"),
    [
        ("kort", "kort", "minstens 8 tekens"),
        ("welkom01", "welkom01", "te vaak gebruikt"),
        ("anna@example.nl", "anna@example.nl", "naam of e-mailadres"),
        (NEW_PASSWORD, "Iets-anders-dan-dat-5", "niet hetzelfde"),
    ],
)
def test_new_password_must_follow_the_rules(app, client, auth, make, new, repeat, message):
    user = make.user(email="anna@example.nl")
    auth.login_as(user)
    response = change(client, new=new, repeat=repeat)
    assert response.status_code == 422
    assert any(message in m for m in error_messages(response)), error_messages(response)
    assert PASSWORD not in text(response)
    assert verify_password(user_by_email(app, user.email).password_hash, PASSWORD)


def test_service_checks_the_current_password(app, ctx, make):
    from buurthulp.accounts.models import User
    from buurthulp.extensions import db

    user = db.session.get(User, make.user().id)
    with pytest.raises(services.AccountError) as caught:
        services.password_change(
            user=user, current_password="fout", new_password=NEW_PASSWORD, keep_token=None
        )
    assert caught.value.field == "current_password"
