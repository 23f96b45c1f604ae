"""Phone intake pages: a new resident with a request, or another request for one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.listings import submissions
from buurthulp.listings.models import HelpRequest
from buurthulp.panel.blueprint import add_section
from buurthulp.residents import intake
from buurthulp.residents.blueprint import ID, PREFIX, bp, in_scope, user
from buurthulp.residents.forms import IntakeForm, ProxyRequestForm
from buurthulp.residents.scope import proxy_in_scope

INTAKE_ROLES = (Role.STREET_CONTACT, Role.CONNECTOR)
add_section("residents.intake_new", _l("Hulp vragen namens een bewoner"), INTAKE_ROLES, 20)


def _page(template: str, status: int | None = None, **context):
    status = status or (422 if request.method == "POST" else 200)
    return render_template(template, **context), status


def _show(form, error: intake.IntakeError) -> None:
    for message in form.add_errors(error.errors):
        flash(str(message), "error")


def _to_resident(help_request: HelpRequest, message: str):
    flash(message)
    return redirect(
        url_for(
            ".proxy_detail",
            initiative_id=help_request.initiative_id,
            resident_id=help_request.proxy_resident_id,
        ),
        303,
    )


@bp.route(f"{PREFIX}/aanvraag-namens", methods=["GET", "POST"])
@login_required
def intake_new(initiative_id: int):
    _role, street_ids = in_scope(initiative_id, *INTAKE_ROLES)
    form = IntakeForm()
    if form.validate_on_submit():
        try:
            help_request = intake.phone_intake(
                initiative_id=initiative_id,
                resident=form.resident_fields(),
                consent=bool(form.consent.data),
                request=form.request_fields(),
                by_user=user(),
                street_ids=street_ids,
                now=utcnow(),
                submission_token=form.submission_token.data,
            )
        except intake.IntakeError as error:
            _show(form, error)
        except submissions.AlreadyPosted as already:
            return _to_resident(already.listing, _("Deze hulpvraag was al geplaatst."))
        else:
            return _to_resident(
                help_request, _("De hulpvraag staat erop. U krijgt bericht als iemand helpt.")
            )
    return _page("residents/intake.html", form=form, initiative_id=initiative_id, resident=None)


@bp.route(f"{PREFIX}/telefoonbewoners/{ID % 'resident_id'}/hulpvraag", methods=["GET", "POST"])
@login_required
def proxy_request_new(initiative_id: int, resident_id: int):
    _role, street_ids = in_scope(initiative_id, *INTAKE_ROLES)
    resident = proxy_in_scope(resident_id, initiative_id, street_ids)
    if resident is None:
        abort(404)
    form = ProxyRequestForm()
    if form.validate_on_submit():
        try:
            help_request = intake.proxy_request_create(
                resident=resident,
                request=form.request_fields(),
                by_user=user(),
                now=utcnow(),
                submission_token=form.submission_token.data,
            )
        except intake.IntakeError as error:
            _show(form, error)
        except submissions.AlreadyPosted as already:
            return _to_resident(already.listing, _("Deze hulpvraag was al geplaatst."))
        else:
            return _to_resident(
                help_request, _("De hulpvraag staat erop. U krijgt bericht als iemand helpt.")
            )
    return _page("residents/intake.html", form=form, initiative_id=initiative_id, resident=resident)
