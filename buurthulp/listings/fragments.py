"""Dichtbij's cards and filter form, rendered once per process and reused.

A card is a pure function of the fields it shows and the reader's language (the distance
band goes into a marked spot per reader); the filter form of its three values and the
language. The cache keys hold exactly those values (copied from the listing into a tuple,
or read into one with plain SQL by `load_cards`), so a changed title, date or name is a new
key and nothing stale is ever shown; the least recently used fragments are dropped.
Rendering them anew was about half of the page's CPU time.
"""

from datetime import date, time
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from buurthulp import labels
from buurthulp.accounts.models import User, public_name
from buurthulp.extensions import db
from buurthulp.listings.models import Category, HelpOffer, HelpOfferCategory, HelpRequest
from buurthulp.plain_cache import PlainCache
from buurthulp.residents.models import ProxyResident

MACROS = "listings/_macros.html"
CACHED_CARDS = 20_000
BAND = "<!--band-->"
CATEGORY_ORDER = list(Category)


class Person(NamedTuple):
    public_name: str


class RequestCard(NamedTuple):
    """What listings/_macros.html's request_card reads of a request."""

    id: int
    title: str
    urgency: str
    category: str
    street_name: str
    place: str
    requester_person: Person | None
    on_date: date | None
    time_from: time | None
    time_until: time | None
    recurrence: str
    flexible_days: int | None


class OfferCard(NamedTuple):
    """What listings/_macros.html's offer_card reads of an offer."""

    id: int
    title: str
    category_values: tuple[str, ...]
    street_name: str
    place: str
    volunteer: Person | None
    has_car: bool


def _named(first_name: str | None, last_name: str | None) -> Person | None:
    return Person(public_name(first_name, last_name or "")) if first_name is not None else None


def _request_cards(ids: list[int]) -> dict:
    r, proxy = HelpRequest, aliased(ProxyResident)
    query = (
        select(
            r.id, r.title, r.urgency, r.category, r.street_name, r.place,
            User.first_name, User.last_name, proxy.first_name, proxy.last_name,
            r.on_date, r.time_from, r.time_until, r.recurrence, r.flexible_days,
        )
        .outerjoin(User, User.id == r.requester_id)
        .outerjoin(proxy, proxy.id == r.proxy_resident_id)
        .where(r.id.in_(ids))
    )  # fmt: skip
    cards = {}
    for row in db.session.execute(query):
        # requester_person: the account, else the phone-intake resident
        person = _named(row[6], row[7]) or _named(row[8], row[9])
        cards[(HelpRequest, row[0])] = RequestCard(*row[:6], person, *row[10:])
    return cards


def _offer_cards(ids: list[int]) -> dict:
    o = HelpOffer
    categories = (
        select(func.aggregate_strings(HelpOfferCategory.category, ","))
        .where(HelpOfferCategory.offer_id == o.id)
        .scalar_subquery()
    )
    query = (
        select(
            o.id, o.title, categories, o.street_name, o.place,
            User.first_name, User.last_name, o.has_car,
        )
        .join(User, User.id == o.volunteer_id)
        .where(o.id.in_(ids))
    )  # fmt: skip
    cards = {}
    for row in db.session.execute(query):
        values = row[2].split(",") if row[2] else []
        chosen = tuple(sorted((Category(v) for v in values), key=CATEGORY_ORDER.index))
        person = _named(row[5], row[6])
        cards[(HelpOffer, row[0])] = OfferCard(*row[:2], chosen, *row[3:5], person, row[7])
    return cards


def load_cards(keys: list[tuple[type, int]]) -> dict:
    """What the cards of these (model, id) show, read with plain SQL (no ORM objects):
    one query per kind. Listings that are gone are missing from the result."""
    cards = {}
    request_ids = [listing_id for model, listing_id in keys if model is HelpRequest]
    offer_ids = [listing_id for model, listing_id in keys if model is HelpOffer]
    if request_ids:
        cards |= _request_cards(request_ids)
    if offer_ids:
        cards |= _offer_cards(offer_ids)
    return cards


_cards: PlainCache[str] = PlainCache(CACHED_CARDS)


def _plain(value):
    """A card field as plain data for the cache key (enums and names as str)."""
    if isinstance(value, Person):
        return value.public_name
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, StrEnum):
        return str(value)
    return value


def _render_card(card: RequestCard | OfferCard) -> str:
    macros = current_app.jinja_env.get_template(MACROS).module
    render = macros.request_card if isinstance(card, RequestCard) else macros.offer_card
    # The band goes in per reader: the same card is then reused at every distance.
    return str(render(card, labels, Markup(BAND)))  # noqa: S704  # nosec B704


def card_text(card: RequestCard | OfferCard, band: str) -> str:
    """The card as listings/_macros.html renders it, in the reader's language: escaped
    HTML, as a plain str (callers keep it in caches; wrap it in Markup to show it)."""
    key = (str(get_locale()), isinstance(card, RequestCard), *map(_plain, card))
    html = _cards.get(key, lambda: _render_card(card))
    # BAND is a comment no escaped text can contain; the band label is escaped on the way in.
    return html.replace(BAND, str(escape(band)))


@lru_cache(maxsize=256)
def _filters_html(locale: str, radius: str, listing_type: str, category: str, form) -> Markup:
    html = render_template("listings/_nearby_filters.html", form=form.value)
    # render_template escapes every value: the string is safe HTML.
    return Markup(html)  # noqa: S704  # nosec B704


def filters(form) -> Markup:
    """The filter form's fields. After NearbyForm.fall_back they carry no errors, so the
    three values and the language decide the HTML; `form` itself is not part of the key."""
    return _filters_html(
        str(get_locale()),
        form.radius.data,
        form.type.data,
        form.category.data or "",
        _Ignored(form),
    )


@lru_cache(maxsize=1024)
def _pagination_html(
    locale: str, radius: str, listing_type: str, category: str, page: int, pages: int
) -> Markup:
    html = render_template(
        "listings/_nearby_pagination.html",
        radius=radius,
        type=listing_type,
        category=category,
        page=page,
        pages=pages,
        page_numbers=page_numbers(page, pages),
    )
    return Markup(html)  # noqa: S704  # nosec B704  (render_template escaped every value)


def pagination(form, page: int, pages: int) -> Markup:
    """Dichtbij's page links: the same for everyone with these filters and page."""
    return _pagination_html(
        str(get_locale()), form.radius.data, form.type.data, form.category.data or "", page, pages
    )


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links to show: first, last and a few around the current page; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


class _Ignored:
    """Passes the form through lru_cache without making it part of the key."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return isinstance(other, _Ignored)
