"""Writes for a match after it was made: done (hours and feedback from both sides),
cancelled or no-show (the request opens again), and a weekly request's next occurrence.

Like matching.services: keyword-only, commit here, raise MatchingError in Dutch.
"""

from contextlib import suppress
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.geo.distance import distance_km
from buurthulp.initiatives.permissions import author_id
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching import notify, queries
from buurthulp.matching.models import Invitation, Match, MatchStatus
from buurthulp.matching.services import (
    MatchingError,
    invitations_for_new_request,
    invitations_send,
)
from buurthulp.ops import metrics
from buurthulp.text import CONTROL_CHARACTERS

HOURS_MIN = 0.25
HOURS_MAX = 24.0
FEEDBACK_MAX = 1000
REASON_MAX = 500


def _my_match(match_id: int, user: User) -> Match:
    match = queries.get_match(match_id)
    if match is None or not queries.is_party(user, match):
        raise MatchingError(_l("Deze koppeling bestaat niet."))
    return match


def _clean(text: str, *, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise MatchingError(
            _l("Maak de tekst korter: hoogstens %(max)s tekens.", max=limit), field=field
        )
    if CONTROL_CHARACTERS.search(text):
        raise MatchingError(_l("Deze tekst bevat tekens die we niet kunnen opslaan."), field=field)
    return text


def match_complete(
    *, match_id: int, by_user: User, hours: float, feedback: str, now: datetime
) -> Match:
    """Mark the help as given: hours (0.25-24) and a short feedback. Both sides may do this;
    the first one closes the match and the request, the second adds their feedback."""
    match = _my_match(match_id, by_user)
    if match.status not in (MatchStatus.ACCEPTED, MatchStatus.DONE):
        raise MatchingError(_l("Deze koppeling is al beëindigd."))
    if hours is None or not HOURS_MIN <= hours <= HOURS_MAX:
        raise MatchingError(_l("Vul een aantal uren in tussen 0,25 en 24."), field="hours")
    feedback = _clean(feedback, limit=FEEDBACK_MAX, field="feedback")
    is_volunteer = by_user.id == match.volunteer_id
    already = match.volunteer_feedback if is_volunteer else match.requester_feedback
    if match.status == MatchStatus.DONE and already:
        raise MatchingError(_l("U heeft deze hulp al afgerond."))
    if is_volunteer:
        match.volunteer_feedback = feedback
    else:
        match.requester_feedback = feedback
    # The volunteer knows best how long it took; the requester's figure fills a gap.
    if match.hours is None or is_volunteer:
        match.hours = float(hours)
    closes = match.status == MatchStatus.ACCEPTED
    if closes:
        match.status = MatchStatus.DONE
        match.closed_at = now
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == match.request_id, HelpRequest.status == RequestStatus.MATCHED)
            .values(status=RequestStatus.DONE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    if closes:
        notify.match_done(match, by_user)
    return match


def _end(*, match_id: int, by_user: User, reason: str, status: MatchStatus, now: datetime) -> Match:
    match = _my_match(match_id, by_user)
    reason = _clean(reason, limit=REASON_MAX, field="reason")
    if not reason:
        raise MatchingError(_l("Schrijf kort op waarom."), field="reason")
    ended = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == MatchStatus.ACCEPTED)
        .values(status=status, close_reason=reason, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:
        db.session.rollback()
        raise MatchingError(_l("Deze koppeling is al beëindigd."))
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == match.request_id, HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.OPEN, needs_attention=False)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire_all()
    help_request = db.session.get(HelpRequest, match.request_id)
    asker_id = author_id(help_request)  # for phone intake: the contact person
    other_id = match.volunteer_id if by_user.id == asker_id else asker_id
    other = db.session.get(User, other_id) if other_id is not None else None
    if other is not None:
        notify.match_ended(other, help_request)
    if help_request.status == RequestStatus.OPEN:
        with suppress(MatchingError):  # taken meanwhile: nothing to invite for
            invitations_send(help_request=help_request, now=now)
    return match


def match_cancel(*, match_id: int, by_user: User, reason: str, now: datetime) -> Match:
    """Either side calls it off, with a reason; the request opens again and a new round of
    volunteers is invited (never the one who had it)."""
    return _end(
        match_id=match_id, by_user=by_user, reason=reason, status=MatchStatus.CANCELLED, now=now
    )


def match_no_show(*, match_id: int, by_user: User, reason: str, now: datetime) -> Match:
    """Either side reports that the other did not come; handled like a cancellation."""
    return _end(
        match_id=match_id, by_user=by_user, reason=reason, status=MatchStatus.NO_SHOW, now=now
    )


def _copy(previous: HelpRequest) -> HelpRequest:
    columns = [
        "initiative_id",
        "requester_id",
        "category",
        "title",
        "description",
        "time_from",
        "time_until",
        "flexible_days",
        "urgency",
        "recurrence",
        "needs_car",
        "radius_km",
        "street_name",
        "place",
        "latitude",
        "longitude",
        "proxy_resident_id",
        "created_by_id",
    ]
    new = HelpRequest(**{name: getattr(previous, name) for name in columns})
    new.on_date = previous.on_date + timedelta(days=7) if previous.on_date else None
    new.previous_request_id = previous.id
    return new


def _previous_match(help_request: HelpRequest) -> Match | None:
    query = (
        select(Match)
        .where(Match.request_id == help_request.id, Match.status.in_(queries.LIVE_MATCH))
        .order_by(Match.created_at.desc(), Match.id.desc())
    )
    return db.session.execute(query).scalars().first()


def weekly_next_occurrence(*, help_request: HelpRequest, now: datetime) -> HelpRequest | None:
    """Create a weekly request's next occurrence, a week on, and invite the previous
    volunteer first (the scheduler calls this). Idempotent: None when it already exists."""
    if help_request.recurrence != Recurrence.WEEKLY:
        raise MatchingError(_l("Alleen een wekelijkse hulpvraag krijgt een volgende keer."))
    if help_request.status == RequestStatus.WITHDRAWN:
        raise MatchingError(_l("Deze hulpvraag is ingetrokken."))
    exists = select(HelpRequest.id).where(HelpRequest.previous_request_id == help_request.id)
    if db.session.execute(exists).first() is not None:
        return None
    previous_match = _previous_match(help_request)
    new = _copy(help_request)
    db.session.add(new)
    db.session.flush()
    volunteer = (
        db.session.get(User, previous_match.volunteer_id)
        if previous_match and previous_match.volunteer_id
        else None
    )
    if volunteer is None or (
        new.requester_id and queries.is_blocked(new.requester_id, volunteer.id)
    ):
        db.session.commit()
        invitations_for_new_request(help_request=new, now=now)
        return new
    first = (
        db.session.get(Invitation, previous_match.invitation_id)
        if previous_match.invitation_id
        else None
    )
    db.session.add(
        Invitation(
            request_id=new.id,
            volunteer_id=volunteer.id,
            offer_id=first.offer_id if first else None,
            round=1,
            rank=1,
            distance_km=round(distance_km((new.latitude, new.longitude), volunteer.location), 3),
            created_at=now,
        )
    )
    new.match_round = 1
    new.last_invited_at = now
    db.session.commit()
    metrics.invitations_sent(1)
    notify.invited(volunteer, new)
    return new
