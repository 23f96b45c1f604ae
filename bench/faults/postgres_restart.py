"""PostgreSQL restarted under load: requests in flight fail with the Dutch 503 page, no
acknowledged help request is missing afterwards, none is stored twice although the
residents send a failed post again from the 503 page, and the app recovers by itself.

A private cluster and gunicorn processes (one gthread worker each, BUURTHULP_ENV=production)
on free ports; residents log in and keep reading Dichtbij and posting requests while this
script restarts the cluster (`pg_ctl restart -m fast`) `--restarts` times.

    .venv/bin/python bench/faults/postgres_restart.py --json

Exits non-zero when an acknowledged request is missing or stored twice, a 500 or other
error appears, or the app did not serve successes again within `--recovery-limit` seconds
of a restart.
"""

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults import web_client  # noqa: E402
from bench.faults.harness import Gunicorn, PrivatePostgres, app_env, running  # noqa: E402


def recovery_seconds(tally: web_client.Tally, restarted_at: float) -> float | None:
    """From the moment the restart command returned to the first success after it."""
    later = [t for t in tally.success_times if t >= restarted_at]
    return round(min(later) - restarted_at, 2) if later else None


def wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def run(args) -> dict:
    postgres = PrivatePostgres()
    with running(postgres):
        emails = web_client.seed(postgres.url, args.residents)
        servers = [Gunicorn(app_env(postgres.url)) for _ in range(args.processes)]
        with running(*servers):
            tally = web_client.Tally()
            residents = [
                web_client.Resident(servers[n % len(servers)].base, email, tally, str(n))
                for n, email in enumerate(emails)
            ]
            stop = threading.Event()
            threads = web_client.drive(residents, stop)
            recoveries, windows = [], []
            try:
                wait_until(lambda: all(r.logged_in for r in residents), timeout=120)
                for _ in range(args.restarts):
                    time.sleep(args.between)
                    started = time.monotonic()
                    postgres.restart()
                    done = time.monotonic()
                    windows.append(round(done - started, 2))
                    wait_until(lambda d=done: recovery_seconds(tally, d) is not None, 60)
                    recoveries.append(recovery_seconds(tally, done))
                    time.sleep(args.after)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=35)
            logs = "".join(server.log_text() for server in servers)
            if args.keep_log:
                Path(args.keep_log).write_text(logs)
        missing = web_client.missing_requests(postgres.url, dict(tally.acknowledged))
        duplicates = web_client.duplicate_requests(postgres.url)
    return {
        "requests_sent": tally.sent,
        "successes": tally.successes,
        "clean_503": tally.clean_503,
        "other_errors": len(tally.other_errors),
        "other_error_samples": sorted(set(tally.other_errors))[:10],
        "acknowledged_posts": len(tally.acknowledged),
        "missing_after": len(missing),
        "resent_from_503_page": tally.resent,
        "resent_already_stored": tally.already_posted,
        "duplicates_after": int(duplicates),
        "restarts": args.restarts,
        "restart_seconds": windows,
        "recovery_seconds": recoveries,
        "tracebacks_in_logs": logs.count("Traceback"),
        "unavailable_in_logs": logs.count("database unavailable"),
        "status_500_in_logs": logs.count("unhandled error"),
    }


def failed(result: dict, recovery_limit: float) -> list[str]:
    problems = []
    if result["missing_after"]:
        problems.append(f"{result['missing_after']} acknowledged requests are missing")
    if result["duplicates_after"]:
        problems.append(f"{result['duplicates_after']} requests were stored twice")
    if result["other_errors"]:
        problems.append(f"{result['other_errors']} requests failed otherwise than a clean 503")
    if result["status_500_in_logs"]:
        problems.append("a 500 was logged")
    if any(r is None or r > recovery_limit for r in result["recovery_seconds"]):
        problems.append(f"no recovery within {recovery_limit} s: {result['recovery_seconds']}")
    if not result["acknowledged_posts"]:
        problems.append("nothing was posted: the load did not run")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=6)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--between", type=float, default=4.0, help="seconds of load before each")
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load after recovery")
    parser.add_argument("--recovery-limit", type=float, default=10.0)
    parser.add_argument("--keep-log", help="write the gunicorn logs to this file")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    result = run(args)
    problems = failed(result, args.recovery_limit)
    result["ok"] = not problems
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if args.json:
        print(json.dumps(result))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
