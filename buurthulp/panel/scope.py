"""Who may use the panel of which initiative, and over which streets.

Plain functions that read the memberships from the database on every call, so a
role that is revoked stops working on the very next request (nothing is cached in
the session). Views call `require_panel_role` first, with the initiative id from
the URL, and then load only objects of that initiative.
"""

from flask import abort
from sqlalchemy import exists, select

from buurthulp.accounts import viewer_facts
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership, Role, Street
from buurthulp.panel.models import StreetAssignment

PANEL_ROLES = (Role.STREET_CONTACT, Role.CONNECTOR, Role.COORDINATOR)
# Roles that see and moderate the whole initiative.
MODERATORS = (Role.CONNECTOR, Role.COORDINATOR)


def _user_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def panel_role(user, initiative_id: int) -> Role | None:
    """The user's panel role in the initiative: STREET_CONTACT, CONNECTOR or COORDINATOR.

    None for anonymous users, residents and non-members. A platform administrator
    counts as coordinator of every initiative that exists.
    """
    user_id = _user_id(user)
    if user_id is None:
        return None
    if getattr(user, "is_platform_admin", False):
        exists = db.session.get(Initiative, initiative_id) is not None
        return Role.COORDINATOR if exists else None
    role = db.session.execute(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.initiative_id == initiative_id
        )
    ).scalar_one_or_none()
    return role if role in PANEL_ROLES else None


def require_panel_role(user, initiative_id: int, *roles: Role) -> Role:
    """The user's panel role, or abort: 404 when they have no panel role in this
    initiative (they may not even learn it exists), 403 when their role is not one
    of `roles`. With no `roles`, any panel role passes. List every role that may
    pass: a coordinator does not pass a check for CONNECTOR alone (use MODERATORS).
    """
    role = panel_role(user, initiative_id)
    if role is None:
        abort(404)
    if roles and role not in roles:
        abort(403)
    return role


def street_ids_in_scope(user, initiative_id: int) -> set[int] | None:
    """The streets the user may act on in the initiative.

    None means the whole initiative (coordinators, platform administrators, and
    buurtverbinders without streets of their own); a straatcontactpersoon gets the ids of
    the initiative's streets assigned to them (possibly empty), and so does a buurtverbinder
    whose coordinator gave them a neighbourhood (some streets); anyone without a panel role
    gets an empty set.
    """
    role = panel_role(user, initiative_id)
    if role is None:
        return set()
    if role == Role.COORDINATOR:
        return None
    assigned = set(
        db.session.execute(
            select(StreetAssignment.street_id)
            .join(Street, Street.id == StreetAssignment.street_id)
            .where(StreetAssignment.user_id == user.id, Street.initiative_id == initiative_id)
        ).scalars()
    )
    if role == Role.CONNECTOR and not assigned:
        return None
    return assigned


def panel_initiatives(user) -> list[tuple[Initiative, Role]]:
    """Every initiative where the user has a panel role, by name; for the index and the menu."""
    user_id = _user_id(user)
    if user_id is None:
        return []
    if getattr(user, "is_platform_admin", False):
        initiatives = db.session.execute(select(Initiative).order_by(Initiative.name)).scalars()
        return [(initiative, Role.COORDINATOR) for initiative in initiatives]
    rows = db.session.execute(
        select(Initiative, Membership.role)
        .join(Membership, Membership.initiative_id == Initiative.id)
        .where(Membership.user_id == user_id, Membership.role.in_(PANEL_ROLES))
        .order_by(Initiative.name)
    ).all()
    return [(initiative, role) for initiative, role in rows]


def has_any_panel_role(user) -> bool:
    """For the site menu: does the panel link make sense for this user?"""
    user_id = _user_id(user)
    if user_id is None:
        return False
    if getattr(user, "is_platform_admin", False):
        return True

    def read() -> bool:
        query = select(Membership.id).where(
            Membership.user_id == user_id, Membership.role.in_(PANEL_ROLES)
        )
        return db.session.execute(query.limit(1)).first() is not None

    return viewer_facts.fact(user_id, "has_panel_role", read, bool)


def _has_panel_role_of_viewer():
    return exists().where(Membership.user_id == User.id, Membership.role.in_(PANEL_ROLES))


viewer_facts.register("has_panel_role", _has_panel_role_of_viewer)
