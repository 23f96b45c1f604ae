"""Which demo resident asks for what, offers what, and responds where: plain data, no database.

Dates are relative to `today`; everything else follows from the random
generator, so the same seed gives the same plan. A request is identified by
(requester email, title), an offer by (volunteer email, title).
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from buurthulp.demo.people import Resident
from buurthulp.demo.texts import OFFERS, REQUESTS, RESPONSE_MESSAGES
from buurthulp.listings.availability import mask_from_slots
from buurthulp.listings.models import Category, OfferStatus, Recurrence, RequestStatus, Urgency

REQUEST_SHARE = 0.3  # of an initiative's residents who have posted a request
OFFER_SHARE = 0.22  # ... who offer help
RESPONSE_SHARE = 0.35  # of open requests that already have an "Ik wil helpen"
# Categories that people ask for most, after each category has been asked for once.
CATEGORY_WEIGHTS = {
    Category.GROCERIES: 5, Category.COMPANY: 4, Category.TRANSPORT: 4, Category.ODD_JOBS: 3,
    Category.COMPUTER_HELP: 3, Category.GARDEN: 2, Category.DOG_WALKING: 2,
    Category.PAPERWORK: 2, Category.MEAL: 1, Category.OTHER: 1,
}  # fmt: skip
WEEKLY_CATEGORIES = {Category.GROCERIES, Category.DOG_WALKING, Category.COMPANY, Category.MEAL}
START_HOURS = (9, 10, 11, 13, 14, 15, 19)
WEEKDAYS, WEEKEND = range(5), (5, 6)
MORNING, AFTERNOON, EVENING = range(3)


@dataclass(frozen=True)
class RequestPlan:
    requester_email: str
    initiative_slug: str
    category: Category
    title: str
    description: str
    on_date: date | None = None
    time_from: time | None = None
    time_until: time | None = None
    flexible_days: int | None = None
    urgency: Urgency = Urgency.NORMAL
    recurrence: Recurrence = Recurrence.ONCE
    needs_car: bool = False
    status: RequestStatus = RequestStatus.OPEN
    age_days: int = 1  # posted this many days ago


@dataclass(frozen=True)
class OfferPlan:
    volunteer_email: str
    initiative_slug: str
    title: str
    description: str
    categories: tuple[Category, ...]
    availability: int
    max_distance_km: float
    has_car: bool = False
    paused_until: date | None = None
    status: OfferStatus = OfferStatus.ACTIVE
    age_days: int = 7


@dataclass(frozen=True)
class ResponsePlan:
    requester_email: str
    request_title: str
    volunteer_email: str
    message: str


def _window(rng: random.Random) -> tuple[time, time]:
    start = rng.choice(START_HOURS)
    return time(start, 0), time(start + rng.choice((1, 2)), 0)


def _status(index: int) -> RequestStatus:
    """Mostly open; every twelfth done and every fifteenth withdrawn, so both always occur."""
    if index % 12 == 11:
        return RequestStatus.DONE
    if index % 15 == 7:
        return RequestStatus.WITHDRAWN
    return RequestStatus.OPEN


def _when(rng: random.Random, today: date, status: RequestStatus, weekly: bool) -> dict:
    """A date with a time window, or flexibel within some days; and how urgent."""
    roll = rng.random()
    urgency = Urgency.HIGH if roll < 0.15 else Urgency.LOW if roll > 0.8 else Urgency.NORMAL
    if status is RequestStatus.DONE:
        start, end = _window(rng)
        on_date = today - timedelta(days=rng.randint(2, 20))
        return {"on_date": on_date, "time_from": start, "time_until": end, "urgency": urgency}
    if urgency is Urgency.HIGH or weekly or rng.random() < 0.45:
        start, end = _window(rng)
        days = rng.randint(0, 1) if urgency is Urgency.HIGH else rng.randint(2, 14)
        on_date = today + timedelta(days=days)
        return {"on_date": on_date, "time_from": start, "time_until": end, "urgency": urgency}
    return {"flexible_days": rng.choice((3, 5, 7, 14)), "urgency": urgency}


def _request(
    rng: random.Random, today: date, resident: Resident, category: Category, index: int
) -> RequestPlan:
    title, description = rng.choice(REQUESTS[category])
    status = _status(index)
    weekly = category in WEEKLY_CATEGORIES and rng.random() < 0.4
    needs_car = category is Category.TRANSPORT or (
        category in (Category.GROCERIES, Category.GARDEN) and rng.random() < 0.2
    )
    return RequestPlan(
        requester_email=resident.email,
        initiative_slug=resident.initiative_slug,
        category=category,
        title=title,
        description=description,
        recurrence=Recurrence.WEEKLY if weekly else Recurrence.ONCE,
        needs_car=needs_car,
        status=status,
        age_days=rng.randint(21, 40) if status is RequestStatus.DONE else rng.randint(0, 10),
        **_when(rng, today, status, weekly),
    )


def by_initiative(residents: list[Resident]) -> dict[str, list[Resident]]:
    grouped: dict[str, list[Resident]] = defaultdict(list)
    for resident in residents:
        grouped[resident.initiative_slug].append(resident)
    return grouped


def plan_requests(rng: random.Random, today: date, residents: list[Resident]) -> list[RequestPlan]:
    """About a third of each initiative's residents ask for something; every category occurs."""
    plans = []
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    for group in by_initiative(residents).values():
        requesters = rng.sample(group, round(len(group) * REQUEST_SHARE))
        for i, resident in enumerate(requesters):
            category = categories[i] if i < len(categories) else rng.choices(categories, weights)[0]
            plans.append(_request(rng, today, resident, category, len(plans)))
    return plans


def _availability(rng: random.Random, daytime_free: bool) -> int:
    """Retirees: weekday mornings, some afternoons. Working people: evenings and weekends."""
    if daytime_free:
        days = rng.sample(WEEKDAYS, rng.randint(2, 4))
        parts = (MORNING, AFTERNOON) if rng.random() < 0.4 else (MORNING,)
        return mask_from_slots([(d, p) for d in days for p in parts])
    evenings = [(d, EVENING) for d in rng.sample(WEEKDAYS, rng.randint(1, 3))]
    weekend = [(d, p) for d in WEEKEND for p in (MORNING, AFTERNOON) if rng.random() < 0.6]
    return mask_from_slots(evenings + (weekend or [(5, MORNING)]))


def _offer(rng: random.Random, today: date, resident: Resident, index: int) -> OfferPlan:
    title, description, categories = rng.choice(OFFERS)
    paused = index in (4, 23)  # one or two volunteers are op vakantie
    if paused:
        description += " Ik ben nu op vakantie; daarna help ik graag weer."
    return OfferPlan(
        volunteer_email=resident.email,
        initiative_slug=resident.initiative_slug,
        title=title,
        description=description,
        categories=categories,
        availability=_availability(rng, resident.daytime_free),
        max_distance_km=rng.choice((1.0, 1.5, 2.0, 3.0, 5.0)),
        has_car=Category.TRANSPORT in categories or rng.random() < 0.3,
        paused_until=today + timedelta(days=rng.randint(9, 21)) if paused else None,
        status=OfferStatus.WITHDRAWN if index == 15 else OfferStatus.ACTIVE,
        age_days=rng.randint(3, 90),
    )


def plan_offers(rng: random.Random, today: date, residents: list[Resident]) -> list[OfferPlan]:
    """About a fifth of each initiative's residents volunteer."""
    plans = []
    for group in by_initiative(residents).values():
        for resident in rng.sample(group, round(len(group) * OFFER_SHARE)):
            plans.append(_offer(rng, today, resident, len(plans)))
    return plans


def _helpers_for(request: RequestPlan, offers: list[OfferPlan]) -> list[str]:
    return [
        o.volunteer_email
        for o in offers
        if o.initiative_slug == request.initiative_slug
        and request.category in o.categories
        and o.status is OfferStatus.ACTIVE
        and o.paused_until is None
        and o.volunteer_email != request.requester_email
    ]


def plan_responses(
    rng: random.Random, requests: list[RequestPlan], offers: list[OfferPlan]
) -> list[ResponsePlan]:
    """Volunteers whose offer fits say "Ik wil helpen": on some open and every done request."""
    plans = []
    for request in requests:
        helpers = sorted(set(_helpers_for(request, offers)))
        if request.status is RequestStatus.WITHDRAWN or not helpers:
            continue
        if request.status is RequestStatus.OPEN and rng.random() > RESPONSE_SHARE:
            continue
        count = 1 if request.status is RequestStatus.DONE else rng.randint(1, 2)
        for email in rng.sample(helpers, min(count, len(helpers))):
            message = rng.choice(RESPONSE_MESSAGES)
            plans.append(ResponsePlan(request.requester_email, request.title, email, message))
    return plans
