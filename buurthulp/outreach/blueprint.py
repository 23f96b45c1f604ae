"""The outreach blueprint: panel pages under /paneel/<initiative>/... (check-ins,
referrals, the sociale kaart) and the members' sociale kaart under /sociale-kaart.

Every panel view starts with `in_scope`: the user's panel role in the initiative of the URL
(404 without one, 403 for a role that may not) and the streets they act on.
"""

from flask import Blueprint
from flask_login import current_user

from buurthulp.outreach import labels as outreach_labels
from buurthulp.outreach.directory import tel_href
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID
from buurthulp.panel.scope import require_panel_role, street_ids_in_scope

bp = Blueprint("outreach", __name__)

PANEL = f"/paneel/{INITIATIVE_ID}"
ID = f"<int(max={MAX_ID}):%s>"
MEMBER = f"{PANEL}/bewoners/{ID % 'user_id'}/contact"
PROXY = f"{PANEL}/telefoonbewoners/{ID % 'resident_id'}/contact"


def user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def in_scope(initiative_id: int, *roles):
    """(role, street ids or None for the whole initiative), or abort with 404/403."""
    role = require_panel_role(current_user, initiative_id, *roles)
    return role, street_ids_in_scope(current_user, initiative_id)


@bp.context_processor
def _outreach_globals() -> dict:
    return {"outreach_labels": outreach_labels, "tel_href": tel_href}
