"""Imports every route module of the activities so their routes are on the blueprint."""

from buurthulp.activities import activity_views, panel_views, signup_views  # noqa: F401
from buurthulp.activities.blueprint import bp

__all__ = ["bp"]
