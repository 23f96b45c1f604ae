"""Moderation rules as plain functions: no Flask, no database."""

from datetime import datetime, timedelta

from buurthulp.moderation.models import ModerationMode, ReviewState
from buurthulp.translatable import N_

# Reports from this many different people hide a post until a moderator has looked at it.
FLAG_THRESHOLD = 3
REASON_MAX = 1000
LONGEST_SUSPENSION = timedelta(days=5 * 366)


def review_state_for_new_post(*, mode: ModerationMode, earlier_posts: int) -> ReviewState:
    """The review state a new request or offer starts in.

    Pre-moderation: every post waits. First-post moderation: a member's first post
    (no earlier approved post in this initiative) waits. Post-moderation: published at
    once and reviewed afterwards. Peer-to-peer: published, only flags lead to review.
    """
    if mode == ModerationMode.PRE:
        return ReviewState.PENDING
    if mode == ModerationMode.FIRST_POST:
        return ReviewState.PENDING if earlier_posts == 0 else ReviewState.APPROVED
    if mode == ModerationMode.POST:
        return ReviewState.UNREVIEWED
    return ReviewState.APPROVED


def review_state_after_author_edit(state: ReviewState) -> ReviewState:
    """A rejected post that its author changed goes back into the queue; others keep theirs."""
    return ReviewState.PENDING if state == ReviewState.REJECTED else state


def hidden_by_reports(*, state: ReviewState, reporters: int) -> bool:
    """True when the reports of `reporters` different people should hide a visible post."""
    return state in (ReviewState.APPROVED, ReviewState.UNREVIEWED) and reporters >= FLAG_THRESHOLD


def reason_error(reason: str) -> str | None:
    """A Dutch msgid when a moderator's or reporter's reason is missing or too long."""
    if not reason.strip():
        return N_("Schrijf kort op waarom.")
    if len(reason) > REASON_MAX:
        return N_("Maak de reden korter: hoogstens 1000 tekens.")
    return None


def suspension_end_error(*, ends_at: datetime, now: datetime) -> str | None:
    """A Dutch msgid when a suspension's end is not in the future or absurdly far away."""
    if ends_at <= now:
        return N_("Kies een einddatum na vandaag.")
    if ends_at - now > LONGEST_SUSPENSION:
        return N_("Kies een einddatum binnen vijf jaar.")
    return None


def is_suspended(*, starts_at: datetime, ends_at: datetime, lifted_at, now: datetime) -> bool:
    """A suspension holds from its start until its end date or until it is lifted."""
    return lifted_at is None and starts_at <= now < ends_at
