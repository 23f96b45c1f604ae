"""Dichtbij as the page shows it: one page of rendered cards, from the per-process cache
(nearby_cache) when the viewer's place, initiatives, filters, day and listings stamp were
seen before."""

import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from buurthulp.accounts.models import User
from buurthulp.geo.distance import distance_band
from buurthulp.i18n import translated_msgid
from buurthulp.listings import fragments, nearby_cache
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import Category, HelpOffer, HelpRequest
from buurthulp.listings.queries import PER_PAGE, ListingType, area_candidates

MODELS = {True: HelpRequest, False: HelpOffer}


@dataclass(frozen=True, slots=True)
class NearbyCards:
    cards: list[Markup]
    page: int
    pages: int
    total: int


def nearby_cards(
    *,
    viewer: User,
    radius_km: float,
    listing_type: ListingType,
    category: Category | None,
    page: int,
    initiative_ids: list[int],
    stamp: int,
    locale: str,
    today: date | None = None,
    per_page: int = PER_PAGE,
) -> NearbyCards:
    """Like queries.nearby_listings, as cards in `locale`. `stamp`: listings.versions'
    listings_stamp of the viewer's initiatives, read before this call."""
    today = today or local_today()
    key = (viewer.location, tuple(initiative_ids), radius_km, listing_type, category, today, stamp)
    entry = nearby_cache.of_app().ranked(
        key,
        lambda: [
            # Plain tuples (is a request, id, km, owner): the collector stops tracking them.
            (c.model is HelpRequest, c.id, c.distance_km, c.owner_id)
            for c in area_candidates(
                origin=viewer.location,
                radius_km=radius_km,
                listing_type=listing_type,
                category=category,
                today=today,
                initiative_ids=initiative_ids,
            )
        ],
    )
    viewer_id = viewer.id  # once: `viewer` may be Flask-Login's current_user proxy
    visible = [c for c in entry.candidates if c[3] != viewer_id]
    pages = max(1, math.ceil(len(visible) / per_page))
    page = min(max(page, 1), pages)
    chunk = visible[(page - 1) * per_page : page * per_page]
    missing = [c for c in chunk if (locale, c[0], c[1]) not in entry.cards]
    if missing:
        found = fragments.load_cards([(MODELS[is_request], id_) for is_request, id_, *_ in missing])
        for is_request, listing_id, km, _owner in missing:
            card = found.get((MODELS[is_request], listing_id))
            if card is not None:  # else deleted since: a newer stamp lists it no more
                band = translated_msgid(distance_band(km))
                entry.cards[(locale, is_request, listing_id)] = fragments.card_text(card, band)
    cards = [entry.cards.get((locale, c[0], c[1])) for c in chunk]
    # The cards are escaped HTML (listings/_macros.html rendered them with autoescape on).
    shown = [Markup(c) for c in cards if c is not None]  # noqa: S704  # nosec B704
    return NearbyCards(shown, page, pages, len(visible))
