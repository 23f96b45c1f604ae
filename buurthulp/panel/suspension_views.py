"""Panel pages for moderators: suspend or block a member, and lift it; the audit log."""

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.audit.labels import action_label
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.listings.clock import TIMEZONE
from buurthulp.moderation import queries, suspensions
from buurthulp.moderation.models import Suspension, SuspensionKind
from buurthulp.moderation.services import ModerationError
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID, add_section, bp
from buurthulp.panel.common import initiative_for, refused, user
from buurthulp.panel.forms import LiftForm, SuspendForm, form_int
from buurthulp.panel.scope import MODERATORS

add_section("panel.suspensions", _l("Schorsen of blokkeren"), MODERATORS, order=30)
add_section("panel.audit", _l("Auditlog"), (Role.COORDINATOR,), order=90)


def end_of_day(day) -> datetime:
    """A suspension "tot en met" a date lasts until that date's local midnight."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=TIMEZONE)


def _suspend_form(initiative_id: int, **kwargs) -> SuspendForm:
    form = SuspendForm(**kwargs)
    form.user_id.choices = [("", _("Kies een lid"))] + [
        (str(m.user_id), m.user.full_name) for m in queries.members(initiative_id)
    ]
    return form


def _page(initiative, form=None, status=200):
    page = render_template(
        "panel/suspensions.html",
        initiative=initiative,
        suspensions=queries.suspensions_of(initiative.id, utcnow()),
        form=form or _suspend_form(initiative.id, formdata=None),
        lift_form=LiftForm(formdata=None),
        Block=SuspensionKind.BLOCK,
    )
    return page, status


@bp.route(f"/{INITIATIVE_ID}/schorsingen", methods=["GET", "POST"], endpoint="suspensions")
@login_required
def suspensions_page(initiative_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    form = _suspend_form(initiative_id)
    if not form.is_submitted():
        return _page(initiative)
    if form.validate():
        try:
            suspensions.suspension_create(
                initiative_id=initiative_id,
                user_id=form_int(form.user_id.data),
                kind=SuspensionKind(form.kind.data),
                reason=form.reason.data,
                ends_at=end_of_day(form.ends_on.data),
                actor=user(),
                now=utcnow(),
            )
        except ModerationError as error:
            refused(error, form)
        else:
            flash(_("Opgeslagen. Dit lid kan tot de einddatum niet inloggen."), "success")
            return redirect(url_for(".suspensions", initiative_id=initiative_id), 303)
    return _page(initiative, form, 422)


@bp.post(f"/{INITIATIVE_ID}/schorsingen/<int(max={MAX_ID}):suspension_id>/opheffen")
@login_required
def suspension_lift(initiative_id: int, suspension_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    suspension = db.session.get(Suspension, suspension_id)
    if suspension is None or suspension.initiative_id != initiative_id:
        abort(404)
    form = LiftForm()
    if form.validate_on_submit():
        try:
            suspensions.suspension_lift(
                suspension=suspension, actor=user(), reason=form.reason.data or "", now=utcnow()
            )
        except ModerationError as error:
            refused(error)
        else:
            flash(_("De schorsing is opgeheven."), "success")
            return redirect(url_for(".suspensions", initiative_id=initiative_id), 303)
    return _page(initiative, status=422)


@bp.get(f"/{INITIATIVE_ID}/auditlog")
@login_required
def audit(initiative_id: int):
    initiative = initiative_for(initiative_id, Role.COORDINATOR)
    return render_template(
        "panel/audit.html",
        initiative=initiative,
        entries=queries.audit_entries(initiative.id),
        action_label=action_label,
    )
