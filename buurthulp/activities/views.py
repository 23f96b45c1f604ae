"""Imports every route module of the activities so their routes are on the blueprint."""

from buurthulp.activities import agenda_views
from buurthulp.activities.blueprint import bp

ROUTE_MODULES = (agenda_views,)

__all__ = ["bp", "ROUTE_MODULES"]
