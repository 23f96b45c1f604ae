"""Fast candidate search: the top volunteers for a request through the grid-cell index.

The search reads the grid cells around the request ring by ring, starting with 1 km,
through the index of (category, grid cell) on help_offer_categories. SQL checks every
filter it can (initiative, availability, pause, car, the requester, and a conservative
distance to both the radius and the volunteer's own maximum); Python computes the exact
distance and an upper bound of each score (no tasks, every invitation accepted).

Only the contenders, highest bound first, get their recent tasks, accept rate and
blocks (one query per batch); the search stops when the tenth real score beats the
bound of everyone not yet resolved. After a ring, when the tenth score is known, the
next ring goes straight out to where nobody further away could beat it.
So the result equals an exact scan over all offers (tests/matching/test_search.py)
with a few queries a request.
"""

import math
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.geo import grid
from buurthulp.listings.models import (
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    OfferStatus,
)
from buurthulp.matching import core, search_sql
from buurthulp.matching.models import Block, MatchingSettings
from buurthulp.matching.offer_search import RANKING_COLUMNS
from buurthulp.matching.search_pool import Pool, candidate_from_row

FIRST_RING_KM = 0.5


def _wider(outer: float, radius: float, found: int, limit: int) -> float:
    """The next ring's outer radius when fewer than `limit` were found within `outer`: far
    enough for about twice the missing number at the density seen so far (one more query
    in most places), and never leaving a last ring thinner than a fifth of the radius."""
    if found == 0:
        return radius
    wanted = outer * math.sqrt(2 * limit / found)
    return radius if wanted * 1.25 >= radius else max(wanted, outer * 1.5)


def _search(spec, *, initiative_id, now, weights, limit, exclude, only=None):
    """Ring by ring outward; returns the pool and the ranked top `limit`."""
    pool = Pool(spec, now, weights, exclude, only)
    params = search_sql.filter_params(
        spec,
        initiative_id=initiative_id,
        today=core.local_date(now),
    )
    radius = spec.radius_km
    inner, outer = 0.0, min(FIRST_RING_KM, radius)
    best_rest = weights.best_rest(spec.language is not None)

    def bound(distance: float) -> float:
        # The best score anyone further away than `distance` could reach.
        return weights.distance * (1 - distance / radius) + best_rest

    def reach(kth: float) -> float:
        # Beyond this distance the bound is below kth: one more ring out to there settles it.
        if weights.distance <= 0:
            return radius
        return min(radius, radius * (1 - (kth - best_rest) / weights.distance) * 1.01 + 0.01)

    while True:
        ranges = grid.ring_ranges(spec.latitude, spec.longitude, inner, outer)
        if ranges:
            pool.add(search_sql.offer_rows(params, ranges, spec.needs_car))
        if outer < radius:
            # Read on without loading stats while the guess says the search must go on.
            if pool.found() < limit:
                inner, outer = outer, _wider(outer, radius, pool.found(), limit)
                continue
            likely = pool.likely_kth(limit)
            if likely is not None and not likely > bound(outer):
                inner, outer = outer, min(radius, max(reach(likely), outer * 1.25))
                continue
        best = pool.resolve(limit)
        if outer >= radius:
            break
        if len(best) < limit:
            inner, outer = outer, _wider(outer, radius, len(best), limit)
            continue
        if best[-1].score > bound(outer):
            break
        inner, outer = outer, min(radius, max(reach(best[-1].score), outer * 1.25))
    return pool, core.top(spec, best, limit)


def candidates_near(
    spec: core.RequestSpec,
    *,
    initiative_id: int,
    now: datetime,
    limit_hint: int = 10,
    weights: core.Weights = core.DEFAULT_WEIGHTS,
    exclude_volunteer_ids: Iterable[int] = (),
) -> list[core.Candidate]:
    """The candidates (with their stats) of the offers in the rings searched for spec.

    Enough to rank the top `limit_hint` exactly; every one is within spec.radius_km.
    """
    pool, _ = _search(
        spec,
        initiative_id=initiative_id,
        now=now,
        weights=weights,
        limit=limit_hint,
        exclude=frozenset(exclude_volunteer_ids),
    )
    return pool.all_candidates()


def search_ranked(
    spec: core.RequestSpec,
    *,
    initiative_id: int,
    now: datetime,
    weights: core.Weights = core.DEFAULT_WEIGHTS,
    limit: int = 10,
    exclude_volunteer_ids: Iterable[int] = (),
    only_volunteer_ids: Iterable[int] | None = None,
) -> list[core.Ranked]:
    """The top `limit` volunteers for a request spec (the in-process call the bench times);
    with only_volunteer_ids, among those volunteers only."""
    _, ranked = _search(
        spec,
        initiative_id=initiative_id,
        now=now,
        weights=weights,
        limit=limit,
        exclude=frozenset(exclude_volunteer_ids),
        only=None if only_volunteer_ids is None else frozenset(only_volunteer_ids),
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
    """The best `limit` volunteers of the request's initiative for it, best first.

    Never the person who posted it for a resident (phone intake), and only verified
    neighbours when the initiative lets only those accept."""
    from buurthulp.residents import verification  # residents builds on matching

    exclude = set(exclude_volunteer_ids)
    if help_request.created_by_id is not None:
        exclude.add(help_request.created_by_id)
    only = None
    if not verification.unverified_may_accept(help_request.initiative_id):
        only = verification.verified_user_ids(help_request.initiative_id)
    return search_ranked(
        request_spec(help_request, now=now, radius_km=radius_km),
        initiative_id=help_request.initiative_id,
        now=now,
        weights=weights_of(help_request.initiative_id),
        limit=limit,
        exclude_volunteer_ids=exclude,
        only_volunteer_ids=only,
    )


def offer_columns() -> tuple:
    """help_offers' columns in the order of a search row, for exact scans without the index."""
    return (HelpOffer.id, *(getattr(HelpOffer, name) for name in RANKING_COLUMNS))


def scan_candidates(initiative_id: int, *, now: datetime) -> list[core.Candidate]:
    """Every active offer of the initiative as a candidate, without the grid: the exact
    reference for tests and the benchmark (blocked_with holds all blocks either way)."""
    rows = db.session.execute(
        select(*offer_columns()).where(
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
    tasks, rates = search_sql.task_counts(None, now), search_sql.accept_rates(None)
    return [
        candidate_from_row(
            row,
            frozenset(categories.get(row[0], ())),
            tasks,
            rates,
            frozenset(blocked.get(row[1], ())),
        )
        for row in rows
    ]
