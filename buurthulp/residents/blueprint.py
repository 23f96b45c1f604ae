"""The residents' panel pages (phone intake, residents, notes, verification, unmatched
requests) under /paneel/<initiative>/..., next to the panel blueprint's own pages.

Every view starts with `in_scope`: the user's panel role in the initiative of the URL
(404 without one, 403 for a role that may not) and the streets they act on.
"""

from flask import Blueprint
from flask_login import current_user

from buurthulp import labels
from buurthulp.i18n import translated_msgid
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID
from buurthulp.panel.scope import require_panel_role, street_ids_in_scope

bp = Blueprint("residents", __name__, url_prefix="/paneel")

PREFIX = f"/{INITIATIVE_ID}"
ID = f"<int(max={MAX_ID}):%s>"


def user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def in_scope(initiative_id: int, *roles):
    """(role, street ids or None for the whole initiative), or abort with 404/403."""
    role = require_panel_role(current_user, initiative_id, *roles)
    return role, street_ids_in_scope(current_user, initiative_id)


@bp.context_processor
def _residents_globals() -> dict:
    return {"labels": labels, "band_label": translated_msgid}
