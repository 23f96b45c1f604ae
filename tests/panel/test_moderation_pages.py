"""The queue, flags, settings and audit pages, used through the browser's forms."""

from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.moderation.models import Flag, FlagSubject, ReviewState
from tests.factories import Auth

SCRIPT = "<script>alert(1)</script>"


def client_of(app, make, user):
    client = app.test_client()
    Auth(client, make).login_direct(user)
    return client


def test_settings_queue_approve_and_reject(app, make, initiative, people, monkeypatch):
    sent = []
    monkeypatch.setattr("buurthulp.matching.notify.send_mail", lambda **mail: sent.append(mail))
    coordinator = client_of(app, make, people["coordinator"])
    base = f"/paneel/{initiative.id}"
    assert coordinator.post(f"{base}/instellingen", data={"mode": "nonsense"}).status_code == 422
    assert coordinator.post(f"{base}/instellingen", data={"mode": "pre"}).status_code == 303
    first = make.help_request(
        requester=people["anna"], initiative=initiative, review_state=ReviewState.PENDING
    )
    second = make.help_request(
        requester=people["anna"],
        initiative=initiative,
        title=SCRIPT,
        review_state=ReviewState.PENDING,
    )
    page = coordinator.get(f"{base}/wachtrij")
    assert page.status_code == 200
    assert SCRIPT not in page.get_data(as_text=True)
    assert coordinator.post(f"{base}/wachtrij/hulpvraag/{first.id}/goedkeuren").status_code == 303
    reject = f"{base}/wachtrij/hulpvraag/{second.id}/afwijzen"
    response = coordinator.post(reject, data={"reason": ""})
    assert response.status_code == 422
    assert coordinator.post(reject, data={"reason": f"Onduidelijk {SCRIPT}"}).status_code == 303
    assert [mail["to"] for mail in sent] == [people["anna"].email]
    with app.app_context():
        states = {r.id: r.review_state for r in db.session.execute(select(HelpRequest)).scalars()}
        assert states == {first.id: ReviewState.APPROVED, second.id: ReviewState.REJECTED}
    audit = coordinator.get(f"{base}/auditlog").get_data(as_text=True)
    assert "bericht afgewezen" in audit and "Onduidelijk" in audit
    assert people["coordinator"].full_name in audit
    assert SCRIPT not in audit
    # Approving twice is refused with a message, not a 500.
    assert coordinator.post(f"{base}/wachtrij/hulpvraag/{first.id}/goedkeuren").status_code == 422


def test_flag_queue_shows_reports_and_resolves(app, make, initiative, people):
    request = make.help_request(requester=people["anna"], initiative=initiative)
    with app.app_context():
        db.session.add(
            Flag(
                initiative_id=initiative.id,
                reporter_id=people["bert"].id,
                subject_type=FlagSubject.HELP_REQUEST,
                subject_id=request.id,
                reason=f"Reclame {SCRIPT}",
            )
        )
        db.session.commit()
    connector = client_of(app, make, people["connector"])
    base = f"/paneel/{initiative.id}/meldingen"
    page = connector.get(base).get_data(as_text=True)
    assert "Reclame" in page and SCRIPT not in page
    url = f"{base}/hulpvraag/{request.id}"
    assert connector.post(url, data={"resolution": "maybe"}).status_code == 422
    assert connector.post(url, data={"resolution": "removed"}).status_code == 303
    assert connector.post(url, data={"resolution": "removed"}).status_code == 404  # none open
    with app.app_context():
        assert db.session.get(HelpRequest, request.id).review_state == ReviewState.REMOVED
        actions = db.session.execute(select(AuditEntry.action)).scalars().all()
        assert actions == ["flags_removed"]
