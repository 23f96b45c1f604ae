"""Reads for the matcher: settings, ranked volunteers, invitations, matches, "Voor u".

Pages get a distance band and a public name; full names, addresses and phone
numbers only through `contact_visible`, once there is a match.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.geo.distance import bounding_box, distance_band
from buurthulp.initiatives.permissions import author_id, member_initiative_ids
from buurthulp.listings.models import HelpOffer, HelpRequest, OfferStatus, RequestStatus
from buurthulp.matching import search
from buurthulp.matching.models import (
    Block,
    Invitation,
    InvitationStatus,
    Match,
    MatchingSettings,
    MatchStatus,
)
from buurthulp.moderation.models import VISIBLE_STATES

# "Voor u" ranks at most this many nearby open requests per page view, nearest first.
FOR_YOU_MAX_REQUESTS = 30
FOR_YOU_MAX_RADIUS_KM = 10.0
LIVE_MATCH = (MatchStatus.ACCEPTED, MatchStatus.DONE)


@dataclass(frozen=True, slots=True)
class Settings:
    batch_size: int = 5
    escalate_after_minutes: int = 240
    max_rounds: int = 3
    radius_step_km: float = 2.0


def settings_for(initiative_id: int) -> Settings:
    """The initiative's matcher settings, or the defaults when it has none."""
    row = db.session.get(MatchingSettings, initiative_id)
    if row is None:
        return Settings()
    return Settings(
        batch_size=row.batch_size,
        escalate_after_minutes=row.escalate_after_minutes,
        max_rounds=row.max_rounds,
        radius_step_km=row.radius_step_km,
    )


def ranked(
    help_request: HelpRequest,
    *,
    now: datetime,
    limit: int,
    radius_km: float | None = None,
    exclude_volunteer_ids=(),
) -> list:
    """The best volunteers for the request (matching.search), best first."""
    return search.ranked_volunteers(
        help_request,
        now=now,
        limit=limit,
        radius_km=radius_km,
        exclude_volunteer_ids=tuple(exclude_volunteer_ids),
    )


def invited_volunteer_ids(request_id: int) -> set[int]:
    """Everyone ever invited for this request, in any state: nobody is asked twice."""
    query = select(Invitation.volunteer_id).where(Invitation.request_id == request_id)
    return set(db.session.execute(query).scalars())


def is_blocked(a_id: int, b_id: int) -> bool:
    """Whether either person blocked the other."""
    query = select(Block.blocker_id).where(
        or_(
            (Block.blocker_id == a_id) & (Block.blocked_id == b_id),
            (Block.blocker_id == b_id) & (Block.blocked_id == a_id),
        )
    )
    return db.session.execute(query).first() is not None


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def get_match(match_id: int) -> Match | None:
    return db.session.get(Match, match_id)


def my_invitations(user: User, limit: int = 50) -> list[Invitation]:
    """The user's invitations: pending first, then the most recent others."""
    pending_first = (Invitation.status != InvitationStatus.PENDING).asc()
    query = (
        select(Invitation)
        .where(Invitation.volunteer_id == user.id)
        .options(joinedload(Invitation.request).joinedload(HelpRequest.requester))
        .order_by(pending_first, Invitation.created_at.desc(), Invitation.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def pending_invitation(request_id: int, volunteer_id: int) -> Invitation | None:
    """The volunteer's pending invitation for the request, if any."""
    query = select(Invitation).where(
        Invitation.request_id == request_id,
        Invitation.volunteer_id == volunteer_id,
        Invitation.status == InvitationStatus.PENDING,
    )
    return db.session.execute(query).scalar_one_or_none()


def live_match(request_id: int) -> Match | None:
    """The request's accepted or done match, if there is one."""
    query = (
        select(Match)
        .where(Match.request_id == request_id, Match.status.in_(LIVE_MATCH))
        .order_by(Match.created_at.desc(), Match.id.desc())
    )
    return db.session.execute(query).scalars().first()


def is_party(user, match: Match) -> bool:
    """The requester (for phone intake: the contact person) or the volunteer of the match."""
    user_id = getattr(user, "id", None)
    return user_id is not None and user_id in (author_id(match.request), match.volunteer_id)


def contact_visible(user, help_request: HelpRequest) -> Match | None:
    """The live match when `user` is one of its two people: only then may they see each
    other's full name, address and phone number. None otherwise."""
    match = live_match(help_request.id)
    if match is None or not is_party(user, match):
        return None
    return match


def my_matches(user: User, limit: int = 50) -> list[Match]:
    """Matches where the user is the volunteer or the requester, newest first."""
    query = (
        select(Match)
        .join(HelpRequest, HelpRequest.id == Match.request_id)
        .where(or_(Match.volunteer_id == user.id, HelpRequest.requester_id == user.id))
        .options(joinedload(Match.request))
        .order_by(Match.created_at.desc(), Match.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True, slots=True)
class Suggestion:
    volunteer: User
    band: str
    reasons: tuple[str, ...]
    rank: int
    invitation: Invitation | None
    ranked: object  # the search's Ranked entry, for inviting this volunteer


def suggestions(help_request: HelpRequest, *, now: datetime, limit: int = 10) -> list[Suggestion]:
    """The ranked volunteers for the requester to pick from, with their invitation if any."""
    found = ranked(help_request, now=now, limit=limit, exclude_volunteer_ids=())
    ids = [r.candidate.volunteer_id for r in found]
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}
    invitations = {
        i.volunteer_id: i
        for i in db.session.execute(
            select(Invitation).where(
                Invitation.request_id == help_request.id, Invitation.volunteer_id.in_(ids)
            )
        ).scalars()
    }
    return [
        Suggestion(
            volunteer=users[r.candidate.volunteer_id],
            band=distance_band(r.distance_km),
            reasons=tuple(r.reasons),
            rank=n,
            invitation=invitations.get(r.candidate.volunteer_id),
            ranked=r,
        )
        for n, r in enumerate(found, 1)
        if r.candidate.volunteer_id in users
    ]


@dataclass(frozen=True, slots=True)
class ForYou:
    help_request: HelpRequest
    band: str
    rank: int


def _nearby_open_requests(user: User, radius_km: float) -> list[HelpRequest]:
    initiative_ids = member_initiative_ids(user)
    if not initiative_ids:
        return []
    box = bounding_box(*user.location, radius_km)
    query = select(HelpRequest).where(
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.review_state.in_(VISIBLE_STATES),
        HelpRequest.initiative_id.in_(initiative_ids),
        HelpRequest.latitude.between(box.min_lat, box.max_lat),
        HelpRequest.longitude.between(box.min_lon, box.max_lon),
        or_(HelpRequest.requester_id.is_(None), HelpRequest.requester_id != user.id),
    )
    rows = list(db.session.execute(query).scalars())
    lat, lon = user.location
    # Nearest first by a cheap planar measure; the ranking computes real distances.
    rows.sort(key=lambda r: ((r.latitude - lat) ** 2 + (r.longitude - lon) ** 2, r.id))
    return rows[:FOR_YOU_MAX_REQUESTS]


def for_you(user: User, *, now: datetime) -> list[ForYou]:
    """ "Voor u": open requests nearby where the user is among the best N volunteers.

    Bounded: only the user's active offers' reach (at most FOR_YOU_MAX_RADIUS_KM), and
    at most FOR_YOU_MAX_REQUESTS requests ranked per call.
    """
    reach = db.session.execute(
        select(HelpOffer.max_distance_km).where(
            HelpOffer.volunteer_id == user.id, HelpOffer.status == OfferStatus.ACTIVE
        )
    ).scalars()
    radius = min(max(reach, default=0.0), FOR_YOU_MAX_RADIUS_KM)
    if radius <= 0:
        return []
    found = []
    for help_request in _nearby_open_requests(user, radius):
        top = settings_for(help_request.initiative_id).batch_size
        for n, r in enumerate(ranked(help_request, now=now, limit=top), 1):
            if r.candidate.volunteer_id == user.id:
                found.append(ForYou(help_request, distance_band(r.distance_km), n))
                break
    return found
