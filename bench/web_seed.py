"""The data set behind bench/web.py: residents, offers and two years of requests.

Eight initiatives, two per province of bench/nearby.py (each province's residential
4-digit areas split in a lower and a higher half, so an initiative is a region). Every
resident lives on their area's centroid, as real residents do in the app. Offers belong to
distinct residents; requests are mostly history (done with a match, withdrawn, expired)
and a few open ones of the last two weeks. Rows go in with executemany in batches (SQLAlchemy's
insertmanyvalues): a few minutes for the default sizes.

The sizes are stored as the database's comment, so a later run with the same sizes reuses
the data and a run with other sizes (or --reseed) loads it again.
"""

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nearby import PROVINCES, _offer_row, _request_row, _user_row, residential_areas
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.geo.grid import cell_of
from buurthulp.initiatives.models import Initiative, InitiativeKind, LegalForm, Membership, Phase
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    OfferStatus,
    RequestStatus,
)
from buurthulp.matching import offer_search
from buurthulp.matching.models import Match, MatchStatus

SIZES = {"residents": 100_000, "offers": 30_000, "requests": 200_000}
SEED_VERSION = 2  # raise when the seeded rows change: part of the stored sizes
# History: done 60%, withdrawn 15%, expired 20%, open 5% (posted in the last two weeks).
STATUS_WEIGHTS = (
    (RequestStatus.DONE, 0.60),
    (RequestStatus.WITHDRAWN, 0.15),
    (RequestStatus.EXPIRED, 0.20),
    (RequestStatus.OPEN, 0.05),
)
BATCH = 20_000
# A cheap hash: nobody logs in with a password in the bench (sessions are minted).
BENCH_PASSWORD_HASH = "bench-no-login"  # noqa: S105


def database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def schema_head() -> str:
    """The newest migration: part of the stored sizes, so a schema change reseeds."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option(
        "script_location", str(Path(__file__).resolve().parent.parent / "migrations")
    )
    return ScriptDirectory.from_config(config).get_current_head()


def stored_sizes(server_url: str, name: str) -> dict | None:
    """The sizes the bench database was seeded with; None when it does not exist yet."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    " WHERE datname = :name"
                ),
                {"name": name},
            ).first()
    finally:
        admin.dispose()
    if row is None:
        return None
    return json.loads(row[0]) if row[0] else {}


def recreate_database(server_url: str, name: str) -> None:
    """Drop and create the bench database (only ever the one named for the bench)."""
    if not name.startswith("buurthulp_bench"):
        raise SystemExit(f"refusing to recreate {name!r}: not a bench database")
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def mark_seeded(name: str, sizes: dict) -> None:
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(sizes)}'")
        conn.exec_driver_sql("VACUUM ANALYZE")


def reset_sequences() -> None:
    """Explicit ids bypass the sequences; move each past its table's highest id."""
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                    f" GREATEST((SELECT max(id) FROM {table.name}), 1))"
                )
            )
    db.session.commit()


def regions() -> list[list]:
    """Eight regions: each province's residential areas, lower and upper half by postcode."""
    found = []
    for areas in residential_areas().values():
        areas = sorted(areas, key=lambda a: a.pc4)
        half = len(areas) // 2
        found += [areas[:half], areas[half:]]
    return found


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


def seed(sizes: dict, rng: random.Random) -> None:
    """Everything, in one transaction per table group; then the matcher's search table."""
    areas = regions()
    _insert(
        Initiative,
        [
            {
                "id": n,
                "name": f"Bench {PROVINCES[(n - 1) // 2]} {n}",
                "slug": f"bench-{n}",
                "kind": InitiativeKind.NEIGHBOUR_HELP,
                "municipality": areas[n - 1][0].municipality,
                "province": PROVINCES[(n - 1) // 2],
                "legal_form": LegalForm.ASSOCIATION,
                "phase": Phase.ACTIVE,
            }
            for n in range(1, len(areas) + 1)
        ],
    )
    residents = _seed_residents(sizes["residents"], areas, rng)
    volunteers = _seed_offers(sizes["offers"], residents, rng)
    _seed_requests(sizes["requests"], residents, volunteers, rng)
    db.session.commit()
    offer_search.rebuild()
    db.session.commit()
    reset_sequences()


def _seed_residents(count: int, areas: list[list], rng: random.Random) -> list[tuple]:
    """(user id, initiative id, area) per resident."""
    users, memberships, residents = [], [], []
    for user_id in range(1, count + 1):
        initiative_id = user_id % len(areas) + 1
        area = rng.choice(areas[initiative_id - 1])
        row = _user_row(user_id, area, f"Benchstraat {user_id % 50}")
        users.append(row | {"password_hash": BENCH_PASSWORD_HASH})
        memberships.append({"user_id": user_id, "initiative_id": initiative_id})
        residents.append((user_id, initiative_id, area))
    _insert(User, users)
    _insert(Membership, memberships)
    return residents


def _seed_offers(count: int, residents: list[tuple], rng: random.Random) -> dict[int, list]:
    """One offer each for `count` distinct residents; returns volunteer ids per initiative."""
    today, now = local_today(), datetime.now(UTC)
    offers, categories, volunteers = [], [], {}
    for offer_id, (user_id, initiative_id, area) in enumerate(
        rng.sample(residents, count), start=1
    ):
        common = _common(offer_id, initiative_id, area, now, rng, days=365)
        row = _offer_row(common, user_id, today, rng)
        row |= {"grid_cell": cell_of(area.latitude, area.longitude), "title": "Ik help graag"}
        offers.append(row)
        for category in rng.sample(list(Category), rng.randint(1, 3)):
            categories.append({"offer_id": offer_id, "category": category})
        if row["status"] == OfferStatus.ACTIVE:
            volunteers.setdefault(initiative_id, []).append(user_id)
    _insert(HelpOffer, offers)
    _insert(HelpOfferCategory, categories)
    return volunteers


def _common(n, initiative_id, area, now, rng, *, days: int) -> dict:
    return {
        "id": n,
        "initiative_id": initiative_id,
        "title": f"Hulp gevraagd {n}",
        "street_name": "Benchstraat",
        "place": area.place,
        "latitude": area.latitude,
        "longitude": area.longitude,
        "created_at": now - timedelta(minutes=rng.randrange(60 * 24 * days)),
    }


def _seed_requests(count, residents, volunteers, rng: random.Random) -> None:
    today, now = local_today(), datetime.now(UTC)
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    requests, matches = [], []
    for n in range(1, count + 1):
        user_id, initiative_id, area = rng.choice(residents)
        status = rng.choices(statuses, weights)[0]
        days = 14 if status == RequestStatus.OPEN else 730
        row = _request_row(
            _common(n, initiative_id, area, now, rng, days=days), user_id, today, rng
        )
        if status != RequestStatus.OPEN:
            row |= {"on_date": row["created_at"].date() + timedelta(days=3), "flexible_days": None}
        # Every request had its first round when it was posted (the escalation job's catch-up
        # must find nothing to do), and nobody touched it since.
        row |= {"match_round": 1, "last_invited_at": row["created_at"]}
        requests.append(row | {"status": status, "updated_at": row["created_at"]})
        if status == RequestStatus.DONE:
            done_at = row["created_at"] + timedelta(days=rng.randint(1, 10))
            matches.append(
                {
                    "request_id": n,
                    "volunteer_id": rng.choice(volunteers[initiative_id]),
                    "status": MatchStatus.DONE,
                    "hours": rng.choice((0.5, 1.0, 1.5, 2.0)),
                    "created_at": done_at - timedelta(days=1),
                    "closed_at": done_at,
                }
            )
    _insert(HelpRequest, requests)
    _insert(Match, matches)
