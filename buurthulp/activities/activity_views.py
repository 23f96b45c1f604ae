"""Activity pages: publish or propose, the activity's page, edit, and call it off."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp import labels
from buurthulp.activities import access, services, signup_queries
from buurthulp.activities.blueprint import bp
from buurthulp.activities.forms import ActivityForm, CancelActivityForm, DateForm
from buurthulp.activities.models import ActivityStatus
from buurthulp.audit.labels import ACTION_LABELS
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.initiatives.permissions import is_member
from buurthulp.listings.clock import local_today
from buurthulp.panel.scope import panel_role, street_ids_in_scope
from buurthulp.translatable import N_

MAX_ID = 2**31 - 1
ID = f"<int(max={MAX_ID}):activity_id>"
ACTION_LABELS.update(
    {
        "activity_edit": N_("activiteit gewijzigd door organisatie"),
        "activity_cancel": N_("activiteit afgelast"),
        "activity_approve": N_("voorstel voor activiteit goedgekeurd"),
        "activity_reject": N_("voorstel voor activiteit afgewezen"),
        "activity_settings_set": N_("instelling voor activiteiten veranderd"),
        "activity_signup_by_phone": N_("bewoner telefonisch aangemeld voor activiteit"),
        "activity_signup_cancel_for": N_("bewoner afgemeld voor activiteit"),
    }
)


def user():
    return current_user._get_current_object()


@bp.context_processor
def _activity_globals() -> dict:
    return {"labels": labels}


def _form_page(form, initiative, activity=None):
    status = 422 if request.method == "POST" else 200
    page = render_template(
        "activities/form.html",
        form=form,
        initiative=initiative,
        activity=activity,
        organiser=access.may_organise(current_user, initiative.id),
    )
    return page, status


def _show(form, error) -> None:
    for message in form.add_errors(error.errors):
        flash(str(message), "error")


@bp.route(f"/initiatief/<int(max={MAX_ID}):initiative_id>/nieuw", methods=["GET", "POST"])
@login_required
def activity_new(initiative_id: int):
    initiative = db.session.get(Initiative, initiative_id)
    outsider = not is_member(current_user, initiative_id) and (
        panel_role(current_user, initiative_id) is None
    )
    if initiative is None or outsider:
        abort(404)
    if not access.may_publish(current_user, initiative_id):
        abort(403)
    form = ActivityForm()
    if form.validate_on_submit():
        try:
            activity = services.activity_create(
                author=user(), initiative_id=initiative_id, fields=form.activity_fields()
            )
        except services.ActivityError as error:
            _show(form, error)
        else:
            if access.is_published(activity):
                flash(_("De activiteit staat erop. Buren kunnen zich nu aanmelden."), "success")
            else:
                flash(_("Bedankt! Uw voorstel gaat eerst naar een buurtverbinder."), "success")
            return redirect(url_for(".activity_detail", activity_id=activity.id), 303)
    return _form_page(form, initiative)


def _participant_scope(activity):
    """None for organisers (everyone), a contact person's streets, or False: no names."""
    if access.may_organise(current_user, activity.initiative_id):
        return None
    if panel_role(current_user, activity.initiative_id) is None:
        return False
    return street_ids_in_scope(current_user, activity.initiative_id)


def detail_page(activity, status: int = 200, cancel_form=None):
    today = local_today()
    rows = signup_queries.date_rows(activity, current_user, today)
    scope = _participant_scope(activity)
    if scope is not False:
        signup_queries.add_participants(activity, rows, scope)
    page = render_template(
        "activities/detail.html",
        activity=activity,
        rows=rows,
        show_participants=scope is not False,
        organiser=access.may_organise(current_user, activity.initiative_id),
        may_edit=access.can_edit(current_user, activity)
        and activity.status == ActivityStatus.PLANNED,
        may_sign_up=access.is_open_for_signup(activity)
        and is_member(current_user, activity.initiative_id),
        may_phone=access.is_open_for_signup(activity)
        and panel_role(current_user, activity.initiative_id) is not None,
        date_form=DateForm(formdata=None),
        cancel_form=cancel_form or CancelActivityForm(formdata=None),
    )
    return page, status


@bp.get(f"/{ID}")
def activity_detail(activity_id: int):
    activity = access.viewable_or_404(current_user, signup_queries.get_activity(activity_id))
    return detail_page(activity)


@bp.route(f"/{ID}/bewerken", methods=["GET", "POST"])
@login_required
def activity_edit(activity_id: int):
    activity = access.editable_or_abort(current_user, signup_queries.get_activity(activity_id))
    if activity.status == ActivityStatus.CANCELLED:
        flash(_("Deze activiteit is afgelast en kan niet meer veranderen."), "error")
        return redirect(url_for(".activity_detail", activity_id=activity_id), 303)
    form = ActivityForm()
    if not form.is_submitted():
        form.fill(activity)
    if form.validate_on_submit():
        try:
            services.activity_update(
                activity=activity, editor=user(), fields=form.activity_fields(), now=utcnow()
            )
        except services.ActivityError as error:
            db.session.rollback()
            _show(form, error)
        else:
            flash(_("Uw wijzigingen zijn bewaard."), "success")
            return redirect(url_for(".activity_detail", activity_id=activity_id), 303)
    return _form_page(form, activity.initiative, activity)


@bp.post(f"/{ID}/afgelasten")
@login_required
def activity_cancel(activity_id: int):
    activity = access.viewable_or_404(current_user, signup_queries.get_activity(activity_id))
    if not access.may_organise(current_user, activity.initiative_id):
        abort(403)
    form = CancelActivityForm()
    if form.validate_on_submit():
        try:
            services.activity_cancel(
                activity=activity, actor=user(), reason=form.reason.data or "", now=utcnow()
            )
        except services.ActivityError as error:
            _show(form, error)
        else:
            flash(_("De activiteit is afgelast. Wie zich had aangemeld, krijgt bericht."))
            return redirect(url_for(".activity_detail", activity_id=activity_id), 303)
    return detail_page(activity, 422, form)
