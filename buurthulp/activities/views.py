"""Imports every route module of the activities so their routes are on the blueprint."""

from buurthulp.activities import activity_views, agenda_views, panel_views, signup_views
from buurthulp.activities.blueprint import bp

ROUTE_MODULES = (activity_views, agenda_views, panel_views, signup_views)

__all__ = ["bp", "ROUTE_MODULES"]
