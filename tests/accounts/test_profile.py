import pytest

from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from tests.accounts.helpers import error_messages, text, user_by_email


def profile_data(user, **overrides) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone or "",
        "postcode": user.postcode,
        "house_number": user.house_number,
        "street_name": user.street_name,
        "locale": user.locale,
    }
    data.update(overrides)
    return data


@pytest.fixture
def zwolle(make):
    return make.initiative(name="Burenhulp Binnenstad Zwolle", pc4s=("8011", "8012"))


def test_profile_shows_my_data_and_memberships_with_role_labels(client, auth, make, zwolle):
    deventer = make.initiative(name="Zorgcoöperatie Deventer", pc4s=("7411",))
    user = auth.login_as(make.user(initiative=zwolle, house_number="12b", phone="0612345678"))
    with auth.client.application.app_context():
        db.session.add(Membership(user_id=user.id, initiative_id=deventer.id, role=Role.CONNECTOR))
        db.session.commit()
    html = text(client.get("/mijn-gegevens"))
    for value in ("Anna", "de Vries", user.email, "0612345678", "8011AB", "12b", "Diezerstraat"):
        assert f'value="{value}"' in html
    assert "<strong>Burenhulp Binnenstad Zwolle</strong>:\n          bewoner, Diezerstraat" in html
    assert "<strong>Zorgcoöperatie Deventer</strong>:\n          buurtverbinder" in html
    for autocomplete in ("given-name", "family-name", "email", "tel", "postal-code"):
        assert f'autocomplete="{autocomplete}"' in html
    assert '<option lang="en" value="en">English</option>' in html


def test_edit_profile_relocates_and_moves_the_membership_street(app, client, auth, make, zwolle):
    user = auth.login_as(make.user(initiative=zwolle))
    response = client.post(
        "/mijn-gegevens",
        data=profile_data(
            user,
            first_name="Anneke",
            email="Anneke@Example.nl",
            phone="+31 38 421 1234",
            postcode="8012 ab",
            house_number="3-II",
            street_name="Assendorperstraat",
        ),
    )
    assert response.status_code == 302 and response.headers["Location"] == "/mijn-gegevens"
    updated = user_by_email(app, "anneke@example.nl")
    assert (updated.first_name, updated.phone) == ("Anneke", "0384211234")
    assert (updated.postcode, updated.house_number) == ("8012AB", "3-II")
    assert (updated.latitude, updated.longitude) == pytest.approx((52.5055258, 6.1033005))
    with app.app_context():
        membership = db.session.execute(db.select(Membership)).scalar_one()
        assert membership.street.name == "Assendorperstraat"
        assert membership.street.pc4 == "8012"
        assert db.session.scalar(db.select(db.func.count(Street.id))) == 2
    assert "Uw gegevens zijn opgeslagen." in text(client.get("/mijn-gegevens"))


def test_switching_to_english_is_stored(app, client, auth, make):
    user = auth.login_as(make.user())
    client.post("/mijn-gegevens", data=profile_data(user, locale="en"))
    assert user_by_email(app, user.email).locale == "en"
    assert '<html lang="en">' in text(client.get("/mijn-gegevens"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "1000AB"}, "postcode", "alleen voor postbussen"),
        ({"postcode": "12"}, "postcode", "4 cijfers en 2 letters"),
        ({"email": "taken@example.nl"}, "email", "Er is al een account"),
        ({"locale": "de"}, "locale", ""),
        ({"phone": "0800-nu-bellen"}, "phone", "Nederlands telefoonnummer"),
        ({"last_name": ""}, "last_name", "Vul uw achternaam in"),
    ],
)
def test_profile_errors_keep_the_input(app, client, auth, make, overrides, field, message):
    make.user(email="taken@example.nl")
    user = auth.login_as(make.user(email="anna@example.nl"))
    data = profile_data(user, first_name="Annemarie", **overrides)
    response = client.post("/mijn-gegevens", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)
    assert any(message in m for m in error_messages(response))
    assert 'value="Annemarie"' in text(response)
    unchanged = user_by_email(app, "anna@example.nl")
    assert unchanged.first_name == "Anna" and unchanged.postcode == "8011AB"


def test_keeping_my_own_email_is_not_a_duplicate(app, client, auth, make):
    user = auth.login_as(make.user(email="anna@example.nl"))
    response = client.post("/mijn-gegevens", data=profile_data(user, email="ANNA@example.nl"))
    assert response.status_code == 302
