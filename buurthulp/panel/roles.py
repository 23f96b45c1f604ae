"""Coordinator services: streets, who looks after them, roles and role invitations.

Roles live in Membership rows and are read from the database on every request
(panel.scope), so a change here counts from the very next request.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from buurthulp.moderation.models import RoleInvitation
from buurthulp.moderation.services import ModerationError
from buurthulp.panel.models import StreetAssignment

INVITATION_LIFETIME = timedelta(days=7)
MAX_TOKEN_LENGTH = 100


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def street_in(initiative_id: int, street_id: int | None) -> Street | None:
    """The initiative's street with this id; None for another initiative's street."""
    street = db.session.get(Street, street_id) if street_id else None
    return street if street is not None and street.initiative_id == initiative_id else None


def membership_in(initiative_id: int, user_id: int | None) -> Membership | None:
    if not user_id:
        return None
    return db.session.execute(
        select(Membership).where(
            Membership.initiative_id == initiative_id, Membership.user_id == user_id
        )
    ).scalar_one_or_none()


def street_create(*, initiative_id: int, name: str, pc4: str, actor: User, now: datetime) -> Street:
    """Add a street (or small area) to the initiative; names are unique per initiative."""
    street = Street(initiative_id=initiative_id, name=name.strip(), pc4=pc4 or None)
    db.session.add(street)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ModerationError(_l("Deze straat staat er al."), field="name") from None
    record(
        actor=actor,
        action="street_create",
        initiative_id=initiative_id,
        subject_type="street",
        subject_id=street.id,
        details={"name": street.name},
        now=now,
    )
    db.session.commit()
    return street


def street_assign(
    *, initiative_id: int, street_id: int, user_id: int, actor: User, now: datetime
) -> None:
    """Make a straatcontactpersoon of this initiative responsible for one of its streets, or
    add a street to a buurtverbinder's neighbourhood (see scope.street_ids_in_scope)."""
    street = street_in(initiative_id, street_id)
    if street is None:
        raise ModerationError(_l("Kies een straat van dit initiatief."), field="street_id")
    membership = membership_in(initiative_id, user_id)
    if membership is None or membership.role not in (Role.STREET_CONTACT, Role.CONNECTOR):
        raise ModerationError(
            _l("Kies een straatcontactpersoon of buurtverbinder van dit initiatief."),
            field="user_id",
        )
    if db.session.get(StreetAssignment, (street.id, user_id)) is not None:
        raise ModerationError(_l("Deze persoon heeft deze straat al."), field="user_id")
    db.session.add(StreetAssignment(street_id=street.id, user_id=user_id, created_at=now))
    _log_street(actor, "street_assign", street, user_id, now)
    db.session.commit()


def street_unassign(
    *, initiative_id: int, street_id: int, user_id: int, actor: User, now: datetime
) -> None:
    """Take a street away from a contact person."""
    street = street_in(initiative_id, street_id)
    assignment = db.session.get(StreetAssignment, (street_id, user_id)) if street else None
    if assignment is None:
        raise ModerationError(_l("Deze persoon heeft deze straat niet."))
    db.session.delete(assignment)
    _log_street(actor, "street_unassign", street, user_id, now)
    db.session.commit()


def _log_street(actor, action: str, street: Street, user_id: int, now: datetime) -> None:
    record(
        actor=actor,
        action=action,
        initiative_id=street.initiative_id,
        subject_type="street",
        subject_id=street.id,
        details={"user_id": user_id},
        now=now,
    )


def _drop_street_assignments(initiative_id: int, user_id: int) -> None:
    street_ids = select(Street.id).where(Street.initiative_id == initiative_id)
    db.session.execute(
        delete(StreetAssignment).where(
            StreetAssignment.user_id == user_id, StreetAssignment.street_id.in_(street_ids)
        )
    )


def role_set(*, initiative_id: int, user_id: int, role: Role, actor: User, now: datetime) -> None:
    """Give a member another role; Role.RESIDENT revokes their panel role. It counts from
    the next request. Streets go with the role: whoever changes role loses them."""
    membership = membership_in(initiative_id, user_id)
    if membership is None:
        raise ModerationError(_l("Deze persoon is geen lid van dit initiatief."), field="user_id")
    if user_id == actor.id:
        raise ModerationError(_l("Uw eigen rol kan een andere coördinator veranderen."))
    previous = membership.role
    if previous == role:
        return
    membership.role = role
    # Streets belong to the role they were given for; a new role starts without any.
    _drop_street_assignments(initiative_id, user_id)
    record(
        actor=actor,
        action="role_revoke" if role == Role.RESIDENT else "role_set",
        initiative_id=initiative_id,
        subject_type="user",
        subject_id=user_id,
        details={"from": previous.value, "to": role.value},
        now=now,
    )
    db.session.commit()


def role_invite(
    *,
    initiative_id: int,
    email: str,
    role: Role,
    street_id: int | None,
    actor: User,
    now: datetime,
) -> str:
    """Invite someone by e-mail to a role (and for a contact person, a street). Returns
    the token for the link; only its digest is stored. The link works once, for 7 days."""
    if role == Role.RESIDENT:
        raise ModerationError(_l("Kies een rol."), field="role")
    street = street_in(initiative_id, street_id) if street_id else None
    if street_id and (street is None or role != Role.STREET_CONTACT):
        raise ModerationError(
            _l("Een straat kiest u alleen voor een straatcontactpersoon."), field="street_id"
        )
    token = secrets.token_urlsafe(32)
    invitation = RoleInvitation(
        initiative_id=initiative_id,
        email=email.strip().lower(),
        role=role,
        street_id=street.id if street else None,
        token_digest=token_digest(token),
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        actor=actor,
        action="role_invite",
        initiative_id=initiative_id,
        subject_type="role_invitation",
        subject_id=invitation.id,
        details={"email": invitation.email, "role": role.value},
        now=now,
    )
    db.session.commit()
    return token


def invitation_for(token: str, now: datetime) -> RoleInvitation | None:
    """The unused, unexpired invitation behind a link's token, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    invitation = db.session.execute(
        select(RoleInvitation).where(RoleInvitation.token_digest == token_digest(token))
    ).scalar_one_or_none()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return None
    return invitation


def role_invitation_accept(*, token: str, user: User, now: datetime) -> RoleInvitation:
    """Take the invited role with the account of the invited e-mail address; once only."""
    invitation = invitation_for(token, now)
    if invitation is None:
        raise ModerationError(_l("Deze uitnodiging is verlopen of al gebruikt."))
    if user.email.strip().lower() != invitation.email:
        raise ModerationError(
            _l("Deze uitnodiging is voor een ander e-mailadres. Log in met dat adres.")
        )
    membership = membership_in(invitation.initiative_id, user.id)
    if membership is None:
        membership = Membership(user_id=user.id, initiative_id=invitation.initiative_id)
        db.session.add(membership)
    membership.role = invitation.role
    if invitation.street_id is not None and (
        db.session.get(StreetAssignment, (invitation.street_id, user.id)) is None
    ):
        db.session.add(
            StreetAssignment(street_id=invitation.street_id, user_id=user.id, created_at=now)
        )
    # Single use even when the link is opened twice at once: only one UPDATE finds it unused.
    taken = db.session.execute(
        update(RoleInvitation)
        .where(RoleInvitation.id == invitation.id, RoleInvitation.used_at.is_(None))
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        raise ModerationError(_l("Deze uitnodiging is verlopen of al gebruikt."))
    record(
        actor=user,
        action="role_invitation_accept",
        initiative_id=invitation.initiative_id,
        subject_type="role_invitation",
        subject_id=invitation.id,
        details={"role": invitation.role.value},
        now=now,
    )
    db.session.commit()
    return invitation
