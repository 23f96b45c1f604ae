"""Panel pages for activities: whether residents may propose them (coordinators), and
approving or rejecting a proposal from the moderation queue (buurtverbinders too)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.activities import access, services, signup_queries
from buurthulp.activities.forms import SettingsForm
from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID, add_section, bp
from buurthulp.panel.common import initiative_for, refused, user
from buurthulp.panel.forms import ActionForm, RejectForm
from buurthulp.panel.scope import MODERATORS

ACTIVITY_ID = f"<int(max={MAX_ID}):activity_id>"
PROPOSAL = f"/{INITIATIVE_ID}/wachtrij/activiteit/{ACTIVITY_ID}"

add_section("activities.activity_new", _l("Activiteit plaatsen"), MODERATORS, order=30)
add_section(
    "panel.activity_settings", _l("Activiteiten: voorstellen van bewoners"), (Role.COORDINATOR,), 85
)


@bp.route(f"/{INITIATIVE_ID}/activiteiten-instelling", methods=["GET", "POST"])
@login_required
def activity_settings(initiative_id: int):
    initiative = initiative_for(initiative_id, Role.COORDINATOR)
    current = "yes" if access.residents_may_propose(initiative_id) else "no"
    form = SettingsForm(data={"residents_may_propose": current})
    if form.validate_on_submit():
        services.settings_set(
            initiative_id=initiative_id,
            residents_may_propose=form.residents_may_propose.data == "yes",
            actor=user(),
            now=utcnow(),
        )
        flash(_("De instelling is opgeslagen."), "success")
        return redirect(url_for(".activity_settings", initiative_id=initiative_id), 303)
    page = render_template("activities/settings.html", initiative=initiative, form=form)
    return page, 422 if form.errors else 200


def _proposal(initiative_id: int, activity_id: int):
    activity = signup_queries.proposal_in(initiative_id, activity_id)
    if activity is None:
        abort(404)
    return activity


@bp.post(f"{PROPOSAL}/goedkeuren")
@login_required
def activity_approve(initiative_id: int, activity_id: int):
    initiative_for(initiative_id, *MODERATORS)
    activity = _proposal(initiative_id, activity_id)
    if not ActionForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
    else:
        try:
            services.proposal_approve(activity=activity, actor=user(), now=utcnow())
        except services.ActivityError as error:
            flash(str(error), "error")
        else:
            flash(_("Goedgekeurd: %(title)s", title=activity.title), "success")
    return redirect(url_for(".queue", initiative_id=initiative_id), 303)


@bp.route(f"{PROPOSAL}/afwijzen", methods=["GET", "POST"])
@login_required
def activity_reject(initiative_id: int, activity_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    activity = _proposal(initiative_id, activity_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.proposal_reject(
                activity=activity, actor=user(), reason=form.reason.data, now=utcnow()
            )
        except services.ActivityError as error:
            refused(_FieldError(error), form)
        else:
            flash(_("Afgewezen. De voorsteller krijgt de reden per e-mail."), "success")
            return redirect(url_for(".queue", initiative_id=initiative_id), 303)
    page = render_template(
        "activities/reject.html", initiative=initiative, activity=activity, form=form
    )
    return page, 422 if form.is_submitted() else 200


class _FieldError:
    """An ActivityError as panel.common.refused expects it: one message and its field."""

    def __init__(self, error: services.ActivityError):
        self.field, message = next(iter(error.errors.items()))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
