"""The matcher's ranking: grid search against a naive baseline, measured in the same run.

Seeds N synthetic volunteers (one offer each, 1-3 categories, random weekly
availability) spread over the residential Dutch postcode centroids with up to
~700 m of jitter, into a fresh SQLite file and, when TEST_DATABASE_URL is set,
into a scratch PostgreSQL database (created here and dropped afterwards). Then
it times M random requests (top 10 within --radius km, one category) through
matching.search.search_ranked: candidate search, filters and scoring, in
process, without HTTP.

The naive baseline loads every active offer in the category and computes geopy's
geodesic distance to each; it takes seconds a request at 100k volunteers, so it
runs on a subset of the requests (printed). same_top10 compares every request's
top 10 with an exact scan: core.rank over every offer of the category in a
latitude/longitude box around the request, read without the grid.

    .venv/bin/python bench/matching.py --volunteers 100000 --requests 1000 --json
"""

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, create_engine, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402
from buurthulp.geo.distance import bounding_box, distance_km  # noqa: E402
from buurthulp.geo.grid import cell_of  # noqa: E402
from buurthulp.geo.postcodes import TABLE  # noqa: E402
from buurthulp.initiatives.models import (  # noqa: E402
    Initiative,
    InitiativeKind,
    LegalForm,
    Phase,
)
from buurthulp.listings.availability import FULL_WEEK  # noqa: E402
from buurthulp.listings.models import (  # noqa: E402
    Category,
    HelpOffer,
    HelpOfferCategory,
)
from buurthulp.matching import core, offer_search, search, search_pool, search_sql  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)
CATEGORIES = [str(c) for c in Category]
JITTER_DEG = 0.006  # ~700 m north-south, ~400 m east-west


def centroids() -> list[tuple[float, float]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [
            (float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(handle)
            if r["soort"] == "Adres"
        ]


def volunteer_rows(count: int, rng: random.Random):
    """(user row, offer row, category rows) per volunteer; ids start at 2 (1 is the requester)."""
    points, today = centroids(), NOW.date()
    for n in range(2, count + 2):
        base_lat, base_lon = rng.choice(points)
        lat = base_lat + rng.uniform(-JITTER_DEG, JITTER_DEG)
        lon = base_lon + rng.uniform(-JITTER_DEG, JITTER_DEG)
        paused = today + timedelta(days=3) if rng.random() < 0.05 else None
        user = (n, f"v{n}@bench.invalid", "x", "V", str(n), "Straat", "1", "1000AA", "Plaats")
        user += (lat, lon)
        offer = (n, 1, n, "Hulp", "", rng.randrange(1, FULL_WEEK + 1))
        offer += (rng.choice((2.0, 3.0, 5.0, 10.0)), rng.random() < 0.4, paused, 3, "nl")
        offer += (cell_of(lat, lon), "active", "Straat", "Plaats", lat, lon)
        categories = [(n, c) for c in rng.sample(CATEGORIES, rng.randint(1, 3))]
        yield user, offer, categories


USER_COLUMNS = (
    "id, email, password_hash, first_name, last_name, street_name, house_number, postcode,"
    " place, latitude, longitude"
)
OFFER_COLUMNS = (
    "id, initiative_id, volunteer_id, title, description, availability, max_distance_km,"
    " has_car, paused_until, weekly_cap, languages, grid_cell, status, street_name, place,"
    " latitude, longitude"
)


def _stamped(rows, extra):
    return [row + extra for row in rows]


def load_sqlite(count: int, seed: int) -> None:
    rng = random.Random(seed)
    raw = db.engine.raw_connection()
    cur = raw.cursor()
    cur.execute("PRAGMA journal_mode=OFF")
    cur.execute("PRAGMA synchronous=OFF")
    stamp = NOW.replace(tzinfo=None).isoformat(sep=" ")
    users, offers, categories = [], [], []

    def flush():
        cur.executemany(
            f"INSERT INTO users ({USER_COLUMNS}, locale, is_platform_admin, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            _stamped(users, ("nl", 0, stamp)),
        )
        cur.executemany(
            f"INSERT INTO help_offers ({OFFER_COLUMNS}, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [o[:8] + (o[8] and o[8].isoformat(),) + o[9:] + (stamp, stamp) for o in offers],
        )
        cur.executemany("INSERT INTO help_offer_categories VALUES (?,?)", categories)
        users.clear(), offers.clear(), categories.clear()

    for user, offer, cats in volunteer_rows(count, rng):
        users.append(user), offers.append(offer), categories.extend(cats)
        if len(users) >= 100_000:
            flush()
    flush()
    raw.commit()
    offer_search.rebuild()
    db.session.commit()
    cur.execute("PRAGMA journal_mode=DELETE")
    cur.execute("PRAGMA synchronous=FULL")
    raw.close()


def load_postgresql(count: int, seed: int) -> None:
    """COPY, one table at a time; the rows are generated again (same seed) for each table,
    so that nothing the size of the data set is held in memory."""
    raw = db.engine.raw_connection()
    cur = raw.cursor()
    stamp = NOW.isoformat(sep=" ")

    def users(user, offer, cats):
        yield "\t".join(map(str, user + ("nl", "f", stamp)))

    def offers(user, offer, cats):
        paused = offer[8].isoformat() if offer[8] else "\\N"
        fields = offer[:7] + ("t" if offer[7] else "f", paused) + offer[9:] + (stamp, stamp)
        yield "\t".join(map(str, fields))

    def categories(user, offer, cats):
        for offer_id, category in cats:
            yield f"{offer_id}\t{category}"

    for sql, lines in (
        (f"COPY users ({USER_COLUMNS}, locale, is_platform_admin, created_at) FROM STDIN", users),
        (f"COPY help_offers ({OFFER_COLUMNS}, created_at, updated_at) FROM STDIN", offers),
        ("COPY help_offer_categories (offer_id, category) FROM STDIN", categories),
    ):
        with cur.copy(sql) as copy:
            chunk = []
            for row in volunteer_rows(count, random.Random(seed)):
                chunk.extend(lines(*row))
                if len(chunk) >= 20_000:
                    copy.write("\n".join(chunk) + "\n")
                    chunk.clear()
            if chunk:
                copy.write("\n".join(chunk) + "\n")
    raw.commit()
    offer_search.rebuild()
    db.session.commit()
    # What autovacuum would do soon after a load: statistics and the visibility map.
    raw.driver_connection.autocommit = True
    cur.execute("VACUUM ANALYZE")
    raw.close()


def seed_common() -> None:
    """The initiative and the requester (user 1)."""
    db.session.add(
        Initiative(
            id=1,
            name="Bench",
            slug="bench",
            kind=InitiativeKind.NEIGHBOUR_HELP,
            municipality="Utrecht",
            province="Utrecht",
            legal_form=LegalForm.ASSOCIATION,
            phase=Phase.ACTIVE,
        )
    )
    db.session.execute(
        text(
            f"INSERT INTO users ({USER_COLUMNS}, locale, is_platform_admin, created_at) VALUES"
            " (1, 'r@bench.invalid', 'x', 'R', 'R', 'S', '1', '1000AA', 'P', 52, 5, 'nl',"
            " false, :now)"
        ),
        {"now": NOW.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else NOW},
    )
    db.session.commit()


def random_specs(count: int, radius: float, rng: random.Random) -> list[core.RequestSpec]:
    points = centroids()
    specs = []
    for n in range(count):
        lat, lon = rng.choice(points)
        specs.append(
            core.RequestSpec(
                request_id=n,
                requester_id=1,
                category=rng.choice(CATEGORIES),
                latitude=lat + rng.uniform(-JITTER_DEG, JITTER_DEG),
                longitude=lon + rng.uniform(-JITTER_DEG, JITTER_DEG),
                radius_km=radius,
                window_mask=core.request_window(
                    on_date=None,
                    time_from=None,
                    time_until=None,
                    flexible_days=rng.randrange(0, 7),
                    today=NOW.date(),
                )
                if n % 2
                else core.request_window(
                    on_date=NOW.date() + timedelta(days=rng.randrange(7)),
                    time_from=None,
                    time_until=None,
                    flexible_days=None,
                    today=NOW.date(),
                ),
                needs_car=rng.random() < 0.15,
            )
        )
    return specs


def _offer_rows_in_box(spec: core.RequestSpec, box=None):
    """Active offers in the category, by latitude/longitude comparisons only (no grid)."""
    query = (
        select(*search.offer_columns())
        .join(
            HelpOfferCategory,
            and_(
                HelpOfferCategory.offer_id == HelpOffer.id,
                HelpOfferCategory.category == spec.category,
            ),
        )
        .where(HelpOffer.status == "active", HelpOffer.initiative_id == 1)
    )
    if box is not None:
        query = query.where(
            HelpOffer.latitude.between(box.min_lat, box.max_lat),
            HelpOffer.longitude.between(box.min_lon, box.max_lon),
        )
    return db.session.execute(query).all()


def exact_top10(spec: core.RequestSpec) -> list[int]:
    """core.rank over every offer of the category in a box that holds the whole radius."""
    rows = _offer_rows_in_box(
        spec, bounding_box(spec.latitude, spec.longitude, spec.radius_km * 1.02)
    )
    tasks, rates, blocked = search_sql.load_stats([r[1] for r in rows], spec.requester_id, NOW)
    category = frozenset({spec.category})
    candidates = [
        search_pool.candidate_from_row(
            r, category, tasks, rates, frozenset({1}) if r[1] in blocked else None
        )
        for r in rows
    ]
    return [r.candidate.offer_id for r in core.rank(spec, candidates, now=NOW)]


def naive_top10(spec: core.RequestSpec) -> list[int]:
    """The baseline: load every offer in the category, geodesic distance to each, sort."""
    today = NOW.date()
    found = []
    for row in _offer_rows_in_box(spec):
        _, volunteer_id, lat, lon, mask, max_km, car, paused, *_ = row
        if not mask & spec.window_mask or (spec.needs_car and not car):
            continue
        if paused is not None and paused >= today:
            continue
        km = distance_km((spec.latitude, spec.longitude), (lat, lon))
        if km <= min(max_km, spec.radius_km):
            found.append((km, row[0]))
    found.sort()
    return [offer_id for _, offer_id in found[:10]]


def percentiles(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)

    def at(q):
        return round(ms[min(len(ms) - 1, int(q * len(ms)))], 3)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "n": len(ms)}


def measure(specs, *, with_naive: int) -> dict:
    for spec in specs[:20]:  # warm the statement cache and the page cache
        search.search_ranked(spec, initiative_id=1, now=NOW)
    times, same = [], True
    for spec in specs:
        db.session.expunge_all()
        start = time.perf_counter()
        ranked = search.search_ranked(spec, initiative_id=1, now=NOW)
        times.append(time.perf_counter() - start)
        if [r.candidate.offer_id for r in ranked] != exact_top10(spec):
            same = False
    result = percentiles(times) | {"same_top10": same}
    if with_naive:
        naive_times = []
        for spec in specs[:with_naive]:
            start = time.perf_counter()
            naive_top10(spec)
            naive_times.append(time.perf_counter() - start)
        result["naive"] = percentiles(naive_times)
    return result


def run(url: str, label: str, args, *, with_naive: int) -> dict:
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        seed_common()
        start = time.perf_counter()
        loader = load_sqlite if db.engine.dialect.name == "sqlite" else load_postgresql
        loader(args.volunteers, args.seed)
        load_s = time.perf_counter() - start
        specs = random_specs(args.requests, args.radius, random.Random(args.seed + 1))
        result = measure(specs, with_naive=with_naive) | {"load_s": round(load_s, 1)}
        db.session.remove()
        db.engine.dispose()
    print(f"{label}: {json.dumps(result)}", file=sys.stderr if args.json else sys.stdout)
    return result


def run_postgresql(base_url: str, args) -> dict:
    name = f"buurthulp_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        return run(url, f"postgresql ({name}, dropped afterwards)", args, with_naive=0)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--radius", type=float, default=5.0, help="request radius in km")
    parser.add_argument(
        "--naive-requests",
        type=int,
        help="requests for the naive baseline (default: all up to 10k volunteers, fewer above)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    naive_n = args.naive_requests or max(3, min(args.requests, 1_000_000 // args.volunteers))
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = run(
            f"sqlite:///{Path(tmp) / 'bench.sqlite'}", "sqlite (file)", args, with_naive=naive_n
        )
    naive = sqlite.pop("naive")
    summary = {
        "volunteers": args.volunteers,
        "requests": args.requests,
        "radius_km": args.radius,
        "sqlite": sqlite,
        "naive": naive | {"note": f"naive baseline ran on {naive['n']} of the requests"},
    }
    same = sqlite["same_top10"]
    if os.environ.get("TEST_DATABASE_URL"):
        summary["postgresql"] = run_postgresql(os.environ["TEST_DATABASE_URL"], args)
        same = same and summary["postgresql"]["same_top10"]
    summary["speedup_p95"] = round(naive["p95_ms"] / sqlite["p95_ms"], 1)
    summary["same_top10"] = same
    summary["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if not args.json:
        for key in ("sqlite", "postgresql", "naive"):
            if key in summary:
                row = summary[key]
                print(
                    f"{key:11} p50 {row['p50_ms']:>9} ms  p95 {row['p95_ms']:>9} ms"
                    f"  p99 {row['p99_ms']:>9} ms  (n={row['n']})"
                )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
