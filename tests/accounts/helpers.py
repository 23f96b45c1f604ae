"""Shared bits of the account tests."""

import re

from flask.testing import FlaskClient

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "Zomeravond-aan-de-Vecht-9"


def register_data(**overrides) -> dict:
    data = {
        "first_name": "Gerrit",
        "last_name": "van Dijk",
        "email": "gerrit@example.nl",
        "phone": "",
        "postcode": "8011 pb",
        "house_number": "14 a",
        "street_name": "Diezerstraat",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def text(response) -> str:
    return response.get_data(as_text=True)


def error_messages(response) -> list[str]:
    """The messages shown next to fields."""
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<p class="error-message"[^>]*>(.*?)</p>', text(response), re.S)
    ]


def cookie(client: FlaskClient, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def is_logged_in(client: FlaskClient) -> bool:
    """True when a login-only page opens instead of redirecting to the login page."""
    response = client.get("/mijn-gegevens")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    return False


def add_response(app, *, request_id: int, volunteer_id: int, message: str = "Ik help graag"):
    """An "Ik wil helpen" on a request, straight on the model."""
    from buurthulp.listings.models import HelpResponse

    with app.app_context():
        response = HelpResponse(request_id=request_id, volunteer_id=volunteer_id, message=message)
        db.session.add(response)
        db.session.commit()
        return response.id
