"""Month and year roll-ups (monitor_periods): sums of the daily rows, plus the distinct
people of the period counted from the raw tables (they do not add up over days).

- residents_helped: distinct requesters (or phone-intake residents) with a match marked done
  in the period;
- active_volunteers: distinct volunteers with a match made in the period;
- unique_participants (category "" only): distinct people recorded as present at an activity
  with a date in the period (a phone-intake resident counts as their own person).
- residents_reached, and referrals by kind of service: see rollup_outreach.
Category "" holds the initiative's total over all categories (and the new members).
"""

from datetime import date, timedelta

from sqlalchemy import String, delete, func, insert, literal_column, select, type_coerce, union_all

from buurthulp.activities.models import Activity, ActivitySignup
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.monitor.models import ADDITIVE, DISTINCT, DailyRollup, PeriodRollup
from buurthulp.monitor.rollup_days import start_of
from buurthulp.monitor.rollup_outreach import build_referral_kinds, reached
from buurthulp.monitor.sql import day_of, month_of_day, year_of_day, zero, zero_float

COLUMNS = (*ADDITIVE, *DISTINCT)


def _zeros(names) -> list:
    return [(zero_float() if n == "hours" else zero()).label(n) for n in names]


def _from_daily(key, *, total: bool, first: date, last: date):
    period = key(DailyRollup.day)
    category = literal_column("''") if total else DailyRollup.category
    query = select(
        DailyRollup.initiative_id.label("initiative_id"),
        period.label("period"),
        category.label("category"),
        *(func.sum(DailyRollup.__table__.c[n]).label(n) for n in ADDITIVE),
        *_zeros(DISTINCT),
    ).where(DailyRollup.day.between(first, last))
    if total:
        return query.group_by(DailyRollup.initiative_id, period)
    query = query.where(DailyRollup.category != "")
    return query.group_by(DailyRollup.initiative_id, period, DailyRollup.category)


def _distinct(name: str, count) -> list:
    """The DISTINCT columns: `count` as `name`, the others 0."""
    return [(count if n == name else zero()).label(n) for n in DISTINCT]


def _people(key, dialect, *, helped: bool, total: bool, first: date, last: date):
    at = Match.closed_at if helped else Match.created_at
    # A resident helped is the requester, or for a request taken by phone the resident it
    # was for (negative ids keep the two kinds apart).
    resident = func.coalesce(HelpRequest.requester_id, -HelpRequest.proxy_resident_id)
    person = resident if helped else Match.volunteer_id
    category = type_coerce(HelpRequest.category, String(32))
    # DISTINCT rows, then a plain count: the database can hash instead of sorting per group.
    pairs = (
        select(
            HelpRequest.initiative_id.label("initiative_id"),
            key(day_of(at, dialect)).label("period"),
            (literal_column("''") if total else category).label("category"),
            person.label("person"),
        )
        .distinct()
        .join_from(Match, HelpRequest, HelpRequest.id == Match.request_id)
        .where(at >= start_of(first), at < start_of(last + timedelta(days=1)))
    )
    if helped:
        pairs = pairs.where(Match.status == MatchStatus.DONE)
    pairs = pairs.subquery()
    count = func.count(pairs.c.person)  # a deleted account (NULL) is nobody to count
    return select(
        pairs.c.initiative_id,
        pairs.c.period,
        pairs.c.category,
        *_zeros(ADDITIVE),
        *_distinct("residents_helped" if helped else "active_volunteers", count),
    ).group_by(pairs.c.initiative_id, pairs.c.period, pairs.c.category)


def _participants(key, *, first: date, last: date):
    """Distinct people present at an activity in the period, per initiative (category "")."""
    person = func.coalesce(ActivitySignup.user_id, -ActivitySignup.proxy_resident_id)
    pairs = (
        select(
            Activity.initiative_id.label("initiative_id"),
            key(ActivitySignup.occurs_on).label("period"),
            person.label("person"),
        )
        .distinct()
        .join_from(ActivitySignup, Activity, Activity.id == ActivitySignup.activity_id)
        .where(ActivitySignup.attended.is_(True), ActivitySignup.occurs_on.between(first, last))
        .subquery()
    )
    return select(
        pairs.c.initiative_id,
        pairs.c.period,
        literal_column("''").label("category"),
        *_zeros(ADDITIVE),
        *_distinct("unique_participants", func.count(pairs.c.person)),
    ).group_by(pairs.c.initiative_id, pairs.c.period)


def _build(key, dialect: str, periods: list[str], first: date, last: date) -> None:
    db.session.execute(delete(PeriodRollup).where(PeriodRollup.period.in_(periods)))
    window = {"first": first, "last": last}
    sources = [_from_daily(key, total=t, **window) for t in (False, True)]
    sources += [
        _people(key, dialect, helped=h, total=t, **window)
        for h in (True, False)
        for t in (False, True)
    ]
    sources.append(_participants(key, **window))
    sources.append(reached(key, dialect, _zeros, **window))
    rows = union_all(*sources).subquery()
    keys = (rows.c.initiative_id, rows.c.period, rows.c.category)
    grouped = select(*keys, *(func.sum(rows.c[n]) for n in COLUMNS)).group_by(*keys)
    db.session.execute(
        insert(PeriodRollup).from_select(["initiative_id", "period", "category", *COLUMNS], grouped)
    )
    build_referral_kinds(key, dialect, periods, start_of(first), start_of(last + timedelta(days=1)))


def months_between(first: date, last: date) -> list[str]:
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build_periods(first: date, last: date) -> None:
    """Replace the month and year rows that days first..last fall in. Reads whole months and
    years, so the daily rows of those must be up to date."""
    dialect = db.engine.dialect.name
    month_first = first.replace(day=1)
    _build(
        lambda d: month_of_day(d, dialect), dialect, months_between(first, last), month_first, last
    )
    years = [str(y) for y in range(first.year, last.year + 1)]
    _build(lambda d: year_of_day(d, dialect), dialect, years, first.replace(month=1, day=1), last)
