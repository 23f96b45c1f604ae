"""A fixed ~1 km grid over the Netherlands, for an indexed search of nearby offers.

A cell is one integer, `row * WIDTH + col`: rows run south to north in steps of
1/111.32 degree of latitude (1 km), columns west to east in steps of longitude
that are 1 km at 52.15 degrees north (0.97-1.03 km across the country). A row's
cells are consecutive integers, so the cells of one row within a radius form one
range and a B-tree index on `help_offers.grid_cell` answers
`grid_cell BETWEEN a AND b` per row.

Points outside the box fall into the edge rows and columns: those cells reach to
infinity, which keeps `disk_ranges` conservative (it may return a few cells too
many, never too few; the caller checks the exact distance).
"""

import math

from buurthulp.geo.distance import KM_PER_DEGREE_LATITUDE

SOUTH, NORTH = 50.70, 53.60
WEST, EAST = 3.30, 7.25
DLAT = 1.0 / KM_PER_DEGREE_LATITUDE
DLON = 1.0 / (KM_PER_DEGREE_LATITUDE * math.cos(math.radians(52.15)))
ROWS = math.ceil((NORTH - SOUTH) / DLAT)
WIDTH = math.ceil((EAST - WEST) / DLON)
# Slack on the longitude reach: the ranking's distance uses the mean latitude of the two points.
_SLACK = 1.01

CellRange = tuple[int, int]


def _row(lat: float) -> int:
    return min(max(math.floor((lat - SOUTH) / DLAT), 0), ROWS - 1)


def _col(lon: float) -> int:
    return min(max(math.floor((lon - WEST) / DLON), 0), WIDTH - 1)


def cell_of(lat: float, lon: float) -> int:
    """The grid cell of a point."""
    return _row(lat) * WIDTH + _col(lon)


def _row_bounds(row: int) -> tuple[float, float]:
    south = -math.inf if row == 0 else SOUTH + row * DLAT
    north = math.inf if row == ROWS - 1 else SOUTH + (row + 1) * DLAT
    return south, north


def _row_columns(lat: float, lon: float, row: int, radius_km: float) -> tuple[int, int] | None:
    """The columns of `row` with a point within radius_km of (lat, lon), or None."""
    south, north = _row_bounds(row)
    nearest_lat = min(max(lat, south), north)
    dy = abs(lat - nearest_lat) * KM_PER_DEGREE_LATITUDE
    if dy > radius_km * _SLACK:
        return None
    dx = math.sqrt(max(radius_km * radius_km - dy * dy, 0.0)) * _SLACK + 0.01
    # Longitude degrees are shortest (most degrees per km) at the northern edge reached.
    far_lat = max(lat, min(north, lat + radius_km * _SLACK / KM_PER_DEGREE_LATITUDE))
    km_per_degree = KM_PER_DEGREE_LATITUDE * math.cos(math.radians((lat + far_lat) / 2))
    reach = dx / km_per_degree
    return _col(lon - reach), _col(lon + reach)


def disk_ranges(lat: float, lon: float, radius_km: float) -> list[CellRange]:
    """Inclusive cell ranges, one per row, covering every point within radius_km."""
    reach = radius_km * _SLACK / KM_PER_DEGREE_LATITUDE + DLAT
    ranges = []
    for row in range(_row(lat - reach), _row(lat + reach) + 1):
        columns = _row_columns(lat, lon, row, radius_km)
        if columns is not None:
            ranges.append((row * WIDTH + columns[0], row * WIDTH + columns[1]))
    return _merge(ranges)


def ring_ranges(lat: float, lon: float, inner_km: float, outer_km: float) -> list[CellRange]:
    """The cells of the disk of outer_km that are not in the disk of inner_km.

    Searching disk_ranges(inner) and then ring_ranges(inner, outer) visits each
    cell once; per row this is at most two ranges (left and right of the hole).
    """
    if inner_km <= 0:
        return disk_ranges(lat, lon, outer_km)
    inner = {start // WIDTH: (start, end) for start, end in disk_ranges(lat, lon, inner_km)}
    ranges = []
    for start, end in disk_ranges(lat, lon, outer_km):
        for row in range(start // WIDTH, end // WIDTH + 1):
            row_start, row_end = max(start, row * WIDTH), min(end, row * WIDTH + WIDTH - 1)
            hole = inner.get(row)
            if hole is None:
                ranges.append((row_start, row_end))
                continue
            if row_start < hole[0]:
                ranges.append((row_start, hole[0] - 1))
            if hole[1] < row_end:
                ranges.append((hole[1] + 1, row_end))
    return _merge(ranges)


def _merge(ranges: list[CellRange]) -> list[CellRange]:
    """Join ranges that touch (whole rows next to each other), in ascending order."""
    merged: list[CellRange] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
