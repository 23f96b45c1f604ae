"""The queue of requests the matcher could not place (needs_attention), and matching by hand.

By hand means: invite a volunteer the contact person chose from the matcher's ranked
suggestions, or record a match already agreed on the phone. Both go through the
matcher's own services, so first-accept-wins, blocks, membership and the verification
rule hold exactly as for a volunteer who accepts on the site.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, HelpResponse, RequestStatus
from buurthulp.matching import queries as matching_queries
from buurthulp.matching import services as matching
from buurthulp.matching.models import Invitation, Match
from buurthulp.residents.scope import requests_in_scope
from buurthulp.residents.verification import may_accept, unverified_may_accept, verified_ids

QUEUE_MAX = 200
NOT_VERIFIED_VOLUNTEER = _l(
    "Deze buur is nog geen geverifieerde buur en kan in dit bewonersinitiatief nog geen "
    "hulpvragen aannemen."
)


def unmatched_requests(initiative_id: int, street_ids: set[int] | None) -> list[HelpRequest]:
    """Open requests the matcher flagged, in the streets, oldest first (they waited longest)."""
    query = (
        select(HelpRequest)
        .where(
            requests_in_scope(initiative_id, street_ids),
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.needs_attention.is_(True),
        )
        .order_by(HelpRequest.created_at, HelpRequest.id)
        .limit(QUEUE_MAX)
    )
    return list(db.session.execute(query).scalars())


def candidates(help_request: HelpRequest, *, now: datetime) -> tuple[list, list[User]]:
    """The matcher's ranked suggestions, and the members who said "Ik wil helpen"."""
    suggestions = matching_queries.suggestions(help_request, now=now)
    responders = list(
        db.session.execute(
            select(User)
            .join(HelpResponse, HelpResponse.volunteer_id == User.id)
            .where(HelpResponse.request_id == help_request.id)
            .order_by(HelpResponse.created_at, HelpResponse.id)
        ).scalars()
    )
    return suggestions, responders


def invite_by_hand(
    *, help_request: HelpRequest, volunteer_id: int, by_user: User, now: datetime
) -> Invitation:
    """Invite one of the suggested volunteers (they get the usual invitation); not one who
    could not accept it under the initiative's verification rule."""
    if not may_accept(volunteer_id=volunteer_id, initiative_id=help_request.initiative_id):
        raise matching.MatchingError(NOT_VERIFIED_VOLUNTEER)
    invitation = matching.invitation_create_by_hand(
        help_request=help_request, volunteer_id=volunteer_id, now=now
    )
    _audit(by_user, "invited_by_hand", help_request, volunteer_id, now)
    return invitation


def match_by_phone(
    *, help_request: HelpRequest, volunteer_id: int, by_user: User, now: datetime
) -> Match:
    """Record a match the contact person agreed with a volunteer on the phone. Taken
    through the matcher's accept path: if someone accepted meanwhile, this one loses."""
    if volunteer_id == help_request.requester_id:
        raise matching.MatchingError(_l("Dit is de eigen hulpvraag van deze buur."))
    volunteer = db.session.get(User, volunteer_id)
    if volunteer is None:
        raise matching.MatchingError(_l("Deze buur bestaat niet (meer)."))
    match = matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=now)
    _audit(by_user, "matched_by_phone", help_request, volunteer_id, now)
    return match


def _audit(by_user: User, action: str, help_request: HelpRequest, volunteer_id: int, now) -> None:
    record(
        actor=by_user,
        action=action,
        initiative_id=help_request.initiative_id,
        subject_type="help_request",
        subject_id=help_request.id,
        details={"volunteer_id": volunteer_id},
        now=now,
    )
    db.session.commit()


def unverified_among(help_request: HelpRequest, user_ids) -> set[int]:
    """Who of `user_ids` cannot accept under the initiative's verification rule (for the page)."""
    if unverified_may_accept(help_request.initiative_id):
        return set()
    ids = set(user_ids)
    return ids - verified_ids(help_request.initiative_id, ids)
