"""The scheduler killed mid-job: the next run completes the work, once.

`--matches` agreed matches are due tomorrow, so the reminder job owes two reminders per
match (a mail in MAIL_OUTBOX_DIR and an in-app notification each). This script runs
`flask scheduler run-job remind_day_before` as production does (its own process,
BUURTHULP_ENV=production, a private PostgreSQL cluster), SIGKILLs it when part of the
mail is out, runs it again at once, and counts: mails, distinct Message-IDs, delivery
records, notifications. Then the same for `flask scheduler run`'s lease: a scheduler
killed with SIGKILL, and how soon a successor holds the lease.

    .venv/bin/python bench/faults/scheduler_kill.py --json

Exits non-zero on a duplicate or missing reminder, a second run that did nothing because
the dead run's lock was still held, or a lease not taken over within `--lease-limit` s.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults.harness import ROOT, VENV_BIN, PrivatePostgres, app_env, running  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in the Netherlands
TOMORROW = date(2026, 11, 24)
JOB = "remind_day_before"


def seed_matches(database_url: str, matches: int) -> None:
    """`matches` accepted matches of requests due TOMORROW (the schema first, if needed)."""
    from buurthulp.app import create_app
    from buurthulp.extensions import db
    from buurthulp.listings.models import RequestStatus
    from buurthulp.matching.models import Match, MatchStatus
    from tests.factories import Factories

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    make = Factories(app)
    with app.app_context():
        db.create_all()
    initiative = make.initiative(name="Burenhulp Herinnering")
    people = [make.user(initiative=initiative, email=f"h{n}@example.nl") for n in range(10)]
    requests = [
        make.help_request(
            requester=people[n % 5], initiative=initiative, on_date=TOMORROW, title=f"Klus {n}"
        )
        for n in range(matches)
    ]
    with app.app_context():
        for n, help_request in enumerate(requests):
            db.session.add(
                Match(
                    request_id=help_request.id,
                    volunteer_id=people[5 + n % 5].id,
                    status=MatchStatus.ACCEPTED,
                )
            )
            db.session.get(type(help_request), help_request.id).status = RequestStatus.MATCHED
        db.session.commit()
        db.engine.dispose()


def job_env(database_url: str, outbox: Path) -> dict[str, str]:
    return app_env(database_url, MAIL_OUTBOX_DIR=str(outbox), FLASK_APP="wsgi:app")


def start_job(env: dict[str, str]) -> subprocess.Popen:
    command = [str(VENV_BIN / "flask"), "scheduler", "run-job", JOB, "--now", NOW.isoformat()]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def mails(outbox: Path) -> list[str]:
    return sorted(outbox.glob("*.eml")) if outbox.is_dir() else []


def kill_when(process: subprocess.Popen, outbox: Path, at_least: int, timeout: float) -> int:
    """SIGKILL the job once `at_least` mails are out; returns how many were out then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        out = len(mails(outbox))
        if out >= at_least:
            process.send_signal(signal.SIGKILL)
            process.communicate()  # reaps it and closes its pipes
            return out
        time.sleep(0.005)
    raise RuntimeError(f"the job ended before {at_least} mails were out: {process.poll()}")


def count_outcome(database_url: str, outbox: Path) -> dict:
    from sqlalchemy import create_engine, text

    files = mails(outbox)
    ids = [message_from_bytes(f.read_bytes(), policy=policy.default)["Message-ID"] for f in files]
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            deliveries = conn.execute(
                text("SELECT count(*) FROM scheduler_deliveries WHERE job_id = :j"), {"j": JOB}
            ).scalar()
            notices = conn.execute(
                text("SELECT count(*), count(DISTINCT user_id || ':' || title) FROM events")
            ).one()
            lock = conn.execute(
                text("SELECT holder FROM scheduler_job_runs WHERE job_id = :j"), {"j": JOB}
            ).scalar()
    finally:
        engine.dispose()
    return {
        "mails": len(files),
        "distinct_message_ids": len(set(ids)),
        "deliveries": deliveries,
        "notifications": notices[0],
        "distinct_notifications": notices[1],
        "lock_left_held": lock is not None,
    }


def kill_and_rerun(database_url: str, outbox: Path, expected: int, kill_at: int) -> dict:
    env = job_env(database_url, outbox)
    first = start_job(env)
    out_at_kill = kill_when(first, outbox, kill_at, timeout=120)
    after_kill = count_outcome(database_url, outbox)
    started = time.monotonic()
    second = start_job(env)
    stdout, stderr = second.communicate(timeout=300)
    summary = json.loads(stdout.strip().splitlines()[-1]) if second.returncode == 0 else None
    return {
        "expected": expected,
        "mails_at_kill": out_at_kill,
        "after_kill": after_kill,
        "second_run_exit": second.returncode,
        "second_run_error": stderr.strip().splitlines()[-1:] if second.returncode else [],
        "second_run_sent": summary and summary.get("reminders"),
        "second_run_seconds": round(time.monotonic() - started, 2),
        "final": count_outcome(database_url, outbox),
    }


def lease_takeover(database_url: str, outbox: Path, limit: float) -> float | None:
    """Kill a running `flask scheduler run`; seconds until a successor holds the lease."""
    from sqlalchemy import create_engine, text

    env = job_env(database_url, outbox)
    env.update(SCHEDULER_HEARTBEAT_SECONDS="1", SCHEDULER_LEASE_SECONDS="120")
    engine = create_engine(database_url)

    def holder() -> str | None:
        with engine.connect() as conn:
            return conn.execute(text("SELECT holder FROM scheduler_leases")).scalar()

    def wait_for_holder(pid: int, timeout: float) -> float | None:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if (holder() or "").split(":")[1:2] == [str(pid)]:
                return time.monotonic() - start
            time.sleep(0.1)
        return None

    command = [str(VENV_BIN / "flask"), "scheduler", "run"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT, "env": env}
    first = subprocess.Popen(command, **quiet)
    successor = None
    try:
        if wait_for_holder(first.pid, 60) is None:
            raise RuntimeError("the first scheduler never took the lease")
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        successor = subprocess.Popen(command, **quiet)
        took = wait_for_holder(successor.pid, limit + 30)
        return None if took is None else round(time.monotonic() - killed, 2)
    finally:
        for process in (first, successor):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        engine.dispose()


def problems_of(result: dict, lease_limit: float) -> list[str]:
    run, expected, problems = result["kill"], result["kill"]["expected"], []
    final = run["final"]
    if run["second_run_exit"] != 0:
        problems.append(f"the second run did not run: {run['second_run_error']}")
    for name in ("mails", "distinct_message_ids", "deliveries", "notifications"):
        if final[name] != expected:
            problems.append(f"{name}: {final[name]}, expected exactly {expected}")
    if final["distinct_notifications"] != final["notifications"]:
        problems.append("a notification was stored twice")
    took = result["lease_takeover_seconds"]
    if took is None or took > lease_limit:
        problems.append(f"lease not taken over within {lease_limit} s: {took}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=300)
    parser.add_argument("--kill-at", type=int, default=100, help="mails out before SIGKILL")
    parser.add_argument("--lease-limit", type=float, default=15.0)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    postgres = PrivatePostgres()
    with running(postgres), tempfile.TemporaryDirectory() as tmp:
        seed_matches(postgres.url, args.matches)
        outbox = Path(tmp) / "outbox"
        result = {"kill": kill_and_rerun(postgres.url, outbox, 2 * args.matches, args.kill_at)}
        result["lease_takeover_seconds"] = lease_takeover(postgres.url, outbox, args.lease_limit)
    problems = problems_of(result, args.lease_limit)
    result["ok"] = not problems
    for key, value in result["kill"].items():
        print(f"{key:>20}: {value}")
    print(f"{'lease_takeover_s':>20}: {result['lease_takeover_seconds']}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if args.json:
        print(json.dumps(result))
    return 1 if problems else 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
