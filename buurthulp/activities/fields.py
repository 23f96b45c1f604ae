"""What an organiser fills in for an activity, and the rules it must meet (pure functions).

The rules return {form field: Dutch message} so a form shows every problem at once; the
services run them again and raise ActivityError before anything is saved.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import lazy_gettext as _l

from buurthulp.activities.models import ActivityKind
from buurthulp.listings.rules import text_errors
from buurthulp.text import CONTROL_CHARACTERS

PLAN_AHEAD = timedelta(days=365)
CAPACITY_MAX = 500
COST_MAX_CENTS = 100_000  # 1000 euro: anything above is a typo
LIMITS = {"venue_name": 120, "venue_street": 160, "place": 80, "accessibility_notes": 300}


@dataclass(frozen=True, slots=True)
class ActivityFields:
    title: str
    kind: ActivityKind
    description: str
    venue_name: str
    venue_street: str  # street and house number of the venue
    venue_postcode: str
    place: str
    starts_on: date | None
    start_time: time | None
    end_time: time | None = None
    weekly: bool = False
    ends_on: date | None = None
    capacity: int | None = None
    cost_cents: int = 0
    wheelchair_accessible: bool = False
    hearing_loop: bool = False
    accessibility_notes: str = ""
    transport_available: bool = False


def _venue_errors(fields: ActivityFields) -> dict:
    errors = {}
    required = {
        "venue_name": _l("Vul de naam van de plek in, bijvoorbeeld Buurthuis De Kroon."),
        "venue_street": _l("Vul de straat en het huisnummer van de plek in."),
    }
    for name, limit in LIMITS.items():
        value = getattr(fields, name).strip()
        if not value and name in required:
            errors[name] = required[name]
        elif len(value) > limit:
            errors[name] = _l("Dit is te lang: gebruik hoogstens %(max)d tekens.", max=limit)
        elif CONTROL_CHARACTERS.search(value):
            errors[name] = _l("Deze tekst bevat tekens die we niet kunnen opslaan.")
    return errors


def _when_errors(fields: ActivityFields, today: date, previous_start: date | None) -> dict:
    errors = {}
    start = fields.starts_on
    if start is None:
        errors["starts_on"] = _l("Kies de datum, bijvoorbeeld 14-03-2027.")
    elif start < today and start != previous_start:
        errors["starts_on"] = _l("Deze datum is al voorbij. Kies vandaag of een latere dag.")
    elif start > today + PLAN_AHEAD:
        errors["starts_on"] = _l("Kies een datum binnen een jaar.")
    if fields.start_time is None:
        errors["start_time"] = _l("Vul de begintijd in, bijvoorbeeld 14:00.")
    elif fields.end_time is not None and fields.end_time <= fields.start_time:
        errors["end_time"] = _l("De eindtijd moet na de begintijd liggen.")
    if fields.ends_on is not None:
        if not fields.weekly:
            errors["ends_on"] = _l(
                "Een einddatum hoort alleen bij een activiteit die elke week is."
            )
        elif start is not None and fields.ends_on < start:
            errors["ends_on"] = _l("De laatste keer kan niet vóór de eerste keer liggen.")
    return errors


def _number_errors(fields: ActivityFields) -> dict:
    errors = {}
    if fields.capacity is not None and not 1 <= fields.capacity <= CAPACITY_MAX:
        errors["capacity"] = _l(
            "Vul een aantal plaatsen in van 1 tot en met %(max)d, of laat het leeg.",
            max=CAPACITY_MAX,
        )
    if not 0 <= fields.cost_cents <= COST_MAX_CENTS:
        errors["cost"] = _l("Vul een bedrag in van 0 tot en met 1000 euro, bijvoorbeeld 3,50.")
    return errors


def activity_errors(
    *, fields: ActivityFields, today: date, previous_start: date | None = None
) -> dict:
    """Every rule an activity must meet, as {field: message}. The venue postcode is checked
    by the service (it looks the place up). An edit may keep a first date that has passed."""
    errors = text_errors(title=fields.title, description=fields.description)
    errors.update(_venue_errors(fields))
    errors.update(_when_errors(fields, today, previous_start))
    errors.update(_number_errors(fields))
    return errors
