"""Imports every route module of the residents' panel so their routes are on the blueprint."""

from buurthulp.residents import intake_views, note_views, queue_views, resident_views  # noqa: F401
from buurthulp.residents.blueprint import bp

__all__ = ["bp"]
