"""The search's pool of offers found so far (see search.py): rows bounded from above until
their stats are loaded, then scored for real; and the Candidate a row becomes."""

import heapq
from datetime import datetime
from functools import lru_cache

from buurthulp.matching import core
from buurthulp.matching.search_sql import load_stats

FIRST_BATCH = 20


@lru_cache(maxsize=64)
def _languages(text: str) -> frozenset:
    return frozenset(code.strip() for code in text.split(",") if code.strip())


def candidate_from_row(row, categories, tasks, rates, blocked_with) -> core.Candidate:
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
        languages=_languages(languages),
        blocked_with=blocked_with or frozenset(),
    )


class Pool:
    """The offers found so far: unresolved ones on a heap by their score's upper bound,
    resolved ones (with their stats) scored for real."""

    def __init__(self, spec, now: datetime, weights: core.Weights, exclude, only=None):
        self.spec, self.now, self.weights, self.exclude = spec, now, weights, exclude
        self.only = only
        self.category = frozenset({spec.category})
        self.pending: list = []
        self.rows: list = []
        self.scored: list[core.Ranked] = []
        self.batch = FIRST_BATCH

    def add(self, rows) -> None:
        spec, weights, exclude = self.spec, self.weights, self.exclude
        lat, lon, radius, window = spec.latitude, spec.longitude, spec.radius_km, spec.window_mask
        language = spec.language
        only = self.only
        for row in rows:
            if row[1] in exclude or (only is not None and row[1] not in only):
                continue
            km = core.fast_distance_km(lat, lon, row[2], row[3])
            if km > radius or km > row[5]:
                continue
            speaks = language is not None and language in _languages(row[9])
            upper = core.upper_score(spec, km, (window & row[4]).bit_count(), speaks, weights)
            self.rows.append(row)
            heapq.heappush(self.pending, (-upper, km, row[1], row[0], row))

    def found(self) -> int:
        """Offers passing the SQL and distance filters so far (some may fail on stats)."""
        return len(self.pending) + len(self.scored)

    def best(self, limit: int) -> list[core.Ranked]:
        return heapq.nsmallest(limit, self.scored, key=core.sort_key)

    def likely_kth(self, limit: int) -> float | None:
        """A guess of the `limit`-th real score without loading stats: unresolved offers
        count at their bound less the usual gap (no accept rate yet). Only steers how far
        the next ring reaches and how many to resolve at once; never decides the result."""
        guesses = [-entry[0] - self.usual_gap for entry in heapq.nsmallest(limit, self.pending)]
        guesses += [r.score for r in self.best(limit)]
        return sorted(guesses, reverse=True)[limit - 1] if len(guesses) >= limit else None

    @property
    def usual_gap(self) -> float:
        return self.weights.accepts * (1 - core.NEUTRAL_ACCEPT_RATE)

    def _first_batch(self, limit: int) -> int:
        # Everyone whose bound reaches the likely tenth score, so one stats query usually does.
        kth = self.likely_kth(limit)
        if kth is None:
            return FIRST_BATCH
        return max(FIRST_BATCH, sum(1 for entry in self.pending if -entry[0] >= kth))

    def resolve(self, limit: int) -> list[core.Ranked]:
        """Score contenders for real until no unresolved offer can enter the top `limit`."""
        if self.pending and not self.scored:
            self.batch = self._first_batch(limit)
        while self.pending:
            best = self.best(limit)
            if len(best) == limit and best[-1].score > -self.pending[0][0]:
                break
            rows = [
                heapq.heappop(self.pending)[4] for _ in range(min(self.batch, len(self.pending)))
            ]
            self.batch *= 2
            self.scored += core.score_all(
                self.spec, self._candidates(rows), now=self.now, weights=self.weights
            )
        return self.best(limit)

    def _candidates(self, rows) -> list[core.Candidate]:
        spec = self.spec
        tasks, rates, blocked = load_stats([row[1] for row in rows], spec.requester_id, self.now)
        requester_only = frozenset({spec.requester_id})
        return [
            candidate_from_row(
                row, self.category, tasks, rates, requester_only if row[1] in blocked else None
            )
            for row in rows
        ]

    def all_candidates(self) -> list[core.Candidate]:
        return self._candidates(self.rows) if self.rows else []
