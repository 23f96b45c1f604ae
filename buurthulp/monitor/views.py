"""The monitor's pages; importing the view modules registers their routes on the blueprint."""

from buurthulp.monitor import (  # noqa: F401  (routes)
    initiative_views,
    national_views,
    registry_views,
    survey_views,
)
from buurthulp.monitor.blueprint import bp

__all__ = ["bp"]
