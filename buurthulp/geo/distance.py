"""Distances between places and the bands others are allowed to see."""

import math
from dataclasses import dataclass
from functools import lru_cache

from geopy.distance import geodesic

from buurthulp.translatable import N_

# Upper bounds in km and their labels (Dutch msgids, translated where they are shown);
# the last band is open-ended.
DISTANCE_BANDS: tuple[tuple[float, str], ...] = (
    (0.5, N_("minder dan 500 m")),
    (1.0, N_("0,5-1 km")),
    (2.0, N_("1-2 km")),
    (5.0, N_("2-5 km")),
    (10.0, N_("5-10 km")),
    (25.0, N_("10-25 km")),
)
FAR_BAND = N_("meer dan 25 km")
KM_PER_DEGREE_LATITUDE = 111.32


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (latitude, longitude) points."""
    return _geodesic_km(tuple(a), tuple(b))


# Places are 4-digit-area centroids (about 4,000 of them), so the same pairs come back on
# every page: Dichtbij computes ~100 distances a request, each ~0.1 ms in geographiclib.
@lru_cache(maxsize=65_536)
def _geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geodesic(a, b).km


def distance_band(km: float) -> str:
    """The coarse band a person sees instead of an exact distance (a Dutch msgid)."""
    for upper, label in DISTANCE_BANDS:
        if km < upper:
            return label
    return FAR_BAND


@dataclass(frozen=True, slots=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """A latitude/longitude box that contains every point within radius_km.

    Used to let the database narrow candidates with plain indexed comparisons
    before the exact distance is computed.
    """
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    # A little slack so rounding never drops a point right at the edge.
    dlat, dlon = dlat * 1.01, dlon * 1.01
    return BoundingBox(lat - dlat, lat + dlat, lon - dlon, lon + dlon)
