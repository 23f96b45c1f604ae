"""The sociale kaart: kept in the panel (/paneel/<id>/sociale-kaart), read by the
initiative's members (/sociale-kaart/<id>)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.matching.forms import ActionForm
from buurthulp.outreach import directory, queries, rules
from buurthulp.outreach.blueprint import ID, PANEL, bp, in_scope, user
from buurthulp.outreach.forms import ServiceForm
from buurthulp.panel.blueprint import MAX_ID, add_section

add_section("outreach.services_panel", _l("Sociale kaart"), rules.OUTREACH_ROLES, 36)
SERVICE = f"{PANEL}/sociale-kaart/{ID % 'service_id'}"


@bp.get(f"{PANEL}/sociale-kaart")
@login_required
def services_panel(initiative_id: int):
    role, _streets = in_scope(initiative_id, *rules.OUTREACH_ROLES)
    may_edit = role in rules.DIRECTORY_ROLES
    return render_template(
        "outreach/services_panel.html",
        initiative_id=initiative_id,
        services=queries.services(initiative_id),
        archived=queries.services(initiative_id, archived=True) if may_edit else [],
        may_edit=may_edit,
        form=ActionForm(formdata=None),
    )


def _show(form, error) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


def _service_page(initiative_id: int, form, service=None):
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "outreach/service_form.html", initiative_id=initiative_id, form=form, service=service
    )
    return page, status


@bp.route(f"{PANEL}/sociale-kaart/nieuw", methods=["GET", "POST"])
@login_required
def service_new(initiative_id: int):
    in_scope(initiative_id, *rules.DIRECTORY_ROLES)
    form = ServiceForm()
    if form.validate_on_submit():
        try:
            directory.service_create(
                initiative_id=initiative_id,
                fields=form.service_fields(),
                by_user=user(),
                now=utcnow(),
            )
        except directory.OutreachError as error:
            _show(form, error)
        else:
            flash(_("De dienst staat op de sociale kaart."))
            return redirect(url_for(".services_panel", initiative_id=initiative_id), 303)
    return _service_page(initiative_id, form)


def _service_or_404(initiative_id: int, service_id: int):
    service = queries.service_in(initiative_id, service_id)
    if service is None:
        abort(404)
    return service


@bp.route(SERVICE, methods=["GET", "POST"])
@login_required
def service_edit(initiative_id: int, service_id: int):
    in_scope(initiative_id, *rules.DIRECTORY_ROLES)
    service = _service_or_404(initiative_id, service_id)
    form = ServiceForm(obj=service)
    if form.is_submitted() is False:
        form.kind.data = service.kind.value
    if form.validate_on_submit():
        try:
            directory.service_update(
                service=service, fields=form.service_fields(), by_user=user(), now=utcnow()
            )
        except directory.OutreachError as error:
            db.session.rollback()
            _show(form, error)
        else:
            flash(_("De dienst is bijgewerkt."))
            return redirect(url_for(".services_panel", initiative_id=initiative_id), 303)
    return _service_page(initiative_id, form, service)


@bp.post(f"{SERVICE}/archiveren")
@login_required
def service_archive(initiative_id: int, service_id: int):
    in_scope(initiative_id, *rules.DIRECTORY_ROLES)
    service = _service_or_404(initiative_id, service_id)
    if ActionForm().validate_on_submit():
        directory.service_archive(
            service=service, archived=not service.archived, by_user=user(), now=utcnow()
        )
        flash(
            _("De dienst staat niet meer op de sociale kaart.")
            if service.archived
            else _("De dienst staat weer op de sociale kaart.")
        )
    else:
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
    return redirect(url_for(".services_panel", initiative_id=initiative_id), 303)


def _member_initiatives() -> list[Initiative]:
    if current_user.is_platform_admin:
        query = select(Initiative).order_by(Initiative.name)
    else:
        query = (
            select(Initiative)
            .join(Membership, Membership.initiative_id == Initiative.id)
            .where(Membership.user_id == current_user.id)
            .order_by(Initiative.name)
        )
    return list(db.session.execute(query).scalars())


@bp.get("/sociale-kaart")
@login_required
def social_map_index():
    initiatives = _member_initiatives()
    if len(initiatives) == 1:
        return redirect(url_for(".social_map", initiative_id=initiatives[0].id))
    return render_template("outreach/social_map_index.html", initiatives=initiatives)


@bp.get(f"/sociale-kaart/<int(max={MAX_ID}):initiative_id>")
@login_required
def social_map(initiative_id: int):
    """The members' page: public contact details of the services, never the panel notes."""
    initiative = next((i for i in _member_initiatives() if i.id == initiative_id), None)
    if initiative is None:
        abort(404)
    return render_template(
        "outreach/social_map.html", initiative=initiative, services=queries.services(initiative_id)
    )
