"""The SVG choropleth of the 12 provinces, drawn offline from the CBS/PDOK boundaries.

The GeoJSON (data/nl_provinces_2023.geojson, see its LICENSE) is projected once
(equirectangular at the country's mean latitude), simplified with Douglas-Peucker to about a
pixel, and cached, so the map on a page weighs a few kilobytes.
"""

import json
import math
from functools import cache
from pathlib import Path

from markupsafe import Markup

SOURCE = Path(__file__).parent / "data" / "nl_provinces_2023.geojson"
WIDTH = 420
TOLERANCE = 0.9  # pixels
MEAN_LATITUDE = 52.2
SHADES = 5


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1e-9
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        if distance > far:
            far, index = distance, i
    if far <= tolerance:
        return [points[0], points[-1]]
    left = _simplify(points[: index + 1], tolerance)
    return left[:-1] + _simplify(points[index:], tolerance)


def _simplify_ring(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A closed ring starts and ends on the same point: split it at the point farthest away."""
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - x0, ring[i][1] - y0))
    return _simplify(ring[: far + 1], TOLERANCE)[:-1] + _simplify(ring[far:], TOLERANCE)


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@cache
def province_shapes() -> tuple[dict[str, str], int]:
    """{province name: SVG path data} and the map's height."""
    features = json.loads(SOURCE.read_text(encoding="utf-8"))["features"]
    ring_points = [
        pt for f in features for poly in _polygons(f["geometry"]) for ring in poly for pt in ring
    ]
    kx = math.cos(math.radians(MEAN_LATITUDE))
    min_x = min(p[0] for p in ring_points) * kx
    max_x = max(p[0] for p in ring_points) * kx
    min_y, max_y = min(p[1] for p in ring_points), max(p[1] for p in ring_points)
    scale = WIDTH / (max_x - min_x)
    paths = {}
    for feature in features:
        parts = []
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                xy = [((lon * kx - min_x) * scale, (max_y - lat) * scale) for lon, lat in ring]
                xy = _simplify_ring(xy)
                if len(xy) >= 3:
                    parts.append("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in xy) + "Z")
        paths[feature["properties"]["statnaam"]] = "".join(parts)
    return paths, math.ceil((max_y - min_y) * scale)


def shade(value: int | None, top: int) -> str:
    """CSS class of a province: map-none (not shown), or map-0 (none) to map-5 (most)."""
    if value is None:
        return "map-none"
    if value <= 0 or top <= 0:
        return "map-0"
    return f"map-{min(SHADES, 1 + (SHADES * (value - 1)) // top)}"


def choropleth(chart_id: str, title: str, cells: dict) -> Markup:
    """The provinces coloured by their published count (a disclosure Cell per name)."""
    paths, height = province_shapes()
    top = max((c.value or 0 for c in cells.values()), default=0)
    parts = [
        Markup(
            '<svg class="map" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        ).format(WIDTH, height, chart_id),
        Markup('<title id="{}-title">{}</title>').format(chart_id, title),
    ]
    for name, path in paths.items():
        cell = cells.get(name)
        value = None if cell is None else cell.value
        label = f"{name}: {cell if cell is not None else 0}"
        parts.append(
            Markup('<path class="{}" d="{}"><title>{}</title></path>').format(
                shade(value if cell else 0, top), path, label
            )
        )
    parts.append(Markup("</svg>"))
    # Markup.format and Markup.join escape every value that is not Markup already.
    return Markup("").join(parts)
