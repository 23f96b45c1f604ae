"""Capacity is never exceeded when many sign up (and cancel) at the same moment.

Real threads, each with its own app context (so its own session and connection), on a file
SQLite database and, with TEST_DATABASE_URL, on PostgreSQL. A barrier releases them at once.
"""

import threading

import pytest
from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.activities import signups
from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from tests.activities.core_factories import in_days, make_activity, make_signup

THREADS = 20
CAPACITY = 5


@pytest.fixture(autouse=True)
def quiet_mail(monkeypatch):
    monkeypatch.setattr("buurthulp.matching.notify.send_mail", lambda **_: None)


def run_at_once(app, jobs) -> list[str]:
    """Run each job in its own thread and app context; 'ok' or the error's message."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                job()
                results[index] = "ok"
            except signups.SignupError as error:
                results[index] = str(error)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[index] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def sign_up_job(activity_id, user_id):
    def job():
        activity = db.session.get(Activity, activity_id)
        signups.signup_create(
            activity=activity,
            occurs_on=activity.starts_on,
            user=db.session.get(User, user_id),
            today=in_days(0),
            now=utcnow(),
        )

    return job


def cancel_job(signup_id, user_id):
    def job():
        signups.signup_cancel(
            signup=db.session.get(ActivitySignup, signup_id),
            actor=db.session.get(User, user_id),
            today=in_days(0),
            now=utcnow(),
        )

    return job


def counts(app, activity_id) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(ActivitySignup.status, func.count())
            .where(ActivitySignup.activity_id == activity_id)
            .group_by(ActivitySignup.status)
        ).all()
        return {status.value: n for status, n in rows}


def test_twenty_at_once_give_exactly_five_places(app, make):
    initiative = make.initiative()
    people = [make.user(initiative=initiative) for _ in range(THREADS)]
    activity = make_activity(app, initiative, capacity=CAPACITY)
    results = run_at_once(app, [sign_up_job(activity.id, p.id) for p in people])
    assert results == ["ok"] * THREADS
    assert counts(app, activity.id) == {"confirmed": CAPACITY, "waiting": THREADS - CAPACITY}


def test_cancels_and_sign_ups_at_once_keep_the_places_full_not_over(app, make):
    """5 with a place and 5 waiting; then 3 with a place cancel while 10 new sign up. After:
    exactly 5 places taken, the 3 freed ones went to the first 3 who were waiting."""
    initiative = make.initiative()
    people = [make.user(initiative=initiative) for _ in range(20)]
    activity = make_activity(app, initiative, capacity=CAPACITY)
    placed = [make_signup(app, activity, user=p) for p in people[:5]]
    waiting = [
        make_signup(app, activity, user=p, status=SignupStatus.WAITING) for p in people[5:10]
    ]
    jobs = [cancel_job(s.id, s.user_id) for s in placed[:3]]
    jobs += [sign_up_job(activity.id, p.id) for p in people[10:]]
    results = run_at_once(app, jobs)
    assert results == ["ok"] * len(jobs)
    assert counts(app, activity.id) == {"confirmed": 5, "waiting": 12, "cancelled": 3}
    with app.app_context():
        promoted = db.session.execute(
            select(ActivitySignup.id).where(
                ActivitySignup.id.in_([s.id for s in waiting]),
                ActivitySignup.status == SignupStatus.CONFIRMED,
            )
        ).scalars()
        assert sorted(promoted) == sorted(s.id for s in waiting[:3])
