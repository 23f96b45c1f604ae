"""The app under load: gunicorn processes on PostgreSQL and Redis, driven by wrk.

Seeds (once; reused while the sizes match, --reseed to load again) 100k residents in eight
initiatives, 30k offers and 200k requests of two years (done with a match, withdrawn,
expired, and some open) into the PostgreSQL database --database on --server (created
here; nothing else on the server is touched). Each run then signs in --users residents
(server-side sessions and cookies minted with the run's SECRET_KEY; see web_users.py),
creates fresh open requests with a pending invitation each, starts --processes gunicorn
processes (one gthread worker each, production settings from the environment; see
web_servers.py) and runs wrk against each endpoint in turn for --duration seconds after a
short warm-up:

  nearby  GET /dichtbij, the default Dichtbij page, every request another resident
  detail  GET /hulpvragen/<id>, an open request of the resident's initiative
  post    POST /hulpvragen/nieuw, a valid request (the matcher invites at once)
  accept  POST /uitnodigingen/<id>/aannemen, each invitation once, by its volunteer

wrk's Lua (web_load.lua) gives thread n the port n mod --processes, so each process gets the
same share of the --connections; it counts statuses. CPU ms/request is the gunicorn workers'
CPU time (/proc) over the run divided by its requests: unlike req/s it stays meaningful on
a machine shared with other work.

    .venv/bin/python bench/web.py --json
    .venv/bin/python bench/web.py --endpoint nearby --duration 20 --connections 32
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_seed  # noqa: E402
import web_servers  # noqa: E402
import web_users  # noqa: E402

from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402

ENDPOINTS = {"nearby": "get", "detail": "get", "post": "post_request", "accept": "accept"}
NEW_REQUEST = {
    "title": "Boodschappen doen",
    "description": "Melk, brood en koffie van de supermarkt om de hoek.",
    "category": "groceries",
    "when": "flexible",
    "flexible_days": "7",
    "urgency": "normal",
    "recurrence": "once",
}
LUA = Path(__file__).resolve().parent / "web_load.lua"


def ensure_seeded(args) -> str:
    sizes = {"residents": args.residents, "offers": args.offers, "requests": args.requests}
    # A database seeded under an older schema is loaded again.
    sizes["schema"] = web_seed.schema_head()
    sizes["seed"] = web_seed.SEED_VERSION
    url = web_seed.database_url(args.server, args.database)
    if not args.reseed and web_seed.stored_sizes(args.server, args.database) == sizes:
        log(args, f"reusing {args.database} ({sizes})")
        return url
    log(args, f"seeding {args.database} with {sizes} ...")
    start = time.perf_counter()
    web_seed.recreate_database(args.server, args.database)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        web_seed.seed(sizes, random.Random(args.seed))
        db.session.remove()
        web_seed.mark_seeded(args.database, sizes)
        db.engine.dispose()
    log(args, f"seeded in {time.perf_counter() - start:.0f} s")
    return url


def prepare_targets(
    args, url: str, env: dict, directory: Path, invitations: int
) -> dict[str, Path]:
    """Sessions, cookies and invitations for this run, signed with the run's SECRET_KEY."""
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": env["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": url,
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        found = web_users.targets(app, users=args.users, invitations=invitations, seed=args.seed)
        db.session.remove()
        db.engine.dispose()
    return web_users.write_targets(found, directory)


def run_wrk(args, servers, name: str, targets: Path, duration: float) -> dict:
    threads = len(servers.ports) * max(1, -(-2 // len(servers.ports)))
    env = {
        "BENCH_TARGETS": str(targets),
        "BENCH_PORTS": ",".join(map(str, servers.ports)),
        "BENCH_THREADS": str(threads),
        "BENCH_KIND": ENDPOINTS[name],
        "BENCH_BODY": urlencode(NEW_REQUEST),
        "BENCH_DELAY_MS": str(getattr(args, "delay_ms", 0)),
        "PATH": "/usr/bin:/bin",
    }
    command = ["wrk", "-t", str(threads), "-c", str(max(args.connections, threads))]
    command += ["-d", f"{duration:g}s", "--timeout", "5s", "-s", str(LUA)]
    command.append(f"http://127.0.0.1:{servers.ports[0]}/")
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    return json.loads(line[4:])


def measure(args, servers, name: str, targets: Path) -> dict:
    if args.warmup and name in ("nearby", "detail"):
        run_wrk(args, servers, name, targets, args.warmup)
    pids = servers.worker_pids()
    cpu_before = sum(web_servers.cpu_seconds(p) or 0 for p in pids)
    raw = run_wrk(args, servers, name, targets, args.duration)
    cpu = sum(web_servers.cpu_seconds(p) or 0 for p in pids) - cpu_before
    seconds = raw["duration_us"] / 1e6
    result = {
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors_5xx": raw["status_5xx"],
        "non_2xx_3xx": raw["status_4xx"] + raw["status_5xx"],
        "socket_errors": sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors")),
        "timeouts": raw["timeouts"],
        "requests": raw["requests"],
        "cpu_ms_per_request": round(cpu * 1000 / max(1, raw["requests"]), 2),
    }
    if name == "accept":
        result |= {"accepted": raw["accepted"], "refused": raw["refused"]}
    return result


def log(args, message: str) -> None:
    print(message, file=sys.stderr if args.json else sys.stdout, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before GET endpoints")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="gthread threads per process")
    parser.add_argument("--endpoint", action="append", choices=list(ENDPOINTS))
    parser.add_argument("--users", type=int, default=5000, help="signed-in residents")
    parser.add_argument("--invitations", type=int, help="fresh invitations (accept)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--residents", type=int, default=web_seed.SIZES["residents"])
    parser.add_argument("--offers", type=int, default=web_seed.SIZES["offers"])
    parser.add_argument("--requests", type=int, default=web_seed.SIZES["requests"])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="buurthulp_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8700, help="first gunicorn port")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.endpoint = args.endpoint or list(ENDPOINTS)
    args.invitations = args.invitations or int(400 * args.duration)
    return args


def main() -> None:
    args = parse_args()
    url = ensure_seeded(args)
    results = {}
    with tempfile.TemporaryDirectory(prefix="buurthulp-web-") as tmp:
        tmp = Path(tmp)
        env = web_servers.bench_env(url, args.redis, args.threads, tmp / "outbox")
        invitations = args.invitations if "accept" in args.endpoint else 0
        targets = prepare_targets(args, url, env, tmp, invitations)
        with web_servers.running(
            processes=args.processes, first_port=args.port, env=env, logs=tmp
        ) as servers:
            for name in args.endpoint:
                results[name] = measure(args, servers, name, targets[name])
                log(args, f"{name:7} {json.dumps(results[name])}")
        errors = sorted(tmp.glob("gunicorn-*.log"))
        tail = "".join(p.read_text(errors="replace")[-2000:] for p in errors)
        if any(r["errors_5xx"] for r in results.values()):
            log(args, f"gunicorn logs (end):\n{tail}")
    settings = {
        k: getattr(args, k)
        for k in ("duration", "warmup", "connections", "processes", "threads", "users")
    }
    settings |= {"sizes": web_seed.stored_sizes(args.server, args.database), "wrk": "4.1.0"}
    print(json.dumps({"endpoints": results, "settings": settings}))


if __name__ == "__main__":
    main()
