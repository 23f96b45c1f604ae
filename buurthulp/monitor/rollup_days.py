"""Daily roll-up rows (monitor_daily) computed from the raw tables in one INSERT ... SELECT.

What each count means, per initiative, UTC day and the request's category:
- requests: help requests posted that day;
- first_responses: requests whose first sign of help (an "Ik wil helpen" or a match) came
  that day;
- matched_requests: requests whose first match was made that day;
- matches: matches made that day (whatever became of them), and how long after posting
  (wait_* buckets, by the match's day);
- completed, hours: matches marked done that day (by `closed_at`) and their hours;
- new_members (category ""): memberships that started that day;
- proxy_requests: requests posted that day by a contact person for a resident (phone intake);
- activities_held, activity_participants (category ""): activity dates on that day with at
  least one participant recorded as present, and those attendances (by the activity's date,
  a Dutch calendar date, not by when attendance was recorded).
- contacts, referrals (category ""): outreach check-ins and referrals (rollup_outreach).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    String,
    and_,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
    union_all,
)

from buurthulp.activities.models import Activity, ActivitySignup
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import HelpRequest, HelpResponse
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.monitor.models import ADDITIVE, WAIT_BUCKETS, WAIT_COLUMNS, DailyRollup
from buurthulp.monitor.rollup_outreach import daily_sources
from buurthulp.monitor.sql import day_of, hours_between, zero, zero_float


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _row(initiative_id, day, category, **values):
    """One source's columns in the fixed order of ADDITIVE; absent counts are 0."""
    columns = [initiative_id.label("initiative_id"), day.label("day"), category.label("category")]
    for name in ADDITIVE:
        default = zero_float() if name == "hours" else zero()
        columns.append(values.get(name, default).label(name))
    return columns


def _category():
    return type_coerce(HelpRequest.category, String(32))


def _requests(dialect, lo, hi):
    return select(
        *_row(
            HelpRequest.initiative_id,
            day_of(HelpRequest.created_at, dialect),
            _category(),
            requests=literal_column("1"),
            proxy_requests=case((HelpRequest.proxy_resident_id.is_not(None), 1), else_=0),
        )
    ).where(HelpRequest.created_at >= lo, HelpRequest.created_at < hi)


def _first_responses(dialect, lo, hi):
    signs = union_all(
        select(HelpResponse.request_id, HelpResponse.created_at.label("at")),
        select(Match.request_id, Match.created_at.label("at")),
    ).subquery()
    first = (
        select(signs.c.request_id, func.min(signs.c.at).label("at"))
        .group_by(signs.c.request_id)
        .having(func.min(signs.c.at) >= lo, func.min(signs.c.at) < hi)
        .subquery()
    )
    return select(
        *_row(
            HelpRequest.initiative_id,
            day_of(first.c.at, dialect),
            _category(),
            first_responses=literal_column("1"),
        )
    ).join_from(first, HelpRequest, HelpRequest.id == first.c.request_id)


def _matched_requests(dialect, lo, hi):
    first = (
        select(Match.request_id, func.min(Match.created_at).label("at"))
        .group_by(Match.request_id)
        .having(func.min(Match.created_at) >= lo, func.min(Match.created_at) < hi)
        .subquery()
    )
    return select(
        *_row(
            HelpRequest.initiative_id,
            day_of(first.c.at, dialect),
            _category(),
            matched_requests=literal_column("1"),
        )
    ).join_from(first, HelpRequest, HelpRequest.id == first.c.request_id)


def _wait_columns(dialect) -> dict:
    waited = hours_between(Match.created_at, HelpRequest.created_at, dialect)
    columns, lower = {}, None
    for bound, name in zip((*WAIT_BUCKETS, None), WAIT_COLUMNS, strict=True):
        conditions = [
            c for c in (lower, None if bound is None else waited <= bound) if c is not None
        ]
        columns[name] = case((and_(*conditions), 1), else_=0)
        lower = waited > bound if bound is not None else None
    return columns


def _matches(dialect, lo, hi):
    return (
        select(
            *_row(
                HelpRequest.initiative_id,
                day_of(Match.created_at, dialect),
                _category(),
                matches=literal_column("1"),
                **_wait_columns(dialect),
            )
        )
        .join_from(Match, HelpRequest, HelpRequest.id == Match.request_id)
        .where(Match.created_at >= lo, Match.created_at < hi)
    )


def _completed(dialect, lo, hi):
    return (
        select(
            *_row(
                HelpRequest.initiative_id,
                day_of(Match.closed_at, dialect),
                _category(),
                completed=literal_column("1"),
                hours=func.coalesce(Match.hours, 0.0),
            )
        )
        .join_from(Match, HelpRequest, HelpRequest.id == Match.request_id)
        .where(Match.status == MatchStatus.DONE, Match.closed_at >= lo, Match.closed_at < hi)
    )


def _members(dialect, lo, hi):
    return select(
        *_row(
            Membership.initiative_id,
            day_of(Membership.created_at, dialect),
            literal_column("''"),
            new_members=literal_column("1"),
        )
    ).where(Membership.created_at >= lo, Membership.created_at < hi)


def _attended(lo: datetime, hi: datetime):
    """Sign-ups marked present, with an activity date in [lo, hi)."""
    return ActivitySignup.attended.is_(True), ActivitySignup.occurs_on.between(
        lo.date(), (hi - timedelta(days=1)).date()
    )


def _participants(dialect, lo, hi):
    return (
        select(
            *_row(
                Activity.initiative_id,
                ActivitySignup.occurs_on,
                literal_column("''"),
                activity_participants=literal_column("1"),
            )
        )
        .join_from(ActivitySignup, Activity, Activity.id == ActivitySignup.activity_id)
        .where(*_attended(lo, hi))
    )


def _held(dialect, lo, hi):
    held = (
        select(ActivitySignup.activity_id, ActivitySignup.occurs_on)
        .distinct()
        .where(*_attended(lo, hi))
        .subquery()
    )
    return select(
        *_row(
            Activity.initiative_id,
            held.c.occurs_on,
            literal_column("''"),
            activities_held=literal_column("1"),
        )
    ).join_from(held, Activity, Activity.id == held.c.activity_id)


def build_days(first: date, last: date) -> None:
    """Replace the daily rows of days first..last (inclusive) with counts from the raw tables."""
    dialect = db.engine.dialect.name
    lo, hi = start_of(first), start_of(last + timedelta(days=1))
    db.session.execute(delete(DailyRollup).where(DailyRollup.day.between(first, last)))
    events = union_all(
        *(
            source(dialect, lo, hi)
            for source in (
                _requests,
                _first_responses,
                _matched_requests,
                _matches,
                _completed,
                _members,
                _participants,
                _held,
            )
        ),
        *daily_sources(_row, dialect, lo, hi),
    ).subquery()
    keys = (events.c.initiative_id, events.c.day, events.c.category)
    grouped = select(*keys, *(func.sum(events.c[name]) for name in ADDITIVE)).group_by(*keys)
    db.session.execute(
        insert(DailyRollup).from_select(["initiative_id", "day", "category", *ADDITIVE], grouped)
    )
