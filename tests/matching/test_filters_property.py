"""Property tests of the hard filters: rank() returns exactly the candidates that pass."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from buurthulp.geo import grid
from buurthulp.listings.availability import FULL_WEEK
from buurthulp.matching import core

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CATEGORIES = ("groceries", "garden", "transport")
LAT, LON = 52.0907, 5.1214  # Utrecht

masks = st.integers(min_value=0, max_value=FULL_WEEK)
users = st.integers(min_value=1, max_value=6)
requests = st.builds(
    core.RequestSpec,
    request_id=st.just(1),
    requester_id=st.one_of(st.none(), users),
    category=st.sampled_from(CATEGORIES),
    latitude=st.floats(LAT - 0.05, LAT + 0.05),
    longitude=st.floats(LON - 0.08, LON + 0.08),
    radius_km=st.floats(0.5, 12.0),
    window_mask=masks.filter(bool),
    needs_car=st.booleans(),
    language=st.sampled_from((None, "nl", "en")),
)


@st.composite
def candidates(draw, volunteer_id: int) -> core.Candidate:
    cap = draw(st.integers(1, 4))
    tasks_7d = draw(st.integers(0, 5))
    return core.Candidate(
        offer_id=volunteer_id,
        volunteer_id=draw(st.one_of(st.just(volunteer_id + 100), users)),
        latitude=draw(st.floats(LAT - 0.06, LAT + 0.06)),
        longitude=draw(st.floats(LON - 0.1, LON + 0.1)),
        categories=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), max_size=3))),
        availability=draw(masks),
        max_distance_km=draw(st.floats(0.5, 50.0)),
        has_car=draw(st.booleans()),
        paused_until=draw(st.one_of(st.none(), st.integers(-3, 3).map(_days_from_today))),
        weekly_cap=cap,
        tasks_7d=tasks_7d,
        tasks_30d=tasks_7d + draw(st.integers(0, 6)),
        accept_rate=draw(st.one_of(st.none(), st.floats(0, 1))),
        languages=frozenset(draw(st.sets(st.sampled_from(("nl", "en", "tr")), min_size=1))),
        blocked_with=frozenset(draw(st.sets(users, max_size=2))),
    )


def _days_from_today(days: int) -> date:
    return core.local_date(NOW) + timedelta(days=days)


candidate_lists = st.integers(0, 12).flatmap(
    lambda n: st.tuples(*(candidates(i) for i in range(1, n + 1)))
)


@settings(max_examples=120, deadline=None)
@given(request=requests, pool=candidate_lists)
def test_rank_returns_exactly_the_candidates_passing_every_filter(request, pool):
    ranked = core.rank(request, pool, now=NOW, limit=len(pool) + 1)
    returned = {r.candidate.offer_id for r in ranked}
    passing = {c.offer_id for c in pool if not core.hard_filter_reasons(request, c, NOW)}
    assert returned == passing
    for r in ranked:
        assert r.distance_km <= min(request.radius_km, r.candidate.max_distance_km)
        assert r.overlap_slots >= 1
        assert r.candidate.volunteer_id != request.requester_id


@settings(max_examples=120, deadline=None)
@given(request=requests, pool=candidate_lists, limit=st.integers(1, 12))
def test_rank_is_a_sorted_prefix(request, pool, limit):
    everything = core.rank(request, pool, now=NOW, limit=len(pool) + 1)
    top = core.rank(request, list(reversed(pool)), now=NOW, limit=limit)
    assert [r.candidate for r in top] == [r.candidate for r in everything[:limit]]
    assert [core.sort_key(r) for r in everything] == sorted(core.sort_key(r) for r in everything)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(50.6, 53.7),
    lon=st.floats(3.2, 7.4),
    bearing_lat=st.floats(-1, 1),
    bearing_lon=st.floats(-1, 1),
    radius=st.floats(0.2, 30.0),
    fraction=st.floats(0, 1),
)
def test_grid_disk_contains_every_point_within_the_radius(
    lat, lon, bearing_lat, bearing_lon, radius, fraction
):
    other = (lat + bearing_lat * radius / 111.0, lon + bearing_lon * radius / 68.0)
    if core.fast_distance_km(lat, lon, *other) > radius:
        return
    cell = grid.cell_of(*other)
    inner = radius * fraction
    assert any(a <= cell <= b for a, b in grid.disk_ranges(lat, lon, radius))
    in_inner = any(a <= cell <= b for a, b in grid.disk_ranges(lat, lon, inner))
    in_ring = any(a <= cell <= b for a, b in grid.ring_ranges(lat, lon, inner, radius))
    assert in_inner != in_ring or (inner == 0 and in_ring)
