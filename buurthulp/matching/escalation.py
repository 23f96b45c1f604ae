"""Escalation, a scheduled job: when nobody accepted in time, ask more people further away.

For each open request whose last round is older than its initiative's
`escalate_after_minutes`: while `match_round < max_rounds`, start the next round
with the radius widened by `radius_step_km`; after the last round, set
`needs_attention` so the street's contact person finds someone by hand.

Idempotent: a new round sets `last_invited_at = now`, and a flagged request is left
alone, so running it twice at the same `now` does nothing more.

Before that, `first_rounds_due` runs the first round of requests that never had one: a POST
whose connection died right after its COMMIT stored the request but never invited anyone
(docs/faults.md), and escalation only widens rounds that happened.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import queries
from buurthulp.matching.services import (
    MatchingError,
    invitations_for_new_request,
    invitations_send,
)
from buurthulp.moderation.models import VISIBLE_STATES

log = logging.getLogger(__name__)

# A request's own first round runs right after its COMMIT; only one still missing after
# this long was cut off (the claim would keep a race to one round anyway).
FIRST_ROUND_GRACE = timedelta(minutes=2)
# Only requests posted or approved this recently: a cut-off answer is recovered within
# minutes, and older never-invited requests (imported, or demo data) are not this failure.
FIRST_ROUND_WINDOW = timedelta(days=1)


def _never_invited(now: datetime) -> list[int]:
    query = (
        select(HelpRequest.id)
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.review_state.in_(VISIBLE_STATES),
            HelpRequest.match_round == 0,
            HelpRequest.last_invited_at.is_(None),
            HelpRequest.created_at <= now - FIRST_ROUND_GRACE,
            HelpRequest.updated_at >= now - FIRST_ROUND_WINDOW,
        )
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    return list(db.session.execute(query).scalars())


def first_rounds_due(*, now: datetime) -> list[int]:
    """Run the first round of every open, visible request posted more than
    FIRST_ROUND_GRACE ago (and changed within FIRST_ROUND_WINDOW) that was never invited;
    returns the ids it ran for. Each round is claimed and committed with its invitations
    (services.invitations_for_new_request), so a second run, a re-send from the 503 page or
    a run after a kill never invites twice."""
    started = []
    for request_id in _never_invited(now):
        help_request = db.session.get(HelpRequest, request_id)
        if help_request is None:  # removed meanwhile
            continue
        try:
            invited = invitations_for_new_request(help_request=help_request, now=now)
        except MatchingError as error:  # someone was invited by hand meanwhile
            log.info("request %s: no first round: %s", request_id, error)
            continue
        if invited is not None:
            started.append(request_id)
    return started


def _candidates() -> list[HelpRequest]:
    query = (
        select(HelpRequest)
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.review_state.in_(VISIBLE_STATES),
            HelpRequest.needs_attention.is_(False),
            HelpRequest.last_invited_at.is_not(None),
        )
        .order_by(HelpRequest.last_invited_at, HelpRequest.id)
    )
    return list(db.session.execute(query).scalars())


def _due(help_request: HelpRequest, settings: queries.Settings, now: datetime) -> bool:
    return help_request.last_invited_at <= now - timedelta(minutes=settings.escalate_after_minutes)


def escalate_due(*, now: datetime) -> dict[str, list[int]]:
    """Escalate every overdue open request; returns the ids per outcome
    ({"widened": [...], "flagged": [...]})."""
    outcome: dict[str, list[int]] = {"widened": [], "flagged": []}
    settings_cache: dict[int, queries.Settings] = {}
    for help_request in _candidates():
        settings = settings_cache.setdefault(
            help_request.initiative_id, queries.settings_for(help_request.initiative_id)
        )
        if not _due(help_request, settings, now):
            continue
        if help_request.match_round >= settings.max_rounds:
            help_request.needs_attention = True
            db.session.commit()
            outcome["flagged"].append(help_request.id)
            continue
        try:
            invitations_send(
                help_request=help_request,
                now=now,
                radius_km=help_request.radius_km + settings.radius_step_km,
            )
        except MatchingError as error:  # accepted meanwhile
            log.info("request %s not escalated: %s", help_request.id, error)
            db.session.rollback()
            continue
        outcome["widened"].append(help_request.id)
    return outcome
