"""The activity pages: what a resident, an organiser, a contact person and a visitor see and
can do; bad input keeps what was typed and gets a Dutch message."""

import re

import pytest
from sqlalchemy import select

from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
from buurthulp.moderation.models import ReviewState
from buurthulp.panel.models import StreetAssignment
from tests.activities.core_factories import in_days, make_activity, make_signup

VALID = {
    "title": "Koffieochtend",
    "kind": "coffee_morning",
    "description": "Koffie en een praatje",
    "venue_name": "Buurthuis De Kroon",
    "venue_street": "Kerkstraat 12",
    "venue_postcode": "8011 AB",
    "place": "",
    "rhythm": "weekly",
    "starts_on": in_days(3).strftime("%d-%m-%Y"),
    "start_time": "10:00",
    "end_time": "11:30",
    "ends_on": "",
    "capacity": "2",
    "cost": "1,50",
    "wheelchair_accessible": "y",
    "transport_available": "y",
}


@pytest.fixture(autouse=True)
def quiet_mail(monkeypatch):
    monkeypatch.setattr("buurthulp.matching.notify.send_mail", lambda **_: None)


@pytest.fixture
def world(app, make):
    initiative = make.initiative()
    people = {
        "coordinator": make.user(initiative=initiative, role=Role.COORDINATOR),
        "contact": make.user(initiative=initiative, role=Role.STREET_CONTACT),
        "anna": make.user(initiative=initiative, first_name="Anna", last_name="Smit"),
        "bert": make.user(initiative=initiative, first_name="Bert", last_name="Kok"),
        "cor": make.user(
            initiative=initiative, first_name="Cor", last_name="Veen", street_name="Walstraat"
        ),
        "outsider": make.user(),
    }
    activity = make_activity(app, initiative, capacity=1, transport_available=True)
    with app.app_context():
        wal = db.session.execute(select(Street).filter_by(name="Walstraat")).scalar_one()
        db.session.add(StreetAssignment(street_id=wal.id, user_id=people["contact"].id))
        db.session.commit()
    return {"initiative": initiative, "activity": activity, **people}


def page(client, activity_id):
    response = client.get(f"/activiteiten/{activity_id}")
    return response.status_code, response.get_data(as_text=True)


def test_organiser_publishes_through_the_form(app, client, auth, world):
    auth.login_direct(world["coordinator"])
    url = f"/activiteiten/initiatief/{world['initiative'].id}/nieuw"
    assert "Nooit iemands huisadres" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=VALID)
    assert response.status_code == 303
    with app.app_context():
        activity = db.session.execute(
            select(Activity).where(Activity.title == "Koffieochtend")
        ).scalar_one()
        assert (activity.weekly, activity.cost_cents, activity.capacity) == (True, 150, 2)
    status, html = page(client, activity.id)
    assert status == 200 and "€\xa01,50" in html and "elke" in html


def test_bad_input_keeps_what_was_typed_with_dutch_messages(app, client, auth, world):
    auth.login_direct(world["coordinator"])
    url = f"/activiteiten/initiatief/{world['initiative'].id}/nieuw"
    bad = {**VALID, "start_time": "tien uur", "cost": "veel", "venue_postcode": "12"}
    response = client.post(url, data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een tijd in, bijvoorbeeld 14:00." in html
    assert "Vul een bedrag in" in html
    assert 'value="Buurthuis De Kroon"' in html and 'value="tien uur"' in html
    assert 'aria-invalid="true"' in html


def test_resident_signs_up_then_sees_the_waiting_list_place(app, client, auth, world):
    activity = world["activity"]
    make_signup(app, activity, user=world["anna"])
    make_signup(app, activity, user=world["cor"], status=SignupStatus.WAITING)
    auth.login_direct(world["bert"])
    day = activity.starts_on.isoformat()
    response = client.post(f"/activiteiten/{activity.id}/aanmelden", data={"occurs_on": day})
    assert response.status_code == 303
    _status, html = page(client, activity.id)
    assert "U staat op de wachtlijst, plek 2." in html
    assert "Vol. U kunt op de wachtlijst." in html
    # A resident sees no names of other participants.
    assert "Anna" not in html and "Cor Veen" not in html
    response = client.post(f"/activiteiten/{activity.id}/afmelden", data={"occurs_on": day})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.execute(
            select(ActivitySignup).where(ActivitySignup.user_id == world["bert"].id)
        ).scalar_one()
        assert row.status == SignupStatus.CANCELLED


def test_signing_up_for_a_wrong_date_is_a_dutch_message(app, client, auth, world):
    auth.login_direct(world["bert"])
    activity = world["activity"]
    cases = {
        "2020-01-01": "Deze datum is al voorbij.",
        "geen datum": "Kies een datum uit de lijst.",
        in_days(8).isoformat(): "Op deze datum is de activiteit er niet.",
    }
    for day, message in cases.items():
        response = client.post(f"/activiteiten/{activity.id}/aanmelden", data={"occurs_on": day})
        assert response.status_code == 422, day
        assert message in response.get_data(as_text=True), day


def test_organiser_sees_names_and_a_contact_person_only_their_streets(app, client, auth, world):
    activity = world["activity"]
    make_signup(app, activity, user=world["anna"])
    make_signup(app, activity, user=world["cor"], status=SignupStatus.WAITING)
    auth.login_direct(world["coordinator"])
    _status, html = page(client, activity.id)
    assert "Anna Smit" in html and "Cor Veen" in html and "Wachtlijst (1)" in html
    auth.logout()
    auth.login_direct(world["contact"])
    _status, html = page(client, activity.id)
    assert "Cor Veen" in html and "Anna Smit" not in html


def test_visitors_see_an_approved_activity_but_not_a_proposal(app, client, world):
    status, html = page(client, world["activity"].id)
    assert status == 200 and "Buurthuis De Kroon" in html and "Log in om u aan te melden" in html
    proposal = make_activity(
        app, world["initiative"], review_state=ReviewState.PENDING, title="Geheim"
    )
    assert page(client, proposal.id)[0] == 404
    assert client.get("/activiteiten/2147483648").status_code == 404


def test_contact_person_signs_up_by_phone_within_their_streets(app, client, auth, world):
    activity = world["activity"]
    auth.login_direct(world["contact"])
    url = f"/activiteiten/{activity.id}/aanmelden-namens"
    form = client.get(url).get_data(as_text=True)
    assert "Cor Veen" in form and "Anna Smit" not in form
    day = activity.starts_on.isoformat()
    refused = client.post(url, data={"participant": f"member-{world['anna'].id}", "occurs_on": day})
    assert refused.status_code == 422
    assert "hoort niet bij de straten" in refused.get_data(as_text=True)
    done = client.post(url, data={"participant": f"member-{world['cor'].id}", "occurs_on": day})
    assert done.status_code == 303
    with app.app_context():
        row = db.session.execute(select(ActivitySignup)).scalar_one()
        assert (row.user_id, row.signed_up_by_id) == (world["cor"].id, world["contact"].id)


def test_resident_cannot_reach_the_phone_page_or_edit(app, client, auth, world):
    auth.login_direct(world["bert"])
    activity_id = world["activity"].id
    assert client.get(f"/activiteiten/{activity_id}/aanmelden-namens").status_code == 404
    assert client.get(f"/activiteiten/{activity_id}/bewerken").status_code == 403
    assert client.post(f"/activiteiten/{activity_id}/afgelasten").status_code == 403
    new = f"/activiteiten/initiatief/{world['initiative'].id}/nieuw"
    assert client.get(new).status_code == 403
    auth.logout()
    auth.login_direct(world["outsider"])
    assert client.get(new).status_code == 404


def test_lift_button_makes_one_request(app, client, auth, world):
    activity = world["activity"]
    make_signup(app, activity, user=world["anna"])
    auth.login_direct(world["anna"])
    day = activity.starts_on.isoformat()
    _status, html = page(client, activity.id)
    assert "Ik heb vervoer nodig" in html
    for _ in range(2):
        client.post(f"/activiteiten/{activity.id}/vervoer", data={"occurs_on": day})
    _status, html = page(client, activity.id)
    assert "Mijn vraag om vervoer" in html
    link = re.search(r'href="/hulpvragen/(\d+)"', html)
    assert link and client.get(f"/hulpvragen/{link.group(1)}").status_code == 200


def test_proposal_goes_through_the_moderation_queue(app, client, auth, world):
    auth.login_direct(world["coordinator"])
    settings = f"/paneel/{world['initiative'].id}/activiteiten-instelling"
    assert client.post(settings, data={"residents_may_propose": "yes"}).status_code == 303
    auth.logout()
    auth.login_direct(world["bert"])
    url = f"/activiteiten/initiatief/{world['initiative'].id}/nieuw"
    assert "Voorstel insturen" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={**VALID, "title": "Sjoelen"}).status_code == 303
    auth.logout()
    auth.login_direct(world["coordinator"])
    queue = client.get(f"/paneel/{world['initiative'].id}/wachtrij").get_data(as_text=True)
    assert "Voorgestelde activiteiten (1)" in queue and "Sjoelen" in queue
    with app.app_context():
        proposal_id = db.session.execute(
            select(Activity.id).where(Activity.title == "Sjoelen")
        ).scalar_one()
    base = f"/paneel/{world['initiative'].id}/wachtrij/activiteit/{proposal_id}"
    assert client.post(f"{base}/afwijzen", data={"reason": ""}).status_code == 422
    assert client.post(f"{base}/goedkeuren").status_code == 303
    auth.logout()
    assert page(client, proposal_id)[0] == 200


def test_edit_form_shows_the_stored_values_in_dutch(app, client, auth, world):
    activity = make_activity(app, world["initiative"], cost_cents=450, capacity=12)
    auth.login_direct(world["coordinator"])
    html = client.get(f"/activiteiten/{activity.id}/bewerken").get_data(as_text=True)
    assert 'value="4,50"' in html and 'value="12"' in html and 'value="17:30"' in html
    assert 'value="Buurthuis De Kroon"' in html
