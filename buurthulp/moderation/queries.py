"""Reads for moderation: the mode, the queues, suspensions, and the audit log."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import HelpOffer, HelpRequest
from buurthulp.moderation.models import (
    VISIBLE_STATES,
    Flag,
    FlagSubject,
    ModerationMode,
    ModerationSettings,
    ReviewState,
    Suspension,
)

AUDIT_PAGE = 100


def moderation_mode(initiative_id: int) -> ModerationMode:
    """The initiative's moderation mode; peer-to-peer until a coordinator chooses."""
    mode = db.session.execute(
        select(ModerationSettings.mode).where(ModerationSettings.initiative_id == initiative_id)
    ).scalar_one_or_none()
    return mode or ModerationMode.PEER


def earlier_visible_posts(*, author_id: int, initiative_id: int) -> int:
    """How many requests and offers of this author in this initiative were published."""
    requests = select(func.count(HelpRequest.id)).where(
        HelpRequest.requester_id == author_id,
        HelpRequest.initiative_id == initiative_id,
        HelpRequest.review_state.in_(VISIBLE_STATES),
    )
    offers = select(func.count(HelpOffer.id)).where(
        HelpOffer.volunteer_id == author_id,
        HelpOffer.initiative_id == initiative_id,
        HelpOffer.review_state.in_(VISIBLE_STATES),
    )
    return db.session.execute(requests).scalar_one() + db.session.execute(offers).scalar_one()


def review_queue(initiative_id: int) -> dict[str, list]:
    """Posts waiting for approval ("pending") and published posts still to be looked at
    ("unreviewed"), oldest first."""
    queue: dict[str, list] = {"pending": [], "unreviewed": []}
    for model in (HelpRequest, HelpOffer):
        rows = db.session.execute(
            select(model)
            .where(
                model.initiative_id == initiative_id,
                model.review_state.in_([ReviewState.PENDING, ReviewState.UNREVIEWED]),
            )
            .order_by(model.created_at, model.id)
        ).scalars()
        for row in rows:
            queue[row.review_state.value].append(row)
    for items in queue.values():
        items.sort(key=lambda listing: listing.created_at)
    return queue


def listing_in(model, listing_id: int, initiative_id: int):
    """A request or offer of this initiative, or None (an id from another initiative is None)."""
    listing = db.session.get(model, listing_id)
    if listing is None or listing.initiative_id != initiative_id:
        return None
    return listing


@dataclass(frozen=True, slots=True)
class FlaggedSubject:
    subject_type: FlagSubject
    subject_id: int
    subject: object | None  # the HelpRequest, HelpOffer or User
    flags: list[Flag]

    @property
    def reporters(self) -> int:
        return len({flag.reporter_id for flag in self.flags})


SUBJECT_MODELS = {
    FlagSubject.HELP_REQUEST: HelpRequest,
    FlagSubject.HELP_OFFER: HelpOffer,
    FlagSubject.USER: User,
}


def open_flags(initiative_id: int, subject_type=None, subject_id=None) -> list[Flag]:
    query = select(Flag).where(Flag.initiative_id == initiative_id, Flag.resolved_at.is_(None))
    if subject_type is not None:
        query = query.where(Flag.subject_type == subject_type, Flag.subject_id == subject_id)
    return list(db.session.execute(query.order_by(Flag.created_at, Flag.id)).scalars())


def flag_queue(initiative_id: int) -> list[FlaggedSubject]:
    """Open reports grouped by what they are about; most reported first."""
    groups: dict[tuple, list[Flag]] = {}
    for flag in open_flags(initiative_id):
        groups.setdefault((flag.subject_type, flag.subject_id), []).append(flag)
    subjects = [
        FlaggedSubject(kind, subject_id, db.session.get(SUBJECT_MODELS[kind], subject_id), flags)
        for (kind, subject_id), flags in groups.items()
    ]
    subjects.sort(key=lambda s: (-s.reporters, s.flags[0].created_at))
    return subjects


def distinct_open_reporters(subject_type: FlagSubject, subject_id: int) -> int:
    return db.session.execute(
        select(func.count(func.distinct(Flag.reporter_id))).where(
            Flag.subject_type == subject_type,
            Flag.subject_id == subject_id,
            Flag.resolved_at.is_(None),
        )
    ).scalar_one()


def active_suspension(user_id: int, now: datetime) -> Suspension | None:
    """The suspension or block that holds for this user now (the one ending last), or None."""
    return db.session.execute(
        select(Suspension)
        .where(
            Suspension.user_id == user_id,
            Suspension.lifted_at.is_(None),
            Suspension.starts_at <= now,
            Suspension.ends_at > now,
        )
        .order_by(Suspension.ends_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def suspensions_of(initiative_id: int, now: datetime) -> list[Suspension]:
    """The initiative's suspensions that still hold, ending soonest first."""
    return list(
        db.session.execute(
            select(Suspension)
            .where(
                Suspension.initiative_id == initiative_id,
                Suspension.lifted_at.is_(None),
                Suspension.ends_at > now,
            )
            .order_by(Suspension.ends_at, Suspension.id)
        ).scalars()
    )


def members(initiative_id: int) -> list[Membership]:
    """Every member of the initiative, by name."""
    return list(
        db.session.execute(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.initiative_id == initiative_id)
            .order_by(User.first_name, User.last_name, User.id)
        ).scalars()
    )


def audit_entries(initiative_id: int, *, page: int = 1) -> list[AuditEntry]:
    """The initiative's audit log, newest first."""
    return list(
        db.session.execute(
            select(AuditEntry)
            .where(AuditEntry.initiative_id == initiative_id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(AUDIT_PAGE)
            .offset((max(page, 1) - 1) * AUDIT_PAGE)
        ).scalars()
    )


def suspended_user_ids(now: datetime) -> set[int]:
    """Everyone suspended or blocked right now: the matcher does not invite them."""
    return set(
        db.session.execute(
            select(Suspension.user_id).where(
                Suspension.lifted_at.is_(None),
                Suspension.starts_at <= now,
                Suspension.ends_at > now,
            )
        ).scalars()
    )
