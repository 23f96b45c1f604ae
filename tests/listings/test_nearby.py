"""Dichtbij, the query: who sees what, in which order, within which radius."""

from datetime import UTC, datetime, timedelta

import pytest

from buurthulp.geo.distance import KM_PER_DEGREE_LATITUDE
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpRequest,
    OfferStatus,
    Recurrence,
    RequestStatus,
)
from buurthulp.listings.queries import ListingType, nearby_candidates, nearby_listings

# Distances from 8011 (Zwolle centre), in km: 8021 0.96, 8012 1.07, 8041 1.47, 8019 1.86,
# 8032 2.27, 8024 3.60, 8091 8.19.


@pytest.fixture
def person(make, initiative):
    def create(pc4: str, **fields):
        return make.user(postcode=f"{pc4}AA", initiative=initiative, **fields)

    return create


def titles(page):
    return [item.listing.title for item in page.items]


def find(viewer, **kwargs):
    return nearby_listings(viewer=viewer, **kwargs)


def test_nearest_first(ctx, make, person, anna, initiative):
    for pc4 in ("8041", "8021", "8012"):
        make.help_request(requester=person(pc4), initiative=initiative, title=pc4)
    page = find(anna, radius_km=2)
    assert titles(page) == ["8021", "8012", "8041"]
    assert [item.band for item in page.items] == ["0,5-1 km", "1-2 km", "1-2 km"]


def test_same_distance_newest_first(ctx, make, person, anna, initiative):
    neighbour = person("8021")
    now = datetime.now(UTC)
    for title, age in (("oud", 3), ("nieuw", 1), ("middel", 2)):
        make.help_request(
            requester=neighbour,
            initiative=initiative,
            title=title,
            created_at=now - timedelta(hours=age),
        )
    make.help_offer(volunteer=neighbour, initiative=initiative, title="aanbod", created_at=now)
    assert titles(find(anna)) == ["aanbod", "nieuw", "middel", "oud"]


@pytest.mark.parametrize(
    ("radius", "expected"),
    [
        (0.5, []),
        (1, ["8021"]),
        (2, ["8021", "8012", "8019"]),
        (5, ["8021", "8012", "8019", "8032", "8024"]),
        (10, ["8021", "8012", "8019", "8032", "8024", "8091"]),
    ],
)
def test_radius_cut_off(ctx, make, person, anna, initiative, radius, expected):
    for pc4 in ("8091", "8024", "8032", "8019", "8012", "8021"):
        make.help_request(requester=person(pc4), initiative=initiative, title=pc4)
    assert titles(find(anna, radius_km=radius)) == expected


def test_exact_distance_cuts_the_corners_of_the_bounding_box(ctx, make, anna, bert, initiative):
    # 1.6 km north-east: inside the 2 km box's corner region, but 2.26 km away.
    step = 1.6 / KM_PER_DEGREE_LATITUDE
    corner = {"latitude": anna.latitude + step, "longitude": anna.longitude + step * 1.65}
    make.help_request(requester=bert, initiative=initiative, title="hoek", **corner)
    make.help_request(requester=bert, initiative=initiative, title="dichtbij")
    assert titles(find(anna, radius_km=2)) == ["dichtbij"]
    assert "hoek" in titles(find(anna, radius_km=5))


def test_category_filter_on_requests_and_offers(ctx, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative, title="tuin", category=Category.GARDEN)
    make.help_request(requester=bert, initiative=initiative, title="boodschap")
    make.help_offer(
        volunteer=bert,
        initiative=initiative,
        title="tuin en eten",
        categories=(Category.MEAL, Category.GARDEN),
    )
    make.help_offer(volunteer=bert, initiative=initiative, title="alleen boodschappen")
    assert sorted(titles(find(anna, category=Category.GARDEN))) == ["tuin", "tuin en eten"]
    assert len(find(anna).items) == 4


def test_type_filter(ctx, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative, title="vraag")
    make.help_offer(volunteer=bert, initiative=initiative, title="aanbod")
    assert titles(find(anna, listing_type=ListingType.REQUESTS)) == ["vraag"]
    assert titles(find(anna, listing_type=ListingType.OFFERS)) == ["aanbod"]
    assert sorted(titles(find(anna, listing_type=ListingType.BOTH))) == ["aanbod", "vraag"]


def test_pagination(ctx, make, anna, bert, initiative):
    now = datetime.now(UTC)
    for n in range(45):
        make.help_request(
            requester=bert,
            initiative=initiative,
            title=f"vraag {n:02d}",
            created_at=now - timedelta(minutes=n),
        )
    first = find(anna, page=1)
    assert (first.page, first.pages, first.total, len(first.items)) == (1, 3, 45, 20)
    assert titles(first)[:2] == ["vraag 00", "vraag 01"]
    last = find(anna, page=3)
    assert titles(last) == [f"vraag {n}" for n in range(40, 45)]
    assert find(anna, page=99).page == 3
    assert find(anna, page=0).page == 1


def test_paused_withdrawn_and_closed_are_hidden(ctx, make, anna, bert, initiative):
    today = local_today()
    make.help_offer(volunteer=bert, initiative=initiative, title="actief")
    make.help_offer(
        volunteer=bert, initiative=initiative, title="terug", paused_until=today - timedelta(1)
    )
    make.help_offer(volunteer=bert, initiative=initiative, title="weg", paused_until=today)
    make.help_offer(
        volunteer=bert, initiative=initiative, title="gestopt", status=OfferStatus.WITHDRAWN
    )
    for status in (RequestStatus.WITHDRAWN, RequestStatus.MATCHED, RequestStatus.DONE):
        make.help_request(requester=bert, initiative=initiative, title=status, status=status)
    make.help_request(requester=bert, initiative=initiative, title="open")
    assert sorted(titles(find(anna))) == ["actief", "open", "terug"]


def test_a_one_off_request_whose_day_passed_is_hidden(ctx, make, anna, bert, initiative):
    yesterday = local_today() - timedelta(days=1)
    make.help_request(requester=bert, initiative=initiative, title="gisteren", on_date=yesterday)
    make.help_request(
        requester=bert,
        initiative=initiative,
        title="elke week",
        on_date=yesterday,
        recurrence=Recurrence.WEEKLY,
    )
    make.help_request(requester=bert, initiative=initiative, title="flexibel", flexible_days=5)
    assert sorted(titles(find(anna))) == ["elke week", "flexibel"]


def test_other_initiatives_and_own_listings_are_hidden(
    ctx, make, anna, bert, other_initiative, initiative
):
    # Evert lives next door but belongs to another initiative.
    evert = make.user(postcode="8021AB", initiative=other_initiative)
    make.help_request(requester=evert, initiative=other_initiative, title="ander initiatief")
    make.help_offer(volunteer=evert, initiative=other_initiative, title="ander aanbod")
    make.help_request(requester=anna, initiative=initiative, title="van mij")
    make.help_offer(volunteer=anna, initiative=initiative, title="mijn aanbod")
    make.help_request(requester=bert, initiative=initiative, title="van de buren")
    assert titles(find(anna)) == ["van de buren"]
    # Evert's initiative holds only his own listings, and Anna's are in another initiative.
    assert titles(find(evert)) == []


def test_member_of_two_initiatives_sees_both(ctx, make, anna, bert, other_initiative, initiative):
    evert = make.user(postcode="8021AB", initiative=other_initiative)
    make.membership(user=anna, initiative=other_initiative)
    make.help_request(requester=evert, initiative=other_initiative, title="ander initiatief")
    make.help_request(requester=bert, initiative=initiative, title="eigen initiatief")
    assert sorted(titles(find(anna))) == ["ander initiatief", "eigen initiatief"]


def test_no_initiative_sees_nothing(ctx, make, bert, initiative):
    loner = make.user(postcode="8021AB")
    make.help_request(requester=bert, initiative=initiative)
    page = find(loner)
    assert (page.items, page.total, page.pages) == ([], 0, 1)


def test_candidates_carry_exact_distance_only_for_sorting(ctx, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative)
    [candidate] = nearby_candidates(
        viewer=anna,
        radius_km=2,
        listing_type=ListingType.BOTH,
        category=None,
        today=local_today(),
    )
    assert candidate.model is HelpRequest
    assert 0.9 < candidate.distance_km < 1.0
