"""One-click lift: a "vervoer/lift" request for the date, posted as the resident's own and
matched like any other; one request per sign-up; withdrawn when the sign-up is cancelled."""

from datetime import time

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.activities import lifts, signups
from buurthulp.activities.models import ActivitySignup
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.listings.availability import FULL_WEEK
from buurthulp.listings.models import Category, HelpRequest, RequestStatus
from buurthulp.matching.models import Invitation
from buurthulp.residents.models import ProxyResident
from tests.activities.core_factories import in_days, make_activity, make_signup

TODAY = in_days(0)


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "buurthulp.matching.notify.send_mail",
        lambda *, to, subject, body, **_: sent.append((to, subject)),
    )
    return sent


@pytest.fixture
def world(app, make):
    initiative = make.initiative(pc4s=("8011", "8012"))
    resident = make.user(
        initiative=initiative, email="mien@example.nl", postcode="8012AB", street_name="Assendorp"
    )
    driver = make.user(initiative=initiative, email="rijder@example.nl", postcode="8012AC")
    walker = make.user(initiative=initiative, email="loper@example.nl", postcode="8012AC")
    far = make.user(initiative=initiative, email="ver@example.nl", postcode="8011AB")
    for volunteer, has_car in ((driver, True), (walker, False)):
        make.help_offer(
            volunteer=volunteer,
            initiative=initiative,
            categories=(Category.TRANSPORT,),
            availability=FULL_WEEK,
            has_car=has_car,
            max_distance_km=2.0,
        )
    activity = make_activity(app, initiative, capacity=10, transport_available=True)
    signup = make_signup(app, activity, user=resident)
    return {
        "initiative": initiative,
        "resident": resident,
        "driver": driver,
        "walker": walker,
        "far": far,
        "activity": activity,
        "signup": signup,
    }


def ask(signup_id, actor_id):
    return lifts.lift_request_create(
        signup=db.session.get(ActivitySignup, signup_id),
        actor=db.session.get(User, actor_id),
        today=TODAY,
        now=utcnow(),
    )


def test_lift_request_has_the_time_place_and_the_residents_own_location(app, ctx, world, outbox):
    help_request = ask(world["signup"].id, world["resident"].id)
    activity, resident = world["activity"], world["resident"]
    assert help_request.category == Category.TRANSPORT and help_request.needs_car
    assert help_request.requester_id == resident.id
    assert help_request.on_date == activity.starts_on
    assert (help_request.time_from, help_request.time_until) == (time(17, 0), time(17, 30))
    assert help_request.title == "Lift naar Eetclub"
    for text in ("Buurthuis De Kroon", "Kerkstraat 12", "8011AB Zwolle", "17:30"):
        assert text in help_request.description
    # At the resident's own street and area, as a request they posted themselves.
    assert (help_request.street_name, help_request.latitude) == ("Assendorp", resident.latitude)
    assert db.session.get(ActivitySignup, world["signup"].id).lift_request_id == help_request.id


def test_lift_request_is_matched_like_any_other(app, ctx, world, outbox):
    help_request = ask(world["signup"].id, world["resident"].id)
    invited = set(
        db.session.execute(
            select(Invitation.volunteer_id).where(Invitation.request_id == help_request.id)
        ).scalars()
    )
    # The driver nearby with a transport offer; not the one without a car.
    assert invited == {world["driver"].id}
    assert ("rijder@example.nl", "Kunt u helpen: Lift naar Eetclub?") in outbox


def test_a_second_click_makes_no_second_request(app, ctx, world, outbox):
    first = ask(world["signup"].id, world["resident"].id)
    second = ask(world["signup"].id, world["resident"].id)
    assert first.id == second.id
    assert len(db.session.execute(select(HelpRequest)).all()) == 1


def test_cancelling_the_signup_withdraws_the_lift(app, ctx, world, outbox):
    help_request = ask(world["signup"].id, world["resident"].id)
    signups.signup_cancel(
        signup=db.session.get(ActivitySignup, world["signup"].id),
        actor=db.session.get(User, world["resident"].id),
        today=TODAY,
        now=utcnow(),
    )
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.WITHDRAWN
    assert ("rijder@example.nl", "Ingetrokken: Lift naar Eetclub") in outbox


def test_no_lift_without_transport_or_a_place_or_for_someone_else(app, ctx, world, make):
    activity = make_activity(app, world["initiative"], transport_available=False)
    plain = make_signup(app, activity, user=world["resident"])
    with pytest.raises(lifts.LiftError, match="geen vervoer"):
        ask(plain.id, world["resident"].id)
    waiting = make_signup(app, world["activity"], user=world["far"], status="waiting")
    with pytest.raises(lifts.LiftError, match="als u een plek heeft"):
        ask(waiting.id, world["far"].id)
    with pytest.raises(lifts.LiftError, match="Alleen de bewoner zelf"):
        ask(world["signup"].id, world["driver"].id)
    assert db.session.execute(select(HelpRequest)).first() is None


def test_contact_person_asks_a_lift_for_a_phone_resident(app, ctx, world, make):
    contact = make.user(
        initiative=world["initiative"], role=Role.STREET_CONTACT, email="henk@example.nl"
    )
    with app.app_context():
        proxy = ProxyResident(
            initiative_id=world["initiative"].id,
            first_name="Mien",
            last_name="Bakker",
            street_name="Assendorp",
            house_number="7",
            postcode="8012AB",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=utcnow(),
        )
        db.session.add(proxy)
        db.session.commit()
        proxy_id = proxy.id
    signup = make_signup(
        app,
        world["activity"],
        proxy=db.session.get(ProxyResident, proxy_id),
        signed_up_by_id=contact.id,
    )
    help_request = ask(signup.id, contact.id)
    assert help_request.proxy_resident_id == proxy_id
    assert help_request.created_by_id == contact.id and help_request.requester_id is None
    assert help_request.category == Category.TRANSPORT


@pytest.mark.parametrize(
    ("start", "window"),
    [
        (time(17, 30), (time(17, 0), time(17, 30))),
        (time(0, 10), (time(0, 0), time(0, 10))),
        (time(0, 0), (time(0, 0), time(0, 30))),
    ],
)
def test_pick_up_window_is_half_an_hour_before_the_start(start, window):
    assert lifts.pick_up_window(start) == window
