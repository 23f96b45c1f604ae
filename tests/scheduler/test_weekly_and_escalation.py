"""Weekly next occurrences, escalation and missed first rounds, on a clock: each happens
once."""

import threading
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching import queries
from buurthulp.matching.models import Invitation, Match
from buurthulp.moderation.models import ReviewState
from buurthulp.scheduler.jobs import escalation, weekly
from buurthulp.scheduler.runner import run_job
from tests.scheduler.conftest import NOW, TODAY, at, mails_to, wait_for_mail


def weekly_request(make, people, day, **fields):
    return make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        recurrence=Recurrence.WEEKLY,
        on_date=day,
        time_from=time(10),
        time_until=time(11),
        **fields,
    )


def successors(request_id: int) -> list[HelpRequest]:
    query = select(HelpRequest).where(HelpRequest.previous_request_id == request_id)
    return list(db.session.execute(query).scalars())


def test_next_occurrence_created_once_when_its_day_comes(app, ctx, make, people):
    make.help_offer(volunteer=people.bert, initiative=people.initiative, availability=(1 << 21) - 1)
    due = weekly_request(make, people, TODAY, status=RequestStatus.MATCHED)
    db.session.add(Match(request_id=due.id, volunteer_id=people.bert.id))
    db.session.commit()
    later = weekly_request(make, people, TODAY + timedelta(days=3))
    ended = weekly_request(make, people, TODAY, status=RequestStatus.WITHDRAWN)
    once = make.help_request(requester=people.anna, initiative=people.initiative, on_date=TODAY)
    assert weekly.job(NOW) == {"created": 1}
    (new,) = successors(due.id)
    assert (new.on_date, new.status, new.recurrence) == (
        TODAY + timedelta(days=7),
        RequestStatus.OPEN,
        Recurrence.WEEKLY,
    )
    # The volunteer who helped last time is asked first.
    (invitation,) = db.session.execute(
        select(Invitation).where(Invitation.request_id == new.id)
    ).scalars()
    assert invitation.volunteer_id == people.bert.id
    assert [successors(r.id) for r in (later, ended, once)] == [[], [], []]
    # Again, the same moment or an hour later: nothing new.
    assert weekly.job(NOW) == {"created": 0}
    assert weekly.job(at(hours=1)) == {"created": 0}
    # A week on, the new one's day has come: the chain goes on, one link at a time.
    assert weekly.job(at(7)) == {"created": 2}
    assert len(successors(new.id)) == 1 and len(successors(later.id)) == 1


def test_flexible_weekly_request_continues_a_week_after_posting(ctx, make, people):
    flexible = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        recurrence=Recurrence.WEEKLY,
        flexible_days=3,
        created_at=at(-7),
    )
    assert weekly.job(at(-1)) == {"created": 0}
    assert weekly.job(NOW) == {"created": 1}
    assert successors(flexible.id)[0].flexible_days == 3


def test_concurrent_weekly_runs_create_one_occurrence(app, make, people):
    due = weekly_request(make, people, TODAY)
    barrier = threading.Barrier(5)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(run_job("weekly_next_occurrence", now=NOW))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert {"created": 1} in results
    with app.app_context():
        count = select(func.count()).where(HelpRequest.previous_request_id == due.id)
        assert db.session.execute(count).scalar_one() == 1


def test_escalation_job_widens_overdue_requests_once(ctx, make, people):
    request = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        flexible_days=7,
        match_round=1,
        last_invited_at=at(hours=-5),
    )
    fresh = make.help_request(
        requester=people.anna,
        initiative=people.initiative,
        flexible_days=7,
        match_round=1,
        last_invited_at=at(hours=-1),
    )
    assert escalation.job(NOW) == {"first_round": 0, "widened": 1, "flagged": 0}
    assert run_job("escalate_unmatched", now=NOW) == {"first_round": 0, "widened": 0, "flagged": 0}
    db.session.expire_all()
    widened, untouched = (
        db.session.get(HelpRequest, request.id),
        db.session.get(HelpRequest, fresh.id),
    )
    assert (widened.match_round, widened.radius_km, widened.last_invited_at) == (2, 4.0, NOW)
    assert (untouched.match_round, untouched.radius_km) == (1, 2.0)


def never_invited(make, people, **fields) -> HelpRequest:
    """A request stored without its first round, as by a POST cut off after its COMMIT."""
    return make.help_request(
        requester=people.anna, initiative=people.initiative, flexible_days=7, **fields
    )


def invited_for(request_id: int) -> list[int]:
    query = select(Invitation.volunteer_id).where(Invitation.request_id == request_id)
    return sorted(db.session.execute(query).scalars())


def rounds(*requests) -> list[tuple]:
    db.session.expire_all()
    found = [db.session.get(HelpRequest, r.id) for r in requests]
    return [(r.match_round, r.last_invited_at) for r in found]


def test_escalation_job_runs_a_missed_first_round_once(ctx, make, people, smtp_server):
    make.help_offer(volunteer=people.bert, initiative=people.initiative, availability=(1 << 21) - 1)
    cut_off = never_invited(make, people, created_at=at(minutes=-3))
    in_flight = never_invited(make, people, created_at=at(minutes=-1))  # its POST may still run it
    waiting = never_invited(make, people, created_at=at(-1), review_state=ReviewState.PENDING)

    assert escalation.job(NOW) == {"first_round": 1, "widened": 0, "flagged": 0}
    assert run_job("escalate_unmatched", now=NOW) == {"first_round": 0, "widened": 0, "flagged": 0}
    assert [invited_for(r.id) for r in (cut_off, in_flight, waiting)] == [[people.bert.id], [], []]
    assert rounds(cut_off, in_flight, waiting) == [(1, NOW), (0, None), (0, None)]
    wait_for_mail(smtp_server, 1)
    assert len(mails_to(smtp_server, people.bert.email)) == 1

    # Past the grace period the younger one gets its round; the first is not widened early.
    later = at(minutes=2)
    assert escalation.job(later) == {"first_round": 1, "widened": 0, "flagged": 0}
    assert escalation.job(later) == {"first_round": 0, "widened": 0, "flagged": 0}
    assert rounds(cut_off, in_flight) == [(1, NOW), (1, later)]
    assert invited_for(in_flight.id) == [people.bert.id]
    wait_for_mail(smtp_server, 2)
    assert len(mails_to(smtp_server, people.bert.email)) == 2


def test_a_first_round_cut_off_inside_the_job_runs_on_the_next_run(ctx, make, people, monkeypatch):
    """The claim is committed with the invitations: a run that dies in between leaves the
    round to the next run, not claimed and never run."""
    make.help_offer(volunteer=people.bert, initiative=people.initiative, availability=(1 << 21) - 1)
    cut_off = never_invited(make, people, created_at=at(minutes=-10))
    ranked = queries.ranked

    def dies(*_args, **_kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(queries, "ranked", dies)
    with pytest.raises(RuntimeError):
        run_job("escalate_unmatched", now=NOW)
    assert rounds(cut_off) == [(0, None)] and invited_for(cut_off.id) == []

    monkeypatch.setattr(queries, "ranked", ranked)
    assert run_job("escalate_unmatched", now=at(minutes=5))["first_round"] == 1
    assert rounds(cut_off) == [(1, at(minutes=5))]
    assert invited_for(cut_off.id) == [people.bert.id]


def test_old_never_invited_requests_are_not_this_jobs_business(ctx, make, people):
    """Requests imported or seeded without invitations, days old: no sudden first round."""
    make.help_offer(volunteer=people.bert, initiative=people.initiative, availability=(1 << 21) - 1)
    old = never_invited(make, people, created_at=NOW - timedelta(days=3))
    change = db.session.get(HelpRequest, old.id)
    change.updated_at = NOW - timedelta(days=3)
    db.session.commit()
    assert escalation.job(NOW)["first_round"] == 0
    assert invited_for(old.id) == []
