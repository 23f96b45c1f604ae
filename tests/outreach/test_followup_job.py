"""The follow-up reminder: once, on the date, not after the follow-up is done."""

from datetime import timedelta

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role
from buurthulp.outreach import services
from buurthulp.outreach.models import Referral, Service
from buurthulp.outreach.services import ResidentRef
from buurthulp.realtime.models import Event
from buurthulp.scheduler import registry
from buurthulp.scheduler.jobs import followups
from tests.outreach.conftest import NOW, TODAY, get_user


def _refer(app, world, *, days: int = 7) -> int:
    with app.app_context():
        referral = services.referral_create(
            resident=ResidentRef(world.a.id, user_id=world.resident_x.id),
            service=db.session.get(Service, world.service),
            follow_up_on=TODAY + timedelta(days=days),
            by_user=get_user(world.contact_x),
            now=NOW,
            today=TODAY,
        )
        return referral.id


def _run(app, days: float) -> dict:
    with app.app_context():
        return followups.job(NOW + timedelta(days=days))


def test_registered_like_the_other_jobs():
    assert followups.JOB_ID in registry.job_ids()


def test_once_on_the_date_and_never_before(app, world, outbox):
    _refer(app, world, days=7)
    assert _run(app, 6) == {"reminders": 0}
    assert outbox == []
    assert _run(app, 7) == {"reminders": 1}
    assert _run(app, 7) == {"reminders": 0}  # the same day again
    assert _run(app, 9) == {"reminders": 0}  # and later days
    assert [to for to, _subject, _body in outbox] == ["cx@example.nl"]
    subject, body = outbox[0][1], outbox[0][2]
    assert "doorverwijzing" in subject
    # No resident and no service in a mail.
    assert "Kees" not in body and "Wijkteam" not in body
    assert f"/paneel/{world.a.id}/doorverwijzingen" in body
    with app.app_context():
        kinds = db.session.execute(select(Event.kind)).scalars().all()
        assert kinds == ["follow_up"]


def test_none_once_the_follow_up_is_done(app, world, outbox):
    referral_id = _refer(app, world, days=0)
    with app.app_context():
        services.follow_up_done(
            referral=db.session.get(Referral, referral_id),
            outcome="helped",
            by_user=get_user(world.contact_x),
            now=NOW,
        )
    assert _run(app, 1) == {"reminders": 0}
    assert outbox == []


def test_a_late_first_run_still_reminds(app, world, outbox):
    _refer(app, world, days=1)
    assert _run(app, 5) == {"reminders": 1}


def test_nobody_is_reminded_who_lost_the_panel_role(app, world, outbox):
    _refer(app, world, days=0)
    with app.app_context():
        membership = db.session.execute(
            select(Membership).filter_by(user_id=world.contact_x.id, initiative_id=world.a.id)
        ).scalar_one()
        membership.role = Role.RESIDENT
        db.session.commit()
    assert _run(app, 0) == {"reminders": 0}
    assert outbox == []


def test_two_referrals_two_reminders_once_each(app, world, outbox):
    _refer(app, world, days=0)
    _refer(app, world, days=0)
    assert _run(app, 0)["reminders"] == 2
    assert _run(app, 0)["reminders"] == 0
    assert len(outbox) == 2
