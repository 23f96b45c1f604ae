"""The monitor blueprint; its routes live in the *_views modules that views.py imports."""

from datetime import date

from flask import Blueprint

from buurthulp import labels
from buurthulp.i18n import translated_msgid
from buurthulp.monitor.figures import METRICS, WAIT_LABELS
from buurthulp.outreach.labels import SERVICE_KINDS
from buurthulp.outreach.models import ServiceKind

bp = Blueprint("monitor", __name__)

MAX_ID = 2**31 - 1
INITIATIVE_ID = f"<int(max={MAX_ID}):initiative_id>"
FIRST_YEAR = 2000


def parse_year(text: str | None, today: date) -> int:
    """The year asked for in ?jaar=, or this year when it is missing or not a sensible year."""
    if text and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= today.year:
        return int(text)
    return today.year


@bp.context_processor
def _monitor_globals() -> dict:
    return {
        "labels": labels,
        "msg": translated_msgid,
        "metric_labels": METRICS,
        "wait_labels": WAIT_LABELS,
        "service_kind_label": _service_kind_label,
        "service_kinds": SERVICE_KINDS,
    }


def _service_kind_label(kind: str):
    try:
        return SERVICE_KINDS[ServiceKind(kind)]
    except ValueError:
        return kind
