"""Imports every panel route module so their routes are on the blueprint."""

from buurthulp.activities import attendance_views
from buurthulp.panel import (
    index_views,
    matcher_views,
    moderation_views,
    people_views,
    suspension_views,
)
from buurthulp.panel.blueprint import bp

ROUTE_MODULES = (
    index_views,
    matcher_views,
    moderation_views,
    people_views,
    suspension_views,
    attendance_views,
)

__all__ = ["bp", "ROUTE_MODULES"]
