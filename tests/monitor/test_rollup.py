"""The roll-ups hold exactly what the raw tables say, rebuilt or updated night by night."""

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from buurthulp.activities.models import Activity, ActivitySignup
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import HelpRequest, HelpResponse
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.monitor.models import DailyRollup, PeriodRollup
from buurthulp.monitor.rollup import rebuild_rollups, update_rollups
from tests.monitor.conftest import NOW, random_history

WAITS = ((1, "wait_1h"), (4, "wait_4h"), (24, "wait_24h"), (72, "wait_72h"), (168, "wait_168h"))


def wait_column(hours: float) -> str:
    return next((name for bound, name in WAITS if hours <= bound), "wait_longer")


def expected_daily() -> dict:
    """Counts per (initiative, day, category), straight from the raw rows in Python."""
    counts = defaultdict(Counter)
    requests = {r.id: r for r in db.session.execute(select(HelpRequest)).scalars()}
    first_sign = {}
    for response in db.session.execute(select(HelpResponse)).scalars():
        first_sign[response.request_id] = min(
            first_sign.get(response.request_id, response.created_at), response.created_at
        )
    matches = list(db.session.execute(select(Match)).scalars())
    for match in matches:
        first_sign[match.request_id] = min(
            first_sign.get(match.request_id, match.created_at), match.created_at
        )
    for r in requests.values():
        counts[(r.initiative_id, r.created_at.date(), r.category.value)]["requests"] += 1
        if r.proxy_resident_id is not None:
            counts[(r.initiative_id, r.created_at.date(), r.category.value)]["proxy_requests"] += 1
    for request_id, at in first_sign.items():
        r = requests[request_id]
        counts[(r.initiative_id, at.date(), r.category.value)]["first_responses"] += 1
    first_match = {}
    for m in matches:
        first_match[m.request_id] = min(first_match.get(m.request_id, m.created_at), m.created_at)
    for request_id, at in first_match.items():
        r = requests[request_id]
        counts[(r.initiative_id, at.date(), r.category.value)]["matched_requests"] += 1
    for m in matches:
        r = requests[m.request_id]
        made = counts[(r.initiative_id, m.created_at.date(), r.category.value)]
        made["matches"] += 1
        made[wait_column((m.created_at - r.created_at).total_seconds() / 3600)] += 1
        if m.status == MatchStatus.DONE:
            done = counts[(r.initiative_id, m.closed_at.date(), r.category.value)]
            done["completed"] += 1
            done["hours"] += m.hours or 0.0
    for ms in db.session.execute(select(Membership)).scalars():
        counts[(ms.initiative_id, ms.created_at.date(), "")]["new_members"] += 1
    held = set()
    for signup, activity in attended_signups():
        counts[(activity.initiative_id, signup.occurs_on, "")]["activity_participants"] += 1
        held.add((activity.initiative_id, activity.id, signup.occurs_on))
    for initiative_id, _activity_id, day in held:
        counts[(initiative_id, day, "")]["activities_held"] += 1
    return {key: +c for key, c in counts.items()}


def attended_signups() -> list:
    query = (
        select(ActivitySignup, Activity)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(ActivitySignup.attended.is_(True))
    )
    return [(row[0], row[1]) for row in db.session.execute(query)]


def actual_daily() -> dict:
    names = [c.name for c in DailyRollup.__table__.columns][3:]
    result = {}
    for row in db.session.execute(select(DailyRollup)).scalars():
        values = Counter({n: getattr(row, n) for n in names})
        result[(row.initiative_id, row.day, row.category)] = +values
    return result


def expected_people(period_of) -> dict:
    """Distinct residents helped and active volunteers per (initiative, period, category)."""
    helped, active = defaultdict(set), defaultdict(set)
    for m in db.session.execute(select(Match)).scalars():
        r = db.session.get(HelpRequest, m.request_id)
        for category in (r.category.value, ""):
            active[(r.initiative_id, period_of(m.created_at), category)].add(m.volunteer_id)
            if m.status == MatchStatus.DONE:
                resident = r.requester_id or (-r.proxy_resident_id if r.proxy_resident_id else None)
                if resident is not None:
                    helped[(r.initiative_id, period_of(m.closed_at), category)].add(resident)
    participants = defaultdict(set)
    for signup, activity in attended_signups():
        person = signup.user_id or -signup.proxy_resident_id
        participants[(activity.initiative_id, period_of(signup.occurs_on), "")].add(person)
    return {
        "residents_helped": helped,
        "active_volunteers": active,
        "unique_participants": participants,
    }


def assert_periods_match_raw() -> None:
    rows = {
        (p.initiative_id, p.period, p.category): p
        for p in db.session.execute(select(PeriodRollup)).scalars()
    }
    for period_of in (lambda t: t.strftime("%Y-%m"), lambda t: t.strftime("%Y")):
        for name, people in expected_people(period_of).items():
            for key, members in people.items():
                assert getattr(rows[key], name) == len(members), (key, name)
    # Additive figures: a year equals the sum of its days.
    daily = actual_daily()
    for (initiative_id, period, category), row in rows.items():
        if len(period) != 4:
            continue
        days = [
            c
            for (i, d, cat), c in daily.items()
            if i == initiative_id and str(d.year) == period and (category in ("", cat))
        ]
        assert row.requests == sum(c["requests"] for c in days)
        assert row.matches == sum(c["matches"] for c in days)
        assert abs(row.hours - sum(c["hours"] for c in days)) < 1e-9
        assert row.new_members == sum(c["new_members"] for c in days if category == "")
        for name in ("activities_held", "activity_participants"):
            wanted = sum(c[name] for c in days) if category == "" else 0
            assert getattr(row, name) == wanted, (name, period, category)
        if category:
            assert row.unique_participants == 0


def test_rebuild_equals_counts_from_raw_tables(app, history):
    with app.app_context():
        rebuild_rollups(NOW)
        expected = expected_daily()
        assert sum(c["matches"] for c in expected.values()) > 20  # the history is not empty
        assert sum(c["proxy_requests"] for c in expected.values()) > 5
        assert sum(c["activities_held"] for c in expected.values()) > 10
        # Someone came more than once: unique participants are fewer than attendances.
        year = db.session.execute(
            select(PeriodRollup).where(PeriodRollup.period == "2025", PeriodRollup.category == "")
        ).scalars()
        assert any(0 < p.unique_participants < p.activity_participants for p in year)
        assert actual_daily() == expected
        assert_periods_match_raw()


def test_rebuild_twice_changes_nothing(app, history):
    with app.app_context():
        rebuild_rollups(NOW)
        first = actual_daily()
        rebuild_rollups(NOW)
        assert actual_daily() == first


def test_nightly_updates_end_where_a_rebuild_ends(app, make):
    """Activity arrives day by day; each night's update_rollups sees it, and the result
    equals a rebuild. Running a night twice changes nothing (idempotent)."""
    world = random_history(app, make, requests=0)
    start = NOW - timedelta(days=60)
    with app.app_context():
        update_rollups(start)
    for night in range(1, 8):
        now = start + timedelta(days=night * 9)
        random_history_more(app, world, seed=night, now=now)
        with app.app_context():
            update_rollups(now)
            update_rollups(now)
    with app.app_context():
        incremental = actual_daily()
        periods = {
            (p.initiative_id, p.period, p.category): (p.residents_helped, p.unique_participants)
            for p in db.session.execute(select(PeriodRollup)).scalars()
        }
        rebuild_rollups(start + timedelta(days=63))
        assert actual_daily() == incremental == expected_daily()
        rebuilt = {
            (p.initiative_id, p.period, p.category): (p.residents_helped, p.unique_participants)
            for p in db.session.execute(select(PeriodRollup)).scalars()
        }
        assert rebuilt == periods


def random_history_more(app, world, *, seed, now):
    import random

    from tests.monitor.conftest import _one_request, activity_history

    rng = random.Random(seed)
    with app.app_context():
        for _ in range(15):
            _one_request(rng, world["initiatives"], world["people"], now, days=8)
        activity_history(rng, world["initiatives"], world["people"], now, days=8, dates=1)
        db.session.commit()


def test_rows_of_a_deleted_initiative_go_at_the_next_update(app, history):
    gone = history["initiatives"][1].id
    with app.app_context():
        rebuild_rollups(NOW)
        db.session.execute(db.text("DELETE FROM initiatives WHERE id = :i"), {"i": gone})
        db.session.commit()
        update_rollups(NOW)
        for model in (DailyRollup, PeriodRollup):
            left = db.session.execute(select(model.initiative_id).distinct()).scalars().all()
            assert left == [history["initiatives"][0].id]
