"""The monitor at national scale: bulk-load activity, rebuild the roll-ups, time the pages.

Seeds --initiatives initiatives (1,500 by default) with --years years of activity (about
1,330 events per initiative and year: ~10M for the defaults) into a fresh SQLite file, or
into a scratch PostgreSQL database with --postgresql (needs TEST_DATABASE_URL; created here
and dropped afterwards). Then it times rebuild_rollups() and an incremental
update_rollups(), and requests the national monitor (figures recomputed every time: its
cache is emptied first) and random initiatives' figure pages through Flask's test client
(in process, no HTTP), as a coordinator of every initiative.

    .venv/bin/python bench/monitor.py --initiatives 1500 --years 5 --json
    .venv/bin/python bench/monitor.py --initiatives 100 --years 2      # a quick run
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from monitor_data import (  # noqa: E402
    COLUMNS,
    Ids,
    activity_rows,
    areas,
    coordinator_row,
    initiative_rows,
    sqlite_value,
)

from buurthulp.accounts.login_sessions import session_start  # noqa: E402
from buurthulp.accounts.models import User  # noqa: E402
from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402
from buurthulp.monitor.rollup import rebuild_rollups, update_rollups  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)
ORDER = list(COLUMNS)  # parents before children
FLUSH_ROWS = 200_000


def write(buffers: dict, dialect: str) -> None:
    raw = db.engine.raw_connection()
    cur = raw.cursor()
    for table in ORDER:
        rows = buffers[table]
        if not rows:
            continue
        columns = COLUMNS[table]
        if dialect == "sqlite":
            marks = ",".join("?" * len(rows[0]))
            cur.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                [tuple(sqlite_value(v) for v in row) for row in rows],
            )
        else:
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        rows.clear()
    raw.commit()
    raw.close()


def load(initiatives: int, years: int, seed: int) -> int:
    rng = random.Random(seed)
    dialect = db.engine.dialect.name
    places = areas()
    ids = Ids()
    coordinator = ids.next("user")
    buffers = {t: [] for t in ORDER}
    buffers["users"].append(coordinator_row(coordinator, NOW))
    events = 0
    for n in range(1, initiatives + 1):
        area = rng.choice(places)
        for table, rows in initiative_rows(n, area, NOW, rng).items():
            buffers[table] += rows
        for table, rows in activity_rows(n, area, ids, NOW, years, rng, coordinator).items():
            buffers[table] += rows
            if table != "users":
                events += len(rows)
        if sum(len(b) for b in buffers.values()) > FLUSH_ROWS:
            write(buffers, dialect)
    write(buffers, dialect)
    if dialect == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return events


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) > 1 else samples[0] * 1000


def time_pages(app, initiatives: int, requests: int, seed: int) -> dict:
    rng = random.Random(seed)
    client = app.test_client()
    with app.app_context():
        token = session_start(user=db.session.get(User, 1), remember=False)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    national, initiative = [], []
    year = NOW.year
    for n in range(requests):
        app.extensions.pop("monitor_national", None)  # measure the figures, not the cache
        started = time.perf_counter()
        response = client.get(f"/monitor?jaar={year - n % 2}")
        national.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        started = time.perf_counter()
        response = client.get(f"/cijfers/{rng.randint(1, initiatives)}?jaar={year}")
        initiative.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    started = time.perf_counter()
    for _ in range(requests):
        client.get(f"/monitor?jaar={year}")
    cached = (time.perf_counter() - started) / requests
    return {
        "national_p95_ms": round(p95(national), 1),
        "national_median_ms": round(statistics.median(national) * 1000, 1),
        "national_cached_mean_ms": round(cached * 1000, 1),
        "initiative_p95_ms": round(p95(initiative), 1),
        "initiative_median_ms": round(statistics.median(initiative) * 1000, 1),
    }


def run(url: str, args) -> dict:
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        events = load(args.initiatives, args.years, args.seed)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        rebuild_rollups(NOW)
        rebuild_s = time.perf_counter() - started
        started = time.perf_counter()
        update_rollups(NOW)
        update_s = time.perf_counter() - started
        period_rows = db.session.execute(text("SELECT count(*) FROM monitor_periods")).scalar()
    result = {
        "database": make_url(url).get_backend_name(),
        "initiatives": args.initiatives,
        "years": args.years,
        "events": events,
        "load_s": round(load_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "nightly_update_s": round(update_s, 1),
        "period_rows": period_rows,
        **time_pages(app, args.initiatives, args.requests, args.seed),
    }
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return result


def postgres(args) -> dict:
    base = os.environ["TEST_DATABASE_URL"]
    name = f"bench_monitor_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return run(make_url(base).set(database=name).render_as_string(hide_password=False), args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=1500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100, help="page requests of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgresql", action="store_true", help="use TEST_DATABASE_URL")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    if args.postgresql:
        result = postgres(args)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(f"sqlite:///{tmp}/bench.sqlite", args)
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
