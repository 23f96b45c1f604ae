"""Demo activities for De Zwolse Hoven: a weekly eetclub and koffieochtend, a full taalcafé
with a waiting list, and a resident's proposal waiting in the moderation queue.

Found by initiative and title, sign-ups by activity, date and person: a second run adds
nothing. Dates are relative to `today`, so the agenda always has coming dates.
"""

from datetime import date, time, timedelta

from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.activities.models import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivitySignup,
    SignupStatus,
)
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate
from buurthulp.initiatives.models import Membership
from buurthulp.moderation.models import ReviewState

ORGANISER = "coordinator@example.nl"
RESIDENT = "bewoner@example.nl"
PROPOSER = RESIDENT
KROON = {"venue_name": "Buurthuis De Kroon", "venue_street": "Assendorperstraat 90"}
LIBRARY = {"venue_name": "Bibliotheek Zwolle Centrum", "venue_street": "Diezerstraat 80"}


def _next(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _plans(today: date) -> list[dict]:
    return [
        dict(
            title="Eetclub in De Kroon",
            kind=ActivityKind.MEAL_CLUB,
            description="Elke dinsdag koken vrijwilligers een driegangenmenu. Aanschuiven kan!",
            starts_on=_next(today, 1),
            start_time=time(17, 30),
            end_time=time(19, 30),
            weekly=True,
            capacity=16,
            cost_cents=450,
            wheelchair_accessible=True,
            hearing_loop=True,
            transport_available=True,
            postcode="8012AE",
            **KROON,
        ),
        dict(
            title="Koffieochtend",
            kind=ActivityKind.COFFEE_MORNING,
            description="Koffie, thee en een praatje. Iedereen is welkom.",
            starts_on=_next(today, 3),
            start_time=time(10, 0),
            end_time=time(11, 30),
            weekly=True,
            wheelchair_accessible=True,
            postcode="8012AE",
            **KROON,
        ),
        dict(
            title="Taalcafé",
            kind=ActivityKind.LANGUAGE_CAFE,
            description="Samen Nederlands oefenen, in kleine groepjes.",
            starts_on=today + timedelta(days=9),
            start_time=time(14, 0),
            end_time=time(15, 30),
            capacity=2,
            accessibility_notes="Lift naar de eerste verdieping.",
            postcode="8011NC",
            **LIBRARY,
        ),
    ]


def _ensure(initiative_id: int, organiser: User, plan: dict, review_state) -> tuple[Activity, int]:
    existing = db.session.execute(
        select(Activity).where(
            Activity.initiative_id == initiative_id, Activity.title == plan["title"]
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing, 0
    values = dict(plan)
    postcode, area = locate(values.pop("postcode"))
    activity = Activity(
        initiative_id=initiative_id,
        created_by_id=organiser.id,
        review_state=review_state,
        venue_postcode=postcode,
        place=area.place,
        latitude=area.latitude,
        longitude=area.longitude,
        **values,
    )
    db.session.add(activity)
    db.session.flush()
    return activity, 1


def _sign_up(activity: Activity, user: User, status: SignupStatus) -> int:
    found = db.session.execute(
        select(ActivitySignup.id).where(
            ActivitySignup.activity_id == activity.id,
            ActivitySignup.occurs_on == activity.starts_on,
            ActivitySignup.user_id == user.id,
        )
    ).first()
    if found:
        return 0
    db.session.add(
        ActivitySignup(
            activity_id=activity.id, occurs_on=activity.starts_on, user_id=user.id, status=status
        )
    )
    return 1


def _members(initiative_id: int, skip: set[int], count: int) -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.initiative_id == initiative_id, User.id.not_in(sorted(skip)))
            .order_by(User.id)
            .limit(count)
        ).scalars()
    )


def ensure_activities(users: dict[str, User], today: date) -> int:
    """Create what is missing; returns how many records are new."""
    organiser, resident = users[ORGANISER], users[RESIDENT]
    initiative_id = db.session.execute(
        select(Membership.initiative_id).where(Membership.user_id == organiser.id)
    ).scalar_one()
    created = 0
    if db.session.get(ActivitySettings, initiative_id) is None:
        db.session.add(ActivitySettings(initiative_id=initiative_id, residents_may_propose=True))
        created += 1
    made = []
    for plan in _plans(today):
        activity, new = _ensure(initiative_id, organiser, plan, ReviewState.APPROVED)
        made.append(activity)
        created += new
    eetclub, _koffie, taalcafe = made
    created += _sign_up(eetclub, resident, SignupStatus.CONFIRMED)
    others = _members(initiative_id, {organiser.id, resident.id}, 3)
    for user, status in zip(others, ("confirmed", "confirmed", "waiting"), strict=False):
        created += _sign_up(taalcafe, user, SignupStatus(status))
    proposal = dict(
        _plans(today)[1],
        title="Wandelgroep langs de IJssel",
        kind=ActivityKind.WALKING_GROUP,
        description="Een rustige wandeling van een uur, met koffie na afloop.",
    )
    created += _ensure(initiative_id, users[PROPOSER], proposal, ReviewState.PENDING)[1]
    return created
