"""Roll-up tables the monitor pages read, the roll-up watermark, and the yearly survey.

Roll-ups hold counts only, never a person: pages and open data read these, not the raw
tables. Days are UTC days. `category` is a Category value, or "" for figures that belong to
no category (new members) and, in `monitor_periods`, for the initiative's total.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db

# Time from posting a request to its match, as cumulative-free buckets (upper bounds, hours).
WAIT_BUCKETS = (1, 4, 24, 72, 168)
WAIT_COLUMNS = ("wait_1h", "wait_4h", "wait_24h", "wait_72h", "wait_168h", "wait_longer")
# Counts that add up over days and categories.
ADDITIVE = (
    "requests",
    "first_responses",
    "matches",
    "matched_requests",
    "completed",
    "hours",
    "new_members",
    *WAIT_COLUMNS,
    "proxy_requests",
    "activities_held",
    "activity_participants",
    "contacts",
    "referrals",
)
# Distinct people in a period: they do not add up over days or categories.
DISTINCT = ("residents_helped", "active_volunteers", "unique_participants", "residents_reached")


class _Counts:
    requests: Mapped[int] = mapped_column(default=0)
    first_responses: Mapped[int] = mapped_column(default=0)
    matches: Mapped[int] = mapped_column(default=0)
    matched_requests: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    hours: Mapped[float] = mapped_column(default=0.0)
    new_members: Mapped[int] = mapped_column(default=0)
    wait_1h: Mapped[int] = mapped_column(default=0)
    wait_4h: Mapped[int] = mapped_column(default=0)
    wait_24h: Mapped[int] = mapped_column(default=0)
    wait_72h: Mapped[int] = mapped_column(default=0)
    wait_168h: Mapped[int] = mapped_column(default=0)
    wait_longer: Mapped[int] = mapped_column(default=0)
    proxy_requests: Mapped[int] = mapped_column(default=0, server_default="0")
    # Ontmoeting (category ""): activity dates with at least one participant recorded as
    # present, and those attendances, by the activity's date.
    activities_held: Mapped[int] = mapped_column(default=0, server_default="0")
    activity_participants: Mapped[int] = mapped_column(default=0, server_default="0")
    # Outreach (category ""): check-ins logged and referrals made (buurthulp.outreach).
    contacts: Mapped[int] = mapped_column(default=0, server_default="0")
    referrals: Mapped[int] = mapped_column(default=0, server_default="0")


class DailyRollup(_Counts, db.Model):
    """One initiative's activity on one UTC day in one category."""

    __tablename__ = "monitor_daily"

    # No foreign key on purpose: a rebuild inserts millions of rows and would pay a trigger for
    # each; update_rollups() drops the rows of initiatives that no longer exist.
    initiative_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_monitor_daily_day", "day"),)


class PeriodRollup(_Counts, db.Model):
    """One initiative's activity in a month ("2025-03") or a year ("2025"), per category and
    in total (category ""), with the distinct residents helped, volunteers active and
    activity participants."""

    __tablename__ = "monitor_periods"

    initiative_id: Mapped[int] = mapped_column(primary_key=True)  # no foreign key: see above
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    residents_helped: Mapped[int] = mapped_column(default=0)
    active_volunteers: Mapped[int] = mapped_column(default=0)
    # Distinct people who attended an activity in the period (category "" only).
    unique_participants: Mapped[int] = mapped_column(default=0, server_default="0")
    # Distinct residents a contact person reached (a check-in other than "niet thuis").
    residents_reached: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (Index("ix_monitor_periods_period_category", "period", "category"),)


class ReferralKindRollup(db.Model):
    """Referrals to local services per initiative, month or year, and kind of service
    (a ServiceKind value): a table of its own, because service kinds are not request
    categories."""

    __tablename__ = "monitor_referral_kinds"

    initiative_id: Mapped[int] = mapped_column(primary_key=True)  # no foreign key: see above
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    referrals: Mapped[int] = mapped_column(default=0)


class RollupState(db.Model):
    """How far the roll-ups are up to date; one row (id 1)."""

    __tablename__ = "monitor_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    rolled_until: Mapped[datetime] = mapped_column(UTCDateTime())


class SurveyResponse(db.Model):
    """An initiative's answers to the yearly questionnaire (enquête)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    year: Mapped[int]
    volunteers: Mapped[int] = mapped_column(default=0)
    members: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)
    # Comma-separated keys from buurthulp.monitor.survey.
    target_groups: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[str] = mapped_column(String(200), default="")
    activities: Mapped[str] = mapped_column(String(200), default="")
    funding: Mapped[str] = mapped_column(String(200), default="")
    legal_form: Mapped[str] = mapped_column(String(32), default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("initiative_id", "year"),)
