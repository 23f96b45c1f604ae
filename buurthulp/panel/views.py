"""Imports every panel route module so their routes are on the blueprint."""

from buurthulp.panel import index_views  # noqa: F401
from buurthulp.panel.blueprint import bp

__all__ = ["bp"]
