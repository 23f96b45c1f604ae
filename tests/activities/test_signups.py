"""Sign-up per date: a place while there is one, then the waiting list, which moves up when
someone with a place cancels; a contact person signs a resident up by phone."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.activities import signup_queries, signups
from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
from buurthulp.panel.models import StreetAssignment
from buurthulp.realtime.models import Event
from buurthulp.residents.models import ProxyResident
from tests.activities.core_factories import in_days, make_activity

TODAY = in_days(0)


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "buurthulp.matching.notify.send_mail",
        lambda *, to, subject, body, **_: sent.append((to, subject, body)),
    )
    return sent


@pytest.fixture
def club(app, make):
    initiative = make.initiative()
    people = [make.user(initiative=initiative, email=f"lid{n}@example.nl") for n in range(4)]
    activity = make_activity(app, initiative, capacity=2)
    return initiative, activity, people


def sign_up(activity_id, person, day=None):
    activity = db.session.get(Activity, activity_id)
    return signups.signup_create(
        activity=activity,
        occurs_on=day or activity.starts_on,
        user=db.session.get(User, person.id),
        today=TODAY,
        now=utcnow(),
    )


def statuses(activity_id):
    rows = db.session.execute(
        select(ActivitySignup.user_id, ActivitySignup.status)
        .where(ActivitySignup.activity_id == activity_id)
        .order_by(ActivitySignup.id)
    ).all()
    return [(user_id, status.value) for user_id, status in rows]


def test_places_then_waiting_list_in_order(app, ctx, club):
    _initiative, activity, people = club
    results = [sign_up(activity.id, person).status for person in people]
    assert results == ["confirmed", "confirmed", "waiting", "waiting"]
    third = db.session.execute(
        select(ActivitySignup).where(ActivitySignup.user_id == people[3].id)
    ).scalar_one()
    assert signup_queries.waiting_position(third) == 2


def test_cancelling_a_place_moves_the_first_waiting_up_and_tells_them(app, ctx, club, outbox):
    _initiative, activity, people = club
    for person in people:
        sign_up(activity.id, person)
    first = db.session.execute(
        select(ActivitySignup).where(ActivitySignup.user_id == people[0].id)
    ).scalar_one()
    moved = signups.signup_cancel(
        signup=first, actor=db.session.get(User, people[0].id), today=TODAY, now=utcnow()
    )
    assert [signup.user_id for signup in moved] == [people[2].id]
    assert statuses(activity.id) == [
        (people[0].id, "cancelled"),
        (people[1].id, "confirmed"),
        (people[2].id, "confirmed"),
        (people[3].id, "waiting"),
    ]
    assert [(to, subject) for to, subject, _ in outbox] == [
        (people[2].email, "U heeft een plek: Eetclub")
    ]
    event = db.session.execute(select(Event).where(Event.user_id == people[2].id)).scalar_one()
    assert event.kind == "activity_place" and event.title == "U heeft een plek: Eetclub"


def test_cancelling_a_waiting_place_moves_nobody(app, ctx, club, outbox):
    _initiative, activity, people = club
    for person in people[:3]:
        sign_up(activity.id, person)
    waiting = db.session.execute(
        select(ActivitySignup).where(ActivitySignup.user_id == people[2].id)
    ).scalar_one()
    assert (
        signups.signup_cancel(
            signup=waiting, actor=db.session.get(User, people[2].id), today=TODAY, now=utcnow()
        )
        == []
    )
    assert outbox == []


def test_signing_up_again_after_cancelling_reuses_the_row_at_the_back(app, ctx, club):
    _initiative, activity, people = club
    for person in people[:3]:
        sign_up(activity.id, person)
    row = db.session.execute(
        select(ActivitySignup).where(ActivitySignup.user_id == people[0].id)
    ).scalar_one()
    signups.signup_cancel(
        signup=row, actor=db.session.get(User, people[0].id), today=TODAY, now=utcnow()
    )
    again = sign_up(activity.id, people[0])
    assert again.id == row.id
    assert again.status == SignupStatus.WAITING  # the place went to the waiting list
    with pytest.raises(signups.SignupError, match="al op de wachtlijst"):
        sign_up(activity.id, people[0])


@pytest.mark.parametrize(
    ("day_offset", "message"),
    [(1, "Op deze datum is de activiteit er niet"), (-14, "al voorbij")],
)
def test_only_coming_dates_of_the_activity(app, ctx, club, day_offset, message):
    _initiative, activity, people = club
    with pytest.raises(signups.SignupError, match=message):
        sign_up(activity.id, people[0], activity.starts_on + timedelta(days=day_offset))


def test_weekly_activity_has_capacity_per_date(app, ctx, make):
    initiative = make.initiative()
    people = [make.user(initiative=initiative) for _ in range(2)]
    activity = make_activity(app, initiative, capacity=1, weekly=True)
    week_later = activity.starts_on + timedelta(days=7)
    assert sign_up(activity.id, people[0]).status == SignupStatus.CONFIRMED
    assert sign_up(activity.id, people[1], week_later).status == SignupStatus.CONFIRMED
    assert sign_up(activity.id, people[1]).status == SignupStatus.WAITING


def test_non_members_and_closed_activities_refuse(app, ctx, club, make):
    _initiative, activity, people = club
    with pytest.raises(signups.SignupError, match="Alleen leden"):
        sign_up(activity.id, make.user(email="buiten@example.nl"))
    db.session.get(Activity, activity.id).status = "cancelled"
    db.session.commit()
    with pytest.raises(signups.SignupError, match="niet \\(meer\\) aanmelden"):
        sign_up(activity.id, people[0])


def test_larger_capacity_gives_waiting_people_a_place(app, ctx, club, outbox):
    _initiative, activity, people = club
    for person in people:
        sign_up(activity.id, person)
    db.session.get(Activity, activity.id).capacity = 3
    db.session.commit()
    moved = signups.waiting_list_refill(activity_id=activity.id, today=TODAY)
    assert [signup.user_id for signup in moved] == [people[2].id]
    assert [to for to, _s, _b in outbox] == [people[2].email]


@pytest.fixture
def streets(app, make, club):
    """A contact person for the Walstraat; Mien (no account) lives there, Kees elsewhere."""
    initiative, activity, people = club
    contact = make.user(initiative=initiative, role=Role.STREET_CONTACT, email="henk@example.nl")
    with app.app_context():
        wal = Street(initiative_id=initiative.id, name="Walstraat")
        other = Street(initiative_id=initiative.id, name="Sassenstraat")
        db.session.add_all([wal, other])
        db.session.flush()
        db.session.add(StreetAssignment(street_id=wal.id, user_id=contact.id))
        proxies = [
            ProxyResident(
                initiative_id=initiative.id,
                street_id=street.id,
                first_name=name,
                last_name="Bakker",
                street_name=street.name,
                house_number="3",
                postcode="8011PX",
                place="Zwolle",
                latitude=52.5,
                longitude=6.1,
                consent_at=utcnow(),
            )
            for name, street in (("Mien", wal), ("Kees", other))
        ]
        db.session.add_all(proxies)
        db.session.commit()
        return {"contact": contact, "wal": wal.id, "mien": proxies[0].id, "kees": proxies[1].id}


def phone(activity_id, contact_id, street_ids, proxy_id):
    activity = db.session.get(Activity, activity_id)
    return signups.signup_by_phone(
        activity=activity,
        occurs_on=activity.starts_on,
        by_user=db.session.get(User, contact_id),
        street_ids=street_ids,
        proxy_resident=db.session.get(ProxyResident, proxy_id),
        today=TODAY,
        now=utcnow(),
    )


def test_contact_person_signs_up_a_resident_of_their_street_and_it_is_logged(
    app, ctx, club, streets
):
    _initiative, activity, _people = club
    contact = streets["contact"]
    signup = phone(activity.id, contact.id, {streets["wal"]}, streets["mien"])
    assert signup.status == SignupStatus.CONFIRMED
    assert signup.signed_up_by_id == contact.id and signup.user_id is None
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        "activity_signup_by_phone",
        contact.id,
        signup.id,
    )
    assert entry.details["proxy_resident_id"] == streets["mien"]


def test_contact_person_cannot_sign_up_a_resident_of_another_street(app, ctx, club, streets):
    _initiative, activity, _people = club
    with pytest.raises(signups.SignupError, match="hoort niet bij de straten"):
        phone(activity.id, streets["contact"].id, {streets["wal"]}, streets["kees"])
    assert db.session.execute(select(ActivitySignup)).first() is None
    assert db.session.execute(select(AuditEntry)).first() is None


def test_a_promoted_phone_resident_is_told_through_their_contact_person(
    app, ctx, club, streets, outbox
):
    _initiative, activity, people = club
    for person in people[:2]:
        sign_up(activity.id, person)
    waiting = phone(activity.id, streets["contact"].id, None, streets["mien"])
    assert waiting.status == SignupStatus.WAITING
    first = db.session.execute(
        select(ActivitySignup).where(ActivitySignup.user_id == people[0].id)
    ).scalar_one()
    signups.signup_cancel(
        signup=first, actor=db.session.get(User, people[0].id), today=TODAY, now=utcnow()
    )
    assert [(to, subject) for to, subject, _ in outbox] == [
        ("henk@example.nl", "Mien Bakker heeft een plek: Eetclub")
    ]
