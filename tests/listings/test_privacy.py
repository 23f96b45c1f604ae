"""Nobody sees another resident's house number, postcode or coordinates.

Pages are rendered as someone else and searched for the author's address
details and the digits of their (4-digit-area) coordinates.
"""

import re

import pytest

from buurthulp.listings.models import Category
from tests.listings.conftest import ANNA_HOUSE_NUMBER, ANNA_POSTCODE


def coordinate_patterns(value: float) -> list[str]:
    """The value with 3 or more decimals, rounded or cut off, with a point or a comma."""
    whole, decimals = f"{value:.7f}".split(".")
    rounded = f"{value:.3f}".split(".")[1]
    return [rf"{whole}[.,]{decimals[:3]}", rf"{whole}[.,]{rounded}"]


def assert_private(html: str, *, house_number: str, postcode: str, lat: float, lon: float):
    assert not re.search(rf"\b{house_number}\b", html), "house number leaked"
    assert postcode not in html and f"{postcode[:4]} {postcode[4:]}" not in html
    assert not re.search(rf"\b{postcode[:4]}\b", html), "postcode area leaked"
    for pattern in coordinate_patterns(lat) + coordinate_patterns(lon):
        assert not re.search(pattern, html), f"coordinate leaked: {pattern}"


@pytest.fixture
def helper(make, initiative):
    return make.user(
        first_name="Henk",
        last_name="Visser",
        postcode="8021XK",
        house_number="1093",
        street_name="Hoogstraat",
        initiative=initiative,
    )


@pytest.fixture
def annas_listings(make, anna, initiative):
    request = make.help_request(
        requester=anna, initiative=initiative, title="Boodschappen", category=Category.GROCERIES
    )
    offer = make.help_offer(volunteer=anna, initiative=initiative, title="Ik kook graag")
    return request, offer


def test_neighbour_never_sees_the_authors_address(client, auth, make, anna, helper, annas_listings):
    request, offer = annas_listings
    make.help_response(request=request, volunteer=helper, message="Graag!")
    auth.login_direct(helper)
    pages = [
        "/dichtbij",
        "/dichtbij?radius=25&type=hulpvragen",
        "/dichtbij?type=aanbod",
        f"/hulpvragen/{request.id}",
        f"/hulpaanbod/{offer.id}",
        "/mijn-hulp",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "Anna V." in html, url  # her listing is on the page...
        assert_private(  # ... but not where she lives
            html,
            house_number=ANNA_HOUSE_NUMBER,
            postcode=ANNA_POSTCODE,
            lat=anna.latitude,
            lon=anna.longitude,
        )


def test_requester_does_not_see_the_helpers_address(
    client, auth, make, anna, helper, annas_listings
):
    request, _ = annas_listings
    make.help_response(request=request, volunteer=helper, message="Ik kom langs.")
    auth.login_direct(anna)
    for url in (f"/hulpvragen/{request.id}", "/mijn-hulp"):
        html = client.get(url).get_data(as_text=True)
        assert_private(
            html, house_number="1093", postcode="8021XK", lat=helper.latitude, lon=helper.longitude
        )
    assert "Henk V." in client.get(f"/hulpvragen/{request.id}").get_data(as_text=True)


def test_the_author_does_not_see_their_own_coordinates_either(client, auth, anna, annas_listings):
    request, offer = annas_listings
    auth.login_direct(anna)
    for url in (f"/hulpvragen/{request.id}", f"/hulpaanbod/{offer.id}", "/mijn-hulp"):
        html = client.get(url).get_data(as_text=True)
        for pattern in coordinate_patterns(anna.latitude) + coordinate_patterns(anna.longitude):
            assert not re.search(pattern, html)


def test_the_pattern_would_catch_a_leak(anna):
    # Guard against a test that can never fail.
    page = f"<p>{anna.latitude:.4f}, {ANNA_HOUSE_NUMBER}</p>"
    with pytest.raises(AssertionError):
        assert_private(
            page, house_number=ANNA_HOUSE_NUMBER, postcode=ANNA_POSTCODE, lat=anna.latitude, lon=0.0
        )
    with pytest.raises(AssertionError):
        assert_private(
            f"{anna.longitude}".replace(".", ","),
            house_number="x",
            postcode=ANNA_POSTCODE,
            lat=0.0,
            lon=anna.longitude,
        )
