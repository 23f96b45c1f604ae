"""The rules a help request or offer must meet, as pure functions.

They return {form field: Dutch message} instead of raising, so a form can show
every problem at once next to its field; the services run the same checks and
raise ListingError before anything is saved.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import lazy_gettext as _l

from buurthulp.listings.availability import FULL_WEEK
from buurthulp.listings.models import Category, Recurrence, Urgency
from buurthulp.text import CONTROL_CHARACTERS

# The distances a person can choose: Dichtbij's radius and an offer's maximum distance.
DISTANCES_KM = (0.5, 1.0, 2.0, 5.0, 10.0, 25.0)
TITLE_MAX = 120
DESCRIPTION_MAX = 2000
MESSAGE_MAX = 1000
FLEXIBLE_DAYS_MAX = 60
PLAN_AHEAD = timedelta(days=365)
# Control characters other than tab and newlines: PostgreSQL refuses NUL, and none belong in text.


@dataclass(frozen=True, slots=True)
class RequestFields:
    """What a requester fills in. A fixed day has on_date; otherwise flexible_days."""

    title: str
    description: str
    category: Category
    on_date: date | None = None
    time_from: time | None = None
    time_until: time | None = None
    flexible_days: int | None = None
    urgency: Urgency = Urgency.NORMAL
    recurrence: Recurrence = Recurrence.ONCE
    needs_car: bool = False


@dataclass(frozen=True, slots=True)
class OfferFields:
    """What a volunteer fills in; `availability` is a bitmask (listings.availability)."""

    title: str
    description: str
    categories: tuple[Category, ...]
    availability: int
    max_distance_km: float
    has_car: bool = False
    paused_until: date | None = None


def text_errors(*, title: str, description: str) -> dict:
    """Title required and short; description optional; no control characters."""
    errors = {}
    if not title.strip():
        errors["title"] = _l("Vul een korte titel in.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _l("Maak de titel korter: hoogstens %(max)s tekens.", max=TITLE_MAX)
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _l(
            "Maak de beschrijving korter: hoogstens %(max)s tekens.", max=DESCRIPTION_MAX
        )
    for name, value in (("title", title), ("description", description)):
        if name not in errors and CONTROL_CHARACTERS.search(value):
            errors[name] = _l("Deze tekst bevat tekens die we niet kunnen opslaan.")
    return errors


def request_when_errors(
    *,
    on_date: date | None,
    time_from: time | None,
    time_until: time | None,
    flexible_days: int | None,
    today: date,
    previous_date: date | None = None,
) -> dict:
    """A fixed day needs a date (today or later, within a year) and a window whose end is
    after its start; flexible needs 1-60 days. An edit may keep a date that has passed."""
    errors = {}
    if flexible_days is not None:
        if on_date is not None:
            errors[""] = _l("Kies een vaste dag of flexibel, niet allebei.")
        elif not 1 <= flexible_days <= FLEXIBLE_DAYS_MAX:
            errors["flexible_days"] = _l(
                "Kies een aantal dagen van 1 tot en met %(max)s.", max=FLEXIBLE_DAYS_MAX
            )
        return errors
    if on_date is None:
        errors["on_date"] = _l("Kies de datum waarop u hulp nodig heeft.")
    elif on_date < today and on_date != previous_date:
        errors["on_date"] = _l("Deze datum is al voorbij. Kies vandaag of een latere dag.")
    elif on_date > today + PLAN_AHEAD:
        errors["on_date"] = _l("Kies een datum binnen een jaar.")
    if time_from is None:
        errors["time_from"] = _l("Vul in vanaf hoe laat, bijvoorbeeld 10:00.")
    if time_until is None:
        errors["time_until"] = _l("Vul in tot hoe laat, bijvoorbeeld 12:00.")
    elif time_from is not None and time_until <= time_from:
        errors["time_until"] = _l("De eindtijd moet na de begintijd liggen.")
    return errors


def request_errors(*, fields: RequestFields, today: date, previous_date: date | None = None):
    """Every rule a request must meet, as {field: message}; empty when all is well."""
    errors = text_errors(title=fields.title, description=fields.description)
    errors.update(
        request_when_errors(
            on_date=fields.on_date,
            time_from=fields.time_from,
            time_until=fields.time_until,
            flexible_days=fields.flexible_days,
            today=today,
            previous_date=previous_date,
        )
    )
    return errors


def offer_errors(
    *,
    fields: OfferFields,
    today: date,
    previous_paused: date | None = None,
    previous_distance: float | None = None,
):
    """Every rule an offer must meet, as {field: message}; empty when all is well.
    An edit may keep a pause date that has passed and a distance no longer offered."""
    errors = text_errors(title=fields.title, description=fields.description)
    if not fields.categories:
        errors["categories"] = _l("Kies minstens één soort hulp.")
    if fields.availability <= 0 or fields.availability & ~FULL_WEEK:
        errors["availability"] = _l("Kies minstens één dagdeel waarop u kunt helpen.")
    if fields.max_distance_km not in (*DISTANCES_KM, previous_distance):
        errors["max_distance_km"] = _l("Kies een afstand uit de lijst.")
    paused = fields.paused_until
    if paused is not None and paused != previous_paused:
        if paused < today:
            errors["paused_until"] = _l("Deze datum is al voorbij. Kies vandaag of later.")
        elif paused > today + PLAN_AHEAD:
            errors["paused_until"] = _l("Kies een datum binnen een jaar.")
    return errors
