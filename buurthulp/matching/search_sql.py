"""The matcher's SQL: the offers in some grid cells that pass every filter SQL can check, and
the recent tasks, accept rates and blocks of a few volunteers.

Core statements on the tables, built once per shape, so only the parameters change per call
and psycopg can reuse its prepared statements.
"""

import math
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import (
    ARRAY,
    Integer,
    and_,
    any_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from buurthulp.extensions import db
from buurthulp.matching import pg_direct
from buurthulp.matching.core import EARTH_RADIUS_KM
from buurthulp.matching.models import Block, Invitation, InvitationStatus, Match, MatchStatus
from buurthulp.matching.offer_search import RANKING_COLUMNS, OfferSearchRow

SEARCH = OfferSearchRow.__table__
# The order of a row: search.py unpacks it.
OFFER_COLUMNS = tuple(SEARCH.c[name] for name in ("offer_id", *RANKING_COLUMNS))
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
# The SQL distance uses the request's latitude for the east-west scale, the exact one the mean
# latitude of both points: up to ~1% apart in the square over 50 km. 3% keeps it conservative.
SLACK = 1.03


def _squared_km():
    dlat = SEARCH.c.latitude - bindparam("lat")
    dlon = SEARCH.c.longitude - bindparam("lon")
    return dlat * dlat * bindparam("ky2") + dlon * dlon * bindparam("kx2")


def _filters(needs_car: bool):
    squared = _squared_km()
    max_km = SEARCH.c.max_distance_km
    conditions = [
        SEARCH.c.initiative_id == bindparam("initiative_id"),
        SEARCH.c.availability.op("&")(bindparam("mask")) != 0,
        or_(SEARCH.c.paused_until.is_(None), SEARCH.c.paused_until < bindparam("today")),
        SEARCH.c.volunteer_id != bindparam("requester_id"),
        squared <= bindparam("radius2"),
        squared <= max_km * max_km * SLACK,
    ]
    if needs_car:
        conditions.append(SEARCH.c.has_car.is_(True))
    return conditions


@lru_cache(maxsize=256)
def sqlite_offers(ranges: int, needs_car: bool):
    """SQLite: `ranges` BETWEENs on the grid cell, each a range scan of the table's key."""
    # The category is repeated in every term: SQLite scans an OR term by index only when
    # the term alone constrains the index's leading column.
    category = SEARCH.c.category == bindparam("category")
    cells = or_(
        *(
            and_(category, SEARCH.c.grid_cell.between(bindparam(f"lo{i}"), bindparam(f"hi{i}")))
            for i in range(ranges)
        )
    )
    return select(*OFFER_COLUMNS).where(cells, *_filters(needs_car))


@lru_cache(maxsize=2)
def postgresql_offers(needs_car: bool):
    """PostgreSQL: the cells as one array, an index-only scan with one descent per cell."""
    cells = and_(
        SEARCH.c.category == bindparam("category"),
        SEARCH.c.grid_cell == any_(bindparam("cells", type_=ARRAY(Integer))),
    )
    return select(*OFFER_COLUMNS).where(cells, *_filters(needs_car))


def offer_rows(params: dict, ranges: list[tuple[int, int]], needs_car: bool):
    """Rows (OFFER_COLUMNS) in the cell ranges passing the SQL filters; params as _filters."""
    if db.engine.dialect.name == "postgresql":
        cells = [cell for start, end in ranges for cell in range(start, end + 1)]
        return pg_direct.rows(postgresql_offers(needs_car), params | {"cells": cells})
    else:
        # Padded to a power of two (repeating the last range) so that few statement shapes
        # exist and all of them are soon compiled and cached.
        shape = 1 << (len(ranges) - 1).bit_length()
        statement = sqlite_offers(shape, needs_car)
        params = dict(params)
        for i in range(shape):
            params[f"lo{i}"], params[f"hi{i}"] = ranges[min(i, len(ranges) - 1)]
    return db.session.connection().execute(statement, params).all()


def filter_params(spec, *, initiative_id: int, today) -> dict:
    kx = KM_PER_DEGREE * math.cos(math.radians(spec.latitude))
    return {
        "initiative_id": initiative_id,
        "category": spec.category,
        "mask": spec.window_mask,
        "today": today,
        "requester_id": -1 if spec.requester_id is None else spec.requester_id,
        "lat": spec.latitude,
        "lon": spec.longitude,
        "ky2": KM_PER_DEGREE * KM_PER_DEGREE,
        "kx2": kx * kx,
        "radius2": spec.radius_km * spec.radius_km * SLACK,
    }


def _stats_statement(dialect: str):
    """Recent tasks, answered invitations and blocks with the requester of the volunteers
    `ids`, in one round trip: rows of (kind, volunteer id, a, b)."""

    def among(column):
        if dialect == "postgresql":
            return column == any_(bindparam("ids", type_=ARRAY(Integer)))
        return column.in_(bindparam("ids", expanding=True))

    tasks = (
        select(
            literal_column("1"),
            Match.volunteer_id,
            func.sum(case((Match.created_at >= bindparam("week"), 1), else_=0)),
            func.count(),
        )
        .where(
            among(Match.volunteer_id),
            Match.created_at >= bindparam("month"),
            Match.status != MatchStatus.CANCELLED,
        )
        .group_by(Match.volunteer_id)
    )
    answers = (
        select(
            literal_column("2"),
            Invitation.volunteer_id,
            func.sum(case((Invitation.status == InvitationStatus.ACCEPTED, 1), else_=0)),
            func.count(),
        )
        .where(
            among(Invitation.volunteer_id),
            or_(
                Invitation.status == InvitationStatus.ACCEPTED,
                Invitation.status == InvitationStatus.DECLINED,
            ),
        )
        .group_by(Invitation.volunteer_id)
    )
    requester = bindparam("requester_id")
    blocks = select(
        literal_column("3"),
        case((Block.blocker_id == requester, Block.blocked_id), else_=Block.blocker_id),
        literal_column("0"),
        literal_column("0"),
    ).where(
        or_(
            and_(Block.blocker_id == requester, among(Block.blocked_id)),
            and_(Block.blocked_id == requester, among(Block.blocker_id)),
        )
    )
    return union_all(tasks, answers, blocks)


_STATS = {dialect: _stats_statement(dialect) for dialect in ("postgresql", "sqlite")}


def load_stats(ids: list[int], requester_id: int | None, now: datetime):
    """(tasks per volunteer, accept rate per volunteer, volunteers blocked either way)."""
    params = {
        "ids": ids,
        "week": now - timedelta(days=7),
        "month": now - timedelta(days=30),
        "requester_id": -1 if requester_id is None else requester_id,
    }
    tasks, rates, blocked = {}, {}, set()
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        found = pg_direct.rows(_STATS[dialect], params)
    else:
        found = db.session.connection().execute(_STATS[dialect], params)
    for kind, volunteer_id, a, b in found:
        if kind == 1:
            tasks[volunteer_id] = (int(a), int(b))
        elif kind == 2:
            rates[volunteer_id] = int(a) / int(b)
        else:
            blocked.add(volunteer_id)
    return tasks, rates, blocked


def task_counts(volunteer_ids, now: datetime) -> dict[int, tuple[int, int]]:
    """(tasks in the last 7 days, in the last 30) per volunteer; cancelled matches do not count."""
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    query = (
        select(
            Match.volunteer_id,
            func.sum(case((Match.created_at >= week, 1), else_=0)),
            func.count(),
        )
        .where(Match.created_at >= month, Match.status != MatchStatus.CANCELLED)
        .group_by(Match.volunteer_id)
    )
    if volunteer_ids is not None:
        query = query.where(Match.volunteer_id.in_(list(volunteer_ids)))
    return {v: (int(w), int(m)) for v, w, m in db.session.execute(query)}


def accept_rates(volunteer_ids) -> dict[int, float]:
    """Accepted / (accepted + declined) invitations per volunteer who ever answered one."""
    query = (
        select(
            Invitation.volunteer_id,
            func.sum(case((Invitation.status == InvitationStatus.ACCEPTED, 1), else_=0)),
            func.count(),
        )
        .where(Invitation.status.in_((InvitationStatus.ACCEPTED, InvitationStatus.DECLINED)))
        .group_by(Invitation.volunteer_id)
    )
    if volunteer_ids is not None:
        query = query.where(Invitation.volunteer_id.in_(list(volunteer_ids)))
    return {v: int(accepted) / n for v, accepted, n in db.session.execute(query)}
