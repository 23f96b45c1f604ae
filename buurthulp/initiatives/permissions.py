"""Who may see and change what inside an initiative.

Plain functions on a user and a listing, so views, services and queries share
one rule. A listing is only visible inside its own initiative: anyone else
gets a 404, so they cannot even learn that it exists.
"""

from flask import abort
from sqlalchemy import String, cast, func, select

from buurthulp.accounts import viewer_facts
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role
from buurthulp.listings.models import HelpOffer, HelpRequest, OfferStatus, RequestStatus
from buurthulp.moderation.models import VISIBLE_STATES

# Roles that moderate an initiative's marketplace and may edit others' listings.
MODERATOR_ROLES = frozenset({Role.CONNECTOR, Role.COORDINATOR})

Listing = HelpRequest | HelpOffer


def _user_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def role_in(user, initiative_id: int) -> Role | None:
    """The user's role in the initiative, or None when they are not a member."""
    user_id = _user_id(user)
    if user_id is None:
        return None
    return db.session.execute(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.initiative_id == initiative_id
        )
    ).scalar_one_or_none()


def is_member(user, initiative_id: int) -> bool:
    return role_in(user, initiative_id) is not None


def is_moderator(user, initiative_id: int) -> bool:
    """A buurtverbinder or coördinator of the initiative."""
    return role_in(user, initiative_id) in MODERATOR_ROLES


def member_initiative_ids(user) -> list[int]:
    """The initiatives the user belongs to, in id order. Read with the login
    (viewer_facts) when the user is the one signed in."""
    user_id = _user_id(user)
    if user_id is None:
        return []

    def read() -> list[int]:
        query = select(Membership.initiative_id).where(Membership.user_id == user_id)
        return sorted(db.session.execute(query).scalars())

    return viewer_facts.fact(user_id, "initiative_ids", read, _parse_ids)


def _parse_ids(value: str | None) -> list[int]:
    return sorted(int(part) for part in value.split(",")) if value else []


def _initiative_ids_of_viewer():
    return (
        select(func.aggregate_strings(cast(Membership.initiative_id, String), ","))
        .where(Membership.user_id == User.id)
        .scalar_subquery()
    )


viewer_facts.register("initiative_ids", _initiative_ids_of_viewer)


def author_id(listing: Listing) -> int | None:
    if isinstance(listing, HelpRequest):
        # A phone-intake request without an account behind it is its contact person's to manage.
        return listing.requester_id if listing.requester_id is not None else listing.created_by_id
    return listing.volunteer_id


def is_author(user, listing: Listing) -> bool:
    user_id = _user_id(user)
    return user_id is not None and author_id(listing) == user_id


def is_withdrawn(listing: Listing) -> bool:
    if isinstance(listing, HelpRequest):
        return listing.status == RequestStatus.WITHDRAWN
    return listing.status == OfferStatus.WITHDRAWN


def _can_view(user, listing: Listing) -> bool:
    if _user_id(user) is None:
        return False
    if is_author(user, listing):
        return True
    if is_withdrawn(listing):
        # A withdrawn listing is the author's business; moderators keep it for follow-up.
        return is_moderator(user, listing.initiative_id)
    if listing.review_state not in VISIBLE_STATES:
        # Awaiting approval, rejected, hidden or removed: the author and moderators only.
        return is_moderator(user, listing.initiative_id)
    return bool(user.is_platform_admin) or is_member(user, listing.initiative_id)


def can_view_request(user, request: HelpRequest) -> bool:
    """Members of the initiative and platform admins; withdrawn: author and moderators only."""
    return _can_view(user, request)


def can_view_offer(user, offer: HelpOffer) -> bool:
    """Members of the initiative and platform admins; withdrawn: author and moderators only."""
    return _can_view(user, offer)


def can_edit(user, listing: Listing) -> bool:
    """The author, or a buurtverbinder or coördinator of the listing's initiative."""
    return is_author(user, listing) or is_moderator(user, listing.initiative_id)


def viewable_or_404(user, listing: Listing | None) -> Listing:
    """The listing, or a 404 when it does not exist or the user may not know it does."""
    if listing is None or not _can_view(user, listing):
        abort(404)
    return listing


def editable_or_abort(user, listing: Listing | None) -> Listing:
    """The listing when the user may edit it; 404 if they may not see it, else 403."""
    viewable_or_404(user, listing)
    if not can_edit(user, listing):
        abort(403)
    return listing
