"""Imports every route module of outreach so their routes are on the blueprint."""

from buurthulp.outreach import contact_views, directory_views, list_views  # noqa: F401
from buurthulp.outreach.blueprint import bp

__all__ = ["bp"]
