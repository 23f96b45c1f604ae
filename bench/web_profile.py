"""CPU per request of one page, in process, on the bench database: where the time goes.

Signs in --users residents of the bench database (see web.py; seed it first), then requests
the page --requests times through the app's WSGI callable, each time as another resident,
with production settings, and prints the CPU ms per request (time.process_time, which does
not count waiting for PostgreSQL and stays valid on a busy machine) and, with --profile,
cProfile's top functions by cumulative time.

    .venv/bin/python bench/web_profile.py --path /dichtbij --requests 500 --profile
"""

import argparse
import cProfile
import pstats
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_seed  # noqa: E402
import web_users  # noqa: E402

from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/dichtbij")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--filter", default="", help="only functions whose path matches")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key, e.g. tottime")
    parser.add_argument("--callers", default="", help="also print the callers of these functions")
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="buurthulp_bench")
    args = parser.parse_args()
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": web_seed.database_url(args.server, args.database),
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_OUTBOX_DIR": None,
        }
    )
    with app.app_context():
        people = web_users.residents(args.users)
        cookies = web_users.cookies_for(app, [uid for uid, _ in people])
        db.session.remove()
    client = app.test_client()
    jar = [c.split("=", 1)[1] for c, _ in cookies.values()]

    def one(n: int) -> None:
        client.set_cookie("session", jar[n % len(jar)])
        reply = client.get(
            args.path,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
            headers={"User-Agent": web_users.USER_AGENT},
        )
        if reply.status_code != 200:
            raise SystemExit(f"{args.path}: {reply.status_code}")

    for n in range(min(50, args.requests)):  # warm caches, templates, statement cache
        one(n)
    # CPU time, not wall time: waiting for PostgreSQL (or for a busy machine) is not counted.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for n in range(args.requests):
        one(n)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per = 1000 / args.requests
    print(f"{args.path}: {cpu * per:.2f} CPU ms/request, {wall * per:.2f} wall ms/request")
    if profiler:
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(args.filter, args.top)
        if args.callers:
            stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
