"""Dichtbij: the bounding-box query against a naive baseline, measured in the same run.

Seeds COUNT listings (half requests, half offers) for residents spread over four
provinces into a fresh SQLite file, and into a scratch PostgreSQL database when
--postgres is given (created on that server and dropped afterwards). Then, for a
few viewers and radii, it times listings.queries.nearby_listings (status,
initiative and a latitude/longitude box in SQL, exact geodesic distance for the
rest) against the naive way: load every open listing of the viewer's initiatives
and compute every distance. Both must return the same first page.

    .venv/bin/python bench/nearby.py
    .venv/bin/python bench/nearby.py --count 50000 --radius 1 5 25 --postgres \\
        postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

import argparse
import csv
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import joinedload, selectinload

from buurthulp.accounts.models import User
from buurthulp.app import create_app
from buurthulp.extensions import db
from buurthulp.geo.distance import distance_km
from buurthulp.geo.postcodes import TABLE, PostcodeArea, lookup_pc4
from buurthulp.initiatives.models import (
    Initiative,
    InitiativeKind,
    LegalForm,
    Membership,
    Phase,
)
from buurthulp.initiatives.permissions import member_initiative_ids
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    OfferStatus,
    Recurrence,
    RequestStatus,
)
from buurthulp.listings.queries import PER_PAGE, nearby_listings

PROVINCES = ("Overijssel", "Utrecht", "Noord-Holland", "Gelderland")
VIEWERS = (("Zwolle", "8011"), ("Amsterdam", "1017"), ("Utrecht", "3511"))
RESIDENTS_PER_LISTING = 0.2


def residential_areas() -> dict[str, list[PostcodeArea]]:
    """The residential 4-digit areas of each province, straight from the postcode table."""
    areas: dict[str, list[PostcodeArea]] = {p: [] for p in PROVINCES}
    with TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["soort"] == "Adres" and row["provincie"] in areas:
                areas[row["provincie"]].append(lookup_pc4(row["postcode"]))
    return areas


def seed(count: int, rng: random.Random) -> dict[str, int]:
    """Initiatives (one per province), residents and listings; returns the viewers' ids."""
    areas = residential_areas()
    initiatives = {}
    for n, province in enumerate(PROVINCES, start=1):
        initiatives[province] = n
        db.session.execute(
            insert(Initiative),
            [
                {
                    "id": n,
                    "name": f"Bench {province}",
                    "slug": f"bench-{n}",
                    "kind": InitiativeKind.NEIGHBOUR_HELP,
                    "municipality": province,
                    "province": province,
                    "legal_form": LegalForm.ASSOCIATION,
                    "phase": Phase.ACTIVE,
                }
            ],
        )
    residents = _seed_residents(int(count * RESIDENTS_PER_LISTING), areas, initiatives, rng)
    _seed_listings(count, residents, rng)
    viewers = _seed_viewers(len(residents) + 1, initiatives)
    db.session.commit()
    return viewers


def _user_row(user_id: int, area, street: str) -> dict:
    return {
        "id": user_id,
        "email": f"u{user_id}@bench.invalid",
        "password_hash": "x",
        "first_name": "Bench",
        "last_name": f"Bewoner {user_id}",
        "street_name": street,
        "house_number": "1",
        "postcode": f"{area.pc4}AA",
        "place": area.place,
        "latitude": area.latitude,
        "longitude": area.longitude,
    }


def _seed_residents(count, areas, initiatives, rng) -> list[tuple[int, int, object]]:
    users, memberships, residents = [], [], []
    for user_id in range(1, count + 1):
        province = PROVINCES[user_id % len(PROVINCES)]
        area = rng.choice(areas[province])
        users.append(_user_row(user_id, area, f"Benchstraat {user_id % 50}"))
        memberships.append({"user_id": user_id, "initiative_id": initiatives[province]})
        residents.append((user_id, initiatives[province], area))
    db.session.execute(insert(User), users)
    db.session.execute(insert(Membership), memberships)
    return residents


def _seed_listings(count, residents, rng) -> None:
    today, now = local_today(), datetime.now(UTC)
    requests, offers, categories = [], [], []
    for n in range(1, count + 1):
        user_id, initiative_id, area = rng.choice(residents)
        common = {
            "id": n,
            "initiative_id": initiative_id,
            "title": f"Bench {n}",
            "street_name": "Benchstraat",
            "place": area.place,
            "latitude": area.latitude,
            "longitude": area.longitude,
            "created_at": now - timedelta(minutes=rng.randrange(60 * 24 * 60)),
        }
        if n % 2:
            requests.append(_request_row(common, user_id, today, rng))
        else:
            offers.append(_offer_row(common, user_id, today, rng))
            for category in rng.sample(list(Category), rng.randint(1, 3)):
                categories.append({"offer_id": n, "category": category})
    db.session.execute(insert(HelpRequest), requests)
    db.session.execute(insert(HelpOffer), offers)
    db.session.execute(insert(HelpOfferCategory), categories)


def _request_row(common, user_id, today, rng) -> dict:
    flexible = rng.random() < 0.4
    status = RequestStatus.OPEN if rng.random() < 0.8 else RequestStatus.WITHDRAWN
    return {
        **common,
        "requester_id": user_id,
        "category": rng.choice(list(Category)),
        "on_date": None if flexible else today + timedelta(days=rng.randrange(-5, 30)),
        "flexible_days": rng.randint(1, 14) if flexible else None,
        "recurrence": Recurrence.WEEKLY if rng.random() < 0.2 else Recurrence.ONCE,
        "status": status,
    }


def _offer_row(common, user_id, today, rng) -> dict:
    paused = rng.random() < 0.1
    return {
        **common,
        "volunteer_id": user_id,
        "availability": rng.randrange(1, 1 << 21),
        "max_distance_km": rng.choice((1.0, 2.0, 5.0)),
        "paused_until": today + timedelta(days=7) if paused else None,
        "status": OfferStatus.ACTIVE if rng.random() < 0.9 else OfferStatus.WITHDRAWN,
    }


def _seed_viewers(first_id: int, initiatives: dict[str, int]) -> dict[str, int]:
    """Viewers who belong to every initiative: the widest the SQL filter can be."""
    viewers = {}
    for offset, (name, pc4) in enumerate(VIEWERS):
        user_id = first_id + offset
        db.session.execute(insert(User), [_user_row(user_id, lookup_pc4(pc4), "Kijkstraat")])
        db.session.execute(
            insert(Membership),
            [{"user_id": user_id, "initiative_id": i} for i in initiatives.values()],
        )
        viewers[f"{name} {pc4}"] = user_id
    return viewers


def naive_nearby(viewer: User, radius_km: float) -> list:
    """The baseline: every open listing of the viewer's initiatives, every distance."""
    today = local_today()
    initiative_ids = member_initiative_ids(viewer)
    requests = select(HelpRequest).where(
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.initiative_id.in_(initiative_ids),
        or_(HelpRequest.requester_id.is_(None), HelpRequest.requester_id != viewer.id),
        or_(
            HelpRequest.on_date.is_(None),
            HelpRequest.on_date >= today,
            HelpRequest.recurrence == Recurrence.WEEKLY,
        ),
    )
    offers = select(HelpOffer).where(
        HelpOffer.status == OfferStatus.ACTIVE,
        HelpOffer.initiative_id.in_(initiative_ids),
        HelpOffer.volunteer_id != viewer.id,
        or_(HelpOffer.paused_until.is_(None), HelpOffer.paused_until < today),
    )
    listings = list(
        db.session.execute(requests.options(joinedload(HelpRequest.requester))).scalars()
    )
    listings += db.session.execute(
        offers.options(joinedload(HelpOffer.volunteer), selectinload(HelpOffer.categories))
    ).scalars()
    found = []
    for listing in listings:
        km = distance_km(viewer.location, (listing.latitude, listing.longitude))
        if km <= radius_km:
            found.append((km, -listing.created_at.timestamp(), type(listing).__name__, -listing.id))
    found.sort()
    return [(name, -neg_id) for _, _, name, neg_id in found[:PER_PAGE]]


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        db.session.expunge_all()  # no help from objects an earlier run loaded
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(viewers: dict[str, int], radii: list[float], repeat: int) -> list[dict]:
    rows = []
    for name, user_id in viewers.items():
        for radius in radii:
            viewer = db.session.get(User, user_id)

            def fast(viewer=viewer, radius=radius):
                page = nearby_listings(viewer=viewer, radius_km=radius)
                ids = [(type(i.listing).__name__, i.listing.id) for i in page.items]
                return page.total, ids

            fast_s, (total, fast_ids) = timed(fast, repeat)
            naive_s, naive_ids = timed(lambda v=viewer, r=radius: naive_nearby(v, r), repeat)
            if fast_ids != naive_ids:
                raise SystemExit(f"different results for {name} within {radius} km")
            rows.append(
                {"viewer": name, "radius": radius, "found": total, "fast": fast_s, "naive": naive_s}
            )
    return rows


def query_plan() -> str:
    """SQLite's plan for the request candidates: it should search an index on latitude."""
    sql = (
        "EXPLAIN QUERY PLAN SELECT id, latitude, longitude FROM help_requests "
        "WHERE status = 'open' AND latitude BETWEEN 52.4 AND 52.6 "
        "AND longitude BETWEEN 6.0 AND 6.2"
    )
    return "; ".join(row[-1] for row in db.session.execute(text(sql)))


def run(url: str, label: str, args) -> None:
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        viewers = seed(args.count, random.Random(args.seed))
        print(f"\n{label}: seeded {args.count} listings in {time.perf_counter() - start:.1f} s")
        if db.engine.dialect.name == "sqlite":
            print(f"  plan: {query_plan()}")
        rows = measure(viewers, args.radius, args.repeat)
        db.session.remove()
        db.engine.dispose()
    print(f"  {'viewer':16} {'radius':>7} {'found':>6} {'bbox ms':>9} {'naive ms':>9} {'ratio':>7}")
    for row in rows:
        print(
            f"  {row['viewer']:16} {row['radius']:>5g} km {row['found']:>6} "
            f"{row['fast'] * 1000:>9.1f} {row['naive'] * 1000:>9.1f} "
            f"{row['naive'] / row['fast']:>6.0f}x"
        )
    ratios = [row["naive"] / row["fast"] for row in rows]
    print(f"  median ratio {statistics.median(ratios):.0f}x (naive time / bounding-box time)")


def run_postgres(base_url: str, args) -> None:
    name = f"buurthulp_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        run(url, f"PostgreSQL ({name}, dropped afterwards)", args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="listings to seed")
    parser.add_argument("--radius", type=float, nargs="+", default=[2.0, 5.0, 10.0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", "SQLite (temporary file)", args)
    if args.postgres:
        run_postgres(args.postgres, args)


if __name__ == "__main__":
    main()
