"""The pure ranking: hard filters, ordering, tie-break, reasons and the request's window."""

import dataclasses
from datetime import UTC, date, datetime, time

import pytest

from buurthulp.geo.distance import distance_km
from buurthulp.listings.availability import FULL_WEEK, mask_from_slots, window_mask
from buurthulp.matching import core

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
TODAY = date(2026, 11, 23)
HERE = (52.5168, 6.0830)  # Zwolle
WEDNESDAY_AFTERNOON = window_mask(2, time(13, 0), time(15, 0))


def north(km: float) -> tuple[float, float]:
    return HERE[0] + km / 111.2, HERE[1]


def spec(**fields) -> core.RequestSpec:
    values = {
        "request_id": 1,
        "requester_id": 100,
        "category": "groceries",
        "latitude": HERE[0],
        "longitude": HERE[1],
        "radius_km": 5.0,
        "window_mask": WEDNESDAY_AFTERNOON,
    }
    return core.RequestSpec(**(values | fields))


def candidate(volunteer_id: int = 1, km: float = 1.0, **fields) -> core.Candidate:
    lat, lon = north(km)
    values = {
        "offer_id": volunteer_id,
        "volunteer_id": volunteer_id,
        "latitude": lat,
        "longitude": lon,
        "categories": frozenset({"groceries"}),
        "availability": FULL_WEEK,
        "max_distance_km": 10.0,
    }
    return core.Candidate(**(values | fields))


EXCLUDED = [
    ("category", {"categories": frozenset({"garden"})}, {}, "category"),
    ("volunteer's distance", {"max_distance_km": 0.5}, {}, "beyond volunteer's distance"),
    ("request radius", {}, {"radius_km": 0.5}, "beyond request radius"),
    ("no overlap", {"availability": mask_from_slots([(0, 0)])}, {}, "no availability overlap"),
    ("no car", {}, {"needs_car": True}, "no car"),
    ("requester", {"volunteer_id": 100}, {}, "is the requester"),
    ("paused today", {"paused_until": TODAY}, {}, "paused"),
    ("weekly cap", {"tasks_7d": 3, "weekly_cap": 3}, {}, "weekly cap reached"),
    ("blocked", {"blocked_with": frozenset({100})}, {}, "blocked"),
]


@pytest.mark.parametrize(
    ("candidate_fields", "request_fields", "reason"),
    [case[1:] for case in EXCLUDED],
    ids=[case[0] for case in EXCLUDED],
)
def test_each_hard_filter_excludes(candidate_fields, request_fields, reason):
    c, r = candidate(**candidate_fields), spec(**request_fields)
    assert core.hard_filter_reasons(r, c, NOW) == [reason]
    assert core.rank(r, [c], now=NOW) == []


@pytest.mark.parametrize(
    ("candidate_fields", "request_fields"),
    [
        ({"paused_until": date(2026, 11, 22)}, {}),
        ({"tasks_7d": 2, "weekly_cap": 3}, {}),
        ({"has_car": True}, {"needs_car": True}),
        ({"blocked_with": frozenset({7})}, {}),
        ({"max_distance_km": 1.1}, {"radius_km": 1.1}),
    ],
)
def test_passing_candidates_are_ranked(candidate_fields, request_fields):
    c, r = candidate(**candidate_fields), spec(**request_fields)
    assert core.hard_filter_reasons(r, c, NOW) == []
    assert [x.candidate for x in core.rank(r, [c], now=NOW)] == [c]


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ({"km": 0.5}, {"km": 2.0}),
        ({"availability": FULL_WEEK}, {"availability": mask_from_slots([(2, 1)])}),
        ({"tasks_7d": 0, "tasks_30d": 0}, {"tasks_7d": 2, "tasks_30d": 6}),
        ({"accept_rate": 0.9}, {"accept_rate": 0.1}),
        ({"languages": frozenset({"nl", "en"})}, {"languages": frozenset({"nl"})}),
    ],
    ids=["nearer", "more overlap", "fewer recent tasks", "accepts more", "language"],
)
def test_ordering(better, worse):
    r = spec(language="en", window_mask=mask_from_slots([(2, 1), (2, 2)]))
    ranked = core.rank(r, [candidate(2, **worse), candidate(1, **better)], now=NOW)
    assert [x.candidate.volunteer_id for x in ranked] == [1, 2]


def test_tie_break_is_stable_and_documented():
    """Equal scores: distance, then tasks in 30 days, then volunteer id, in any input order."""
    same = [candidate(v, km=1.0) for v in (5, 3, 4)]
    for order in (same, same[::-1], [same[1], same[0], same[2]]):
        assert [x.candidate.volunteer_id for x in core.rank(spec(), order, now=NOW)] == [3, 4, 5]
    # tasks_30d without tasks_7d changes the load term too; force equal scores with zero weights.
    flat = core.Weights(distance=0, overlap=0, load=0, language=0, accepts=0)
    mixed = [candidate(1, km=2.0), candidate(2, km=1.0, tasks_30d=4), candidate(3, km=1.0)]
    ranked = core.rank(spec(), mixed, now=NOW, weights=flat)
    assert [x.candidate.volunteer_id for x in ranked] == [3, 2, 1]


def test_limit_and_fields():
    many = [candidate(v, km=v / 10) for v in range(1, 30)]
    ranked = core.rank(spec(), many, now=NOW, limit=10)
    assert [x.candidate.volunteer_id for x in ranked] == list(range(1, 11))
    first = ranked[0]
    assert first.overlap_slots == 1
    assert first.distance_km == pytest.approx(0.1, abs=0.002)
    assert first.score == pytest.approx(1.0 * (1 - first.distance_km / 5) + 0.5 + 0.3 + 0.05)


def test_fast_distance_is_close_to_geodesic():
    for target in [(52.6, 6.2), (52.0, 5.1), (53.2, 6.56), (51.44, 5.47)]:
        exact = distance_km(HERE, target)
        assert core.fast_distance_km(*HERE, *target) == pytest.approx(exact, rel=0.005)


def test_reasons_are_short_dutch_with_msgids():
    c = candidate(km=1.5, has_car=True, languages=frozenset({"en"}))
    (ranked,) = core.rank(spec(needs_car=True, language="en"), [c], now=NOW)
    assert ranked.reasons == (
        "1-2 km",
        "kan op woensdagmiddag",
        "heeft een auto",
        "deed deze week nog niets",
        "spreekt uw taal",
    )
    assert ranked.reasons[1].msgid == "kan op %(day)s%(part)s"
    assert ranked.reasons[1].params == {"day": "woensdag", "part": "middag"}


def test_busy_volunteer_gets_no_idle_reason():
    (ranked,) = core.rank(spec(), [candidate(tasks_7d=1)], now=NOW)
    assert "deed deze week nog niets" not in ranked.reasons


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"on_date": date(2026, 11, 25), "time_from": time(13), "time_until": time(15)},
            WEDNESDAY_AFTERNOON,
        ),
        ({"on_date": date(2026, 11, 25)}, mask_from_slots([(2, 0), (2, 1), (2, 2)])),
        ({"flexible_days": 1}, mask_from_slots([(d, p) for d in (0, 1) for p in range(3)])),
        ({"flexible_days": 14}, FULL_WEEK),
    ],
    ids=["date and times", "date without times", "flexible 1 day", "flexible 2 weeks"],
)
def test_request_window(fields, expected):
    values = {"on_date": None, "time_from": None, "time_until": None, "flexible_days": None}
    assert core.request_window(**(values | fields), today=TODAY) == expected


def test_dataclasses_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate().tasks_7d = 5  # type: ignore[misc]
