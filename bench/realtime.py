"""Realtime delivery: latency from a notification's push to its receipt by a browser-like
client, with N clients connected at once.

- single: N python-socketio clients on one server process (this one: a threaded
  Werkzeug server, as `flask run`), no message queue; this process pushes.
- redis: N clients on a gunicorn process (`-w 1 --threads`, as in production); this
  process is a second server and pushes through Redis (a channel of its own) to them.

Each round pushes one notification to every client's user through realtime.stream.push,
which stores the event (SQLite file) and emits it to the user's room. Latency runs from
the push call to the client's receipt, so it includes the database write. The clients
run in a child process (asyncio, aiohttp websockets) so they do not share this
process's interpreter lock with the server.

    .venv/bin/python bench/realtime.py --clients 500 --rounds 3 --json
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


# ---- the clients (child process) -------------------------------------------------------


async def run_clients(url: str, cookies: list[str], expected: int, idle: float) -> dict:
    import socketio

    latencies: list[float] = []
    last_arrival = [time.monotonic()]
    clients = []

    def on_event(event):
        latencies.append(time.time() - event["data"]["t"])
        last_arrival[0] = time.monotonic()

    async def connect(cookie: str):
        client = socketio.AsyncClient(reconnection=False)
        client.on("event", on_event)
        await client.connect(
            url, headers={"Cookie": f"session={cookie}"}, transports=["websocket"], wait_timeout=30
        )
        clients.append(client)

    for start in range(0, len(cookies), 50):  # in batches: a burst of handshakes queues up
        await asyncio.gather(*(connect(c) for c in cookies[start : start + 50]))
    print("ready", len(clients), flush=True)
    last_arrival[0] = time.monotonic()
    while len(latencies) < expected and time.monotonic() - last_arrival[0] < idle:
        await asyncio.sleep(0.05)
    await asyncio.gather(*(c.disconnect() for c in clients))
    return {"latencies": latencies}


def client_main() -> None:
    job = json.loads(sys.stdin.readline())
    result = asyncio.run(run_clients(job["url"], job["cookies"], job["expected"], job["idle"]))
    print(json.dumps(result), flush=True)


# ---- the pushing server (this process) -------------------------------------------------


def make_app(database_url: str, redis_url: str | None, channel: str):
    from buurthulp.app import create_app

    return create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "SOCKETIO_CHANNEL": channel,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def seed_users(app, count: int) -> tuple[list[int], list[str]]:
    """`count` users with a login session each; returns their ids and session cookies."""
    from buurthulp.accounts.login_sessions import session_start
    from buurthulp.accounts.models import User
    from buurthulp.extensions import db

    with app.app_context():
        db.create_all()
        users = [
            User(
                email=f"bench{n}@example.nl",
                password_hash="-",
                first_name="Bench",
                last_name=str(n),
                street_name="Diezerstraat",
                house_number="1",
                postcode="8011AB",
                place="Zwolle",
                latitude=52.51,
                longitude=6.09,
            )
            for n in range(count)
        ]
        db.session.add_all(users)
        db.session.flush()
        tokens = [session_start(user=u, remember=False) for u in users]
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = [serializer.dumps({"_user_id": t, "_fresh": True}) for t in tokens]
        return [u.id for u in users], cookies


def start_clients(url: str, cookies: list[str], expected: int) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, __file__, "--client-process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    job = {"url": url, "cookies": cookies, "expected": expected, "idle": 10}
    child.stdin.write(json.dumps(job) + "\n")
    child.stdin.flush()
    ready = child.stdout.readline().split()
    if not ready or ready[0] != "ready" or int(ready[1]) != len(cookies):
        child.kill()
        raise RuntimeError(f"clients did not connect: {ready}")
    return child


def push_rounds(app, user_ids: list[int], rounds: int) -> int:
    from buurthulp.realtime import stream

    sent = 0
    with app.app_context():
        for round_ in range(rounds):
            for user_id in user_ids:
                stream.push(user_id, "bench", {"t": time.time(), "round": round_})
                sent += 1
            time.sleep(0.5)
    return sent


def collect(child: subprocess.Popen, sent: int) -> dict:
    out, _ = child.communicate(timeout=300)
    latencies = sorted(json.loads(out.strip().splitlines()[-1])["latencies"])
    ms = [x * 1000 for x in latencies]

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p * len(ms)))], 2) if ms else float("nan")

    return {
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
        "delivered": len(ms),
        "sent": sent,
    }


def single_process(tmp: Path, clients: int, rounds: int) -> dict:
    from werkzeug.serving import make_server

    app = make_app(f"sqlite:///{tmp / 'single.sqlite'}", None, "unused")
    user_ids, cookies = seed_users(app, clients)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        child = start_clients(f"http://127.0.0.1:{port}", cookies, clients * rounds)
        sent = push_rounds(app, user_ids, rounds)
        return collect(child, sent)
    finally:
        server.shutdown()


def through_redis(tmp: Path, clients: int, rounds: int) -> dict:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    channel = f"buurthulp-bench-{uuid.uuid4().hex}"
    database_url = f"sqlite:///{tmp / 'redis.sqlite'}"
    app = make_app(database_url, REDIS_URL, channel)
    user_ids, cookies = seed_users(app, clients)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "BUURTHULP_"))}
    env.update(
        BUURTHULP_ENV="development",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SOCKETIO_CHANNEL=channel,
    )
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", str(clients + 50)]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_for_port(port)
        child = start_clients(f"http://127.0.0.1:{port}", cookies, clients * rounds)
        sent = push_rounds(app, user_ids, rounds)
        return collect(child, sent)
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="notifications per client")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--client-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_process:
        client_main()
        return
    import logging

    logging.disable(logging.WARNING)  # one log line per connection would drown the figures
    with tempfile.TemporaryDirectory() as tmp:
        single = single_process(Path(tmp), args.clients, args.rounds)
        print(f"single process, {args.clients} clients: {single}", flush=True)
        across = through_redis(Path(tmp), args.clients, args.rounds)
        print(f"two processes through Redis, {args.clients} clients: {across}", flush=True)
    summary = {
        "clients": args.clients,
        "rounds": args.rounds,
        "single": single,
        "redis": across,
        "delivered": single["delivered"] + across["delivered"],
        "sent": single["sent"] + across["sent"],
    }
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
