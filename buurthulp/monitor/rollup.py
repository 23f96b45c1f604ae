"""Keeping the monitor's roll-ups up to date: nightly (incremental) and from scratch.

Both are idempotent: they replace whole days, months and years with counts computed from the
raw tables, so running them twice changes nothing.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, text

from buurthulp.activities.models import ActivitySignup
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.listings.models import HelpRequest
from buurthulp.monitor.models import DailyRollup, PeriodRollup, ReferralKindRollup, RollupState
from buurthulp.monitor.rollup_days import build_days
from buurthulp.monitor.rollup_outreach import first_day as first_outreach_day
from buurthulp.monitor.rollup_periods import build_periods

# Past days that can still change: a match's hours may be filled in (by its second party)
# weeks after it was closed, and a transaction may commit after the previous run.
LOOKBACK = timedelta(days=31)
STATE_ID = 1


def _first_event_day() -> date | None:
    firsts = [
        db.session.execute(select(func.min(column))).scalar()
        for column in (HelpRequest.created_at, Membership.created_at, ActivitySignup.occurs_on)
    ]
    days = [f.date() if isinstance(f, datetime) else f for f in firsts if f is not None]
    days += [day for day in [first_outreach_day()] if day is not None]
    return min(days) if days else None


def _save_state(now: datetime) -> None:
    state = db.session.get(RollupState, STATE_ID)
    if state is None:
        db.session.add(RollupState(id=STATE_ID, rolled_until=now))
    else:
        state.rolled_until = now


def _build(first: date, last: date) -> None:
    if db.engine.dialect.name == "postgresql":
        # Millions of rows to group: let PostgreSQL hash in memory instead of sorting on disk.
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))
    build_days(first, last)
    build_periods(first, last)


def _drop_orphans() -> None:
    """Rows of initiatives that were deleted (the roll-ups have no foreign key)."""
    known = select(Initiative.id)
    for model in (DailyRollup, PeriodRollup, ReferralKindRollup):
        db.session.execute(delete(model).where(model.initiative_id.not_in(known)))


def update_rollups(now: datetime) -> dict:
    """The nightly job: recompute the days since the last run (less LOOKBACK) up to `now`'s
    day, and the months and years they fall in; the first run builds everything."""
    state = db.session.get(RollupState, STATE_ID)
    last = now.date()
    if state is None:
        first = _first_event_day() or last
    else:
        first = min((state.rolled_until - LOOKBACK).date(), last)
    _build(first, last)
    _drop_orphans()
    _save_state(now)
    db.session.commit()
    return {"first_day": first.isoformat(), "last_day": last.isoformat()}


def rebuild_rollups(now: datetime | None = None) -> dict:
    """Throw every roll-up away and build them again from the raw tables."""
    now = now or utcnow()
    if db.engine.dialect.name == "postgresql":
        # Millions of rows: TRUNCATE skips the row-by-row delete (SQLite does that by itself
        # for a DELETE without WHERE).
        db.session.execute(text("TRUNCATE monitor_daily, monitor_periods, monitor_referral_kinds"))
    else:
        db.session.execute(delete(ReferralKindRollup))
        db.session.execute(delete(PeriodRollup))
        db.session.execute(delete(DailyRollup))
    first = _first_event_day()
    if first is not None:
        _build(first, now.date())
    _save_state(now)
    db.session.commit()
    days = db.session.execute(select(func.count()).select_from(DailyRollup)).scalar_one()
    return {"daily_rows": days}
