"""Writes for the matcher: invite, accept (first accept wins), decline, pick directly.

The match lifecycle (done, cancelled, no-show, weekly occurrences) is in
matching.lifecycle. Every service commits and raises MatchingError with a Dutch
message; mail goes out after the commit, so a slow or failing mail server never
holds a lock or undoes a match.

First accept wins: taking a request is one conditional UPDATE,
``UPDATE help_requests SET status='matched' WHERE id=:id AND status='open'``.
The database lets exactly one transaction see rowcount 1; that transaction
creates the Match and closes the other pending invitations before it commits.
Everyone else gets "Deze hulpvraag is al vergeven."
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id, can_edit, is_member
from buurthulp.listings import versions
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import notify, queries
from buurthulp.matching.models import Invitation, InvitationStatus, Match, MatchStatus
from buurthulp.moderation.models import VISIBLE_STATES
from buurthulp.moderation.queries import suspended_user_ids
from buurthulp.ops import metrics
from buurthulp.residents.verification import NOT_VERIFIED, may_accept

ALREADY_TAKEN = _l("Deze hulpvraag is al vergeven.")


class MatchingError(Exception):
    """A broken matcher rule; `message` is Dutch (translated where it is shown), `field`
    the form field it is about, if any."""

    def __init__(self, message, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


def _open_request(request_id: int) -> HelpRequest:
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None:
        raise MatchingError(_l("Deze hulpvraag bestaat niet (meer)."))
    if help_request.status != RequestStatus.OPEN:
        raise MatchingError(
            ALREADY_TAKEN
            if help_request.status == RequestStatus.MATCHED
            else _l("Deze hulpvraag staat niet meer open.")
        )
    if help_request.review_state not in VISIBLE_STATES:
        # Awaiting approval or hidden after reports: nobody is invited for it meanwhile.
        raise MatchingError(_l("Deze hulpvraag staat niet meer open."))
    return help_request


def _commit_or_retry() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        # Two invitations for the same person raced; the unique constraint decided.
        db.session.rollback()
        raise MatchingError(_l("Dat is net al gebeurd. Kijk nog eens.")) from None


def _add_invitations(
    help_request: HelpRequest, ranked: list, *, round_: int, first_rank: int, now: datetime
) -> list[Invitation]:
    invitations = [
        Invitation(
            request_id=help_request.id,
            volunteer_id=r.candidate.volunteer_id,
            offer_id=r.candidate.offer_id,
            round=round_,
            rank=first_rank + n,
            distance_km=round(float(r.distance_km), 3),
            created_at=now,
        )
        for n, r in enumerate(ranked)
    ]
    db.session.add_all(invitations)
    return invitations


def _tell_invited(invitations: list[Invitation], help_request: HelpRequest) -> None:
    """After the commit of new invitations: count them, then tell each volunteer."""
    metrics.invitations_sent(len(invitations))
    for invitation in invitations:
        volunteer = db.session.get(User, invitation.volunteer_id)
        if volunteer is not None:
            notify.invited(volunteer, help_request)


def _ranked_next(help_request: HelpRequest, *, now: datetime, limit: int) -> list:
    """The best `limit` volunteers within the request's radius not invited for it before."""
    excluded = queries.invited_volunteer_ids(help_request.id)
    # Suspended members are not asked while it lasts (moderation.suspensions).
    excluded |= suspended_user_ids(now)
    if help_request.requester_id is not None:
        excluded.add(help_request.requester_id)
    return queries.ranked(
        help_request,
        now=now,
        limit=limit,
        radius_km=help_request.radius_km,
        exclude_volunteer_ids=sorted(excluded),
    )


def invitations_send(
    *, help_request: HelpRequest, now: datetime, radius_km: float | None = None
) -> list[Invitation]:
    """Start the next round: invite the best `batch_size` volunteers not invited before,
    within `radius_km` (default the request's radius), and tell each of them."""
    help_request = _open_request(help_request.id)
    if radius_km is not None:
        help_request.radius_km = radius_km
    settings = queries.settings_for(help_request.initiative_id)
    ranked = _ranked_next(help_request, now=now, limit=settings.batch_size)
    help_request.match_round += 1
    help_request.last_invited_at = now
    invitations = _add_invitations(
        help_request, ranked, round_=help_request.match_round, first_rank=1, now=now
    )
    _commit_or_retry()
    _tell_invited(invitations, help_request)
    return invitations


def first_round_claim(*, request_id: int, now: datetime) -> bool:
    """Claim a request's first round in the current transaction: True for exactly one
    caller, while the request is open, visible and was never invited (round 0, no
    `last_invited_at`). One conditional UPDATE: of a post, its re-sends after a 503 and the
    scheduler's catch-up, the database lets one through. A rollback gives the claim back."""
    claimed = db.session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.id == request_id,
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.review_state.in_(VISIBLE_STATES),
            HelpRequest.match_round == 0,
            HelpRequest.last_invited_at.is_(None),
        )
        .values(match_round=1, last_invited_at=now)
        .execution_options(synchronize_session=False, **versions.BOOKKEEPING_ONLY)
    )
    return claimed.rowcount == 1


def invitations_for_new_request(
    *, help_request: HelpRequest, now: datetime
) -> list[Invitation] | None:
    """The first round of a newly published request, exactly once: the claim
    (first_round_claim) and the invitations are committed together, so a crash between
    them leaves the round to run again. None when the round is not this call's: it ran or
    is running elsewhere, or the request is not open and visible (awaiting approval)."""
    if not first_round_claim(request_id=help_request.id, now=now):
        db.session.rollback()
        return None
    help_request = db.session.get(HelpRequest, help_request.id, populate_existing=True)
    settings = queries.settings_for(help_request.initiative_id)
    ranked = _ranked_next(help_request, now=now, limit=settings.batch_size)
    invitations = _add_invitations(help_request, ranked, round_=1, first_rank=1, now=now)
    _commit_or_retry()
    _tell_invited(invitations, help_request)
    return invitations


def _pending_ids(request_id: int, except_id: int | None) -> list[tuple[int, int]]:
    query = select(Invitation.id, Invitation.volunteer_id).where(
        Invitation.request_id == request_id, Invitation.status == InvitationStatus.PENDING
    )
    if except_id is not None:
        query = query.where(Invitation.id != except_id)
    return [(row.id, row.volunteer_id) for row in db.session.execute(query)]


def invitations_close(*, help_request: HelpRequest, now: datetime) -> list[int]:
    """Close the request's pending invitations; returns the volunteers' ids. Part of the
    caller's transaction: it does not commit."""
    pending = _pending_ids(help_request.id, None)
    if pending:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id.in_([i for i, _ in pending]))
            .values(status=InvitationStatus.CLOSED, responded_at=now)
            .execution_options(synchronize_session=False)
        )
    return [volunteer_id for _, volunteer_id in pending]


def withdrawal_prepare(*, help_request: HelpRequest, now: datetime) -> list[int]:
    """For listings' withdraw service, inside its transaction: close pending invitations and
    cancel a live match. Returns whom to tell (`withdrawal_tell`) after the commit."""
    told = invitations_close(help_request=help_request, now=now)
    match = queries.live_match(help_request.id)
    if match is not None and match.status == MatchStatus.ACCEPTED:
        match.status = MatchStatus.CANCELLED
        match.closed_at = now
        if match.volunteer_id is not None:
            told.append(match.volunteer_id)
    return told


def withdrawal_tell(*, help_request: HelpRequest, volunteer_ids: list[int]) -> None:
    """Tell the volunteers whose invitation or match the withdrawal closed."""
    for volunteer_id in volunteer_ids:
        volunteer = db.session.get(User, volunteer_id)
        if volunteer is not None:
            notify.request_withdrawn(volunteer, help_request)


def _take(*, request_id: int, volunteer_id: int, invitation_id: int | None, now: datetime) -> Match:
    """The one atomic path to a match, for invitations and direct accepts alike."""
    try:
        won = db.session.execute(
            update(HelpRequest)
            .where(
                HelpRequest.id == request_id,
                HelpRequest.status == RequestStatus.OPEN,
                HelpRequest.review_state.in_(VISIBLE_STATES),
            )
            .values(status=RequestStatus.MATCHED, needs_attention=False)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:
            db.session.rollback()
            raise MatchingError(ALREADY_TAKEN)
        match = Match(
            request_id=request_id,
            volunteer_id=volunteer_id,
            invitation_id=invitation_id,
            created_at=now,
        )
        db.session.add(match)
        if invitation_id is not None:
            db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id)
                .values(status=InvitationStatus.ACCEPTED, responded_at=now)
                .execution_options(synchronize_session=False)
            )
        closed = _pending_ids(request_id, invitation_id)
        if closed:
            db.session.execute(
                update(Invitation)
                .where(Invitation.id.in_([i for i, _ in closed]))
                .values(status=InvitationStatus.CLOSED, responded_at=now)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    except DBAPIError:
        # A lock wait that ran out (SQLite busy timeout, a PostgreSQL deadlock): nothing was
        # taken; the person can simply try again.
        db.session.rollback()
        raise MatchingError(
            _l("Het is nu erg druk. Probeer het over een minuut opnieuw.")
        ) from None
    db.session.expire_all()
    metrics.match_made(via="direct" if invitation_id is None else "invitation")
    _tell_after_match(match, [v for _, v in closed])
    return match


def _tell_after_match(match: Match, closed_volunteer_ids: list[int]) -> None:
    help_request = db.session.get(HelpRequest, match.request_id)
    volunteer = db.session.get(User, match.volunteer_id)
    # The requester, or for a phone-intake request the contact person who posted it.
    asker_id = author_id(help_request)
    asker = db.session.get(User, asker_id) if asker_id is not None else None
    if asker is not None and volunteer is not None:
        notify.matched(asker, help_request, volunteer)
    for volunteer_id in closed_volunteer_ids:
        other = db.session.get(User, volunteer_id)
        if other is not None:
            notify.taken_by_other(other, help_request)


def _my_invitation(invitation_id: int, volunteer_id: int) -> Invitation:
    invitation = queries.get_invitation(invitation_id)
    if invitation is None or invitation.volunteer_id != volunteer_id:
        raise MatchingError(_l("Deze uitnodiging bestaat niet."))
    if invitation.status == InvitationStatus.CLOSED:
        raise MatchingError(ALREADY_TAKEN)
    if invitation.status == InvitationStatus.ACCEPTED:
        raise MatchingError(_l("U heeft deze hulpvraag al aangenomen."))
    if invitation.status == InvitationStatus.DECLINED:
        raise MatchingError(_l("U heeft deze uitnodiging al afgeslagen."))
    return invitation


def invitation_accept(*, invitation_id: int, volunteer_id: int, now: datetime) -> Match:
    """Accept an invitation. The first accept wins, exactly once; the other pending
    invitations close and their volunteers are told. Later accepts get ALREADY_TAKEN."""
    invitation = _my_invitation(invitation_id, volunteer_id)
    if not may_accept(volunteer_id=volunteer_id, initiative_id=invitation.request.initiative_id):
        raise MatchingError(NOT_VERIFIED)
    return _take(
        request_id=invitation.request_id,
        volunteer_id=volunteer_id,
        invitation_id=invitation.id,
        now=now,
    )


def request_accept(*, request_id: int, volunteer: User, now: datetime) -> Match:
    """A volunteer takes an open request directly (from "Voor u"): the same atomic path.
    A pending invitation of theirs for it counts as accepted."""
    help_request = _open_request(request_id)
    if help_request.requester_id == volunteer.id:
        raise MatchingError(_l("Dit is uw eigen hulpvraag."))
    if not is_member(volunteer, help_request.initiative_id):
        raise MatchingError(_l("U bent geen lid van dit bewonersinitiatief."))
    if not may_accept(volunteer_id=volunteer.id, initiative_id=help_request.initiative_id):
        raise MatchingError(NOT_VERIFIED)
    if help_request.requester_id is not None and queries.is_blocked(
        help_request.requester_id, volunteer.id
    ):
        raise MatchingError(_l("U kunt deze hulpvraag niet aannemen."))
    invitation_id = db.session.execute(
        select(Invitation.id).where(
            Invitation.request_id == request_id,
            Invitation.volunteer_id == volunteer.id,
            Invitation.status == InvitationStatus.PENDING,
        )
    ).scalar_one_or_none()
    return _take(
        request_id=request_id, volunteer_id=volunteer.id, invitation_id=invitation_id, now=now
    )


def invitation_decline(*, invitation_id: int, volunteer_id: int, now: datetime) -> list[Invitation]:
    """Decline an invitation; while the request is open, the next in rank is invited."""
    invitation = _my_invitation(invitation_id, volunteer_id)
    declined = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.PENDING)
        .values(status=InvitationStatus.DECLINED, responded_at=now)
        .execution_options(synchronize_session=False)
    )
    if declined.rowcount != 1:
        db.session.rollback()
        raise MatchingError(ALREADY_TAKEN)
    db.session.commit()
    help_request = db.session.get(HelpRequest, invitation.request_id)
    if help_request.status != RequestStatus.OPEN:
        return []
    return _invite_next(help_request, round_=invitation.round, now=now)


def _invite_next(help_request: HelpRequest, *, round_: int, now: datetime) -> list[Invitation]:
    ranked = _ranked_next(help_request, now=now, limit=1)
    last_rank = db.session.execute(
        select(db.func.max(Invitation.rank)).where(
            Invitation.request_id == help_request.id, Invitation.round == round_
        )
    ).scalar_one_or_none()
    invitations = _add_invitations(
        help_request, ranked, round_=round_, first_rank=(last_rank or 0) + 1, now=now
    )
    _commit_or_retry()
    _tell_invited(invitations, help_request)
    return invitations


def invitation_create(
    *, help_request: HelpRequest, volunteer_id: int, by_user: User, now: datetime
) -> Invitation:
    """The requester (or a buurtverbinder) invites one volunteer from the ranked suggestions."""
    if not can_edit(by_user, help_request):
        raise MatchingError(_l("U mag voor deze hulpvraag niemand uitnodigen."))
    return invitation_create_by_hand(help_request=help_request, volunteer_id=volunteer_id, now=now)


def invitation_create_by_hand(
    *, help_request: HelpRequest, volunteer_id: int, now: datetime
) -> Invitation:
    """Invite one volunteer from the ranked suggestions; the caller checked that the acting
    person may (invitation_create, or the panel's scope check for a contact person)."""
    help_request = _open_request(help_request.id)
    suggested = queries.suggestions(help_request, now=now)
    chosen = next((s for s in suggested if s.volunteer.id == volunteer_id), None)
    if chosen is None:
        raise MatchingError(_l("Deze buur staat niet (meer) bij de suggesties."))
    if chosen.invitation is not None:
        raise MatchingError(_l("Deze buur is al uitgenodigd."))
    invitation = _add_invitations(
        help_request,
        [chosen.ranked],
        round_=max(help_request.match_round, 1),
        first_rank=chosen.rank,
        now=now,
    )[0]
    if help_request.match_round == 0:
        help_request.match_round = 1
        help_request.last_invited_at = now
    _commit_or_retry()
    _tell_invited([invitation], help_request)
    return invitation
