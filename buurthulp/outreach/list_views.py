"""Residents not contacted for a while, open follow-ups, and the initiative's setting."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.listings.clock import local_today
from buurthulp.outreach import queries, rules, services
from buurthulp.outreach.blueprint import PANEL, bp, in_scope, user
from buurthulp.outreach.forms import FollowUpForm, SettingForm
from buurthulp.panel.blueprint import MAX_ID, add_section

add_section(
    "outreach.not_contacted",
    _l("Contactmomenten: wie spraken we lang niet?"),
    rules.OUTREACH_ROLES,
    32,
)
add_section("outreach.follow_ups", _l("Doorverwijzingen opvolgen"), rules.OUTREACH_ROLES, 34)


def _weeks() -> tuple[int, str, str | None]:
    """(weeks to use, what the user typed, an error message or None)."""
    typed = (request.args.get("weken") or "").strip()[:10]
    if not typed:
        return rules.WEEKS_DEFAULT, str(rules.WEEKS_DEFAULT), None
    if typed.isdigit() and rules.WEEKS_MIN <= int(typed) <= rules.WEEKS_MAX:
        return int(typed), typed, None
    message = _(
        "Vul een aantal weken in van %(min)s tot %(max)s. Hieronder staat de lijst voor "
        "%(default)s weken.",
        min=rules.WEEKS_MIN,
        max=rules.WEEKS_MAX,
        default=rules.WEEKS_DEFAULT,
    )
    return rules.WEEKS_DEFAULT, typed, message


@bp.get(f"{PANEL}/contactmomenten")
@login_required
def not_contacted(initiative_id: int):
    role, street_ids = in_scope(initiative_id, *rules.OUTREACH_ROLES)
    weeks, typed, error = _weeks()
    rows, total = queries.not_contacted(
        initiative_id,
        street_ids,
        weeks=weeks,
        now=utcnow(),
        today=local_today(),
        exclude_user_id=user().id,
    )
    setting_form = SettingForm(formdata=None)
    setting_form.free_text_notes.data = "yes" if queries.free_text_allowed(initiative_id) else "no"
    return render_template(
        "outreach/not_contacted.html",
        initiative_id=initiative_id,
        rows=rows,
        total=total,
        weeks=weeks,
        typed=typed,
        error=error,
        today=local_today(),
        may_set=role == Role.COORDINATOR,
        setting_form=setting_form,
    ), (200 if error is None else 422)


@bp.post(f"{PANEL}/contactmomenten/instelling")
@login_required
def setting(initiative_id: int):
    in_scope(initiative_id, *rules.SETTING_ROLES)
    form = SettingForm()
    back = redirect(url_for(".not_contacted", initiative_id=initiative_id), 303)
    if not form.validate_on_submit() or form.free_text_notes.data not in ("yes", "no"):
        flash(_("Kies ja of nee."), "error")
        return back
    services.setting_change(
        initiative_id=initiative_id,
        free_text_notes=form.free_text_notes.data == "yes",
        by_user=user(),
        now=utcnow(),
    )
    flash(_("De instelling is bewaard."))
    return back


@bp.get(f"{PANEL}/doorverwijzingen")
@login_required
def follow_ups(initiative_id: int):
    _role, street_ids = in_scope(initiative_id, *rules.OUTREACH_ROLES)
    return render_template(
        "outreach/follow_ups.html",
        initiative_id=initiative_id,
        rows=queries.open_follow_ups(initiative_id, street_ids),
        today=local_today(),
        form=FollowUpForm(formdata=None),
    )


@bp.post(f"{PANEL}/doorverwijzingen/<int(max={MAX_ID}):referral_id>/opvolgen")
@login_required
def follow_up_done(initiative_id: int, referral_id: int):
    _role, street_ids = in_scope(initiative_id, *rules.OUTREACH_ROLES)
    referral = queries.referral_in_scope(referral_id, initiative_id, street_ids)
    if referral is None:
        abort(404)
    form = FollowUpForm()
    back = redirect(url_for(".follow_ups", initiative_id=initiative_id), 303)
    if not form.validate_on_submit():
        flash(_("Kies hoe het ging."), "error")
        return back
    try:
        services.follow_up_done(
            referral=referral, outcome=form.outcome.data, by_user=user(), now=utcnow()
        )
    except services.OutreachError as error:
        flash(str(error), "error")
    else:
        flash(_("Bewaard. U krijgt over deze doorverwijzing geen herinnering meer."))
    return back
