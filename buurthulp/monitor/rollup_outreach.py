"""The outreach part of the roll-ups (buurthulp.outreach): counts only, never a person.

- contacts (daily, category ""): check-ins by the day of the contact (`on_date`; the
  outreach rules keep it within the roll-up's look-back, so a nightly update sees it);
- referrals (daily, category ""): referrals to a local service, by the day they were made;
- residents_reached (periods, category ""): distinct residents with a check-in other than
  "niet thuis" in the period (members and phone-intake residents apart, as residents_helped);
- monitor_referral_kinds: referrals per period and kind of service.
"""

from datetime import date, datetime

from sqlalchemy import String, delete, func, insert, literal_column, select, type_coerce

from buurthulp.extensions import db
from buurthulp.monitor.models import ADDITIVE, DISTINCT, ReferralKindRollup
from buurthulp.monitor.sql import day_of, zero
from buurthulp.outreach.models import CheckIn, CheckInOutcome, Referral


def daily_sources(row, dialect, lo, hi) -> list:
    """SELECTs in `row`'s column order (rollup_days._row) for [lo, hi)."""
    contacts = select(
        *row(
            CheckIn.initiative_id,
            CheckIn.on_date,
            literal_column("''"),
            contacts=literal_column("1"),
        )
    ).where(CheckIn.on_date >= lo.date(), CheckIn.on_date < hi.date())
    referrals = select(
        *row(
            Referral.initiative_id,
            day_of(Referral.created_at, dialect),
            literal_column("''"),
            referrals=literal_column("1"),
        )
    ).where(Referral.created_at >= lo, Referral.created_at < hi)
    return [contacts, referrals]


def reached(key, dialect, zeros, *, first: date, last: date):
    """One period source (rollup_periods): distinct residents reached, category ""."""
    person = func.coalesce(CheckIn.user_id, -CheckIn.proxy_resident_id)
    pairs = (
        select(
            CheckIn.initiative_id.label("initiative_id"),
            key(CheckIn.on_date).label("period"),
            literal_column("''").label("category"),
            person.label("person"),
        )
        .distinct()
        .where(
            CheckIn.on_date >= first,
            CheckIn.on_date <= last,
            CheckIn.outcome != CheckInOutcome.NOT_HOME,
        )
        .subquery()
    )
    return select(
        pairs.c.initiative_id,
        pairs.c.period,
        pairs.c.category,
        *zeros(ADDITIVE),
        *(
            (func.count(pairs.c.person) if name == "residents_reached" else zero()).label(name)
            for name in DISTINCT
        ),
    ).group_by(pairs.c.initiative_id, pairs.c.period, pairs.c.category)


def build_referral_kinds(key, dialect, periods: list[str], lo: datetime, hi: datetime) -> None:
    """Replace the referral counts by kind of the given periods (made in [lo, hi))."""
    db.session.execute(delete(ReferralKindRollup).where(ReferralKindRollup.period.in_(periods)))
    period = key(day_of(Referral.created_at, dialect))
    kind = type_coerce(Referral.kind, String(32))
    grouped = (
        select(Referral.initiative_id, period, kind, func.count())
        .where(Referral.created_at >= lo, Referral.created_at < hi)
        .group_by(Referral.initiative_id, period, kind)
    )
    db.session.execute(
        insert(ReferralKindRollup).from_select(
            ["initiative_id", "period", "kind", "referrals"], grouped
        )
    )


def first_day() -> date | None:
    """The earliest outreach event, for a rebuild's first day."""
    contact = db.session.execute(select(func.min(CheckIn.on_date))).scalar()
    referral = db.session.execute(select(func.min(Referral.created_at))).scalar()
    days = [d for d in (contact, referral.date() if referral else None) if d is not None]
    return min(days) if days else None
