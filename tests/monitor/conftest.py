"""A random history of activity in two initiatives, written straight to the raw tables."""

import random
from datetime import UTC, datetime, time, timedelta

import pytest

from buurthulp.activities.models import Activity, ActivityKind, ActivitySignup, SignupStatus
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import Category, HelpRequest, HelpResponse
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.residents.models import ProxyResident

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def random_history(app, make, *, seed: int = 7, requests: int = 120, now=NOW) -> dict:
    rng = random.Random(seed)
    initiatives = [make.initiative(), make.initiative(pc4s=("7101",))]
    people = []
    for n in range(12):
        initiative = initiatives[n % 2]
        people.append(
            make.user(initiative=initiative, postcode="8011AB" if n % 2 == 0 else "7101AA")
        )
    with app.app_context():
        for membership in db.session.execute(db.select(Membership)).scalars():
            membership.created_at = now - timedelta(days=rng.randint(0, 500), hours=rng.random())
        for _ in range(requests):
            _one_request(rng, initiatives, people, now)
        db.session.commit()
        activity_history(random.Random(seed + 1000), initiatives, people, now, days=450)
        db.session.commit()
    return {"initiatives": initiatives, "people": people}


def activity_history(rng, initiatives, people, now, *, days: int, dates: int = 12) -> None:
    """A weekly activity per initiative with sign-ups on random past dates, some recorded
    as attended (by members or phone-intake residents), some not, some recorded absent."""
    for index, initiative in enumerate(initiatives):
        members = [p for n, p in enumerate(people) if n % 2 == index]
        first = (now - timedelta(days=days)).date()
        activity = Activity(
            initiative_id=initiative.id,
            title="Koffieochtend",
            kind=ActivityKind.COFFEE_MORNING,
            venue_name="Buurthuis",
            venue_street="Straat 1",
            venue_postcode="8011AA",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            starts_on=first,
            start_time=time(10),
            weekly=True,
        )
        db.session.add(activity)
        db.session.flush()
        weeks = max(1, days // 7)
        for week in sorted(rng.sample(range(weeks), min(dates, weeks))):
            day = first + timedelta(weeks=week)
            recorded = rng.random() < 0.8
            for person in rng.sample(members, rng.randint(1, len(members))):
                attended = rng.random() < 0.7 if recorded else None
                db.session.add(
                    ActivitySignup(
                        activity_id=activity.id,
                        occurs_on=day,
                        user_id=person.id,
                        status=SignupStatus.CONFIRMED,
                        attended=attended,
                    )
                )
            if recorded and rng.random() < 0.5:
                _proxy_participant(activity, day, members[0])


def _proxy_participant(activity, day, contact) -> None:
    resident = _proxy(activity.initiative_id, contact, datetime.now(UTC))
    db.session.add(resident)
    db.session.flush()
    db.session.add(
        ActivitySignup(
            activity_id=activity.id,
            occurs_on=day,
            proxy_resident_id=resident.id,
            signed_up_by_id=contact.id,
            status=SignupStatus.CONFIRMED,
            attended=True,
        )
    )


def _proxy(initiative_id, contact, at) -> ProxyResident:
    return ProxyResident(
        initiative_id=initiative_id,
        first_name="Mien",
        last_name="Bakker",
        phone="0384211234",
        street_name="Straat",
        house_number="1",
        postcode="8011AB",
        place="Zwolle",
        latitude=52.5,
        longitude=6.1,
        consent_at=at,
        consent_by_id=contact.id,
    )


def _taken_by_phone(request, contact, at) -> None:
    """Turn the request into one a contact person posted for a resident without an account."""
    resident = _proxy(request.initiative_id, contact, at)
    db.session.add(resident)
    db.session.flush()
    request.requester_id, request.created_by_id = None, contact.id
    request.proxy_resident_id = resident.id


def _one_request(rng, initiatives, people, now, days: int = 450):
    """One request posted in the `days` before `now`, maybe with responses and a match."""
    requester = rng.choice(people)
    initiative = initiatives[people.index(requester) % 2]
    created = now - timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 1440))
    request = HelpRequest(
        initiative_id=initiative.id,
        requester_id=requester.id,
        category=rng.choice(list(Category)[:4]),
        title="Hulp",
        flexible_days=3,
        street_name="Straat",
        place="Zwolle",
        latitude=52.5,
        longitude=6.1,
        created_at=created,
    )
    if rng.random() < 0.2:
        _taken_by_phone(request, requester, created)
    db.session.add(request)
    db.session.flush()
    helpers = rng.sample([p for p in people if p is not requester], rng.randint(0, 3))
    for helper in helpers:
        at = min(created + timedelta(hours=rng.uniform(0.1, 200)), now)
        db.session.add(HelpResponse(request_id=request.id, volunteer_id=helper.id, created_at=at))
    if helpers and rng.random() < 0.7:
        made = created + timedelta(hours=rng.choice([0.5, 2, 10, 30, 100, 400]) * rng.random())
        made = min(made, now)
        status = rng.choice(list(MatchStatus))
        closed = (
            made + timedelta(days=rng.randint(0, 20)) if status != MatchStatus.ACCEPTED else None
        )
        db.session.add(
            Match(
                request_id=request.id,
                volunteer_id=helpers[0].id,
                status=status,
                hours=rng.choice([None, 0.5, 1.0, 2.25]) if status == MatchStatus.DONE else None,
                created_at=made,
                closed_at=closed if closed is None or closed <= now else now,
            )
        )


@pytest.fixture
def history(app, make):
    return random_history(app, make)
