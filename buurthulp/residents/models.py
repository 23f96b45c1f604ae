"""Residents as the panel sees them: phone-intake residents without an account, private
notes, verified neighbours, and the initiative's verification setting."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User, public_name
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Street


class ProxyResident(db.Model):
    """A resident without an account for whom a contact person posts requests (phone intake).

    The address and phone are private like a User's: shown only to the contact persons in
    scope and, after a match, to the volunteer. When the resident gets an account, `user_id`
    points to it and their requests and notes move to it.
    """

    __tablename__ = "proxy_residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id", ondelete="SET NULL"))
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20))
    street_name: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(12))
    postcode: Mapped[str] = mapped_column(String(6))
    place: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float]
    longitude: Mapped[float]
    # The resident agreed (on the phone or at the door) that we store this and post for them.
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    street: Mapped[Street | None] = relationship()
    consent_by: Mapped[User | None] = relationship(foreign_keys=[consent_by_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        Index("ix_proxy_residents_initiative_id_street_id", "initiative_id", "street_id"),
    )

    # The same names as User's, so the match page's contact card shows either.
    email = None

    @property
    def public_name(self) -> str:
        return public_name(self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ResidentNote(db.Model):
    """The private note on one resident (a member or a phone-intake resident) of an initiative.

    Readable only by the resident's street contact person and the initiative's connectors
    (residents.notes); never exported or listed. Every read and change is in the audit log.
    """

    __tablename__ = "resident_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        # Named in full: the naming convention would give both the same name.
        UniqueConstraint("initiative_id", "user_id", name="uq_resident_notes_initiative_user"),
        UniqueConstraint(
            "initiative_id", "proxy_resident_id", name="uq_resident_notes_initiative_proxy"
        ),
        CheckConstraint("(user_id IS NULL) <> (proxy_resident_id IS NULL)", name="one_resident"),
    )


class Verification(db.Model):
    """A contact person met this member and vouches that they are a neighbour."""

    __tablename__ = "verifications"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime())

    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])


class VerificationSettings(db.Model):
    """An initiative's choice; an initiative without a row lets everyone accept."""

    __tablename__ = "verification_settings"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    unverified_may_accept: Mapped[bool] = mapped_column(default=True)
