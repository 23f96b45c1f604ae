"""Ontmoeting in the monitor: activities held, attendances and distinct participants, exact
for the initiative's own organisers and disclosure-controlled in the national monitor."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.monitor.models import PeriodRollup
from buurthulp.monitor.rollup import rebuild_rollups
from tests.activities import agenda_factories as f

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(app, make):
    """Three members and a phone-intake resident at a weekly koffieochtend in June 2026."""
    initiative = make.initiative()
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR)
    p1, p2, p3 = (make.user(initiative=initiative) for _ in range(3))
    coffee = f.activity(app, initiative, starts_on=date(2026, 6, 2), weekly=True)
    meal = f.activity(app, initiative, title="Eetclub", starts_on=date(2026, 5, 28))
    rows = [
        (coffee, date(2026, 6, 2), p1, True),
        (coffee, date(2026, 6, 2), p2, True),
        (coffee, date(2026, 6, 9), p1, True),
        (coffee, date(2026, 6, 9), p3, False),  # signed up, did not come
        (coffee, date(2026, 6, 16), p2, False),  # nobody came: not held
        (coffee, date(2026, 6, 23), p3, None),  # not recorded yet
        (meal, date(2026, 5, 28), p2, True),
    ]
    for activity, day, person, attended in rows:
        f.signup(app, activity, day, user=person, attended=attended)
    return {"initiative": initiative, "coordinator": coordinator}


def year_row(initiative_id: int, period: str) -> PeriodRollup:
    return db.session.execute(
        select(PeriodRollup).where(
            PeriodRollup.initiative_id == initiative_id,
            PeriodRollup.period == period,
            PeriodRollup.category == "",
        )
    ).scalar_one()


def test_counts_per_month_and_year(app, world):
    with app.app_context():
        rebuild_rollups(NOW)
        year = year_row(world["initiative"].id, "2026")
        june = year_row(world["initiative"].id, "2026-06")
        may = year_row(world["initiative"].id, "2026-05")
        assert (year.activities_held, year.activity_participants, year.unique_participants) == (
            3,
            4,
            2,
        )
        assert (june.activities_held, june.activity_participants, june.unique_participants) == (
            2,
            3,
            2,
        )
        assert (may.activities_held, may.activity_participants, may.unique_participants) == (
            1,
            1,
            1,
        )
        # Unique participants do not add up over months: p2 came in May and in June.
        assert june.unique_participants + may.unique_participants > year.unique_participants


def test_initiative_page_shows_exact_counts(app, client, auth, world):
    with app.app_context():
        rebuild_rollups(NOW)
    auth.login_direct(world["coordinator"])
    html = client.get(f"/cijfers/{world['initiative'].id}?jaar=2026").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Activiteiten gehouden 3 met 2 verschillende deelnemers" in text
    assert "Deelnames aan activiteiten 4 0" in text
    assert "Verschillende deelnemers aan activiteiten 2 0" in text
    csv_text = client.get(f"/cijfers/{world['initiative'].id}/cijfers.csv?jaar=2026").get_data(
        as_text=True
    )
    assert "activities_held" in csv_text.splitlines()[0]


def test_national_monitor_hides_small_counts(app, client, world):
    with app.app_context():
        rebuild_rollups(NOW)
    html = client.get("/monitor?jaar=2026").get_data(as_text=True)
    assert "Activiteiten gehouden per provincie" in html
    doc = client.get("/monitor/open-data/2026.json").get_json()
    for name, true_total in (
        ("activities_held_by_province", 3),
        ("activity_participants_by_province", 4),
        ("unique_activity_participants_by_province", 2),
    ):
        table = doc["tables"][name]
        assert table["total"] == "<5", name
        assert table["cells"]["Overijssel"] in ("<5", "x"), name
        assert true_total not in table["cells"].values()
