"""Reads about accounts: look-ups and the personal-data export."""

from datetime import date, datetime, time
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from buurthulp.accounts.models import LoginSession, User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.listings.availability import slot_key, slots_from_mask
from buurthulp.listings.models import HelpOffer, HelpRequest, HelpResponse


def user_by_email(email: str) -> User | None:
    """The account with this address, in any letter case."""
    return db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower()).order_by(User.id)
    ).first()


def email_taken(email: str, *, except_user_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.strip().lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.execute(query.limit(1)).first() is not None


def memberships_of(user_id: int) -> list[Membership]:
    """The user's memberships with their initiative and street, by initiative name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.initiative)
            .where(Membership.user_id == user_id)
            .options(selectinload(Membership.initiative), selectinload(Membership.street))
            .order_by(Initiative.name, Membership.id)
        )
    )


def _value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _columns(row, names: tuple[str, ...]) -> dict:
    return {name: _value(getattr(row, name)) for name in names}


PROFILE_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "street_name",
    "house_number",
    "postcode",
    "place",
    "latitude",
    "longitude",
    "locale",
    "is_platform_admin",
    "created_at",
    "last_login_at",
)
REQUEST_FIELDS = (
    "id",
    "category",
    "title",
    "description",
    "on_date",
    "time_from",
    "time_until",
    "flexible_days",
    "urgency",
    "recurrence",
    "needs_car",
    "status",
    "street_name",
    "place",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
)
OFFER_FIELDS = (
    "id",
    "title",
    "description",
    "max_distance_km",
    "has_car",
    "paused_until",
    "status",
    "street_name",
    "place",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
)


def personal_data(user: User) -> dict:
    """Everything stored about `user`, for the download: never another person's data.

    The answers others gave to my requests, and the requests I answered, are
    other people's data; only counts and categories of those are included.
    """
    return {
        "exported_at": utcnow().isoformat(),
        "profile": _columns(user, PROFILE_FIELDS),
        "memberships": [
            {
                "initiative": m.initiative.name,
                "role": m.role.value,
                "street": m.street.name if m.street else None,
                "since": m.created_at.isoformat(),
            }
            for m in memberships_of(user.id)
        ],
        "help_requests": _requests(user.id),
        "help_offers": _offers(user.id),
        "help_responses": _responses(user.id),
        "login_sessions": [
            {"started_at": s.created_at.isoformat(), "expires_at": s.expires_at.isoformat()}
            for s in db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id))
        ],
    }


def _requests(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.requester_id == user_id)
        .options(selectinload(HelpRequest.initiative), selectinload(HelpRequest.responses))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    return [
        _columns(r, REQUEST_FIELDS)
        | {"initiative": r.initiative.name, "responses_received": len(r.responses)}
        for r in rows
    ]


def _offers(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(HelpOffer)
        .where(HelpOffer.volunteer_id == user_id)
        .options(selectinload(HelpOffer.initiative), selectinload(HelpOffer.categories))
        .order_by(HelpOffer.created_at, HelpOffer.id)
    )
    return [
        _columns(o, OFFER_FIELDS)
        | {
            "initiative": o.initiative.name,
            "categories": [c.value for c in o.category_values],
            "availability": [slot_key(day, part) for day, part in slots_from_mask(o.availability)],
        }
        for o in rows
    ]


def _responses(user_id: int) -> list[dict]:
    rows = db.session.scalars(
        select(HelpResponse)
        .where(HelpResponse.volunteer_id == user_id)
        .options(selectinload(HelpResponse.request))
        .order_by(HelpResponse.created_at, HelpResponse.id)
    )
    return [
        {
            "message": r.message,
            "created_at": r.created_at.isoformat(),
            "request_category": r.request.category.value,
            "request_status": r.request.status.value,
        }
        for r in rows
    ]
