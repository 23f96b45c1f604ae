"""Moderation: each initiative's mode, residents' reports (flags), and suspensions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Role


class ModerationMode(StrEnum):
    PRE = "pre"  # every post waits for approval
    FIRST_POST = "first_post"  # only a member's first post waits
    POST = "post"  # published at once, reviewed afterwards
    PEER = "peer"  # no review, flags only


class ReviewState(StrEnum):
    """Where a request or offer stands with the moderators (column review_state)."""

    APPROVED = "approved"  # visible; reviewed, or no review needed
    UNREVIEWED = "unreviewed"  # visible; post-moderation still has to look at it
    PENDING = "pending"  # waits for approval: invisible, the matcher leaves it alone
    REJECTED = "rejected"  # sent back to its author with a reason; they may edit and resubmit
    HIDDEN = "hidden"  # hidden after reports until a moderator looks at it
    REMOVED = "removed"  # taken off by a moderator


VISIBLE_STATES = (ReviewState.APPROVED, ReviewState.UNREVIEWED)


class ModerationSettings(db.Model):
    """An initiative's moderation mode; no row means peer-to-peer."""

    __tablename__ = "moderation_settings"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[ModerationMode] = mapped_column(
        enum_column(ModerationMode), default=ModerationMode.PEER
    )


class FlagSubject(StrEnum):
    HELP_REQUEST = "help_request"
    HELP_OFFER = "help_offer"
    USER = "user"


class FlagResolution(StrEnum):
    KEPT = "kept"
    REMOVED = "removed"


class Flag(db.Model):
    """A resident's report of a post or a person, with their reason."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_type: Mapped[FlagSubject] = mapped_column(enum_column(FlagSubject))
    subject_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[FlagResolution | None] = mapped_column(enum_column(FlagResolution))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    __table_args__ = (
        # One report per person per subject: three reports means three different people.
        UniqueConstraint("reporter_id", "subject_type", "subject_id"),
        Index("ix_flags_initiative_id_resolved_at", "initiative_id", "resolved_at"),
    )


class SuspensionKind(StrEnum):
    SUSPEND = "suspend"  # geschorst
    BLOCK = "block"  # geblokkeerd


class Suspension(db.Model):
    """A user may not log in, post or accept from starts_at until ends_at (or until lifted)."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    kind: Mapped[SuspensionKind] = mapped_column(enum_column(SuspensionKind))
    reason: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RoleInvitation(db.Model):
    """A coordinator's emailed invitation to take a role; the link works once, until expires_at.

    Only a digest of the token is stored, so a database leak gives no usable links.
    """

    __tablename__ = "role_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id", ondelete="SET NULL"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    initiative: Mapped[Initiative] = relationship()
