"""Dichtbij's cards and filter form, rendered once per process and reused.

A card is a pure function of the fields it shows, the reader's language and the distance
band; the filter form of its three values and the language. The cache keys hold exactly
those values (copied from the listing into a tuple), so a changed title, date or name is a
new key and nothing stale is ever shown; the least recently used fragments are dropped.
Rendering them anew was about half of the page's CPU time.
"""

from datetime import date, time
from functools import lru_cache
from typing import NamedTuple

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from buurthulp import labels
from buurthulp.listings.models import HelpOffer, HelpRequest

MACROS = "listings/_macros.html"
CACHED_CARDS = 20_000


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


def _person(user) -> Person | None:
    return Person(user.public_name) if user is not None else None


def card_of(listing: HelpRequest | HelpOffer) -> RequestCard | OfferCard:
    if isinstance(listing, HelpRequest):
        r = listing
        return RequestCard(
            r.id, r.title, r.urgency, r.category, r.street_name, r.place,
            _person(r.requester_person), r.on_date, r.time_from, r.time_until,
            r.recurrence, r.flexible_days,
        )  # fmt: skip
    o = listing
    return OfferCard(
        o.id, o.title, tuple(o.category_values), o.street_name, o.place,
        _person(o.volunteer), o.has_car,
    )  # fmt: skip


@lru_cache(maxsize=CACHED_CARDS)
def _card_html(locale: str, card: RequestCard | OfferCard, band: str) -> Markup:
    macros = current_app.jinja_env.get_template(MACROS).module
    render = macros.request_card if isinstance(card, RequestCard) else macros.offer_card
    # The macro ran with autoescape on: its output is already escaped HTML.
    return Markup(render(card, labels, band))  # noqa: S704  # nosec B704


def card(listing: HelpRequest | HelpOffer, band: str) -> Markup:
    """The listing's card as listings/_macros.html renders it, for the reader's language."""
    return _card_html(str(get_locale()), card_of(listing), band)


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


class _Ignored:
    """Passes the form through lru_cache without making it part of the key."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return isinstance(other, _Ignored)
