"""The agenda's calendar feed, parsed with the icalendar library."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from buurthulp.activities import agenda_views
from buurthulp.activities.models import ActivityKind, ActivityStatus
from buurthulp.moderation.models import ReviewState
from tests.activities import agenda_factories as f

TODAY = date(2026, 12, 2)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(agenda_views, "_today", lambda: TODAY)


@pytest.fixture
def app_settings():
    return {"SERVER_BASE_URL": "https://buurthulp.example.nl"}


@pytest.fixture
def feed(app, make):
    initiative = make.initiative(name="Burenhulp De Kolk")
    weekly = f.activity(
        app,
        initiative,
        title="Taalcafé; koffie, thee",
        kind=ActivityKind.LANGUAGE_CAFE,
        starts_on=date(2026, 10, 1),  # summer time then, winter time now
        weekly=True,
        ends_on=date(2027, 6, 24),
        start_time=time(14, 0),
        end_time=time(16, 0),
        description="Samen Nederlands oefenen.",
        hearing_loop=True,
    )
    open_ended = f.activity(app, initiative, title="Wandelgroep", weekly=True, end_time=None)
    once = f.activity(app, initiative, title="Kerstdiner", starts_on=date(2026, 12, 20))
    cancelled = f.activity(
        app, initiative, title="Spelletjes", status=ActivityStatus.CANCELLED, starts_on=TODAY
    )
    f.activity(app, initiative, title="Lang geleden", starts_on=date(2026, 9, 1))
    f.activity(app, initiative, title="Voorstel", review_state=ReviewState.PENDING)
    ids = {
        "weekly": weekly.id,
        "open": open_ended.id,
        "once": once.id,
        "cancelled": cancelled.id,
    }
    return initiative, ids


def events(client, slug):
    response = client.get(f"/activiteiten/agenda/{slug}/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return response, {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_feed_is_a_valid_calendar_without_login(client, feed):
    initiative, ids = feed
    response, found = events(client, initiative.slug)
    assert set(found) == {"Taalcafé; koffie, thee", "Wandelgroep", "Kerstdiner", "Spelletjes"}
    assert b"\r\n" in response.data
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))
    calendar = Calendar.from_ical(response.data)
    assert [str(t["TZID"]) for t in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_weekly_activity_has_an_rrule_until_its_last_date_in_utc(client, feed):
    initiative, ids = feed
    _, found = events(client, initiative.slug)
    event = found["Taalcafé; koffie, thee"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 10, 1, 14, 0, tzinfo=AMSTERDAM)
    assert start.utcoffset().total_seconds() == 7200  # CEST
    assert event.decoded("DTEND") == datetime(2026, 10, 1, 16, 0, tzinfo=AMSTERDAM)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    # 24 June 2027 14:00 in Amsterdam (CEST) is 12:00 UTC.
    assert rule["UNTIL"][0].replace(tzinfo=None) == datetime(2027, 6, 24, 12, 0)
    assert str(event["UID"]) == f"activity-{ids['weekly']}@buurthulp.example.nl"
    assert str(event["LOCATION"]) == "Buurthuis De Kolk, Kolkstraat 1, Zwolle"
    assert "Met ringleiding." in str(event["DESCRIPTION"])
    assert str(event["URL"]).startswith("https://buurthulp.example.nl/activiteiten/")


def test_open_ended_one_off_and_cancelled_events(client, feed):
    initiative, ids = feed
    _, found = events(client, initiative.slug)
    assert found["Wandelgroep"]["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "UNTIL" not in found["Wandelgroep"]["RRULE"]
    assert "DTEND" not in found["Wandelgroep"]
    assert "RRULE" not in found["Kerstdiner"]
    assert found["Kerstdiner"].decoded("DTSTART") == datetime(2026, 12, 20, 10, 0, tzinfo=AMSTERDAM)
    assert str(found["Spelletjes"]["STATUS"]) == "CANCELLED"
    assert "STATUS" not in found["Kerstdiner"]


def test_uids_are_stable_between_fetches(client, feed):
    initiative, _ = feed
    _, first = events(client, initiative.slug)
    _, second = events(client, initiative.slug)
    assert {k: str(v["UID"]) for k, v in first.items()} == {
        k: str(v["UID"]) for k, v in second.items()
    }
    assert len({str(v["UID"]) for v in first.values()}) == 4


def test_feed_never_names_participants(app, client, make, feed):
    initiative, ids = feed
    from buurthulp.activities.models import Activity
    from buurthulp.extensions import db

    person = make.user(initiative=initiative, first_name="Truus", last_name="Hendriks")
    with app.app_context():
        activity = db.session.get(Activity, ids["once"])
        db.session.expunge(activity)
    f.signup(app, activity, date(2026, 12, 20), user=person)
    response, _ = events(client, initiative.slug)
    assert b"Truus" not in response.data and b"Hendriks" not in response.data
