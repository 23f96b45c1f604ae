"""Suspending or blocking a member: no logging in, posting or accepting until the end date."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from buurthulp.accounts import login_sessions
from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.initiatives.permissions import role_in
from buurthulp.moderation import rules
from buurthulp.moderation.models import Suspension, SuspensionKind
from buurthulp.moderation.services import ModerationError
from buurthulp.panel.scope import panel_role


def _check_target(*, initiative_id: int, user: User | None, actor: User) -> None:
    if user is None or role_in(user, initiative_id) is None:
        raise ModerationError(_l("Deze persoon is geen lid van dit initiatief."), field="user_id")
    if user.id == actor.id:
        raise ModerationError(_l("U kunt uzelf niet schorsen."), field="user_id")
    if user.is_platform_admin:
        raise ModerationError(_l("Een platformbeheerder kunt u niet schorsen."), field="user_id")
    target_role = role_in(user, initiative_id)
    if target_role == Role.COORDINATOR and panel_role(actor, initiative_id) != Role.COORDINATOR:
        raise ModerationError(_l("Alleen een coördinator kan een coördinator schorsen."))


def suspension_create(
    *,
    initiative_id: int,
    user_id: int,
    kind: SuspensionKind,
    reason: str,
    ends_at: datetime,
    actor: User,
    now: datetime,
) -> Suspension:
    """Suspend or block a member of the initiative from now until `ends_at`. Their login
    sessions end at once; the check at every request keeps them out until the end date."""
    user = db.session.get(User, user_id) if user_id else None
    _check_target(initiative_id=initiative_id, user=user, actor=actor)
    error = rules.reason_error(reason)
    if error:
        raise ModerationError(_l(error), field="reason")
    error = rules.suspension_end_error(ends_at=ends_at, now=now)
    if error:
        raise ModerationError(_l(error), field="ends_on")
    suspension = Suspension(
        user_id=user.id,
        initiative_id=initiative_id,
        kind=kind,
        reason=reason.strip(),
        starts_at=now,
        ends_at=ends_at,
        created_by_id=actor.id,
    )
    db.session.add(suspension)
    login_sessions.sessions_end_all(user_id=user.id)
    db.session.flush()
    record(
        actor=actor,
        action=f"user_{kind.value}",
        initiative_id=initiative_id,
        subject_type="user",
        subject_id=user.id,
        reason=reason.strip(),
        details={"ends_at": ends_at.isoformat(), "suspension_id": suspension.id},
        now=now,
    )
    db.session.commit()
    return suspension


def suspension_lift(*, suspension: Suspension, actor: User, reason: str, now: datetime) -> None:
    """End a suspension before its end date."""
    if suspension.lifted_at is not None or suspension.ends_at <= now:
        raise ModerationError(_l("Deze schorsing is al voorbij."))
    suspension.lifted_at = now
    record(
        actor=actor,
        action="suspension_lift",
        initiative_id=suspension.initiative_id,
        subject_type="user",
        subject_id=suspension.user_id,
        reason=reason.strip(),
        details={"suspension_id": suspension.id},
        now=now,
    )
    db.session.commit()
