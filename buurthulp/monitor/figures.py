"""An initiative's figures for one year and the year before, read from monitor_periods.

For its coordinators and buurtverbinders: their own initiative's counts, so no disclosure
control here (the national monitor and open data apply it).
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.monitor.models import (
    ADDITIVE,
    DISTINCT,
    WAIT_COLUMNS,
    PeriodRollup,
    ReferralKindRollup,
)
from buurthulp.translatable import N_

# What the pages show, in this order, with their Dutch labels.
METRICS = {
    "requests": N_("Hulpvragen geplaatst"),
    "first_responses": N_("Hulpvragen met een eerste reactie"),
    "matched_requests": N_("Hulpvragen gekoppeld"),
    "matches": N_("Koppelingen gemaakt"),
    "completed": N_("Keren hulp gegeven"),
    "hours": N_("Uren hulp"),
    "residents_helped": N_("Bewoners geholpen"),
    "active_volunteers": N_("Actieve vrijwilligers"),
    "new_members": N_("Nieuwe leden"),
    "proxy_requests": N_("Hulpvragen via de telefoon"),
    "activities_held": N_("Activiteiten gehouden"),
    "activity_participants": N_("Deelnames aan activiteiten"),
    "unique_participants": N_("Verschillende deelnemers aan activiteiten"),
    "contacts": N_("Contactmomenten"),
    "residents_reached": N_("Bewoners bereikt met een contactmoment"),
    "referrals": N_("Doorverwijzingen naar de sociale kaart"),
}
# Upper bounds of the wait buckets, in words (the last one has none).
WAIT_LABELS = (
    N_("binnen een uur"),
    N_("binnen 4 uur"),
    N_("binnen een dag"),
    N_("binnen 3 dagen"),
    N_("binnen een week"),
    N_("na meer dan een week"),
)


def median_wait(counts: list[int]) -> int | None:
    """Index of the wait bucket that holds the median match, or None without matches."""
    total = sum(counts)
    if total == 0:
        return None
    running = 0
    for index, count in enumerate(counts):
        running += count
        if 2 * running >= total:
            return index
    return len(counts) - 1


def match_rate(values: dict) -> float | None:
    """Share of the year's requests that got a match: matched / posted, at most 1."""
    if not values.get("requests"):
        return None
    return min(1.0, values.get("matched_requests", 0) / values["requests"])


def _values(row: PeriodRollup | None) -> dict:
    return {n: (getattr(row, n) if row else 0) for n in (*ADDITIVE, *DISTINCT)}


@dataclass(frozen=True)
class YearFigures:
    year: int
    totals: dict
    months: list[dict]
    categories: dict = field(default_factory=dict)

    @property
    def match_rate(self) -> float | None:
        return match_rate(self.totals)

    @property
    def median_wait(self) -> int | None:
        return median_wait([self.totals[c] for c in WAIT_COLUMNS])


def _year(rows: dict, year: int) -> YearFigures:
    months = [_values(rows.get((f"{year:04d}-{m:02d}", ""))) for m in range(1, 13)]
    categories = {
        category: _values(row)
        for (period, category), row in sorted(rows.items())
        if period == str(year) and category and row.requests + row.matches + row.completed
    }
    return YearFigures(year, _values(rows.get((str(year), ""))), months, categories)


def initiative_years(initiative_id: int, year: int) -> tuple[YearFigures, YearFigures]:
    """This year's and last year's figures of one initiative (two small indexed reads)."""
    wanted = [str(y) for y in (year, year - 1)]
    periods = wanted + [f"{y}-{m:02d}" for y in wanted for m in range(1, 13)]
    found = db.session.execute(
        select(PeriodRollup).where(
            PeriodRollup.initiative_id == initiative_id, PeriodRollup.period.in_(periods)
        )
    ).scalars()
    rows = {(r.period, r.category): r for r in found}
    return _year(rows, year), _year(rows, year - 1)


def csv_rows(initiative_id: int, year: int) -> list[list]:
    """The year per month and category, and the totals, as rows for a CSV export."""
    found = db.session.execute(
        select(PeriodRollup)
        .where(
            PeriodRollup.initiative_id == initiative_id,
            PeriodRollup.period.like(f"{year:04d}%"),
        )
        .order_by(PeriodRollup.period, PeriodRollup.category)
    ).scalars()
    names = list(METRICS)
    rows = [["period", "category", *names, *WAIT_COLUMNS]]
    for row in found:
        values = _values(row)
        rows.append(
            [row.period, row.category or "total", *(values[n] for n in names)]
            + [values[c] for c in WAIT_COLUMNS]
        )
    return rows


def referral_kinds(initiative_id: int, year: int) -> dict[str, tuple[int, int]]:
    """Referrals per kind of service: {kind: (this year, the year before)}."""
    found = db.session.execute(
        select(ReferralKindRollup).where(
            ReferralKindRollup.initiative_id == initiative_id,
            ReferralKindRollup.period.in_([str(year), str(year - 1)]),
        )
    ).scalars()
    counts: dict[str, list[int]] = {}
    for row in found:
        counts.setdefault(row.kind, [0, 0])[0 if row.period == str(year) else 1] = row.referrals
    return {kind: (this, last) for kind, (this, last) in sorted(counts.items())}
