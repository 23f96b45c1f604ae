"""Fast candidate search: the active offers near a request, through the grid-cell index.

The search visits the grid cells around the request ring by ring (1 km, 2 km,
4 km, ... up to the radius; a last ring thinner than a quarter is merged). After
each ring it scores what it found and stops early when the last of the top
`limit` already scores higher than any offer beyond the searched distance could
(its distance term is lower, the other terms at most their weights), so the
result equals an exact scan over all offers (tests/matching/test_search.py).

Per ring: one query for the offers (category, initiative, status, pause, car,
availability and the cell ranges in SQL), the exact distance filter in Python,
then one set-based query (a UNION ALL) for the survivors' recent tasks, accept
rate and blocks with the requester. No query per volunteer.
"""

import heapq
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
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
from buurthulp.geo import grid
from buurthulp.listings.models import HelpOffer, HelpOfferCategory, HelpRequest, OfferStatus
from buurthulp.matching import core
from buurthulp.matching.models import (
    Block,
    Invitation,
    InvitationStatus,
    Match,
    MatchingSettings,
    MatchStatus,
)

FIRST_RING_KM = 1.0
_OFFER_COLUMNS = (
    HelpOffer.id,
    HelpOffer.volunteer_id,
    HelpOffer.latitude,
    HelpOffer.longitude,
    HelpOffer.availability,
    HelpOffer.max_distance_km,
    HelpOffer.has_car,
    HelpOffer.paused_until,
    HelpOffer.weekly_cap,
    HelpOffer.languages,
)


@lru_cache(maxsize=256)
def _offer_statement(ranges: int, needs_car: bool):
    """Active offers of the initiative in the category that pass the SQL-checkable filters,
    in `ranges` cell ranges. Built once per shape: only the parameters change per call."""
    cells = (
        HelpOffer.grid_cell.between(bindparam(f"lo{i}"), bindparam(f"hi{i}")) for i in range(ranges)
    )
    query = (
        select(*_OFFER_COLUMNS)
        .join(
            HelpOfferCategory,
            and_(
                HelpOfferCategory.offer_id == HelpOffer.id,
                func.lower(HelpOfferCategory.category, type_=String) == bindparam("category"),
            ),
        )
        .where(
            # status and category are wrapped in lower() (a no-op on these values) so that no
            # planner prefers their indexes to the grid cells; SQLite without ANALYZE would.
            func.lower(HelpOffer.status, type_=String) == OfferStatus.ACTIVE.value,
            HelpOffer.initiative_id == bindparam("initiative_id"),
            HelpOffer.availability.op("&")(bindparam("mask")) != 0,
            or_(HelpOffer.paused_until.is_(None), HelpOffer.paused_until < bindparam("today")),
            HelpOffer.volunteer_id != bindparam("requester_id"),
            or_(*cells),
        )
    )
    return query.where(HelpOffer.has_car.is_(True)) if needs_car else query


def _stats_statement(dialect: str):
    """Recent tasks, answered invitations and blocks with the requester of the volunteers
    `ids`, in one round trip: rows of (kind, volunteer id, a, b).

    On PostgreSQL the ids go as one array (`= ANY(:ids)`), so the statement text is the
    same every time and psycopg's prepared statement is reused; elsewhere an IN list.
    """

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
            Invitation.status.in_((InvitationStatus.ACCEPTED, InvitationStatus.DECLINED)),
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
    for kind, volunteer_id, a, b in db.session.execute(_STATS[db.engine.dialect.name], params):
        if kind == 1:
            tasks[volunteer_id] = (int(a), int(b))
        elif kind == 2:
            rates[volunteer_id] = int(a) / int(b)
        else:
            blocked.add(volunteer_id)
    return tasks, rates, blocked


def task_counts(volunteer_ids: Iterable[int] | None, now: datetime) -> dict[int, tuple[int, int]]:
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


def accept_rates(volunteer_ids: Iterable[int] | None) -> dict[int, float]:
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


def _ring_candidates(spec, initiative_id, ranges, now, exclude) -> list[core.Candidate]:
    params = {
        "category": spec.category,
        "initiative_id": initiative_id,
        "mask": spec.window_mask,
        "today": core.local_date(now),
        "requester_id": -1 if spec.requester_id is None else spec.requester_id,
    }
    for i, (start, end) in enumerate(ranges):
        params[f"lo{i}"], params[f"hi{i}"] = start, end
    statement = _offer_statement(len(ranges), spec.needs_car)
    near = []
    for row in db.session.execute(statement, params):
        km = core.fast_distance_km(spec.latitude, spec.longitude, row[2], row[3])
        if km <= spec.radius_km and km <= row[5] and row[1] not in exclude:
            near.append(row)
    if not near:
        return []
    tasks, rates, blocked = load_stats([row[1] for row in near], spec.requester_id, now)
    requester_only = frozenset({spec.requester_id})
    category = frozenset({spec.category})
    return [
        _candidate(row, category, tasks, rates, requester_only if row[1] in blocked else None)
        for row in near
    ]


def _candidate(row, categories, tasks, rates, blocked_with) -> core.Candidate:
    offer_id, volunteer_id, lat, lon, mask, max_km, car, paused, cap, languages = row
    week, month = tasks.get(volunteer_id, (0, 0))
    return core.Candidate(
        offer_id=offer_id,
        volunteer_id=volunteer_id,
        latitude=lat,
        longitude=lon,
        categories=categories,
        availability=mask,
        max_distance_km=max_km,
        has_car=car,
        paused_until=paused,
        weekly_cap=cap,
        tasks_7d=week,
        tasks_30d=month,
        accept_rate=rates.get(volunteer_id),
        languages=frozenset(code.strip() for code in languages.split(",") if code.strip()),
        blocked_with=blocked_with or frozenset(),
    )


def _next_radius(outer: float, radius: float) -> float:
    # Doubling, but never leaving a last ring thinner than a quarter of the radius.
    return radius if outer * 2.5 >= radius else outer * 2


def _search(spec, *, initiative_id, now, weights, limit, exclude):
    """Ring by ring outward; returns (every candidate seen, the ranked top `limit`)."""
    seen: list[core.Candidate] = []
    scored: list[core.Ranked] = []
    inner, outer = 0.0, min(FIRST_RING_KM, spec.radius_km)
    best_rest = weights.best_rest(spec.language is not None)
    while True:
        ranges = grid.ring_ranges(spec.latitude, spec.longitude, inner, outer)
        found = _ring_candidates(spec, initiative_id, ranges, now, exclude)
        seen += found
        scored += core.score_all(spec, found, now=now, weights=weights)
        if outer >= spec.radius_km:
            break
        # Anyone further than `outer` scores below this; stop when the top is already better.
        bound = weights.distance * (1 - outer / spec.radius_km) + best_rest
        if (
            len(scored) >= limit
            and heapq.nsmallest(limit, scored, key=core.sort_key)[-1].score > bound
        ):
            break
        inner, outer = outer, _next_radius(outer, spec.radius_km)
    return seen, core.top(spec, scored, limit)


def candidates_near(
    spec: core.RequestSpec,
    *,
    initiative_id: int,
    now: datetime,
    limit_hint: int = 10,
    weights: core.Weights = core.DEFAULT_WEIGHTS,
    exclude_volunteer_ids: Iterable[int] = (),
) -> list[core.Candidate]:
    """The candidates of the initiative's active offers in the rings searched for spec.

    Enough to rank the top `limit_hint` exactly; every one is within spec.radius_km.
    """
    seen, _ = _search(
        spec,
        initiative_id=initiative_id,
        now=now,
        weights=weights,
        limit=limit_hint,
        exclude=frozenset(exclude_volunteer_ids),
    )
    return seen


def search_ranked(
    spec: core.RequestSpec,
    *,
    initiative_id: int,
    now: datetime,
    weights: core.Weights = core.DEFAULT_WEIGHTS,
    limit: int = 10,
    exclude_volunteer_ids: Iterable[int] = (),
) -> list[core.Ranked]:
    """The top `limit` volunteers for a request spec (the in-process call the bench times)."""
    _, ranked = _search(
        spec,
        initiative_id=initiative_id,
        now=now,
        weights=weights,
        limit=limit,
        exclude=frozenset(exclude_volunteer_ids),
    )
    return ranked


def weights_of(initiative_id: int) -> core.Weights:
    """The initiative's weights, or the defaults when it has no settings row."""
    settings = db.session.get(MatchingSettings, initiative_id)
    if settings is None:
        return core.DEFAULT_WEIGHTS
    return core.Weights(
        distance=settings.weight_distance,
        overlap=settings.weight_overlap,
        load=settings.weight_load,
    )


def request_spec(
    help_request: HelpRequest, *, now: datetime, radius_km: float | None = None
) -> core.RequestSpec:
    """The ranking's view of a request; radius_km overrides the request's own radius."""
    requester = help_request.requester
    locale = requester.locale if requester is not None else None
    return core.RequestSpec(
        request_id=help_request.id,
        requester_id=help_request.requester_id,
        category=str(help_request.category),
        latitude=help_request.latitude,
        longitude=help_request.longitude,
        radius_km=radius_km if radius_km is not None else help_request.radius_km,
        window_mask=core.request_window(
            on_date=help_request.on_date,
            time_from=help_request.time_from,
            time_until=help_request.time_until,
            flexible_days=help_request.flexible_days,
            today=core.local_date(now),
        ),
        needs_car=help_request.needs_car,
        # Everyone here speaks Dutch; the bonus is for someone who prefers another language.
        language=locale if locale and locale != "nl" else None,
    )


def ranked_volunteers(
    help_request: HelpRequest,
    *,
    now: datetime,
    limit: int = 10,
    radius_km: float | None = None,
    exclude_volunteer_ids: Iterable[int] = (),
) -> list[core.Ranked]:
    """The best `limit` volunteers of the request's initiative for it, best first."""
    return search_ranked(
        request_spec(help_request, now=now, radius_km=radius_km),
        initiative_id=help_request.initiative_id,
        now=now,
        weights=weights_of(help_request.initiative_id),
        limit=limit,
        exclude_volunteer_ids=exclude_volunteer_ids,
    )


def scan_candidates(initiative_id: int, *, now: datetime) -> list[core.Candidate]:
    """Every active offer of the initiative as a candidate, without the grid: the exact
    reference for tests and the benchmark (blocked_with holds all blocks either way)."""
    rows = db.session.execute(
        select(*_OFFER_COLUMNS).where(
            HelpOffer.status == OfferStatus.ACTIVE, HelpOffer.initiative_id == initiative_id
        )
    ).all()
    categories: dict[int, set] = {}
    for offer_id, category in db.session.execute(
        select(HelpOfferCategory.offer_id, HelpOfferCategory.category)
    ):
        categories.setdefault(offer_id, set()).add(str(category))
    blocked: dict[int, set] = {}
    for a, b in db.session.execute(select(Block.blocker_id, Block.blocked_id)):
        blocked.setdefault(a, set()).add(b)
        blocked.setdefault(b, set()).add(a)
    tasks, rates = task_counts(None, now), accept_rates(None)
    return [
        _candidate(
            row,
            frozenset(categories.get(row[0], ())),
            tasks,
            rates,
            frozenset(blocked.get(row[1], ())),
        )
        for row in rows
    ]
