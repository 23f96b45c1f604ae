"""Which initiatives a new resident can join, suggested from their 4-digit postcode."""

import math
from dataclasses import dataclass

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.geo.distance import bounding_box, distance_km
from buurthulp.geo.postcodes import PostcodeArea, PostcodeError, lookup_pc4
from buurthulp.initiatives.models import Initiative, InitiativePostcode

RADIUS_KM = 25.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    initiative: Initiative
    serves: bool  # the initiative serves the resident's own 4-digit area
    distance_km: float  # centroid to centroid: 0 when it serves the area


def _area(pc4: str) -> PostcodeArea | None:
    try:
        return lookup_pc4(pc4)
    except PostcodeError:
        return None  # a served area missing from the table: it cannot be placed, so skip it


def _nearest_served(origin: PostcodeArea, radius_km: float) -> dict[int, float]:
    """Initiative id -> distance to the nearest area it serves, for those within radius_km."""
    here = (origin.latitude, origin.longitude)
    box = bounding_box(*here, radius_km)
    nearest: dict[int, float] = {}
    rows = db.session.execute(select(InitiativePostcode.initiative_id, InitiativePostcode.pc4))
    for initiative_id, pc4 in rows:
        if pc4 == origin.pc4:
            nearest[initiative_id] = 0.0
            continue
        area = _area(pc4)
        if area is None or not (
            box.min_lat <= area.latitude <= box.max_lat
            and box.min_lon <= area.longitude <= box.max_lon
        ):
            continue
        km = distance_km(here, (area.latitude, area.longitude))
        if km <= radius_km and km < nearest.get(initiative_id, math.inf):
            nearest[initiative_id] = km
    return nearest


def suggestions_for_postcode(pc4: str, *, radius_km: float = RADIUS_KM) -> list[Suggestion]:
    """Initiatives for a resident of `pc4`, best first.

    First those that serve `pc4` itself (by name), then the others whose
    nearest served area lies within `radius_km`, nearest first; ties by name.
    Distances are between the areas' centroids. Raises PostcodeError when
    `pc4` is unknown or only for PO boxes.
    """
    origin = lookup_pc4(pc4)
    nearest = _nearest_served(origin, radius_km)
    if not nearest:
        return []
    served_here = set(
        db.session.scalars(
            select(InitiativePostcode.initiative_id).where(InitiativePostcode.pc4 == pc4)
        )
    )
    initiatives = db.session.scalars(select(Initiative).where(Initiative.id.in_(nearest)))
    suggestions = [
        Suggestion(initiative=i, serves=i.id in served_here, distance_km=nearest[i.id])
        for i in initiatives
    ]
    suggestions.sort(
        key=lambda s: (not s.serves, s.distance_km, s.initiative.name.lower(), s.initiative.id)
    )
    return suggestions


def initiatives_for_postcode(pc4: str, *, radius_km: float = RADIUS_KM) -> list[Initiative]:
    """The initiatives of suggestions_for_postcode(), in the same order."""
    return [s.initiative for s in suggestions_for_postcode(pc4, radius_km=radius_km)]
