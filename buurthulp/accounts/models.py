"""Users and their server-side login sessions."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership


def public_name(first_name: str, last_name: str) -> str:
    """What other residents see of a person: first name and the initial of the last name."""
    last = last_name.split()[-1] if last_name.strip() else ""
    return f"{first_name} {last[:1].upper()}." if last else first_name


class User(UserMixin, db.Model):
    """A person with an account.

    The address (postcode, house number) is private until a match; only the
    4-digit area's centroid is kept as a location, and nobody else sees it.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20))
    street_name: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(12))
    postcode: Mapped[str] = mapped_column(String(6))
    place: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float]
    longitude: Mapped[float]
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    sessions: Mapped[list["LoginSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def public_name(self) -> str:
        """What other residents see: first name and the initial of the last name."""
        return public_name(self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def location(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


class LoginSession(db.Model):
    """One logged-in browser. Its token is what the session cookie carries.

    Deleting the row logs that browser out everywhere the cookie was copied,
    which a signed cookie alone cannot do.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="sessions")
