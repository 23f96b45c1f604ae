"""The day-before reminder of an activity: participants with an account, and the contact
person of residents signed up by phone; once each, also after a kill halfway."""

import threading
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from buurthulp.activities.models import ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.moderation.models import ReviewState
from buurthulp.realtime.models import Event
from buurthulp.residents.models import ProxyResident
from buurthulp.scheduler import deliveries
from buurthulp.scheduler.jobs import activity_reminders
from buurthulp.scheduler.runner import run_job
from tests.activities import agenda_factories as f
from tests.scheduler.conftest import NOW, TODAY, body_of, mails_to, wait_for_mail

TOMORROW = TODAY + timedelta(days=1)  # Tuesday 24 November 2026


def proxy(app, initiative, first_name, contact):
    with app.app_context():
        resident = ProxyResident(
            initiative_id=initiative.id,
            first_name=first_name,
            last_name="Bakker",
            phone="0384211234",
            street_name="Walstraat",
            house_number="7",
            postcode="8011PX",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=utcnow(),
            consent_by_id=contact.id,
        )
        db.session.add(resident)
        db.session.commit()
        return resident.id


@pytest.fixture
def tomorrow(app, make, people):
    """A weekly koffieochtend on Tuesdays: Anna signed up herself, Bert waits, Henk (a
    contact person) signed up Mien and Kees by phone; Carla cancelled."""
    henk = make.user(
        initiative=people.initiative, role=Role.STREET_CONTACT, email="henk@example.nl"
    )
    coffee = f.activity(
        app, people.initiative, starts_on=TOMORROW, weekly=True, capacity=4, start_time=time(10)
    )
    f.signup(app, coffee, TOMORROW, user=people.anna)
    f.signup(app, coffee, TOMORROW, user=people.bert, status=SignupStatus.WAITING)
    f.signup(app, coffee, TOMORROW, user=people.carla, status=SignupStatus.CANCELLED)
    for name in ("Mien", "Kees"):
        resident = proxy(app, people.initiative, name, henk)
        f.signup(app, coffee, TOMORROW, proxy_id=resident, signed_up_by_id=henk.id)
    f.signup(app, coffee, TOMORROW + timedelta(days=7), user=people.bert)  # next week: not yet
    return {"henk": henk, "coffee": coffee}


def events_of(user_id):
    return list(
        db.session.execute(
            select(Event).where(Event.user_id == user_id, Event.kind == "activity_reminder")
        ).scalars()
    )


def test_participants_and_the_contact_person_are_reminded_once(
    app, ctx, people, tomorrow, smtp_server
):
    assert activity_reminders.job(NOW) == {"reminders": 2, "sign_ups": 3}
    assert activity_reminders.job(NOW + timedelta(hours=3))["reminders"] == 0
    wait_for_mail(smtp_server, 2)
    assert len(smtp_server.messages) == 2
    (to_anna,) = mails_to(smtp_server, "anna@example.nl")
    (to_henk,) = mails_to(smtp_server, "henk@example.nl")
    assert to_anna["Subject"] == "Morgen: Koffieochtend"
    anna_text = body_of(to_anna)
    assert "dinsdag 24 november om 10:00 uur" in anna_text
    assert "Buurthuis De Kolk (Kolkstraat 1, Zwolle)" in anna_text
    henk_text = body_of(to_henk)
    assert "Kees Bakker, Mien Bakker" in henk_text and "bellen" in henk_text
    assert "0384211234" not in henk_text and "Walstraat" not in henk_text
    assert len(events_of(people.anna.id)) == 1
    assert len(events_of(tomorrow["henk"].id)) == 1
    assert events_of(people.bert.id) == [] and events_of(people.carla.id) == []
    reminded = db.session.execute(
        select(ActivitySignup.occurs_on, ActivitySignup.status, ActivitySignup.reminded_at)
    ).all()
    for occurs_on, status, reminded_at in reminded:
        wanted = occurs_on == TOMORROW and status == SignupStatus.CONFIRMED
        assert (reminded_at is not None) is wanted


def test_a_member_signed_up_by_phone_and_their_contact_person_both_hear(
    app, ctx, make, people, smtp_server
):
    henk = make.user(initiative=people.initiative, role=Role.STREET_CONTACT)
    walk = f.activity(app, people.initiative, title="Wandelgroep", starts_on=TOMORROW)
    f.signup(app, walk, TOMORROW, user=people.anna, signed_up_by_id=henk.id)
    assert activity_reminders.job(NOW)["reminders"] == 2
    wait_for_mail(smtp_server, 2)
    (to_henk,) = mails_to(smtp_server, henk.email)
    assert "Anna Verhoeven" in body_of(to_henk)


@pytest.mark.parametrize(
    "change",
    [
        {"status": ActivityStatus.CANCELLED},
        {"review_state": ReviewState.PENDING},
        {"ends_on": TODAY - timedelta(days=7)},  # the weekly activity stopped before tomorrow
    ],
)
def test_no_reminder_for_an_activity_that_does_not_take_place(
    app, ctx, people, tomorrow, smtp_server, change
):
    from buurthulp.activities.models import Activity

    coffee = db.session.get(Activity, tomorrow["coffee"].id)
    if "ends_on" in change:
        coffee.starts_on = TODAY - timedelta(days=13)
    for name, value in change.items():
        setattr(coffee, name, value)
    db.session.commit()
    assert activity_reminders.job(NOW)["reminders"] == 0


class Killed(BaseException):
    """The process dies: not an Exception, so nothing on the way catches it."""


def test_a_run_killed_halfway_is_completed_by_the_next_run_exactly_once(
    app, ctx, people, tomorrow, smtp_server, monkeypatch
):
    claim = deliveries.delivery_claim
    calls = []

    def dies_before_the_second(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 2:
            raise Killed
        return claim(**kwargs)

    monkeypatch.setattr(deliveries, "delivery_claim", dies_before_the_second)
    with pytest.raises(Killed):
        activity_reminders.job(NOW)
    db.session.rollback()
    wait_for_mail(smtp_server, 1)
    assert len(smtp_server.messages) == 1
    monkeypatch.setattr(deliveries, "delivery_claim", claim)
    assert run_job(activity_reminders.JOB_ID, now=NOW + timedelta(hours=1))["reminders"] == 1
    assert run_job(activity_reminders.JOB_ID, now=NOW + timedelta(hours=2))["reminders"] == 0
    wait_for_mail(smtp_server, 2)
    assert sorted(m["To"] for m in smtp_server.messages) == ["anna@example.nl", "henk@example.nl"]


def test_concurrent_runs_send_each_reminder_once(app, people, tomorrow, smtp_server):
    """Without the run lock: the delivery keys alone keep it to one reminder each."""
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(activity_reminders.job(NOW)["reminders"])
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 2
    wait_for_mail(smtp_server, 2)
    assert len(smtp_server.messages) == 2
