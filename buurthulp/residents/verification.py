"""Verified neighbours: a contact person vouches for a member after meeting them.

The initiative chooses (VerificationSettings.unverified_may_accept) whether members who
are not verified may accept requests; `may_accept` is the one rule that the matcher's
accept paths and "Ik wil helpen" check.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.audit.log import initiative_setting_change, record
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.residents.models import Verification, VerificationSettings

NOT_VERIFIED = _l(
    "In dit bewonersinitiatief kunnen alleen geverifieerde buren hulpvragen aannemen. "
    "Uw straatcontactpersoon kan u verifiëren na een kennismaking."
)


class VerificationError(Exception):
    """A broken rule; the message is Dutch (lazy)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


def unverified_may_accept(initiative_id: int) -> bool:
    row = db.session.get(VerificationSettings, initiative_id)
    return True if row is None else row.unverified_may_accept


def verification_of(*, user_id: int, initiative_id: int) -> Verification | None:
    return db.session.get(Verification, (initiative_id, user_id))


def may_accept(*, volunteer_id: int, initiative_id: int) -> bool:
    """Whether the member may take a request in the initiative under its verification rule."""
    if unverified_may_accept(initiative_id):
        return True
    return verification_of(user_id=volunteer_id, initiative_id=initiative_id) is not None


def verified_user_ids(initiative_id: int) -> set[int]:
    """Every verified neighbour of the initiative."""
    query = select(Verification.user_id).where(Verification.initiative_id == initiative_id)
    return set(db.session.execute(query).scalars())


def verified_ids(initiative_id: int, user_ids) -> set[int]:
    """Which of `user_ids` are verified neighbours in the initiative."""
    ids = list(user_ids)
    if not ids:
        return set()
    query = select(Verification.user_id).where(
        Verification.initiative_id == initiative_id, Verification.user_id.in_(ids)
    )
    return set(db.session.execute(query).scalars())


def member_verify(
    *, member: User, initiative_id: int, by_user: User, now: datetime
) -> Verification:
    """Mark a member of the initiative as verified neighbour (who and when, in the audit log).
    The caller checked that the member is in `by_user`'s scope."""
    is_member = db.session.execute(
        select(Membership.id).where(
            Membership.user_id == member.id, Membership.initiative_id == initiative_id
        )
    ).first()
    if is_member is None:
        raise VerificationError(_l("Deze persoon is geen lid van dit bewonersinitiatief."))
    if member.id == by_user.id:
        raise VerificationError(_l("U kunt uzelf niet verifiëren."))
    if verification_of(user_id=member.id, initiative_id=initiative_id) is not None:
        raise VerificationError(_l("Deze buur is al geverifieerd."))
    verification = Verification(
        initiative_id=initiative_id, user_id=member.id, verified_by_id=by_user.id, verified_at=now
    )
    db.session.add(verification)
    record(
        actor=by_user,
        action="member_verified",
        initiative_id=initiative_id,
        subject_type="user",
        subject_id=member.id,
        now=now,
    )
    db.session.commit()
    return verification


def setting_change(
    *, initiative_id: int, unverified_may_accept: bool, by_user: User, now: datetime
) -> VerificationSettings:
    """The coordinator's choice: may unverified members accept requests? (audited)"""
    return initiative_setting_change(
        model=VerificationSettings,
        initiative_id=initiative_id,
        name="unverified_may_accept",
        value=unverified_may_accept,
        action="verification_setting_changed",
        actor=by_user,
        now=now,
    )
