"""A job killed with SIGKILL mid-run (`flask scheduler run-job` in a process of its own):
the next run, started at once, finds the dead run's lock free and sends exactly what was
still owed: every reminder once, as a mail and a notification, none twice. On a file
SQLite database and, with TEST_DATABASE_URL, on PostgreSQL. bench/faults/scheduler_kill.py
does the same at scale and adds the scheduler lease."""

import json
import signal
import time

import pytest

from bench.faults import scheduler_kill
from buurthulp.extensions import db
from buurthulp.scheduler.holders import holder_is_gone, new_holder

MATCHES = 24


@pytest.fixture
def app_settings():
    return {}


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


def test_only_a_holder_on_this_host_whose_process_ended_counts_as_gone():
    import subprocess
    import sys

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    mine = new_holder()
    host = mine.split(":")[0]
    assert holder_is_gone(f"{host}:{ended.pid}:abcd1234")
    assert not holder_is_gone(mine)  # this process
    assert not holder_is_gone(f"{host}:1:abcd1234")  # alive (init)
    assert not holder_is_gone(f"een-andere-host:{ended.pid}:abcd1234")
    assert not holder_is_gone(None) and not holder_is_gone("onleesbaar")


def test_a_killed_child_that_was_not_reaped_yet_counts_as_gone():
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        child.send_signal(signal.SIGKILL)
        time.sleep(0.2)  # dead, not yet waited for: a zombie
        host = new_holder().split(":")[0]
        assert holder_is_gone(f"{host}:{child.pid}:abcd1234")
    finally:
        child.wait()
