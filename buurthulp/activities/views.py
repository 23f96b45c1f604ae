"""Imports every route module of the activities so their routes are on the blueprint."""

from buurthulp.activities.blueprint import bp

__all__ = ["bp"]
