"""Invitations, matches, blocks between people, and each initiative's matcher settings."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db
from buurthulp.listings.models import HelpOffer, HelpRequest


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"  # someone else accepted, or the request was withdrawn


class MatchStatus(StrEnum):
    ACCEPTED = "accepted"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Invitation(db.Model):
    """The matcher asks one ranked volunteer to take a request."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("help_offers.id", ondelete="SET NULL"))
    round: Mapped[int] = mapped_column(default=1)
    rank: Mapped[int] = mapped_column(default=1)
    distance_km: Mapped[float] = mapped_column(default=0.0)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[HelpRequest] = relationship()
    volunteer: Mapped[User] = relationship()
    offer: Mapped[HelpOffer | None] = relationship()

    __table_args__ = (
        UniqueConstraint("request_id", "volunteer_id"),
        Index("ix_invitations_request_id_status", "request_id", "status"),
    )


class Match(db.Model):
    """The one volunteer who took a request, and how it went."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    status: Mapped[MatchStatus] = mapped_column(
        enum_column(MatchStatus), default=MatchStatus.ACCEPTED
    )
    hours: Mapped[float | None]
    requester_feedback: Mapped[str] = mapped_column(String(1000), default="")
    volunteer_feedback: Mapped[str] = mapped_column(String(1000), default="")
    close_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[HelpRequest] = relationship()
    volunteer: Mapped[User | None] = relationship()


class Block(db.Model):
    """One person does not want to be matched with another; it works both ways."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MatchingSettings(db.Model):
    """An initiative's matcher settings; an initiative without a row uses the defaults."""

    __tablename__ = "matching_settings"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    batch_size: Mapped[int] = mapped_column(default=5)
    escalate_after_minutes: Mapped[int] = mapped_column(default=240)
    max_rounds: Mapped[int] = mapped_column(default=3)
    radius_step_km: Mapped[float] = mapped_column(default=2.0)
    weight_distance: Mapped[float] = mapped_column(default=1.0)
    weight_overlap: Mapped[float] = mapped_column(default=0.5)
    weight_load: Mapped[float] = mapped_column(default=0.3)
