"""The ranking of volunteers for a request: plain data in, a ranked list out.

No Flask and no database session here; `now` and the weights are parameters, so
the rule can be tested and benchmarked on its own.

Hard filters (a candidate failing one is never ranked):
  - the offer covers the request's category;
  - the distance is within both the volunteer's maximum distance and the
    request's radius;
  - the volunteer's weekly availability overlaps the slots the request needs;
  - the volunteer has a car when the request needs one;
  - the volunteer is not the requester;
  - the offer is not paused (paused_until is before today);
  - the volunteer did fewer tasks in the last 7 days than their weekly cap;
  - neither of requester and volunteer has blocked the other.

Score (higher is better), each term between 0 and 1 times its weight:
  distance  1 - distance / request radius            (nearer is better)
  overlap   min(shared slots, 3) / min(slots requested, 3)
                                                     (more overlap is better, up to 3 slots)
  load      1 / (1 + tasks_7d + tasks_30d / 4)       (spread the work)
  language  1 when the volunteer speaks the requester's language (soft bonus)
  accepts   the accept rate, 0.5 when there is none yet

Tie-break, so the order is stable and the same on every run: score descending,
then distance ascending, then tasks in the last 30 days ascending, then
volunteer id ascending, then offer id ascending.

Distances use the equirectangular approximation at the mean latitude: within
0.5% of the geodesic over the distances that matter here, at about a
hundredth of its cost (geopy's geodesic takes ~200 microseconds a call).
"""

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from buurthulp.geo.distance import distance_band
from buurthulp.listings.availability import FULL_WEEK, window_mask
from buurthulp.listings.clock import TIMEZONE
from buurthulp.translatable import N_

EARTH_RADIUS_KM = 6371.0088
NEUTRAL_ACCEPT_RATE = 0.5
# Shared slots beyond this add nothing: three free parts of the week is flexible enough.
OVERLAP_ENOUGH = 3

# Dutch msgids of the reasons; a Reason keeps its msgid and values for translation.
DAY_WORDS = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)
PART_WORDS = (N_("ochtend"), N_("middag"), N_("avond"))
CAN_ON = N_("kan op %(day)s%(part)s")
HAS_CAR = N_("heeft een auto")
NOTHING_THIS_WEEK = N_("deed deze week nog niets")
SPEAKS_LANGUAGE = N_("spreekt uw taal")


class Reason(str):
    """A short Dutch reason; `msgid` and `params` let a page show it translated."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> "Reason":
        reason = super().__new__(cls, msgid % params if params else msgid)
        reason.msgid, reason.params = msgid, params
        return reason


@dataclass(frozen=True, slots=True)
class RequestSpec:
    request_id: int
    requester_id: int | None
    category: str
    latitude: float
    longitude: float
    radius_km: float
    window_mask: int  # the availability slots the request needs (listings.availability)
    needs_car: bool = False
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    offer_id: int
    volunteer_id: int
    latitude: float
    longitude: float
    categories: frozenset
    availability: int
    max_distance_km: float
    has_car: bool = False
    paused_until: date | None = None
    weekly_cap: int = 3
    tasks_7d: int = 0
    tasks_30d: int = 0
    accept_rate: float | None = None
    languages: frozenset = frozenset({"nl"})
    blocked_with: frozenset = frozenset()  # user ids blocked by or blocking this volunteer


@dataclass(frozen=True, slots=True)
class Weights:
    """Defaults equal MatchingSettings' column defaults."""

    distance: float = 1.0
    overlap: float = 0.5
    load: float = 0.3
    language: float = 0.2
    accepts: float = 0.1

    def best_rest(self, language_asked: bool) -> float:
        """The highest score the terms other than distance can add up to."""
        return self.overlap + self.load + self.accepts + (self.language if language_asked else 0)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    distance_km: float
    overlap_slots: int
    score: float
    reasons: tuple[str, ...] = field(default=())


def fast_distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance at the mean latitude; see the module docstring."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_KM * math.hypot(x, y)


def local_date(now: datetime) -> date:
    return now.astimezone(TIMEZONE).date() if now.tzinfo else now.date()


def hard_filter_reasons(request: RequestSpec, candidate: Candidate, now: datetime) -> list[str]:
    """Why a candidate is excluded (English, for tests and the panel); empty when it is not."""
    why = []
    if request.category not in candidate.categories:
        why.append("category")
    km = fast_distance_km(
        request.latitude, request.longitude, candidate.latitude, candidate.longitude
    )
    if km > candidate.max_distance_km:
        why.append("beyond volunteer's distance")
    if km > request.radius_km:
        why.append("beyond request radius")
    if not request.window_mask & candidate.availability:
        why.append("no availability overlap")
    if request.needs_car and not candidate.has_car:
        why.append("no car")
    if candidate.volunteer_id == request.requester_id:
        why.append("is the requester")
    if candidate.paused_until is not None and candidate.paused_until >= local_date(now):
        why.append("paused")
    if candidate.tasks_7d >= candidate.weekly_cap:
        why.append("weekly cap reached")
    if request.requester_id is not None and request.requester_id in candidate.blocked_with:
        why.append("blocked")
    return why


def _passes(request: RequestSpec, c: Candidate, today: date) -> bool:
    # The same rule as hard_filter_reasons, cheapest tests first; distance is checked by rank().
    return (
        request.category in c.categories
        and request.window_mask & c.availability != 0
        and (c.has_car or not request.needs_car)
        and c.volunteer_id != request.requester_id
        and (c.paused_until is None or c.paused_until < today)
        and c.tasks_7d < c.weekly_cap
        and (request.requester_id is None or request.requester_id not in c.blocked_with)
    )


def _score(request: RequestSpec, c: Candidate, km: float, overlap: int, w: Weights) -> float:
    rate = NEUTRAL_ACCEPT_RATE if c.accept_rate is None else c.accept_rate
    speaks = request.language is not None and request.language in c.languages
    return _combine(request, km, overlap, 1 + c.tasks_7d + c.tasks_30d / 4, speaks, rate, w)


def _combine(
    request: RequestSpec,
    km: float,
    overlap: int,
    load: float,
    speaks: bool,
    rate: float,
    w: Weights,
) -> float:
    wanted = min(request.window_mask.bit_count(), OVERLAP_ENOUGH)
    return (
        w.distance * (1 - km / request.radius_km)
        + w.overlap * min(overlap, OVERLAP_ENOUGH) / wanted
        + w.load / load
        + (w.language if speaks else 0.0)
        + w.accepts * rate
    )


def upper_score(request: RequestSpec, km: float, overlap: int, speaks: bool, w: Weights) -> float:
    """The highest score a candidate at km with this overlap can have, whatever its tasks and
    accept rate: no tasks and every invitation accepted. The same arithmetic as the real
    score with larger terms, so (floating point addition being monotonic) never below it."""
    return _combine(request, km, overlap, 1, speaks, 1.0, w)


def reasons_for(request: RequestSpec, ranked: Ranked) -> tuple[str, ...]:
    """Short Dutch reasons a volunteer is suggested: distance band, first shared slot, ..."""
    c, km = ranked.candidate, ranked.distance_km
    reasons = [Reason(distance_band(km))]
    shared = request.window_mask & c.availability
    if shared:
        day, part = divmod((shared & -shared).bit_length() - 1, len(PART_WORDS))
        reasons.append(Reason(CAN_ON, day=DAY_WORDS[day], part=PART_WORDS[part]))
    if request.needs_car and c.has_car:
        reasons.append(Reason(HAS_CAR))
    if c.tasks_7d == 0:
        reasons.append(Reason(NOTHING_THIS_WEEK))
    if request.language is not None and request.language in c.languages:
        reasons.append(Reason(SPEAKS_LANGUAGE))
    return tuple(reasons)


def sort_key(r: Ranked) -> tuple:
    c = r.candidate
    return (-r.score, r.distance_km, c.tasks_30d, c.volunteer_id, c.offer_id)


def score_all(
    request: RequestSpec, candidates: Iterable[Candidate], *, now: datetime, weights: Weights
) -> list[Ranked]:
    """Every candidate passing the hard filters, scored, in no particular order, no reasons."""
    today = local_date(now)
    lat, lon, radius = request.latitude, request.longitude, request.radius_km
    passed = []
    for c in candidates:
        # The north-south part alone is a lower bound of the distance: a cheap first cut.
        if EARTH_RADIUS_KM * abs(math.radians(c.latitude - lat)) > radius:
            continue
        if not _passes(request, c, today):
            continue
        km = fast_distance_km(lat, lon, c.latitude, c.longitude)
        if km > c.max_distance_km or km > radius:
            continue
        overlap = (request.window_mask & c.availability).bit_count()
        passed.append(Ranked(c, km, overlap, _score(request, c, km, overlap, weights)))
    return passed


def top(request: RequestSpec, scored: list[Ranked], limit: int) -> list[Ranked]:
    """The best `limit` of score_all's output in rank order, with their reasons."""
    return [
        Ranked(r.candidate, r.distance_km, r.overlap_slots, r.score, reasons_for(request, r))
        for r in heapq.nsmallest(limit, scored, key=sort_key)
    ]


def rank(
    request: RequestSpec,
    candidates: Iterable[Candidate],
    *,
    now: datetime,
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int = 10,
) -> list[Ranked]:
    """The best `limit` candidates passing every hard filter, best first (see the docstring)."""
    return top(request, score_all(request, candidates, now=now, weights=weights), limit)


def request_window(
    *,
    on_date: date | None,
    time_from: time | None,
    time_until: time | None,
    flexible_days: int | None,
    today: date,
) -> int:
    """The availability slots a request needs.

    A fixed date: the parts of that weekday its time window touches (the whole day
    when no times are given). "Flexibel": every part of the days from today up to
    and including today + flexible_days (the full week from 6 days on).
    """
    if on_date is not None:
        if time_from is None or time_until is None:
            return window_mask(on_date.weekday(), time(0, 0), time(23, 59))
        return window_mask(on_date.weekday(), time_from, time_until)
    days = min(max(flexible_days or 0, 0) + 1, 7)
    mask = 0
    for offset in range(days):
        weekday = (today + timedelta(days=offset)).weekday()
        mask |= window_mask(weekday, time(0, 0), time(23, 59))
    return mask & FULL_WEEK
