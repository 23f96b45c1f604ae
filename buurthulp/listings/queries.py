"""Reads for listings: Dichtbij, the detail pages and Mijn hulp.

Distances are computed here, on the server; pages get a distance band, never
the exact distance or anyone's coordinates.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache

from sqlalchemy import Date, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.geo.distance import bounding_box, distance_band, distance_km
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.initiatives.permissions import member_initiative_ids
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    HelpResponse,
    OfferStatus,
    Recurrence,
    RequestStatus,
)
from buurthulp.moderation.models import VISIBLE_STATES

DEFAULT_RADIUS_KM = 2.0
PER_PAGE = 20


class ListingType(StrEnum):
    REQUESTS = "hulpvragen"
    OFFERS = "aanbod"
    BOTH = "beide"


class OfferState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class NearbyItem:
    listing: HelpRequest | HelpOffer
    distance_km: float  # for sorting only; pages show `band`

    @property
    def is_request(self) -> bool:
        return isinstance(self.listing, HelpRequest)

    @property
    def band(self) -> str:
        return distance_band(self.distance_km)


@dataclass(frozen=True, slots=True)
class NearbyPage:
    items: list[NearbyItem]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class Candidate:
    model: type
    id: int
    distance_km: float
    created_at: datetime
    owner_id: int | None  # the requester or volunteer; never shown to that person


@cache
def _request_candidates_query(by_category: bool):
    # Built once per shape, with bound parameters: Dichtbij misses its cache often enough
    # for building the statement (and its cache key) anew to show in the profile.
    query = select(
        HelpRequest.id,
        HelpRequest.latitude,
        HelpRequest.longitude,
        HelpRequest.created_at,
        HelpRequest.requester_id,
    ).where(
        HelpRequest.status == RequestStatus.OPEN,
        # Awaiting approval, rejected or hidden after reports: not for others to see.
        HelpRequest.review_state.in_(VISIBLE_STATES),
        HelpRequest.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
        HelpRequest.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
        HelpRequest.initiative_id.in_(bindparam("initiative_ids", expanding=True)),
        # A one-off request whose day has passed is no longer anything to offer help with.
        or_(
            HelpRequest.on_date.is_(None),
            HelpRequest.on_date >= bindparam("today", type_=Date()),
            HelpRequest.recurrence == Recurrence.WEEKLY,
        ),
    )
    if by_category:
        query = query.where(HelpRequest.category == bindparam("category"))
    return query


@cache
def _offer_candidates_query(by_category: bool):
    query = select(
        HelpOffer.id,
        HelpOffer.latitude,
        HelpOffer.longitude,
        HelpOffer.created_at,
        HelpOffer.volunteer_id,
    ).where(
        HelpOffer.status == OfferStatus.ACTIVE,
        HelpOffer.review_state.in_(VISIBLE_STATES),
        HelpOffer.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
        HelpOffer.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
        HelpOffer.initiative_id.in_(bindparam("initiative_ids", expanding=True)),
        or_(
            HelpOffer.paused_until.is_(None),
            HelpOffer.paused_until < bindparam("today", type_=Date()),
        ),
    )
    if by_category:
        categories = select(HelpOfferCategory.offer_id).where(
            HelpOfferCategory.category == bindparam("category")
        )
        query = query.where(HelpOffer.id.in_(categories))
    return query


def area_candidates(
    *,
    origin: tuple[float, float],
    radius_km: float,
    listing_type: ListingType,
    category: Category | None,
    today: date,
    initiative_ids: list[int],
) -> list[Candidate]:
    """Every listing of the initiatives within radius_km of `origin`, nearest first, then
    newest; everyone's, also the viewer's own (nearby_candidates leaves those out).

    The database narrows by status, initiative and a latitude/longitude bounding
    box (indexed columns); only those rows get the exact geodesic distance.
    """
    if not initiative_ids:
        return []
    box = bounding_box(*origin, radius_km)
    values = {
        "min_lat": box.min_lat,
        "max_lat": box.max_lat,
        "min_lon": box.min_lon,
        "max_lon": box.max_lon,
        "initiative_ids": list(initiative_ids),
        "today": today,
    }
    by_category = category is not None
    if by_category:
        values["category"] = category
    sources = []
    if listing_type in (ListingType.REQUESTS, ListingType.BOTH):
        sources.append((HelpRequest, _request_candidates_query(by_category)))
    if listing_type in (ListingType.OFFERS, ListingType.BOTH):
        sources.append((HelpOffer, _offer_candidates_query(by_category)))
    found = []
    km_to: dict[tuple[float, float], float] = {}  # places are area centroids: few distinct
    for model, query in sources:
        for listing_id, latitude, longitude, created_at, owner_id in db.session.execute(
            query, values
        ):
            point = (latitude, longitude)
            km = km_to.get(point)
            if km is None:
                km = km_to[point] = distance_km(origin, point)
            if km <= radius_km:
                found.append(Candidate(model, listing_id, km, created_at, owner_id))
    found.sort(key=lambda c: (c.distance_km, -c.created_at.timestamp(), c.model.__name__, -c.id))
    return found


def nearby_candidates(
    *,
    viewer: User,
    radius_km: float,
    listing_type: ListingType,
    category: Category | None,
    today: date,
    initiative_ids: list[int] | None = None,
) -> list[Candidate]:
    """Every listing within radius_km of the viewer, nearest first, then newest, except
    the viewer's own. `initiative_ids`: the viewer's, when the caller has read them already.
    """
    if initiative_ids is None:
        initiative_ids = member_initiative_ids(viewer)
    found = area_candidates(
        origin=viewer.location,
        radius_km=radius_km,
        listing_type=listing_type,
        category=category,
        today=today,
        initiative_ids=initiative_ids,
    )
    return [c for c in found if c.owner_id != viewer.id]


def load_listings(candidates: list[Candidate]) -> dict:
    """The listings of `candidates`, keyed by (model, id); gone ones are missing."""
    loaded = {}
    request_ids = [c.id for c in candidates if c.model is HelpRequest]
    offer_ids = [c.id for c in candidates if c.model is HelpOffer]
    if request_ids:
        query = select(HelpRequest).where(HelpRequest.id.in_(request_ids))
        for row in db.session.execute(query.options(joinedload(HelpRequest.requester))).scalars():
            loaded[(HelpRequest, row.id)] = row
    if offer_ids:
        query = select(HelpOffer).where(HelpOffer.id.in_(offer_ids))
        options = (joinedload(HelpOffer.volunteer), selectinload(HelpOffer.categories))
        for row in db.session.execute(query.options(*options)).scalars():
            loaded[(HelpOffer, row.id)] = row
    return loaded


def nearby_listings(
    *,
    viewer: User,
    radius_km: float = DEFAULT_RADIUS_KM,
    listing_type: ListingType = ListingType.BOTH,
    category: Category | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
    initiative_ids: list[int] | None = None,
) -> NearbyPage:
    """Dichtbij: open requests and active, unpaused offers of the viewer's initiatives
    (not the viewer's own) within radius_km, nearest first, then newest, one page of
    them. A page past the end gives the last page."""
    ranked = nearby_candidates(
        viewer=viewer,
        radius_km=radius_km,
        listing_type=listing_type,
        category=category,
        today=today or local_today(),
        initiative_ids=initiative_ids,
    )
    pages = max(1, math.ceil(len(ranked) / per_page))
    page = min(max(page, 1), pages)
    chunk = ranked[(page - 1) * per_page : page * per_page]
    loaded = load_listings(chunk)
    items = [NearbyItem(loaded[(c.model, c.id)], c.distance_km) for c in chunk]
    return NearbyPage(items=items, page=page, pages=pages, total=len(ranked))


def get_request(request_id: int) -> HelpRequest | None:
    """The request, or None; whether the viewer may see it is initiatives.permissions' call."""
    return db.session.get(HelpRequest, request_id)


def get_offer(offer_id: int) -> HelpOffer | None:
    """The offer, or None; whether the viewer may see it is initiatives.permissions' call."""
    return db.session.get(HelpOffer, offer_id)


def band_between(a: tuple[float, float], b: tuple[float, float]) -> str:
    """The distance band between two places, e.g. "1-2 km"."""
    return distance_band(distance_km(a, b))


def listing_location(listing: HelpRequest | HelpOffer) -> tuple[float, float]:
    """Where a listing is: its author's 4-digit-area centroid at posting time."""
    return (listing.latitude, listing.longitude)


@dataclass(frozen=True, slots=True)
class ResponseView:
    response: HelpResponse
    band: str | None  # None when the volunteer's account is gone


def request_responses(help_request: HelpRequest) -> list[ResponseView]:
    """Who offered to help, oldest first, each with their distance band to the request."""
    query = (
        select(HelpResponse)
        .where(HelpResponse.request_id == help_request.id)
        .options(joinedload(HelpResponse.volunteer))
        .order_by(HelpResponse.created_at, HelpResponse.id)
    )
    origin = listing_location(help_request)
    return [
        ResponseView(r, band_between(origin, r.volunteer.location) if r.volunteer else None)
        for r in db.session.execute(query).scalars()
    ]


def has_responded(help_request: HelpRequest, user: User) -> bool:
    """Whether the user already said "Ik wil helpen" on this request."""
    query = select(HelpResponse.id).where(
        HelpResponse.request_id == help_request.id, HelpResponse.volunteer_id == user.id
    )
    return db.session.execute(query).first() is not None


def initiatives_of(user: User) -> list[Initiative]:
    """The user's initiatives, oldest membership first (the default choice)."""
    query = (
        select(Initiative)
        .join(Membership, Membership.initiative_id == Initiative.id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.created_at, Membership.id)
    )
    return list(db.session.execute(query).scalars())


def offer_state(offer: HelpOffer, today: date | None = None) -> OfferState:
    """Paused means "op vakantie" up to and including paused_until."""
    if offer.status == OfferStatus.WITHDRAWN:
        return OfferState.WITHDRAWN
    if offer.paused_until is not None and offer.paused_until >= (today or local_today()):
        return OfferState.PAUSED
    return OfferState.ACTIVE


def my_requests(user: User) -> list[tuple[HelpRequest, int]]:
    """The user's requests, newest first, each with how many people offered help."""
    responses = (
        select(func.count(HelpResponse.id))
        .where(HelpResponse.request_id == HelpRequest.id)
        .scalar_subquery()
    )
    query = (
        select(HelpRequest, responses)
        .where(HelpRequest.requester_id == user.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
    return [(row[0], row[1]) for row in db.session.execute(query)]


def my_offers(user: User) -> list[HelpOffer]:
    """The user's offers in every state, newest first."""
    query = (
        select(HelpOffer)
        .where(HelpOffer.volunteer_id == user.id)
        .options(selectinload(HelpOffer.categories))
        .order_by(HelpOffer.created_at.desc(), HelpOffer.id.desc())
    )
    return list(db.session.execute(query).scalars())


def my_responses(user: User) -> list[HelpResponse]:
    """The requests where the user said "Ik wil helpen", newest first."""
    query = (
        select(HelpResponse)
        .where(HelpResponse.volunteer_id == user.id)
        .options(joinedload(HelpResponse.request).joinedload(HelpRequest.requester))
        .order_by(HelpResponse.created_at.desc(), HelpResponse.id.desc())
    )
    return list(db.session.execute(query).scalars())
