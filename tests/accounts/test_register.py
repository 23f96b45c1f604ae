import re

import pytest

from buurthulp.accounts import services
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from tests.accounts.helpers import error_messages, is_logged_in, register_data, text, user_by_email
from tests.factories import PASSWORD


@pytest.fixture
def zwolle(make):
    return make.initiative(name="Burenhulp Binnenstad Zwolle", pc4s=("8011", "8012"))


def test_register_page_has_the_fields_with_autocomplete(client):
    response = client.get("/aanmelden")
    assert response.status_code == 200
    html = text(response)
    for name, autocomplete in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("phone", "tel"),
        ("postcode", "postal-code"),
        ("password", "new-password"),
        ("password_repeat", "new-password"),
    ]:
        assert f'autocomplete="{autocomplete}"' in html
        assert f'name="{name}"' in html
    assert 'name="initiative"' not in html  # asked only once the postcode is known
    assert 'novalidate class="stack"' in html


def test_register_happy_path_logs_in_and_joins_the_serving_initiative(app, client, zwolle):
    response = client.post(
        "/aanmelden",
        data=register_data(email="Gerrit@Example.NL", phone="06-123 456 78", house_number="14 a"),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dichtbij"
    assert is_logged_in(client)

    user = user_by_email(app, "gerrit@example.nl")
    assert user is not None, "the email is stored in lower case"
    assert (user.postcode, user.house_number, user.place) == ("8011PB", "14a", "Zwolle")
    assert user.phone == "0612345678"
    assert user.password_hash != PASSWORD and user.password_hash.startswith("scrypt:")
    with app.app_context():
        membership = db.session.execute(db.select(Membership)).scalar_one()
        assert (membership.user_id, membership.initiative_id) == (user.id, zwolle.id)
        assert membership.role == Role.RESIDENT
        assert membership.street.name == "Diezerstraat" and membership.street.pc4 == "8011"
        area_centroid = (52.5115144, 6.0909864)
        assert (user.latitude, user.longitude) == pytest.approx(area_centroid)


def test_welcome_message_is_flashed_in_dutch(client, zwolle):
    client.post("/aanmelden", data=register_data())
    page = text(client.get("/mijn-gegevens"))
    assert "Welkom, Gerrit! U bent aangemeld en ingelogd." in page


def test_existing_street_is_reused_whatever_the_letter_case(app, client, make, zwolle):
    make.user(initiative=zwolle, street_name="Diezerstraat")
    response = client.post("/aanmelden", data=register_data(street_name="DIEZERSTRAAT"))
    assert response.status_code == 302
    with app.app_context():
        streets = db.session.execute(db.select(Street)).scalars().all()
        assert [s.name for s in streets] == ["Diezerstraat"]
        memberships = db.session.execute(db.select(Membership)).scalars().all()
        assert {m.street_id for m in memberships} == {streets[0].id}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "1234"}, "postcode", "4 cijfers en 2 letters"),
        ({"postcode": "1000AB"}, "postcode", "alleen voor postbussen"),
        ({"postcode": "1234AB"}, "postcode", "kennen we niet"),
        ({"postcode": "1002AB"}, "postcode", "kennen we niet"),
        ({"house_number": "abc"}, "house_number", "Vul een huisnummer in"),
        ({"phone": "12345"}, "phone", "Nederlands telefoonnummer"),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"password": "kort", "password_repeat": "kort"}, "password", "minstens 8 tekens"),
        (
            {"password": "wachtwoord123", "password_repeat": "wachtwoord123"},
            "password",
            "te vaak gebruikt",
        ),
        ({"password_repeat": "Iets-heel-anders-77"}, "password_repeat", "niet hetzelfde"),
        ({"first_name": ""}, "first_name", "Vul uw voornaam in"),
        ({"street_name": "   "}, "street_name", "Vul uw straatnaam in"),
    ],
)
def test_register_errors_are_shown_next_to_the_field(
    app, client, zwolle, overrides, field, message
):
    data = register_data(**overrides)
    response = client.post("/aanmelden", data=data)
    assert response.status_code == 422
    html = text(response)
    assert f'id="{field}-error"' in html
    assert any(message in m for m in error_messages(response)), error_messages(response)
    assert 'aria-invalid="true"' in html
    # What was typed stays, except the passwords.
    assert 'value="van Dijk"' in html
    assert PASSWORD not in html
    assert user_by_email(app, "gerrit@example.nl") is None
    assert not is_logged_in(client)


def test_every_empty_field_gets_a_dutch_message(client, zwolle):
    response = client.post("/aanmelden", data={})
    assert response.status_code == 422
    messages = error_messages(response)
    assert len(messages) == 8  # all but the optional phone
    assert "Er is iets niet goed ingevuld" in text(response)
    assert not any("This field" in m for m in messages)


def test_duplicate_email_in_any_case_is_an_error_on_the_field(app, client, make, zwolle):
    make.user(email="gerrit@example.nl")
    response = client.post("/aanmelden", data=register_data(email="GERRIT@example.nl"))
    assert response.status_code == 422
    assert any("Er is al een account met dit e-mailadres" in m for m in error_messages(response))
    assert 'id="email-error"' in text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_duplicate_email_caught_by_the_service_too(app, ctx, make, zwolle):
    make.user(email="gerrit@example.nl")
    values = register_data(email="Gerrit@example.nl")
    with pytest.raises(services.AccountError) as caught:
        services.user_register(
            **{k: values[k] for k in ("first_name", "last_name", "email", "postcode")},
            phone=None,
            house_number="1",
            street_name="Diezerstraat",
            password=PASSWORD,
            initiative_id=zwolle.id,
        )
    assert caught.value.field == "email"


def test_password_equal_to_own_name_is_refused(client, zwolle):
    data = register_data(first_name="Gerritsen", password="gerritsen", password_repeat="gerritsen")
    response = client.post("/aanmelden", data=data)
    assert response.status_code == 422
    assert any("naam of e-mailadres" in m for m in error_messages(response))


class TestChooseInitiative:
    @pytest.fixture
    def two_serving(self, make):
        a = make.initiative(name="Stadsdorp Assendorp", pc4s=("8011",))
        b = make.initiative(name="Burenhulp Diezerpoort", pc4s=("8011", "8013"))
        return a, b

    def test_first_post_asks_which_initiative_and_keeps_everything(self, app, client, two_serving):
        response = client.post("/aanmelden", data=register_data(phone="038 4211234"))
        assert response.status_code == 200
        html = text(response)
        assert "Kies hieronder bij welk bewonersinitiatief" in html
        assert error_messages(response) == []
        for initiative in two_serving:
            assert f'value="{initiative.id}"' in html
            assert f"{initiative.name} (werkt in uw buurt)" in html
        # Everything typed is still there, normalised; nothing was wrong with the passwords.
        for value in ("Gerrit", "van Dijk", "gerrit@example.nl", "8011PB", "14a", "0384211234"):
            assert f'value="{value}"' in html
        assert html.count(f'value="{PASSWORD}"') == 2
        assert 'name="shown_for" type="hidden" value="8011"' in html
        assert user_by_email(app, "gerrit@example.nl") is None

    def test_choosing_one_registers_there(self, app, client, two_serving):
        chosen = two_serving[1]
        data = register_data(initiative=str(chosen.id), shown_for="8011")
        assert client.post("/aanmelden", data=data).status_code == 302
        user = user_by_email(app, "gerrit@example.nl")
        with app.app_context():
            membership = db.session.execute(db.select(Membership)).scalar_one()
            assert (membership.user_id, membership.initiative_id) == (user.id, chosen.id)

    def test_posting_again_without_a_choice_is_an_error(self, client, two_serving):
        response = client.post("/aanmelden", data=register_data(shown_for="8011"))
        assert response.status_code == 422
        assert any("Kies het bewonersinitiatief" in m for m in error_messages(response))

    def test_a_choice_not_offered_for_this_postcode_is_refused(self, client, make, two_serving):
        far = make.initiative(name="Zorgzaam Stitswerd", pc4s=("9999",))
        response = client.post(
            "/aanmelden", data=register_data(initiative=str(far.id), shown_for="8011")
        )
        assert response.status_code == 422
        assert f'value="{far.id}"' not in text(response)

    def test_changed_postcode_asks_again_without_error(self, client, two_serving, make):
        amersfoort = make.initiative(name="Burenhulp Amersfoort", pc4s=("3811",))
        data = register_data(initiative=str(amersfoort.id), shown_for="3811")
        response = client.post("/aanmelden", data=data)
        assert response.status_code == 200
        assert error_messages(response) == []
        assert "checked" not in text(response)

    def test_choice_from_an_old_postcode_gives_way_to_the_one_serving_initiative(
        self, app, client, two_serving, make
    ):
        amersfoort = make.initiative(name="Burenhulp Amersfoort", pc4s=("3811",))
        holtenbroek = make.initiative(name="Burenhulp Holtenbroek", pc4s=("8031",))
        data = register_data(postcode="8031AA", initiative=str(amersfoort.id), shown_for="3811")
        assert client.post("/aanmelden", data=data).status_code == 302
        with app.app_context():
            membership = db.session.execute(db.select(Membership)).scalar_one()
            assert membership.initiative_id == holtenbroek.id

    def test_nearby_initiatives_are_offered_when_none_serves_the_area(self, client, make):
        raalte = make.initiative(name="Noaberzorg Raalte", pc4s=("8101",))
        response = client.post("/aanmelden", data=register_data())
        assert response.status_code == 200
        html = text(response)
        assert f'value="{raalte.id}"' in html
        assert "Noaberzorg Raalte in Raalte (10-25 km van uw buurt)" in html

    def test_with_other_errors_the_choices_show_with_the_error(self, client, two_serving):
        response = client.post("/aanmelden", data=register_data(first_name=""))
        assert response.status_code == 422
        html = text(response)
        assert all(f'value="{i.id}"' in html for i in two_serving)
        assert PASSWORD not in html, "passwords are only kept when nothing else was wrong"


def test_no_initiative_nearby_gives_a_clear_message(app, client, make):
    make.initiative(name="Burenhulp Amersfoort", pc4s=("3811",))
    response = client.post("/aanmelden", data=register_data())
    assert response.status_code == 422
    assert any(
        "Er is nog geen bewonersinitiatief binnen 25 km van postcode 8011" in m
        for m in error_messages(response)
    )
    assert 'id="postcode-error"' in text(response)
    assert user_by_email(app, "gerrit@example.nl") is None


def test_logged_in_user_is_sent_on_from_register(client, auth, make):
    auth.login_as(make.user())
    response = client.get("/aanmelden")
    assert response.status_code == 302 and response.headers["Location"] == "/dichtbij"


def test_single_serving_initiative_is_preselected_while_other_fields_need_fixing(client, make):
    serving = make.initiative(name="Burenhulp Binnenstad Zwolle", pc4s=("8011",))
    nearby = make.initiative(name="Noaberzorg Raalte", pc4s=("8101",))
    response = client.post("/aanmelden", data=register_data(first_name=""))
    assert response.status_code == 422
    html = text(response)
    assert re.search(rf'<input checked [^>]*value="{serving.id}"', html)
    assert re.search(rf'<input id="[^"]+" name="initiative" type="radio" value="{nearby.id}"', html)


def test_register_posts_are_rate_limited(app, client, zwolle):
    per_minute = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(per_minute):
        assert client.post("/aanmelden", data=register_data(first_name="")).status_code == 422
    assert client.post("/aanmelden", data=register_data()).status_code == 429
    assert client.get("/aanmelden").status_code == 200
