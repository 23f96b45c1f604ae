"""Redis stopped: the site keeps working, realtime degrades to `sync` and reload, and the
login limit still applies (from each process's memory).

A private PostgreSQL cluster and redis-server, two gunicorn processes with REDIS_URL
(BUURTHULP_ENV=production). Residents read Dichtbij and post requests with Redis up, then
with it stopped, then after it is back. A Socket.IO client on process 1 waits for events
that this script pushes as the scheduler does (write-only, through Redis).

    .venv/bin/python bench/faults/redis_down.py --json

Exits non-zero on any failed page or post while Redis is down, a login limit that does not
trigger, an event that does not arrive by `sync` while Redis is down, or live delivery
that does not come back within `--recovery-limit` seconds.
"""

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import requests  # noqa: E402

from bench.faults import web_client  # noqa: E402
from bench.faults.harness import (  # noqa: E402
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    app_env,
    running,
)


class Pusher:
    """Pushes events the way the scheduler process does: stored, then emitted via Redis."""

    def __init__(self, env: dict[str, str]) -> None:
        from buurthulp.app import create_app

        self.app = create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": env["SECRET_KEY"],
                "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                "REDIS_URL": env["REDIS_URL"],
                "SOCKETIO_CHANNEL": env["SOCKETIO_CHANNEL"],
                "SOCKETIO_WRITE_ONLY": True,
            }
        )

    def push(self, user_id: int, n: int) -> int:
        from buurthulp.extensions import db
        from buurthulp.realtime import stream

        with self.app.app_context():
            event_id = stream.push(user_id, "notice", {"n": n}, title=f"Melding {n}").id
            db.session.remove()
        return event_id

    def user_id(self, email: str) -> int:
        from sqlalchemy import select

        from buurthulp.accounts.models import User
        from buurthulp.extensions import db

        with self.app.app_context():
            return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


class Page:
    """A logged-in page with realtime.js's behaviour: last id, live events, `sync`."""

    def __init__(self, base: str, resident: web_client.Resident) -> None:
        import socketio

        self.received: dict[int, float] = {}
        self.last_id = 0
        self.client = socketio.Client(reconnection=True)
        self.client.on("event", self._on_event)
        cookie = "; ".join(f"{c.name}={c.value}" for c in resident.http.cookies)
        self.client.connect(
            base,
            headers={"Cookie": cookie},
            auth=lambda: {"last_id": self.last_id},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _on_event(self, event: dict) -> None:
        self.received.setdefault(event["id"], time.monotonic())
        self.last_id = max(self.last_id, event["id"])

    def wait_for(self, event_id: int, timeout: float) -> float | None:
        """Seconds until `event_id` arrived (from now), or None."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if event_id in self.received:
                return round(max(0.0, self.received[event_id] - start), 3)
            time.sleep(0.02)
        return None

    def sync(self) -> dict:
        return self.client.call("sync", {"last_id": self.last_id}, timeout=10)


def load_phase(residents, seconds: float) -> web_client.Tally:
    tally = web_client.Tally()
    for resident in residents:
        resident.tally = tally
    stop = threading.Event()
    threads = web_client.drive(residents, stop)
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    return tally


def login_limit_statuses(base: str, email: str, attempts: int) -> list[int]:
    http = requests.Session()
    statuses = []
    for _ in range(attempts):
        page = http.get(base + "/inloggen", timeout=10)
        for cookie in http.cookies:
            cookie.secure = False
        token = web_client.CSRF.search(page.text).group(1)
        data = {"csrf_token": token, "email": email, "password": "Verkeerd-wachtwoord-1"}
        statuses.append(http.post(base + "/inloggen", data=data, timeout=10).status_code)
    return statuses


def phase_figures(tally: web_client.Tally) -> dict:
    return {
        "requests_sent": tally.sent,
        "successes": tally.successes,
        "clean_503": tally.clean_503,
        "other_errors": len(tally.other_errors),
        "acknowledged_posts": len(tally.acknowledged),
        "error_samples": sorted(set(tally.other_errors))[:5],
    }


def run(args) -> dict:
    postgres, redis = PrivatePostgres(), PrivateRedis()
    result: dict = {}
    with running(postgres, redis):
        emails = web_client.seed(postgres.url, args.residents + 1)
        env = app_env(postgres.url, redis.url)
        servers = [Gunicorn(env) for _ in range(2)]
        with running(*servers):
            residents = [
                web_client.Resident(servers[n % 2].base, email, web_client.Tally(), str(n))
                for n, email in enumerate(emails[1:])
            ]
            watcher = web_client.Resident(servers[0].base, emails[0], web_client.Tally(), "w")
            assert watcher.log_in(), "the watching resident could not log in"
            pusher = Pusher(env)
            watcher_id = pusher.user_id(emails[0])
            page = Page(servers[0].base, watcher)
            acknowledged: dict[int, str] = {}

            result["live_seconds_redis_up"] = page.wait_for(pusher.push(watcher_id, 1), 10)
            up = load_phase(residents, args.seconds)
            acknowledged.update(up.acknowledged)

            redis.stop()
            down = load_phase(residents, args.seconds)
            acknowledged.update(down.acknowledged)
            missed = pusher.push(watcher_id, 2)
            result["live_seconds_redis_down"] = page.wait_for(missed, 3)
            result["sync_redis_down"] = page.sync()
            result["arrived_by_sync"] = page.wait_for(missed, 5) is not None
            result["login_statuses_redis_down"] = login_limit_statuses(
                servers[0].base, emails[1], args.login_attempts
            )
            result["readyz_redis_down"] = requests.get(servers[1].base + "/readyz").status_code
            result["healthz_redis_down"] = requests.get(servers[1].base + "/healthz").status_code

            redis.start_on_same_port()
            back = time.monotonic()
            recovered = None
            while recovered is None and time.monotonic() - back < args.recovery_limit + 60:
                if page.wait_for(pusher.push(watcher_id, 3), 1) is not None:
                    recovered = round(time.monotonic() - back, 2)
            result["live_recovery_seconds"] = recovered
            result["readyz_redis_back"] = requests.get(servers[1].base + "/readyz").status_code
            after = load_phase(residents, args.seconds / 2)
            acknowledged.update(after.acknowledged)
            page.client.disconnect()
            logs = "".join(server.log_text() for server in servers)
        result["missing_after"] = len(web_client.missing_requests(postgres.url, acknowledged))
    result.update(redis_up=phase_figures(up), redis_down=phase_figures(down))
    result["redis_back"] = phase_figures(after)
    result["status_500_in_logs"] = logs.count("unhandled error")
    return result


def failed(result: dict, args) -> list[str]:
    problems = []
    for phase in ("redis_up", "redis_down", "redis_back"):
        figures = result[phase]
        if figures["clean_503"] or figures["other_errors"] or not figures["acknowledged_posts"]:
            problems.append(f"{phase}: pages or posts failed: {figures}")
    statuses = result["login_statuses_redis_down"]
    if 429 not in statuses or any(s == 500 for s in statuses):
        problems.append(f"login limit with Redis down: {statuses}")
    if not result["arrived_by_sync"]:
        problems.append("an event pushed while Redis was down did not arrive by sync")
    if result["live_seconds_redis_up"] is None:
        problems.append("no live delivery with Redis up")
    recovery = result["live_recovery_seconds"]
    if recovery is None or recovery > args.recovery_limit:
        problems.append(f"live delivery not back within {args.recovery_limit} s: {recovery}")
    if result["missing_after"] or result["status_500_in_logs"]:
        problems.append("acknowledged requests missing or a 500 logged")
    if result["readyz_redis_down"] != 503 or result["healthz_redis_down"] != 200:
        problems.append("/readyz should say 503 and /healthz 200 while Redis is down")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6.0, help="load per phase")
    parser.add_argument("--login-attempts", type=int, default=12)
    parser.add_argument("--recovery-limit", type=float, default=20.0)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    result = run(args)
    problems = failed(result, args)
    result["ok"] = not problems
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if args.json:
        print(json.dumps(result))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
