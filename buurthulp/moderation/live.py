"""The moderators' live count: after a change to an initiative's queue is committed, its
buurtverbinders and coördinatoren get an event with the number of things waiting for
them, so an open panel page updates without a reload (static/js/panel.js)."""

import logging

from buurthulp.activities.signup_queries import pending_proposals
from buurthulp.extensions import db
from buurthulp.moderation import queries
from buurthulp.moderation.models import ReviewState
from buurthulp.realtime import stream

log = logging.getLogger(__name__)
QUEUE_STATES = (ReviewState.PENDING, ReviewState.UNREVIEWED)


def waiting_count(initiative_id: int) -> int:
    """Posts and proposed activities to review, plus reported posts and people not yet
    handled."""
    posts = sum(len(items) for items in queries.review_queue(initiative_id).values())
    proposals = len(pending_proposals(initiative_id))
    return posts + proposals + len(queries.flag_queue(initiative_id))


def queue_changed(initiative_id: int) -> None:
    """Call after the commit; like a notice, a failure is logged and undoes nothing."""
    try:
        stream.moderation_queue_changed(
            initiative_id=initiative_id, pending=waiting_count(initiative_id)
        )
    except Exception:  # noqa: BLE001 - database or queue errors alike
        db.session.rollback()
        log.exception("live queue count for initiative %s failed", initiative_id)


def queue_changed_if_waiting(listing) -> None:
    """For a post just created or changed by its author: only when it now waits for review."""
    if listing.review_state in QUEUE_STATES:
        queue_changed(listing.initiative_id)
