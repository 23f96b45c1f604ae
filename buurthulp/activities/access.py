"""Who may see, organise and sign up for which activity: plain functions on a user.

An approved, planned activity is public: its venue is a public place (never a private
address) and its page shows no participant names, so anyone may read it. Names of
participants are for the organisers (the initiative's buurtverbinders and coördinatoren)
and, for residents of their own streets, its straatcontactpersonen. A proposal that is
not approved yet is seen only by its proposer and the organisers.
"""

from flask import abort

from buurthulp.activities.models import Activity, ActivitySettings, ActivityStatus
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import is_member
from buurthulp.moderation.models import ReviewState
from buurthulp.panel.scope import MODERATORS, panel_role


def may_organise(user, initiative_id: int) -> bool:
    """A buurtverbinder or coördinator of the initiative (or a platform administrator)."""
    return panel_role(user, initiative_id) in MODERATORS


def residents_may_propose(initiative_id: int) -> bool:
    settings = db.session.get(ActivitySettings, initiative_id)
    return bool(settings and settings.residents_may_propose)


def may_propose(user, initiative_id: int) -> bool:
    """A member may propose an activity when the initiative allows it."""
    return is_member(user, initiative_id) and residents_may_propose(initiative_id)


def may_publish(user, initiative_id: int) -> bool:
    """Whether to offer "Activiteit plaatsen" (organisers) or "voorstellen" (members)."""
    return may_organise(user, initiative_id) or may_propose(user, initiative_id)


def is_proposer(user, activity: Activity) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and activity.created_by_id == user.id


def is_published(activity: Activity) -> bool:
    """Approved: residents see it (a cancelled one says it is off)."""
    return activity.review_state == ReviewState.APPROVED


def is_open_for_signup(activity: Activity) -> bool:
    return is_published(activity) and activity.status == ActivityStatus.PLANNED


def can_view(user, activity: Activity) -> bool:
    if is_published(activity):
        return True
    return may_organise(user, activity.initiative_id) or is_proposer(user, activity)


def can_edit(user, activity: Activity) -> bool:
    """Organisers always; the proposer only while the proposal waits or was sent back."""
    if may_organise(user, activity.initiative_id):
        return True
    return is_proposer(user, activity) and activity.review_state in (
        ReviewState.PENDING,
        ReviewState.REJECTED,
    )


def viewable_or_404(user, activity: Activity | None) -> Activity:
    if activity is None or not can_view(user, activity):
        abort(404)
    return activity


def editable_or_abort(user, activity: Activity | None) -> Activity:
    viewable_or_404(user, activity)
    if not can_edit(user, activity):
        abort(403)
    return activity
