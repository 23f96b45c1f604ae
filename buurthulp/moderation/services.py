"""Moderation writes: the mode, the review queue, and the hooks listings calls.

Each service checks its rule, writes an audit entry in the same transaction, and
commits. A broken rule raises ModerationError with a Dutch message.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id
from buurthulp.listings.models import HelpOffer, HelpRequest, RequestStatus
from buurthulp.matching import services as matching
from buurthulp.moderation import live, notify, queries, rules
from buurthulp.moderation.models import (
    VISIBLE_STATES,
    ModerationMode,
    ModerationSettings,
    ReviewState,
)


class ModerationError(Exception):
    """A broken rule; `field` is the form field it is about, if any."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def subject_type_of(listing) -> str:
    return "help_request" if isinstance(listing, HelpRequest) else "help_offer"


def author_of(listing) -> User | None:
    """The account that manages the post (for phone intake: the contact person)."""
    user_id = author_id(listing)
    return db.session.get(User, user_id) if user_id is not None else None


def mode_set(*, initiative_id: int, mode: ModerationMode, actor: User, now: datetime) -> None:
    """The coordinator chooses how the initiative's posts are moderated."""
    settings = db.session.get(ModerationSettings, initiative_id)
    previous = settings.mode if settings else ModerationMode.PEER
    if settings is None:
        settings = ModerationSettings(initiative_id=initiative_id)
        db.session.add(settings)
    settings.mode = mode
    record(
        actor=actor,
        action="moderation_mode_set",
        initiative_id=initiative_id,
        subject_type="initiative",
        subject_id=initiative_id,
        details={"from": previous.value, "to": mode.value},
        now=now,
    )
    db.session.commit()


# Hooks for listings.services: they set the state and leave the commit to listings.


def initial_review_state(*, author_id: int, initiative_id: int) -> ReviewState:
    """The review state for a new post of this author, by the initiative's mode."""
    mode = queries.moderation_mode(initiative_id)
    earlier = 0
    if mode == ModerationMode.FIRST_POST:
        earlier = queries.earlier_visible_posts(author_id=author_id, initiative_id=initiative_id)
    return rules.review_state_for_new_post(mode=mode, earlier_posts=earlier)


def after_edit(*, listing, editor: User, now: datetime) -> None:
    """After a change to a post: a rejected post edited by its author is resubmitted; a
    change by someone else (a moderator) is written to the audit log."""
    author = author_of(listing)
    if author is not None and editor.id == author.id:
        listing.review_state = rules.review_state_after_author_edit(listing.review_state)
        return
    record(
        actor=editor,
        action="post_edit",
        initiative_id=listing.initiative_id,
        subject_type=subject_type_of(listing),
        subject_id=listing.id,
        now=now,
    )


def is_visible(listing) -> bool:
    return listing.review_state in VISIBLE_STATES


def _invite_if_newly_published(listing, was_visible: bool, now: datetime) -> None:
    # The matcher only invites once a request is out in the open.
    if (
        isinstance(listing, HelpRequest)
        and not was_visible
        and listing.status == RequestStatus.OPEN
        and listing.last_invited_at is None
    ):
        matching.invitations_for_new_request(help_request=listing, now=now)


def post_approve(*, listing, actor: User, now: datetime) -> None:
    """Approve a post waiting for approval, or mark a published one as reviewed."""
    if listing.review_state not in (ReviewState.PENDING, ReviewState.UNREVIEWED):
        raise ModerationError(_l("Dit bericht wacht niet op beoordeling."))
    was_visible = is_visible(listing)
    listing.review_state = ReviewState.APPROVED
    record(
        actor=actor,
        action="post_approve",
        initiative_id=listing.initiative_id,
        subject_type=subject_type_of(listing),
        subject_id=listing.id,
        now=now,
    )
    db.session.commit()
    live.queue_changed(listing.initiative_id)
    _invite_if_newly_published(listing, was_visible, now)


def take_off(listing, now: datetime) -> None:
    """Inside the caller's transaction: a request that leaves view closes its invitations."""
    if isinstance(listing, HelpRequest):
        matching.invitations_close(help_request=listing, now=now)


def post_reject(*, listing, actor: User, reason: str, now: datetime) -> None:
    """Send a post back to its author with a reason (mailed to them). What they wrote
    stays, so they can change it and send it in again."""
    error = rules.reason_error(reason)
    if error:
        raise ModerationError(_l(error), field="reason")
    if listing.review_state not in (ReviewState.PENDING, ReviewState.UNREVIEWED):
        raise ModerationError(_l("Dit bericht wacht niet op beoordeling."))
    listing.review_state = ReviewState.REJECTED
    take_off(listing, now)
    record(
        actor=actor,
        action="post_reject",
        initiative_id=listing.initiative_id,
        subject_type=subject_type_of(listing),
        subject_id=listing.id,
        reason=reason.strip(),
        now=now,
    )
    db.session.commit()
    live.queue_changed(listing.initiative_id)
    author = author_of(listing)
    if author is not None:
        notify.post_rejected(author, listing, reason.strip())


def listing_model(subject_type: str):
    return {"help_request": HelpRequest, "help_offer": HelpOffer}[subject_type]
