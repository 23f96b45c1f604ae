"""Organisers tick who came to a past date; only buurtverbinders and coordinators."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from buurthulp.activities import attendance, attendance_views
from buurthulp.activities.models import ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from tests.activities import agenda_factories as f

TODAY = date(2026, 12, 2)
LAST_THURSDAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(attendance_views, "_today", lambda: TODAY)


@pytest.fixture
def world(app, make):
    initiative = make.initiative()
    connector = make.user(initiative=initiative, role=Role.CONNECTOR)
    coffee = f.activity(
        app, initiative, starts_on=date(2026, 11, 19), weekly=True, title="Koffieochtend"
    )
    truus = make.user(initiative=initiative, first_name="Truus", last_name="Hendriks")
    kees = make.user(initiative=initiative, first_name="Kees", last_name="Smit")
    came = f.signup(app, coffee, LAST_THURSDAY, user=truus)
    absent = f.signup(app, coffee, LAST_THURSDAY, user=kees)
    waiting = f.signup(app, coffee, LAST_THURSDAY, user=make.user(), status=SignupStatus.WAITING)
    f.signup(app, coffee, date(2026, 12, 3), user=truus)  # the future: not yet
    return {
        "initiative": initiative,
        "connector": connector,
        "coffee": coffee,
        "came": came.id,
        "absent": absent.id,
        "waiting": waiting.id,
    }


def url(world, day=LAST_THURSDAY, activity_id=None):
    activity_id = activity_id or world["coffee"].id
    return f"/paneel/{world['initiative'].id}/activiteiten/{activity_id}/{day.isoformat()}"


def attended(app) -> dict[int, bool | None]:
    with app.app_context():
        rows = db.session.execute(select(ActivitySignup.id, ActivitySignup.attended)).all()
        return dict(rows)


def test_connector_records_who_came(app, client, auth, world):
    auth.login_as(world["connector"])
    listing = client.get(f"/paneel/{world['initiative'].id}/activiteiten")
    text = listing.get_data(as_text=True)
    assert "Nog invullen" in text and url(world) in text
    form = client.get(url(world)).get_data(as_text=True)
    assert "Truus Hendriks" in form and "Kees Smit" in form
    data = {"present": [str(world["came"]), str(world["waiting"]), "abc", "99999999999999"]}
    response = client.post(url(world), data=data)
    assert response.status_code == 303
    state = attended(app)
    assert state[world["came"]] is True and state[world["absent"]] is False
    assert state[world["waiting"]] is None  # not a participant of the date: ignored
    done = client.get(f"/paneel/{world['initiative'].id}/activiteiten").get_data(as_text=True)
    assert "Alles is ingevuld." in done and "1 was er" in done
    with app.app_context():
        entry = db.session.execute(select(AuditEntry)).scalar_one()
        assert entry.action == "activity_attendance" and entry.details["attended"] == 1


def test_attendance_can_be_corrected(app, client, auth, world):
    auth.login_as(world["connector"])
    client.post(url(world), data={"present": [str(world["came"])]})
    client.post(url(world), data={"present": [str(world["absent"])]})
    state = attended(app)
    assert state[world["came"]] is False and state[world["absent"]] is True


@pytest.mark.parametrize(
    "day", [date(2026, 12, 3), date(2026, 11, 27), date(2026, 11, 12)], ids=str
)
def test_future_or_non_dates_are_404(client, auth, world, day):
    auth.login_as(world["connector"])
    assert client.get(url(world, day)).status_code == 404
    assert client.post(url(world, day), data={}).status_code == 404


@pytest.mark.parametrize("bad", ["2026-13-45", "gisteren!!", "2026_11_26"])
def test_bad_date_in_url_is_404(client, auth, world, bad):
    auth.login_as(world["connector"])
    path = f"/paneel/{world['initiative'].id}/activiteiten/{world['coffee'].id}/{bad}"
    assert client.get(path).status_code == 404


def test_cancelled_activity_takes_no_attendance(app, ctx, world):
    from buurthulp.activities.models import Activity

    activity = db.session.get(Activity, world["coffee"].id)
    activity.status = ActivityStatus.CANCELLED
    db.session.commit()
    with pytest.raises(attendance.AttendanceError):
        attendance.attendance_record(
            activity=activity,
            day=LAST_THURSDAY,
            present_ids={world["came"]},
            actor=None,
            today=TODAY,
            now=utcnow(),
        )


def test_street_contact_and_resident_may_not(client, auth, make, world):
    for role in (Role.STREET_CONTACT, Role.RESIDENT):
        auth.login_as(make.user(initiative=world["initiative"], role=role))
        assert client.get(url(world)).status_code in (403, 404)
        assert client.post(url(world), data={"present": [str(world["came"])]}).status_code in (
            403,
            404,
        )
        auth.logout()


def test_past_dates_lists_each_date_once_newest_first(app, ctx, world):
    earlier = date(2026, 11, 19)
    f.signup(app, world["coffee"], earlier, user=world["connector"])
    dates = attendance.past_dates(world["initiative"].id, today=TODAY)
    assert [(d.day, d.confirmed, d.complete) for d in dates] == [
        (LAST_THURSDAY, 2, False),
        (earlier, 1, False),
    ]
    assert all(d.day <= TODAY for d in dates)
    assert TODAY - timedelta(days=attendance.LOOKBACK_DAYS) <= dates[-1].day
