import pytest

from buurthulp.geo.distance import bounding_box, distance_band, distance_km
from buurthulp.geo.postcodes import locate


@pytest.mark.parametrize(
    ("km", "band"),
    [
        (0.0, "minder dan 500 m"),
        (0.49, "minder dan 500 m"),
        (0.5, "0,5-1 km"),
        (1.5, "1-2 km"),
        (4.9, "2-5 km"),
        (9.0, "5-10 km"),
        (24.0, "10-25 km"),
        (62.0, "meer dan 25 km"),
    ],
)
def test_distance_band(km, band):
    assert distance_band(km) == band


def test_zwolle_to_amersfoort_is_about_62_km():
    zwolle = locate("8011AB")[1]
    amersfoort = locate("3811AB")[1]
    km = distance_km(
        (zwolle.latitude, zwolle.longitude), (amersfoort.latitude, amersfoort.longitude)
    )
    assert 60 < km < 65


def test_bounding_box_contains_every_point_within_the_radius():
    lat, lon = 52.5115, 6.0910
    box = bounding_box(lat, lon, 5)
    # Points exactly 5 km north, south, east and west lie inside the box.
    for dlat, dlon in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        step = 0.0001
        plat, plon = lat, lon
        while distance_km((lat, lon), (plat, plon)) < 5:
            plat, plon = plat + dlat * step, plon + dlon * step
        assert box.min_lat <= plat - dlat * step <= box.max_lat
        assert box.min_lon <= plon - dlon * step <= box.max_lon
    # And a point 7 km away lies outside.
    assert not (box.min_lat <= lat + 7 / 111.32 <= box.max_lat)
