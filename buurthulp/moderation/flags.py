"""Residents' reports (flags) of a post or a person, and how moderators resolve them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id, is_member
from buurthulp.listings.models import HelpRequest
from buurthulp.moderation import live, queries, rules
from buurthulp.moderation.models import Flag, FlagResolution, FlagSubject, ReviewState
from buurthulp.moderation.services import ModerationError, take_off

ALREADY = _l("U heeft dit al gemeld. Een buurtverbinder kijkt ernaar.")


def _listing_subject(listing) -> FlagSubject:
    return FlagSubject.HELP_REQUEST if isinstance(listing, HelpRequest) else FlagSubject.HELP_OFFER


def flag_create(*, reporter: User, listing, about_author: bool, reason: str, now: datetime) -> Flag:
    """Report a post, or (about_author) the person who posted it, with a reason.

    One report per person per subject. Once FLAG_THRESHOLD different people have
    reported a published post, it is hidden until a moderator has looked at it.
    """
    error = rules.reason_error(reason)
    if error:
        raise ModerationError(_l(error), field="reason")
    if not is_member(reporter, listing.initiative_id):
        raise ModerationError(_l("U bent geen lid van dit bewonersinitiatief."))
    author = author_id(listing)
    if author == reporter.id:
        raise ModerationError(_l("U kunt uw eigen bericht niet melden."))
    if about_author:
        if author is None:
            raise ModerationError(_l("Deze persoon heeft geen account meer."))
        subject_type, subject_id = FlagSubject.USER, author
    else:
        subject_type, subject_id = _listing_subject(listing), listing.id
    flag = Flag(
        initiative_id=listing.initiative_id,
        reporter_id=reporter.id,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason.strip(),
        created_at=now,
    )
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ModerationError(ALREADY) from None
    if not about_author:
        _hide_when_reported_enough(listing, now)
    db.session.commit()
    live.queue_changed(listing.initiative_id)
    return flag


def _hide_when_reported_enough(listing, now: datetime) -> None:
    reporters = queries.distinct_open_reporters(_listing_subject(listing), listing.id)
    if rules.hidden_by_reports(state=listing.review_state, reporters=reporters):
        listing.review_state = ReviewState.HIDDEN
        take_off(listing, now)
        record(
            actor=None,
            action="post_hidden_by_reports",
            initiative_id=listing.initiative_id,
            subject_type=_listing_subject(listing).value,
            subject_id=listing.id,
            details={"reporters": reporters},
            now=now,
        )


def flags_resolve(
    *,
    initiative_id: int,
    subject_type: FlagSubject,
    subject_id: int,
    resolution: FlagResolution,
    actor: User,
    reason: str,
    now: datetime,
) -> int:
    """Close every open report about one subject of the initiative. For a post, KEPT
    makes it visible again and REMOVED takes it off for good. Returns how many closed."""
    flags = queries.open_flags(initiative_id, subject_type, subject_id)
    if not flags:
        raise ModerationError(_l("Hier zijn geen open meldingen over."))
    if subject_type != FlagSubject.USER:
        model = queries.SUBJECT_MODELS[subject_type]
        listing = queries.listing_in(model, subject_id, initiative_id)
        if listing is not None:
            _apply_to_listing(listing, resolution, now)
    db.session.execute(
        update(Flag)
        .where(Flag.id.in_([flag.id for flag in flags]))
        .values(resolved_at=now, resolved_by_id=actor.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    record(
        actor=actor,
        action=f"flags_{resolution.value}",
        initiative_id=initiative_id,
        subject_type=subject_type.value,
        subject_id=subject_id,
        reason=reason.strip(),
        details={"reports": len(flags)},
        now=now,
    )
    db.session.commit()
    db.session.expire_all()
    live.queue_changed(initiative_id)
    return len(flags)


def _apply_to_listing(listing, resolution: FlagResolution, now: datetime) -> None:
    if resolution == FlagResolution.REMOVED:
        listing.review_state = ReviewState.REMOVED
        take_off(listing, now)
    elif listing.review_state in (ReviewState.HIDDEN, ReviewState.UNREVIEWED):
        listing.review_state = ReviewState.APPROVED
