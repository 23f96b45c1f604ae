"""The lease: one scheduler runs jobs; a second stands by and takes over after expiry."""

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.scheduler import registry
from buurthulp.scheduler.lease import lease_acquire, lease_release
from buurthulp.scheduler.models import JobRun, SchedulerLease
from buurthulp.scheduler.registry import job_ids
from buurthulp.scheduler.runner import HEARTBEAT_JOB_ID, SchedulerProcess
from tests.scheduler.conftest import NOW

TTL = timedelta(seconds=120)


def test_one_holder_at_a_time_then_takeover_after_expiry(ctx):
    assert lease_acquire(holder="a", now=NOW, ttl=TTL)
    assert not lease_acquire(holder="b", now=NOW + timedelta(seconds=60), ttl=TTL)
    # The holder renews (heartbeat), which pushes the expiry on.
    assert lease_acquire(holder="a", now=NOW + timedelta(seconds=100), ttl=TTL)
    assert not lease_acquire(holder="b", now=NOW + timedelta(seconds=150), ttl=TTL)
    # "a" stops renewing: after its lease ran out, "b" takes it, and "a" is refused.
    assert lease_acquire(holder="b", now=NOW + timedelta(seconds=221), ttl=TTL)
    assert not lease_acquire(holder="a", now=NOW + timedelta(seconds=222), ttl=TTL)
    lease = db.session.execute(select(SchedulerLease)).scalar_one()
    assert lease.holder == "b" and lease.expires_at == NOW + timedelta(seconds=341)


def test_release_lets_the_standby_take_over_at_once(ctx):
    assert lease_acquire(holder="a", now=NOW, ttl=TTL)
    lease_release(holder="a", now=NOW + timedelta(seconds=5))
    assert lease_acquire(holder="b", now=NOW + timedelta(seconds=5), ttl=TTL)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _ran(app, job_id: str):
    with app.app_context():
        row = db.session.get(JobRun, job_id)
        return None if row is None else (row.started_at, row.summary)


def test_second_scheduler_runs_no_jobs_until_the_lease_expires(app):
    clock = Clock(NOW)
    first = SchedulerProcess(app, clock=clock, holder="first")
    second = SchedulerProcess(app, clock=clock, holder="second")
    first.heartbeat()
    assert second.run_if_leader("retention") is None
    assert _ran(app, "retention") is None
    assert first.run_if_leader("retention") == {
        "anonymised": 0,
        "deliveries_removed": 0,
        "cutoff": "2025-05-23T09:00:00+00:00",
    }
    assert _ran(app, "retention")[0] == NOW
    # The first scheduler dies; the second takes over once the lease has run out.
    clock.now = NOW + timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"] - 1)
    assert second.run_if_leader("retention") is None
    clock.now = NOW + timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"])
    assert second.run_if_leader("retention") is not None
    assert _ran(app, "retention")[0] == clock.now
    assert first.run_if_leader("retention") is None


def test_the_scheduler_has_fixed_ids_coalesce_one_instance_and_grace(app):
    process = SchedulerProcess(app, holder="test")
    scheduler = process.build(BackgroundScheduler)
    scheduler.start(paused=True)  # paused: nothing runs, but the jobs get their defaults
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {*job_ids(), HEARTBEAT_JOB_ID}
    rollup = {"monitor_rollup"} if registry._monitor_rollup() is not None else set()
    assert set(job_ids()) == {
        "escalate_unmatched",
        "remind_day_before",
        "remind_activities",
        "followup_reminders",
        "weekly_next_occurrence",
        "expire_stale_requests",
        "weekly_digest",
        "retention",
        *rollup,
    }
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"]
    assert str(jobs["weekly_digest"].trigger.timezone) == "Europe/Amsterdam"
