"""Escalation, a scheduled job: when nobody accepted in time, ask more people further away.

For each open request whose last round is older than its initiative's
`escalate_after_minutes`: while `match_round < max_rounds`, start the next round
with the radius widened by `radius_step_km`; after the last round, set
`needs_attention` so the street's contact person finds someone by hand.

Idempotent: a new round sets `last_invited_at = now`, and a flagged request is left
alone, so running it twice at the same `now` does nothing more.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import queries
from buurthulp.matching.services import MatchingError, invitations_send
from buurthulp.moderation.models import VISIBLE_STATES

log = logging.getLogger(__name__)


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
