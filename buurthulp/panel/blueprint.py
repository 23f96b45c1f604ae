"""The panel blueprint and its sections (what the index page offers to which role).

Route modules register on `bp`; buurthulp/panel/views.py imports them all.
Add a section for a new page with `add_section` in the module that defines it.
"""

from dataclasses import dataclass

from flask import Blueprint
from flask_login import current_user

from buurthulp import labels
from buurthulp.initiatives.models import Role
from buurthulp.panel import scope

bp = Blueprint("panel", __name__, url_prefix="/paneel")

# Ids in URLs stay within a 32-bit integer, so a huge number is a 404 and not a database error.
MAX_ID = 2**31 - 1
INITIATIVE_ID = f"<int(max={MAX_ID}):initiative_id>"


@dataclass(frozen=True, slots=True)
class Section:
    endpoint: str  # takes initiative_id as its only URL value
    label: object  # a lazy gettext string
    roles: tuple[Role, ...]
    order: int = 100


SECTIONS: list[Section] = []


def add_section(endpoint: str, label, roles: tuple[Role, ...], order: int = 100) -> None:
    """Offer a page on the panel index to the given roles (see scope.PANEL_ROLES)."""
    SECTIONS.append(Section(endpoint, label, tuple(roles), order))
    SECTIONS.sort(key=lambda s: (s.order, s.endpoint))


def sections_for(role: Role) -> list[Section]:
    return [section for section in SECTIONS if role in section.roles]


@bp.app_context_processor
def _panel_menu() -> dict:
    # Every page: base.html shows "Paneel" only to people with a panel role.
    return {"has_panel_role": lambda: scope.has_any_panel_role(current_user)}


@bp.context_processor
def _panel_globals() -> dict:
    return {"labels": labels}
