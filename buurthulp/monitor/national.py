"""The national monitor's figures: the registry's initiatives and the year's activity, per
province and more, every count through disclosure control. No personal data: only counts.

Reads the initiatives registry (approved entries) and monitor_periods, never raw activity.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.initiatives.models import (
    Domain,
    Initiative,
    InitiativeDomain,
    InitiativeKind,
    LegalForm,
    Phase,
    RegistryStatus,
)
from buurthulp.listings.models import Category
from buurthulp.monitor.disclosure import Cell, Table, protect_counts, protect_table
from buurthulp.monitor.models import PeriodRollup, ReferralKindRollup, RollupState
from buurthulp.monitor.province_map import province_shapes
from buurthulp.monitor.survey import survey_totals_by_province
from buurthulp.outreach.models import ServiceKind

GROWTH_YEARS = 10
ACTIVITY_COLUMNS = ("activities_held", "activity_participants", "unique_participants")


def provinces() -> list[str]:
    return list(province_shapes()[0])


@dataclass(frozen=True)
class Counts:
    """A published list of counts by key, with its total."""

    cells: dict[str, Cell]
    total: Cell

    def json(self) -> dict:
        return {"cells": {k: c.json() for k, c in self.cells.items()}, "total": self.total.json()}


@dataclass(frozen=True)
class NationalFigures:
    year: int
    by_province: Counts
    by_kind: Counts
    by_domain: Counts
    by_legal_form: Counts
    by_phase: Counts
    new_per_year: Counts
    help_given: Table  # provinces x categories: matches marked done in the year
    help_rows: list[str]
    help_columns: list[str]
    residents_helped: Counts
    active_volunteers: Counts
    # Ontmoeting: activity dates held, attendances, distinct participants (per initiative,
    # summed over a province's initiatives).
    activities_held: Counts
    activity_participants: Counts
    unique_participants: Counts
    # From the yearly survey: initiatives that answered, and what they reported.
    survey_answered: Counts
    survey_volunteers: Counts
    survey_participants: Counts
    # Outreach: check-ins, distinct residents reached, and referrals by kind of service.
    contacts: Counts
    residents_reached: Counts
    referrals_by_kind: Counts


def _registered():
    return Initiative.registry_status == RegistryStatus.APPROVED


def _counts(column, keys: list[str], *extra_where) -> Counts:
    found = dict(
        db.session.execute(
            select(column, func.count()).where(_registered(), *extra_where).group_by(column)
        ).all()
    )
    cells, total = protect_counts({k: found.get(k, 0) for k in keys})
    return Counts(cells, total)


def _domains() -> Counts:
    found = dict(
        db.session.execute(
            select(InitiativeDomain.domain, func.count())
            .join(Initiative, Initiative.id == InitiativeDomain.initiative_id)
            .where(_registered())
            .group_by(InitiativeDomain.domain)
        ).all()
    )
    cells, total = protect_counts({d.value: found.get(d, 0) for d in Domain})
    return Counts(cells, total)


def _new_per_year(year: int) -> Counts:
    started = func.coalesce(Initiative.founding_year, func.extract("year", Initiative.created_at))
    years = list(range(year - GROWTH_YEARS + 1, year + 1))
    found = dict(
        db.session.execute(
            select(started, func.count()).where(_registered()).group_by(started)
        ).all()
    )
    found = {int(k): v for k, v in found.items() if k is not None}
    cells, total = protect_counts({str(y): found.get(y, 0) for y in years})
    return Counts(cells, total)


PEOPLE = ("residents_helped", "active_volunteers", *ACTIVITY_COLUMNS)


def _activity(year: int) -> tuple[Table, list[str], list[str], list[Counts]]:
    """Help given per province and category, and the per-province counts of PEOPLE."""
    names = provinces()
    categories = [c.value for c in Category]
    base = (
        select(
            Initiative.province,
            PeriodRollup.category,
            func.sum(PeriodRollup.completed),
            *(func.sum(getattr(PeriodRollup, name)) for name in PEOPLE),
        )
        .join(Initiative, Initiative.id == PeriodRollup.initiative_id)
        .where(PeriodRollup.period == str(year), _registered())
        .group_by(Initiative.province, PeriodRollup.category)
    )
    done: dict = {}
    people: dict[str, dict] = {name: {} for name in PEOPLE}
    for province, category, completed, *values in db.session.execute(base):
        if category:
            done[(province, category)] = int(completed or 0)
            continue
        for name, value in zip(PEOPLE, values, strict=True):
            people[name][province] = int(value or 0)
    table = protect_table([[done.get((p, c), 0) for c in categories] for p in names])
    counts = [
        Counts(*protect_counts({p: people[name].get(p, 0) for p in names})) for name in PEOPLE
    ]
    return table, names, categories, counts


def _outreach(year: int) -> tuple[Counts, Counts, Counts]:
    """Counts only, each through disclosure control like every published figure."""
    names = provinces()
    per_province = (
        select(
            Initiative.province,
            func.sum(PeriodRollup.contacts),
            func.sum(PeriodRollup.residents_reached),
        )
        .join(Initiative, Initiative.id == PeriodRollup.initiative_id)
        .where(PeriodRollup.period == str(year), PeriodRollup.category == "", _registered())
        .group_by(Initiative.province)
    )
    contacts, reached = {}, {}
    for province, made, people in db.session.execute(per_province):
        contacts[province], reached[province] = int(made or 0), int(people or 0)
    kinds = dict(
        db.session.execute(
            select(ReferralKindRollup.kind, func.sum(ReferralKindRollup.referrals))
            .join(Initiative, Initiative.id == ReferralKindRollup.initiative_id)
            .where(ReferralKindRollup.period == str(year), _registered())
            .group_by(ReferralKindRollup.kind)
        ).all()
    )
    return (
        Counts(*protect_counts({p: contacts.get(p, 0) for p in names})),
        Counts(*protect_counts({p: reached.get(p, 0) for p in names})),
        Counts(*protect_counts({k.value: int(kinds.get(k.value) or 0) for k in ServiceKind})),
    )


def _survey(year: int) -> list[Counts]:
    totals = survey_totals_by_province(year)
    names = provinces()
    return [
        Counts(*protect_counts({p: totals.get(p, {}).get(key, 0) for p in names}))
        for key in ("answered", "volunteers", "participants")
    ]


def national_figures(year: int) -> NationalFigures:
    """Everything the national monitor and its open data publish for one year."""
    help_given, rows, columns, people = _activity(year)
    helped, active, held, attendances, attendees = people
    answered, volunteers, participants = _survey(year)
    contacts, reached, referrals = _outreach(year)
    return NationalFigures(
        year=year,
        by_province=_counts(Initiative.province, provinces()),
        by_kind=_counts(Initiative.kind, [k.value for k in InitiativeKind]),
        by_domain=_domains(),
        by_legal_form=_counts(Initiative.legal_form, [f.value for f in LegalForm]),
        by_phase=_counts(Initiative.phase, [p.value for p in Phase]),
        new_per_year=_new_per_year(year),
        help_given=help_given,
        help_rows=rows,
        help_columns=columns,
        residents_helped=helped,
        active_volunteers=active,
        activities_held=held,
        activity_participants=attendances,
        unique_participants=attendees,
        survey_answered=answered,
        survey_volunteers=volunteers,
        survey_participants=participants,
        contacts=contacts,
        residents_reached=reached,
        referrals_by_kind=referrals,
    )


def _version() -> tuple:
    """Changes whenever the published figures can: a roll-up run or a registry change."""
    rolled = db.session.execute(select(RollupState.rolled_until)).scalar()
    registry = db.session.execute(
        select(func.count(), func.max(Initiative.id), func.max(Initiative.approved_at)).where(
            _registered()
        )
    ).one()
    return (rolled, *registry)


def national_figures_cached(app, year: int) -> NationalFigures:
    """national_figures, kept per app until the roll-ups or the registry change."""
    cache = app.extensions.setdefault("monitor_national", {})
    key = (year, _version())
    if key not in cache:
        if len(cache) > 32:
            cache.clear()
        cache[key] = national_figures(year)
    return cache[key]
