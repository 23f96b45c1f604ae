"""Two real `flask scheduler run` processes on one database: the second stands by, and
takes the lease only after the first died and its lease ran out."""

import os
import signal
import subprocess
import sys
import time

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.scheduler.models import SchedulerLease
from tests.conftest import PROJECT_ROOT

LEASE_SECONDS = 2


def start_scheduler(database_url: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "BUURTHULP_ENV": "development",
        "DATABASE_URL": database_url,
        "SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def lease(app) -> SchedulerLease | None:
    with app.app_context():
        row = db.session.get(SchedulerLease, "scheduler")
        if row is not None:
            db.session.expunge(row)
        db.session.remove()
        return row


def wait_for_holder(app, pid: int, timeout: float = 30) -> SchedulerLease:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = lease(app)
        if row is not None and f":{pid}:" in row.holder:
            return row
        time.sleep(0.2)
    raise AssertionError(f"process {pid} never took the lease: {row and row.holder}")


def test_standby_scheduler_takes_over_when_the_holder_dies(app, database_url, tmp_path):
    with app.app_context():
        db.engine.dispose()
    logs = [open(tmp_path / f"scheduler{n}.log", "wb") for n in (1, 2)]  # noqa: SIM115
    first = start_scheduler(database_url, logs[0])
    second = None
    try:
        wait_for_holder(app, first.pid)
        second = start_scheduler(database_url, logs[1])
        time.sleep(LEASE_SECONDS + 2)  # several heartbeats of both
        assert f":{first.pid}:" in lease(app).holder
        first.send_signal(signal.SIGKILL)  # no goodbye
        first.wait(timeout=10)
        # Same host, process gone: taken over without waiting for the lease to run out
        # (scheduler.holders; a holder on another host lapses by time, test_lease.py).
        wait_for_holder(app, second.pid)
        second.send_signal(signal.SIGTERM)  # a clean stop gives the lease up
        assert second.wait(timeout=20) == 0, (tmp_path / "scheduler2.log").read_text()[-2000:]
        # Its lease would have run for up to LEASE_SECONDS more; it ended at the stop.
        assert lease(app).expires_at <= utcnow()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        for log in logs:
            log.close()
