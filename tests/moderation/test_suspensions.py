"""Suspending a member: out at once, no login until the end date, then back by itself."""

from datetime import timedelta

import pytest

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.moderation import queries, suspensions
from buurthulp.moderation.models import Suspension, SuspensionKind
from buurthulp.moderation.services import ModerationError
from tests.factories import Auth
from tests.moderation.conftest import load


def suspend(people, name, *, by="connector", days=7, kind=SuspensionKind.SUSPEND):
    return suspensions.suspension_create(
        initiative_id=load(people[name]).memberships[0].initiative_id,
        user_id=people[name].id,
        kind=kind,
        reason="Herhaaldelijk onbeleefd",
        ends_at=utcnow() + timedelta(days=days),
        actor=load(people[by]),
        now=utcnow(),
    )


def test_suspended_member_is_logged_out_and_cannot_log_in(app, client, auth, make, people):
    auth.login_as(people["anna"])
    assert client.get("/dichtbij").status_code == 200
    with app.app_context():
        suspend(people, "anna")
    # Its sessions ended at once: the very next request is anonymous.
    response = client.get("/dichtbij")
    assert response.status_code in (302, 303) and "/inloggen" in response.headers["Location"]
    response = auth.login(people["anna"].email)
    assert response.status_code == 403
    assert "geschorst tot en met" in response.get_data(as_text=True)


def test_the_suspension_ends_by_itself(app, auth, people):
    with app.app_context():
        db.session.add(
            Suspension(
                user_id=people["anna"].id,
                initiative_id=load(people["anna"]).memberships[0].initiative_id,
                kind=SuspensionKind.BLOCK,
                reason="Voorbij",
                starts_at=utcnow() - timedelta(days=10),
                ends_at=utcnow() - timedelta(seconds=1),
            )
        )
        db.session.commit()
        assert queries.active_suspension(people["anna"].id, utcnow()) is None
    assert auth.login(people["anna"].email).status_code == 302


def test_rules_of_who_may_be_suspended(ctx, make, people):
    with pytest.raises(ModerationError):
        suspend(people, "connector", by="connector")  # not oneself
    with pytest.raises(ModerationError):
        suspend(people, "coordinator", by="connector")  # a connector cannot suspend a coordinator
    with pytest.raises(ModerationError):
        suspend(people, "anna", days=-1)
    suspension = suspend(people, "anna", kind=SuspensionKind.BLOCK)
    assert queries.active_suspension(people["anna"].id, utcnow()) == suspension
    suspensions.suspension_lift(
        suspension=suspension, actor=load(people["connector"]), reason="Gesprek", now=utcnow()
    )
    assert queries.active_suspension(people["anna"].id, utcnow()) is None


def test_suspend_page(app, make, initiative, people):
    client = app.test_client()
    Auth(client, make).login_direct(people["connector"])
    url = f"/paneel/{initiative.id}/schorsingen"
    bad = {"user_id": str(people["anna"].id), "kind": "suspend", "reason": "", "ends_on": "morgen"}
    response = client.post(url, data=bad)
    assert response.status_code == 422
    ends_on = (utcnow() + timedelta(days=60)).strftime("%d-%m-%Y")
    good = {**bad, "reason": "Onbeleefd", "ends_on": ends_on}
    assert client.post(url, data=good).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Onbeleefd" in page and people["anna"].full_name in page


def test_a_session_left_open_is_ended_on_its_next_request(app, client, auth, people):
    """Even when a session survives (made before the suspension started), the per-request
    check logs the member out."""
    auth.login_as(people["anna"])
    with app.app_context():
        db.session.add(
            Suspension(
                user_id=people["anna"].id,
                initiative_id=load(people["anna"]).memberships[0].initiative_id,
                kind=SuspensionKind.SUSPEND,
                reason="Direct in de tabel",
                starts_at=utcnow() - timedelta(minutes=1),
                ends_at=utcnow() + timedelta(days=1),
            )
        )
        db.session.commit()
    response = client.get("/dichtbij")
    assert response.status_code == 303 and "/inloggen" in response.headers["Location"]
    assert client.get("/dichtbij").status_code == 302  # the session is gone


def test_the_matcher_does_not_invite_a_suspended_volunteer(ctx, make, initiative, people):
    from sqlalchemy import select

    from buurthulp.listings import services as listing_services
    from buurthulp.matching.models import Invitation
    from tests.listings.test_services import request_fields

    for name in ("bert", "carla"):
        make.help_offer(volunteer=people[name], initiative=initiative, availability=(1 << 21) - 1)
    suspend(people, "bert")
    help_request = listing_services.help_request_create(
        requester=load(people["anna"]),
        initiative_id=initiative.id,
        fields=request_fields(needs_car=False),
    )
    invited = db.session.execute(
        select(Invitation.volunteer_id).where(Invitation.request_id == help_request.id)
    ).scalars()
    assert list(invited) == [people["carla"].id]
