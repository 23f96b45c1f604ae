"""A job killed with SIGKILL mid-run (`flask scheduler run-job` in a process of its own):
the next run, started at once, finds the dead run's lock free and sends exactly what was
still owed: every reminder once, as a mail and a notification, none twice. On a file
SQLite database and, with TEST_DATABASE_URL, on PostgreSQL. bench/faults/scheduler_kill.py
does the same at scale and adds the scheduler lease."""

import json
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from bench.faults import scheduler_kill
from buurthulp.extensions import db
from buurthulp.scheduler.holders import holder_is_gone, new_holder
from buurthulp.scheduler.job_locks import job_lock_acquire
from buurthulp.scheduler.jobs import expiry
from buurthulp.scheduler.lease import lease_acquire
from tests.scheduler.conftest import NOW, at, wait_for_mail

MATCHES = 24
HOUR = timedelta(hours=1)


@pytest.fixture
def ended_holder() -> str:
    """The holder name of a process on this host that has ended."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return f"{new_holder().split(':')[0]}:{ended.pid}:abcd1234"


def test_the_next_run_completes_the_work_once(app, database_url, tmp_path):
    with app.app_context():
        db.engine.dispose()  # the seeding and the job processes use their own connections
    scheduler_kill.seed_matches(database_url, MATCHES)
    outbox = tmp_path / "outbox"
    env = scheduler_kill.job_env(database_url, outbox)

    first = scheduler_kill.start_job(env)
    out_at_kill = scheduler_kill.kill_when(first, outbox, at_least=8, timeout=60)
    assert first.returncode == -signal.SIGKILL
    killed = scheduler_kill.count_outcome(database_url, outbox)
    assert killed["lock_left_held"] and killed["mails"] >= out_at_kill
    assert killed["deliveries"] < 2 * MATCHES

    second = scheduler_kill.start_job(env)
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr[-2000:]
    sent = json.loads(stdout.strip().splitlines()[-1])["reminders"]
    final = scheduler_kill.count_outcome(database_url, outbox)
    assert sent == 2 * MATCHES - killed["deliveries"]
    assert final == {
        "mails": 2 * MATCHES,
        "distinct_message_ids": 2 * MATCHES,
        "deliveries": 2 * MATCHES,
        "notifications": 2 * MATCHES,
        "distinct_notifications": 2 * MATCHES,
        "lock_left_held": False,
    }


def test_only_a_holder_on_this_host_whose_process_ended_counts_as_gone(ended_holder):
    mine = new_holder()
    host, pid = ended_holder.split(":")[:2]
    assert holder_is_gone(ended_holder)
    assert not holder_is_gone(mine)  # this process
    assert not holder_is_gone(f"{host}:1:abcd1234")  # alive (init)
    assert not holder_is_gone(f"een-andere-host:{pid}:abcd1234")
    assert not holder_is_gone(None) and not holder_is_gone("onleesbaar")


def test_a_killed_child_that_was_not_reaped_yet_counts_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        child.send_signal(signal.SIGKILL)
        time.sleep(0.2)  # dead, not yet waited for: a zombie
        host = new_holder().split(":")[0]
        assert holder_is_gone(f"{host}:{child.pid}:abcd1234")
    finally:
        child.wait()


@pytest.mark.parametrize("state", ["ended", "alive"])
def test_a_killed_schedulers_lock_and_lease_are_taken_over_at_once(ctx, ended_holder, state):
    host = ended_holder.split(":")[0]
    holder = ended_holder if state == "ended" else f"{host}:1:abcd1234"  # pid 1 runs
    job = "remind_day_before"
    assert job_lock_acquire(job_id=job, holder=holder, now=NOW, max_runtime=HOUR)
    assert lease_acquire(holder=holder, now=NOW, ttl=HOUR)
    later = NOW + timedelta(seconds=1)  # long before either lapses
    taken = state == "ended"
    assert job_lock_acquire(job_id=job, holder="b", now=later, max_runtime=HOUR) is taken
    assert lease_acquire(holder="b", now=later, ttl=HOUR) is taken


def test_an_expiry_whose_mail_a_killed_run_never_sent_is_mailed_next_run(
    ctx, make, people, smtp_server
):
    request = make.help_request(
        requester=people.anna, initiative=people.initiative, flexible_days=7, created_at=at(-40)
    )
    assert expiry._expire(request.id, NOW) == 1  # committed; then the run was killed
    assert expiry.job(NOW + timedelta(minutes=5)) == {"expired": 0, "mailed": 1}
    assert expiry.job(NOW + timedelta(minutes=10)) == {"expired": 0, "mailed": 0}
    assert len(wait_for_mail(smtp_server, 1)) == 1
    # Long after (retention removed its delivery record), nothing is sent again.
    assert expiry.job(NOW + timedelta(days=30)) == {"expired": 0, "mailed": 0}
