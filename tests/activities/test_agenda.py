"""The agenda of an initiative: list, week and print views, public, never with names."""

import re
from datetime import date, time, timedelta

import pytest

from buurthulp.activities import agenda_views, queries
from buurthulp.activities.models import ActivityKind, ActivityStatus, SignupStatus
from buurthulp.activities.weeks import parse_week
from buurthulp.moderation.models import ReviewState
from tests.activities import agenda_factories as f

TODAY = date(2026, 12, 2)  # a Wednesday in ISO week 49 (30 November - 6 December)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(agenda_views, "_today", lambda: TODAY)


@pytest.fixture
def world(app, make):
    initiative = make.initiative(name="Burenhulp De Kolk")
    member = make.user(initiative=initiative, first_name="Truus", last_name="Hendriks")
    coffee = f.activity(
        app,
        initiative,
        title="Koffieochtend",
        starts_on=date(2026, 12, 3),  # Thursdays
        weekly=True,
        ends_on=date(2027, 3, 25),
        capacity=2,
        cost_cents=250,
        wheelchair_accessible=True,
        hearing_loop=True,
    )
    meal = f.activity(
        app,
        initiative,
        title="Eetclub",
        kind=ActivityKind.MEAL_CLUB,
        starts_on=date(2026, 12, 5),
        start_time=time(17, 30),
        end_time=None,
        capacity=None,
    )
    f.signup(app, coffee, date(2026, 12, 3), user=member)
    other = make.user(initiative=initiative)
    f.signup(app, coffee, date(2026, 12, 3), user=other)
    f.signup(app, coffee, date(2026, 12, 3), user=make.user(), status=SignupStatus.WAITING)
    f.signup(app, coffee, date(2026, 12, 10), user=member)
    return {"initiative": initiative, "coffee": coffee, "meal": meal, "member": member}


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_list_shows_the_next_eight_weeks_per_day_without_login(client, world):
    response = client.get(f"/activiteiten/agenda/{world['initiative'].slug}")
    assert response.status_code == 200
    text = text_of(response)
    # Thursdays from 3 December for 8 weeks (until 26 January) and the one-off Saturday.
    assert text.count("Koffieochtend") == 8
    assert "donderdag 3 december" in text and "donderdag 21 januari" in text
    assert "donderdag 28 januari" not in text
    assert "zaterdag 5 december" in text and "Eetclub" in text
    assert "10:00 tot 11:30 uur" in text and "vanaf 17:30 uur" in text
    assert "€ 2,50" in text and "gratis" in text
    assert "rolstoeltoegankelijk" in text and "ringleiding" in text
    assert "Vol, wachtlijst (1 wacht)" in text  # 3 December: 2 of 2 places taken
    assert "Nog 1 plaats vrij" in text  # 10 December
    assert "Nog 2 plaatsen vrij" in text and "Iedereen is welkom" in text
    assert "Truus" not in text and "Hendriks" not in text  # never who signed up
    assert text.index("donderdag 3 december") < text.index("zaterdag 5 december")


def test_week_view_has_seven_days_and_navigation(client, world):
    slug = world["initiative"].slug
    response = client.get(f"/activiteiten/agenda/{slug}/week?week=2026-W50")
    text = text_of(response)
    assert "Week 50: 7 december tot en met 13 december 2026" in text
    assert text.count("Niets gepland.") == 6  # only Thursday 10 December has something
    html = response.get_data(as_text=True)
    assert "week=2026-W49" in html and "week=2026-W51" in html
    assert "Deze week" in text


@pytest.mark.parametrize(
    "week", ["garbage", "2026-W99", "2025-W53", "<script>", "9999-W01", "", "2026-W" + "9" * 500]
)
def test_bad_week_falls_back_to_this_week(client, world, week):
    response = client.get(f"/activiteiten/agenda/{world['initiative'].slug}/week?week={week}")
    assert response.status_code == 200
    assert "Week 49: 30 november tot en met 6 december 2026" in text_of(response)


def test_parse_week_across_the_year_end():
    assert parse_week("2026-W53", today=TODAY) == date(2026, 12, 28)
    assert parse_week("2027-w1", today=TODAY) == date(2027, 1, 4)
    assert parse_week("2027W02", today=TODAY) == date(2027, 1, 11)
    assert parse_week(None, today=TODAY) == date(2026, 11, 30)


def test_only_approved_activities_are_on_the_agenda(app, client, make, world):
    for state in (ReviewState.PENDING, ReviewState.REJECTED, ReviewState.HIDDEN):
        f.activity(app, world["initiative"], title=f"Voorstel {state}", review_state=state)
    other = make.initiative()
    f.activity(app, other, title="Elders")
    text = text_of(client.get(f"/activiteiten/agenda/{world['initiative'].slug}"))
    assert "Voorstel" not in text and "Elders" not in text


def test_a_cancelled_activity_shows_as_off_in_the_coming_week_only(app, client, world):
    """Then it simply disappears: the agenda is about what takes place."""
    f.activity(
        app,
        world["initiative"],
        title="Taalcafé",
        starts_on=date(2026, 12, 4),
        weekly=True,
        status=ActivityStatus.CANCELLED,
    )
    text = text_of(client.get(f"/activiteiten/agenda/{world['initiative'].slug}"))
    assert text.count("Taalcafé") == 1  # 4 December; 11 December onwards is simply gone
    assert "Gaat niet door" in text
    with app.app_context():
        with_cancelled = queries.agenda(
            world["initiative"].id, start=TODAY, end=TODAY + timedelta(days=20), today=TODAY
        )
    assert [o.day for o in with_cancelled if o.cancelled] == [date(2026, 12, 4)]


def test_print_version_has_no_menu_and_large_print_css(client, world):
    slug = world["initiative"].slug
    response = client.get(f"/activiteiten/agenda/{slug}/afdrukken")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "agenda-print.css" in html and "Hoofdmenu" not in html and "<nav" not in html
    text = text_of(response)
    assert "2 december tot en met 29 december 2026" in text
    assert "Buurthuis De Kolk, Kolkstraat 1, Zwolle" in text
    week = text_of(client.get(f"/activiteiten/agenda/{slug}/afdrukken?week=2026-W50"))
    assert "7 december tot en met 13 december 2026" in week and week.count("Koffieochtend") == 1


def test_print_css_is_a4_portrait_with_print_rules(client):
    css = client.get("/static/css/agenda-print.css").get_data(as_text=True)
    assert "size: A4 portrait" in css and "@media print" in css


@pytest.mark.parametrize("path", ["", "/week", "/afdrukken", "/agenda.ics"])
def test_unknown_or_not_approved_initiative_is_404(app, client, make, path):
    assert client.get(f"/activiteiten/agenda/bestaat-niet{path}").status_code == 404
    from buurthulp.initiatives.models import RegistryStatus

    pending = make.initiative(registry_status=RegistryStatus.PENDING)
    assert client.get(f"/activiteiten/agenda/{pending.slug}{path}").status_code == 404


def test_agenda_index_sends_a_member_to_their_own_agenda(client, auth, make, world):
    assert world["initiative"].name in text_of(client.get("/activiteiten/agenda"))
    auth.login_as(world["member"])
    response = client.get("/activiteiten/agenda")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/activiteiten/agenda/{world['initiative'].slug}")


def test_english_agenda(client, world):
    client.post("/taal", data={"locale": "en", "next": "/"})
    text = text_of(client.get(f"/activiteiten/agenda/{world['initiative'].slug}"))
    assert "Full, waiting list" in text and "wheelchair accessible" in text
