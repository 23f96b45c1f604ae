"""Which residents and requests fall inside a panel user's streets.

`street_ids` comes from panel.scope.street_ids_in_scope: None is the whole initiative,
a set is the streets a straatcontactpersoon looks after. A member belongs to the street
of their membership; a phone-intake resident to their own street; a request to the
street of its requester or phone-intake resident.
"""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import HelpRequest
from buurthulp.residents.models import ProxyResident


def _in(column, street_ids: set[int] | None):
    return True if street_ids is None else column.in_(sorted(street_ids))


def member_in_scope(user_id: int, initiative_id: int, street_ids: set[int] | None):
    """(User, Membership) when the member lives in the scope, else None."""
    row = db.session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id == user_id,
            Membership.initiative_id == initiative_id,
            _in(Membership.street_id, street_ids),
        )
    ).first()
    return None if row is None else (row[0], row[1])


def proxy_in_scope(
    resident_id: int, initiative_id: int, street_ids: set[int] | None
) -> ProxyResident | None:
    return db.session.execute(
        select(ProxyResident).where(
            ProxyResident.id == resident_id,
            ProxyResident.initiative_id == initiative_id,
            _in(ProxyResident.street_id, street_ids),
        )
    ).scalar_one_or_none()


def residents_in_scope(
    *, initiative_id: int, street_ids: set[int] | None, initiative, user, proxy_resident
):
    """A WHERE clause for rows about a resident (columns `user` for a member, `proxy_resident`
    for a phone-intake resident) of the initiative, within the streets (None: all)."""
    same_initiative = initiative == initiative_id
    if street_ids is None:
        return same_initiative
    ids = sorted(street_ids)
    member_street = (
        select(Membership.id)
        .where(
            Membership.user_id == user,
            Membership.initiative_id == initiative_id,
            Membership.street_id.in_(ids),
        )
        .exists()
    )
    # An alias: the outer query may join proxy_residents itself.
    resident = aliased(ProxyResident)
    proxy_street = (
        select(resident.id)
        .where(resident.id == proxy_resident, user.is_(None), resident.street_id.in_(ids))
        .exists()
    )
    return and_(same_initiative, or_(member_street, proxy_street))


def requests_in_scope(initiative_id: int, street_ids: set[int] | None):
    """A WHERE clause for the initiative's requests within the streets."""
    return residents_in_scope(
        initiative_id=initiative_id,
        street_ids=street_ids,
        initiative=HelpRequest.initiative_id,
        user=HelpRequest.requester_id,
        proxy_resident=HelpRequest.proxy_resident_id,
    )


def request_in_scope(
    request_id: int, initiative_id: int, street_ids: set[int] | None
) -> HelpRequest | None:
    return db.session.execute(
        select(HelpRequest).where(
            HelpRequest.id == request_id, requests_in_scope(initiative_id, street_ids)
        )
    ).scalar_one_or_none()
