"""Activities an initiative organises, and who signed up for which date.

A weekly activity is one row with a rhythm; sign-ups, the waiting list and attendance are
per date (`occurs_on`), so every week has its own capacity.
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.moderation.models import ReviewState


class ActivityKind(StrEnum):
    MEAL_CLUB = "meal_club"  # eetclub
    GAMES = "games"  # spelletjesmiddag
    LANGUAGE_CAFE = "language_cafe"  # taalcafé
    COFFEE_MORNING = "coffee_morning"  # koffieochtend
    WALKING_GROUP = "walking_group"  # wandelgroep
    DAY_ACTIVITIES = "day_activities"  # dagbesteding (zonder indicatie)
    OTHER = "other"  # anders


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"  # the whole activity (all dates) is off


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"  # aangemeld, has a place
    WAITING = "waiting"  # op de wachtlijst; moves up in order of signed_up_at
    CANCELLED = "cancelled"  # afgemeld


class Activity(db.Model):
    """An activity at a named venue (the buurthuis, a library): never a private address."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))
    description: Mapped[str] = mapped_column(Text, default="")
    venue_name: Mapped[str] = mapped_column(String(120))
    venue_street: Mapped[str] = mapped_column(String(160))  # street and number of the venue
    venue_postcode: Mapped[str] = mapped_column(String(6))
    place: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float]
    longitude: Mapped[float]
    # The first (or only) date; a weekly activity repeats on its weekday until `ends_on`.
    starts_on: Mapped[date]
    start_time: Mapped[time]
    end_time: Mapped[time | None]
    weekly: Mapped[bool] = mapped_column(default=False)
    ends_on: Mapped[date | None]
    capacity: Mapped[int | None]  # None: no limit
    cost_cents: Mapped[int] = mapped_column(default=0)
    wheelchair_accessible: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    accessibility_notes: Mapped[str] = mapped_column(String(300), default="")
    transport_available: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus), default=ActivityStatus.PLANNED
    )
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState), default=ReviewState.APPROVED
    )
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Bumped by every sign-up change: writing it first serialises concurrent sign-ups for
    # this activity on SQLite and PostgreSQL alike (see activities.signups).
    signup_version: Mapped[int] = mapped_column(default=0)

    initiative: Mapped[Initiative] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("cost_cents >= 0", name="cost_not_negative"),
        Index("ix_activities_initiative_id_starts_on", "initiative_id", "starts_on"),
    )


class ActivitySignup(db.Model):
    """One participant (a member, or a phone-intake resident) for one date of an activity."""

    __tablename__ = "activity_signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    occurs_on: Mapped[date]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="CASCADE")
    )
    status: Mapped[SignupStatus] = mapped_column(enum_column(SignupStatus))
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A contact person who signed the resident up by phone; None when they did it themselves.
    signed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The lift ("vervoer/lift") request made for this date from the activity page.
    lift_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL")
    )
    attended: Mapped[bool | None]  # recorded afterwards; None: not recorded
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    activity: Mapped[Activity] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    proxy_resident: Mapped["ProxyResident | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint(
            "activity_id", "occurs_on", "user_id", name="uq_activity_signups_date_user"
        ),
        UniqueConstraint(
            "activity_id", "occurs_on", "proxy_resident_id", name="uq_activity_signups_date_proxy"
        ),
        CheckConstraint("(user_id IS NULL) <> (proxy_resident_id IS NULL)", name="one_participant"),
        Index("ix_activity_signups_activity_id_occurs_on", "activity_id", "occurs_on", "status"),
        Index("ix_activity_signups_user_id", "user_id"),
    )

    @property
    def participant(self):
        return self.user or self.proxy_resident


class ActivitySettings(db.Model):
    """An initiative's choice; without a row only connectors and coordinators publish."""

    __tablename__ = "activity_settings"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    # Residents may propose activities; a moderator approves them before they are shown.
    residents_may_propose: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
