"""The residents' panel pages: scope (404 outside, 403 for a role that may not), Dutch
messages with the input kept, and the private note nowhere but on its own page."""

import json

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.matching.models import Match
from buurthulp.residents import notes, verification
from buurthulp.residents.intake import phone_intake
from buurthulp.residents.models import ProxyResident
from tests.residents.conftest import NOTE, NOW, REQUEST, RESIDENT, TODAY, get_user

INTAKE = {
    "first_name": "Mien",
    "last_name": "Bakker",
    "phone": "038 4211234",
    "postcode": "8011 px",
    "house_number": "7",
    "street_name": "Diezerstraat",
    "consent": "y",
    "title": "Boodschappen",
    "description": "Melk en brood",
    "category": "groceries",
    "when": "flexible",
    "flexible_days": "7",
    "urgency": "normal",
    "recurrence": "once",
}


@pytest.fixture
def app_settings():
    return {"RATELIMIT_ENABLED": False}


def html(response) -> str:
    return response.get_data(as_text=True)


def proxy_request(app, world):
    with app.app_context():
        help_request = phone_intake(
            initiative_id=world.a.id,
            resident=RESIDENT,
            consent=True,
            request=REQUEST,
            by_user=get_user(world.contact_x),
            street_ids={world.street_x},
            now=NOW,
            today=TODAY,
        )
        return help_request.id, help_request.proxy_resident_id


def test_contact_person_posts_by_phone(app, client, auth, world, outbox):
    auth.login_direct(world.contact_x)
    url = f"/paneel/{world.a.id}/aanvraag-namens"
    assert client.get(url).status_code == 200
    # initiative_id in the form does not move the request to another initiative.
    response = client.post(url, data={**INTAKE, "initiative_id": str(world.b.id)})
    assert response.status_code == 303
    with app.app_context():
        help_request = db.session.execute(select(HelpRequest)).scalar_one()
        assert (help_request.initiative_id, help_request.created_by_id) == (
            world.a.id,
            world.contact_x.id,
        )
        resident = db.session.get(ProxyResident, help_request.proxy_resident_id)
        assert resident.phone == "0384211234"
    page = html(client.get(response.headers["Location"]))
    assert "Mien Bakker" in page and "Boodschappen" in page


def test_intake_with_bad_input_keeps_it_and_says_why(app, client, auth, world):
    auth.login_direct(world.contact_x)
    data = {**INTAKE, "postcode": "12", "consent": "", "street_name": "Sassenstraat"}
    response = client.post(f"/paneel/{world.a.id}/aanvraag-namens", data=data)
    assert response.status_code == 422
    page = html(response)
    assert "Vraag eerst of de bewoner het goed vindt." in page
    assert "Vul een postcode in met 4 cijfers en 2 letters" in page
    assert 'value="Mien"' in page and 'value="Sassenstraat"' in page
    with app.app_context():
        assert db.session.execute(select(ProxyResident)).first() is None


def test_street_contact_of_another_street_gets_a_street_error(app, client, auth, world):
    auth.login_direct(world.contact_y)
    response = client.post(f"/paneel/{world.a.id}/aanvraag-namens", data=INTAKE)
    assert response.status_code == 422
    assert "hoort niet bij de straten die u bijhoudt" in html(response)


def test_a_coordinator_does_not_do_intake(client, auth, world):
    auth.login_direct(world.coordinator)
    assert client.get(f"/paneel/{world.a.id}/aanvraag-namens").status_code == 403


@pytest.mark.parametrize(
    "who, status",
    [
        ("contact_x", 200),
        ("connector", 200),
        ("contact_y", 404),
        ("coordinator", 403),
        ("connector_b", 404),
        ("admin", 403),
        ("resident_x", 404),
    ],
)
def test_who_reads_the_note(app, client, auth, world, who, status):
    with app.app_context():
        notes.note_write(
            initiative_id=world.a.id,
            user_id=world.resident_x.id,
            body=NOTE,
            by_user=get_user(world.connector),
            now=NOW,
        )
    auth.login_direct(getattr(world, who))
    response = client.get(f"/paneel/{world.a.id}/bewoners/{world.resident_x.id}/notitie")
    assert response.status_code == status
    assert (NOTE in html(response)) == (status == 200)
    with app.app_context():
        reads = db.session.execute(select(AuditEntry).filter_by(action="note_read")).all()
        assert len(reads) == (1 if status == 200 else 0)


def test_note_changes_through_the_page_and_is_shown_nowhere_else(app, client, auth, world):
    help_id, resident_id = proxy_request(app, world)
    auth.login_direct(world.contact_x)
    for url in (
        f"/paneel/{world.a.id}/bewoners/{world.resident_x.id}/notitie",
        f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}/notitie",
    ):
        assert client.post(url, data={"body": NOTE}).status_code == 303
        assert NOTE in html(client.get(url))
    assert client.post(url, data={"body": "a\x00" + "x" * 3000}).status_code == 422
    with app.app_context():
        changes = db.session.execute(select(AuditEntry).filter_by(action="note_changed")).all()
        assert len(changes) == 2
    pages = [
        f"/paneel/{world.a.id}/bewoners",
        f"/paneel/{world.a.id}/bewoners/{world.resident_x.id}",
        f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}",
        f"/paneel/{world.a.id}/onbemiddeld",
        f"/paneel/{world.a.id}/onbemiddeld/{help_id}",
        f"/hulpvragen/{help_id}",
        "/dichtbij",
        "/mijn-hulp",
    ]
    for who in (world.contact_x, world.connector, world.coordinator, world.resident_x):
        auth.login_direct(who)
        for page in pages:
            assert NOTE not in html(client.get(page)), (who.email, page)
        export = client.get("/mijn-gegevens/download")
        assert export.status_code == 200
        assert NOTE not in json.dumps(export.get_json(), ensure_ascii=False)


def test_residents_list_is_scoped_by_street(client, auth, world):
    auth.login_direct(world.contact_x)
    page = html(client.get(f"/paneel/{world.a.id}/bewoners"))
    assert "Kees de Vries" in page and "Riet de Vries" not in page
    auth.login_direct(world.connector)
    page = html(client.get(f"/paneel/{world.a.id}/bewoners"))
    assert "Kees de Vries" in page and "Riet de Vries" in page
    auth.login_direct(world.connector_b)
    assert client.get(f"/paneel/{world.a.id}/bewoners").status_code == 404
    assert client.get(f"/paneel/{world.b.id}/bewoners/{world.resident_x.id}").status_code == 404


def test_changing_ids_in_the_url_never_reaches_another_street(app, client, auth, world):
    _, resident_id = proxy_request(app, world)
    auth.login_direct(world.contact_y)
    a = world.a.id
    for url in (
        f"/paneel/{a}/bewoners/{world.resident_x.id}",
        f"/paneel/{a}/telefoonbewoners/{resident_id}",
        f"/paneel/{a}/telefoonbewoners/{resident_id}/hulpvraag",
        f"/paneel/{a}/telefoonbewoners/{resident_id}/notitie",
        f"/paneel/{a}/bewoners/999999",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/paneel/{a}/bewoners/{world.resident_x.id}/verifieren",
        f"/paneel/{a}/telefoonbewoners/{resident_id}/account",
    ):
        assert client.post(url, data={"email": "z@example.nl"}).status_code == 404, url


def test_verify_a_member_and_the_setting(app, client, auth, world):
    auth.login_direct(world.contact_x)
    url = f"/paneel/{world.a.id}/bewoners/{world.resident_x.id}"
    assert client.post(url + "/verifieren").status_code == 303
    assert "ja, op" in html(client.get(url))
    setting = f"/paneel/{world.a.id}/verificatie-instelling"
    assert client.post(setting, data={"unverified_may_accept": "no"}).status_code == 403
    auth.login_direct(world.coordinator)
    assert client.post(setting, data={"unverified_may_accept": "no"}).status_code == 303
    with app.app_context():
        assert verification.unverified_may_accept(world.a.id) is False
        assert verification.verification_of(user_id=world.resident_x.id, initiative_id=world.a.id)
    # An unverified member now gets a clear Dutch message at "Ik wil helpen".
    help_id, _ = proxy_request(app, world)
    auth.login_direct(world.volunteers[0])
    response = client.post(f"/hulpvragen/{help_id}/helpen", data={"message": "Ik kom"})
    page = html(client.get(f"/hulpvragen/{help_id}")) + html(response)
    assert "alleen geverifieerde buren hulpvragen aannemen" in page


def test_give_a_phone_resident_an_account_by_link(app, client, auth, world, outbox):
    _, resident_id = proxy_request(app, world)
    auth.login_direct(world.contact_x)
    url = f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}/account"
    response = client.post(url, data={"email": "niet-goed"})
    assert response.status_code == 422 and 'value="niet-goed"' in html(response)
    response = client.post(url, data={"email": "mien@example.nl"})
    assert response.status_code == 303
    assert [to for to, *_ in outbox if to == "mien@example.nl"]
    assert "/wachtwoord-herstellen/" in outbox[-1][2]


def _flag(app, help_id):
    with app.app_context():
        db.session.get(HelpRequest, help_id).needs_attention = True
        db.session.commit()


def test_unmatched_queue_and_match_by_phone(app, client, auth, world, outbox):
    help_id, _ = proxy_request(app, world)
    _flag(app, help_id)
    auth.login_direct(world.contact_y)
    assert "Boodschappen" not in html(client.get(f"/paneel/{world.a.id}/onbemiddeld"))
    assert client.get(f"/paneel/{world.a.id}/onbemiddeld/{help_id}").status_code == 404
    volunteer = world.volunteers[1]
    url = f"/paneel/{world.a.id}/onbemiddeld/{help_id}/telefonisch"
    assert client.post(url, data={"volunteer_id": volunteer.id}).status_code == 404
    auth.login_direct(world.connector_b)
    assert client.post(url, data={"volunteer_id": volunteer.id}).status_code == 404

    auth.login_direct(world.contact_x)
    assert "Boodschappen" in html(client.get(f"/paneel/{world.a.id}/onbemiddeld"))
    detail = html(client.get(f"/paneel/{world.a.id}/onbemiddeld/{help_id}"))
    assert volunteer.first_name in detail
    assert client.post(url, data={"volunteer_id": "abc"}).status_code == 422
    assert client.post(url, data={"volunteer_id": volunteer.id}).status_code == 303
    again = client.post(url, data={"volunteer_id": world.volunteers[2].id})
    assert again.status_code == 422 and "al vergeven" in html(again)
    with app.app_context():
        match = db.session.execute(select(Match)).scalar_one()
        assert match.volunteer_id == volunteer.id
    # The volunteer now sees the resident's details on the match page; the contact too.
    for who in (volunteer, world.contact_x):
        auth.login_direct(who)
        page = html(client.get(f"/koppelingen/{match.id}"))
        assert "Mien Bakker" in page and "0384211234" in page


def test_volunteer_does_not_see_resident_details_before_a_match(app, client, auth, world):
    help_id, _ = proxy_request(app, world)
    auth.login_direct(world.volunteers[0])
    page = html(client.get(f"/hulpvragen/{help_id}"))
    assert "Mien B." in page
    assert "Bakker" not in page and "0384211234" not in page and "8011 PX" not in page


def test_contact_person_withdraws_from_the_request_page(app, client, auth, world):
    help_id, _ = proxy_request(app, world)
    auth.login_direct(world.contact_y)
    assert client.post(f"/hulpvragen/{help_id}/intrekken").status_code in (403, 404)
    auth.login_direct(world.contact_x)
    page = html(client.get(f"/hulpvragen/{help_id}"))
    assert "Mien B." in page  # not "u": the contact person asks on the resident's behalf
    assert client.post(f"/hulpvragen/{help_id}/intrekken").status_code == 303
    with app.app_context():
        assert db.session.get(HelpRequest, help_id).status.value == "withdrawn"
