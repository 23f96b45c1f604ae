"""Help requests, help offers, and residents' offers to help with a request."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.moderation.models import ReviewState

SUBMISSION_TOKEN_MAX = 64


class Category(StrEnum):
    GROCERIES = "groceries"  # boodschappen
    DOG_WALKING = "dog_walking"  # hond uitlaten
    TRANSPORT = "transport"  # vervoer/lift
    ODD_JOBS = "odd_jobs"  # klusjes
    GARDEN = "garden"  # tuin
    COMPANY = "company"  # gezelschap/bezoek
    PAPERWORK = "paperwork"  # administratie
    COMPUTER_HELP = "computer_help"  # computerhulp
    MEAL = "meal"  # maaltijd
    OTHER = "other"  # anders


class Urgency(StrEnum):
    LOW = "low"  # geen haast
    NORMAL = "normal"  # binnen een paar dagen
    HIGH = "high"  # dringend


class Recurrence(StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"


class RequestStatus(StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # open too long or its day passed; the requester can renew it


class OfferStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


# What Dichtbij's candidate queries read besides the indexed columns (covering indexes).
NEARBY_REQUEST_COLUMNS = [
    "longitude", "review_state", "on_date", "recurrence", "category", "created_at",
    "requester_id", "id",
]  # fmt: skip
NEARBY_OFFER_COLUMNS = [
    "longitude", "review_state", "paused_until", "created_at", "volunteer_id", "id",
]  # fmt: skip


class HelpRequest(db.Model):
    """A request for help. Its location is the requester's 4-digit area at posting time."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[Category] = mapped_column(enum_column(Category))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Either a date with a time window, or flexible within `flexible_days` days.
    on_date: Mapped[date | None]
    time_from: Mapped[time | None]
    time_until: Mapped[time | None]
    flexible_days: Mapped[int | None]
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.NORMAL)
    recurrence: Mapped[Recurrence] = mapped_column(enum_column(Recurrence), default=Recurrence.ONCE)
    needs_car: Mapped[bool] = mapped_column(default=False)
    # How far the matcher looks for volunteers now; escalation widens it.
    radius_km: Mapped[float] = mapped_column(default=2.0)
    match_round: Mapped[int] = mapped_column(default=0)
    last_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set after the last round: the street's contact person should find someone by hand.
    needs_attention: Mapped[bool] = mapped_column(default=False)
    # A weekly request's previous occurrence; its volunteer is asked first.
    previous_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL")
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.OPEN
    )
    # Moderation (moderation.models): only VISIBLE_STATES are listed, shown to others and matched.
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState), default=ReviewState.APPROVED, server_default="approved"
    )
    street_name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float]
    longitude: Mapped[float]
    # Phone intake: the resident without an account it is for, and the contact person who
    # posted it (they get the requester's notices). Both None for a resident's own request.
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The posting form's one-time token (listings.submissions): a re-sent post finds this row.
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    initiative: Mapped[Initiative] = relationship()
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    proxy_resident: Mapped["ProxyResident | None"] = relationship()  # noqa: F821
    responses: Mapped[list["HelpResponse"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="HelpResponse.created_at"
    )

    __table_args__ = (
        CheckConstraint(
            "(on_date IS NOT NULL AND flexible_days IS NULL)"
            " OR (on_date IS NULL AND flexible_days IS NOT NULL)",
            name="when_given_once",
        ),
        Index("ix_help_requests_status_latitude", "status", "latitude"),
        Index("ix_help_requests_initiative_id_status", "initiative_id", "status"),
        # Dichtbij's candidates (listings.queries) from the index alone on PostgreSQL.
        Index(
            "ix_help_requests_nearby",
            "status",
            "initiative_id",
            "latitude",
            postgresql_include=NEARBY_REQUEST_COLUMNS,
        ),
    )

    @property
    def requester_person(self):
        """Who asks: the account, or the phone-intake resident (same name attributes)."""
        return self.requester or self.proxy_resident


class HelpOffer(db.Model):
    """What a volunteer offers. `availability` is a weekly bitmask (see listings.availability)."""

    __tablename__ = "help_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[int] = mapped_column(default=0)
    max_distance_km: Mapped[float] = mapped_column(default=2.0)
    has_car: Mapped[bool] = mapped_column(default=False)
    paused_until: Mapped[date | None]
    # Most tasks a week this volunteer wants; the matcher stops inviting above it.
    weekly_cap: Mapped[int] = mapped_column(default=3)
    # Languages spoken, comma-separated ISO codes ("nl,en").
    languages: Mapped[str] = mapped_column(String(40), default="nl")
    # The ~1 km grid cell of (latitude, longitude), for the matcher's indexed ring search.
    grid_cell: Mapped[int] = mapped_column(default=0, index=True)
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus), default=OfferStatus.ACTIVE
    )
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState), default=ReviewState.APPROVED, server_default="approved"
    )
    street_name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float]
    longitude: Mapped[float]
    # The posting form's one-time token (listings.submissions): a re-sent post finds this row.
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    initiative: Mapped[Initiative] = relationship()
    volunteer: Mapped[User] = relationship()
    categories: Mapped[list["HelpOfferCategory"]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("max_distance_km > 0 AND max_distance_km <= 50", name="max_distance_range"),
        Index("ix_help_offers_status_latitude", "status", "latitude"),
        Index(
            "ix_help_offers_nearby",
            "status",
            "initiative_id",
            "latitude",
            postgresql_include=NEARBY_OFFER_COLUMNS,
        ),
    )

    @property
    def category_values(self) -> list[Category]:
        return sorted((c.category for c in self.categories), key=list(Category).index)


class HelpOfferCategory(db.Model):
    __tablename__ = "help_offer_categories"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("help_offers.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Category] = mapped_column(enum_column(Category), primary_key=True)
    offer: Mapped[HelpOffer] = relationship(back_populates="categories")

    __table_args__ = (Index("ix_help_offer_categories_category", "category"),)


class HelpResponse(db.Model):
    """A resident's "Ik wil helpen" on a request; the matcher later turns these into matches."""

    __tablename__ = "help_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="responses")
    volunteer: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("request_id", "volunteer_id"),)
