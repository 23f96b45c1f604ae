"""A contact person's request on behalf of a resident is posted once: a re-sent phone
intake or proxy request (after a 503, or two at the same moment) makes no second resident,
request, invitation, audit entry or mail. On file SQLite and, with TEST_DATABASE_URL, on
PostgreSQL."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.matching.models import Invitation
from buurthulp.residents.models import ProxyResident
from tests.factories import Auth
from tests.listings.once_support import (
    answer_lost_after_commit,
    post_at_once,
    resend_fields,
    token_in,
)
from tests.residents.test_views import INTAKE, proxy_request

REQUEST = {key: INTAKE[key] for key in ("title", "description", "category", "when")} | {
    "flexible_days": "7",
    "urgency": "normal",
    "recurrence": "once",
}


@pytest.fixture
def app_settings():
    return {"RATELIMIT_ENABLED": False}


def html(response) -> str:
    return response.get_data(as_text=True)


def counts(app) -> dict:
    with app.app_context():
        return {
            model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar()
            for model in (ProxyResident, HelpRequest, Invitation, AuditEntry)
        }


def test_a_re_sent_intake_makes_no_second_resident_or_request(app, client, auth, world, outbox):
    auth.login_direct(world.contact_x)
    url = f"/paneel/{world.a.id}/aanvraag-namens"
    data = {**INTAKE, "submission_token": token_in(html(client.get(url)))}
    first = client.post(url, data=data)
    assert first.status_code == 303
    client.get(first.headers["Location"])  # its flash
    after_first, mailed = counts(app), len(outbox)
    assert after_first["Invitation"] > 0 and mailed > 0

    again = client.post(url, data=data, follow_redirects=True)
    assert again.request.path == first.headers["Location"]
    assert "Deze hulpvraag was al geplaatst." in html(again)
    assert counts(app) == after_first and len(outbox) == mailed


def cut_off_proxy_request(app, client, world) -> tuple[str, int, MultiDict]:
    """Another request for a phone resident, whose COMMIT went through but whose answer was
    lost: stored, its first round never ran. Returns the url, the resident's id and the
    503 page's re-send fields."""
    _request_id, resident_id = proxy_request(app, world)
    url = f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}/hulpvraag"
    data = {**REQUEST, "submission_token": token_in(html(client.get(url)))}
    with answer_lost_after_commit(app):
        failed = client.post(url, data=data)
    assert failed.status_code == 503
    fields = resend_fields(html(failed))
    assert ("submission_token", data["submission_token"]) in fields
    return url, resident_id, MultiDict(fields)


def invited_for_token(app, token: str) -> list[int]:
    with app.app_context():
        query = (
            select(Invitation.volunteer_id)
            .join(HelpRequest, HelpRequest.id == Invitation.request_id)
            .where(HelpRequest.submission_token == token)
        )
        return sorted(db.session.execute(query).scalars())


def test_a_re_sent_proxy_request_after_a_503_is_stored_once_and_invites_once(
    app, client, auth, world, outbox
):
    auth.login_direct(world.contact_x)
    url, resident_id, fields = cut_off_proxy_request(app, client, world)
    token = fields["submission_token"]
    stored, mailed = counts(app), len(outbox)
    assert stored["HelpRequest"] == 2  # the first one (made above) and the one cut off
    assert invited_for_token(app, token) == []

    again = client.post(url, data=fields, follow_redirects=True)
    assert again.request.path == f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}"
    assert "Deze hulpvraag was al geplaatst." in html(again)
    volunteer_ids = sorted(v.id for v in world.volunteers)
    assert invited_for_token(app, token) == volunteer_ids  # its first round, at last
    assert counts(app) == {**stored, "Invitation": stored["Invitation"] + len(volunteer_ids)}
    assert len(outbox) == mailed + len(volunteer_ids)

    after = counts(app)
    assert client.post(url, data=fields).status_code == 303
    assert (counts(app), len(outbox)) == (after, mailed + len(volunteer_ids))


def test_two_re_sent_proxy_requests_at_once_invite_each_volunteer_once(
    app, make, monkeypatch, world, outbox
):
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        Auth(client, make).login_direct(world.contact_x)
    url, resident_id, fields = cut_off_proxy_request(app, clients[0], world)
    mailed = len(outbox)
    responses = post_at_once(monkeypatch, clients, url, fields)
    assert [r.status_code for r in responses] == [303, 303]
    assert {r.headers["Location"] for r in responses} == {
        f"/paneel/{world.a.id}/telefoonbewoners/{resident_id}"
    }
    volunteer_ids = sorted(v.id for v in world.volunteers)
    assert invited_for_token(app, fields["submission_token"]) == volunteer_ids
    assert len(outbox) == mailed + len(volunteer_ids)


def test_two_identical_intakes_at_once_give_one_resident_and_request(
    app, make, monkeypatch, world, outbox
):
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        Auth(client, make).login_direct(world.contact_x)
    url = f"/paneel/{world.a.id}/aanvraag-namens"
    data = {**INTAKE, "submission_token": token_in(html(clients[0].get(url)))}
    responses = post_at_once(monkeypatch, clients, url, data)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    after = counts(app)
    assert (after["ProxyResident"], after["HelpRequest"], after["AuditEntry"]) == (1, 1, 1)
    with app.app_context():
        invited = db.session.execute(select(Invitation.volunteer_id)).scalars().all()
    assert len(invited) == len(set(invited)) > 0
    assert len(outbox) == len(invited)


def test_an_intake_without_a_token_works_as_before(app, client, auth, world):
    auth.login_direct(world.contact_x)
    response = client.post(f"/paneel/{world.a.id}/aanvraag-namens", data=INTAKE)
    assert response.status_code == 303
    assert counts(app)["HelpRequest"] == 1
