"""Coordinator pages: members and their roles, role invitations, streets and contact persons."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from buurthulp import labels
from buurthulp.accounts.web import external_url
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
from buurthulp.moderation import notify, queries
from buurthulp.moderation.services import ModerationError
from buurthulp.panel import roles
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID, add_section, bp
from buurthulp.panel.common import initiative_for, refused, user
from buurthulp.panel.forms import ActionForm, AssignForm, InviteForm, RoleForm, StreetForm, form_int
from buurthulp.panel.models import StreetAssignment

COORDINATOR = (Role.COORDINATOR,)
USER_ID = f"<int(max={MAX_ID}):user_id>"
STREET_ID = f"<int(max={MAX_ID}):street_id>"

add_section("panel.members", _l("Leden en rollen"), COORDINATOR, order=60)
add_section("panel.streets", _l("Straten en straatcontactpersonen"), COORDINATOR, order=70)


def _members_page(initiative, invite_form=None, status=200):
    members = queries.members(initiative.id)
    page = render_template(
        "panel/members.html",
        initiative=initiative,
        members=members,
        role_forms={
            m.user_id: RoleForm(formdata=None, data={"role": m.role.value}) for m in members
        },
        invite_form=invite_form or _invite_form(initiative.id, formdata=None),
    )
    return page, status


def _streets(initiative_id: int) -> list[Street]:
    return list(
        db.session.execute(
            select(Street).where(Street.initiative_id == initiative_id).order_by(Street.name)
        ).scalars()
    )


def _invite_form(initiative_id: int, **kwargs) -> InviteForm:
    form = InviteForm(**kwargs)
    form.street_id.choices = [("", _("Geen straat"))] + [
        (str(street.id), street.name) for street in _streets(initiative_id)
    ]
    return form


@bp.get(f"/{INITIATIVE_ID}/leden")
@login_required
def members(initiative_id: int):
    return _members_page(initiative_for(initiative_id, *COORDINATOR))


@bp.post(f"/{INITIATIVE_ID}/leden/{USER_ID}/rol")
@login_required
def member_role(initiative_id: int, user_id: int):
    initiative = initiative_for(initiative_id, *COORDINATOR)
    if roles.membership_in(initiative_id, user_id) is None:
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Kies een rol."), "error")
        return _members_page(initiative, status=422)
    try:
        roles.role_set(
            initiative_id=initiative_id,
            user_id=user_id,
            role=Role(form.role.data),
            actor=user(),
            now=utcnow(),
        )
    except ModerationError as error:
        refused(error)
        return _members_page(initiative, status=422)
    flash(_("De rol is veranderd. Dit geldt meteen."), "success")
    return redirect(url_for(".members", initiative_id=initiative_id), 303)


@bp.post(f"/{INITIATIVE_ID}/leden/uitnodigen")
@login_required
def member_invite(initiative_id: int):
    initiative = initiative_for(initiative_id, *COORDINATOR)
    form = _invite_form(initiative_id)
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            token = roles.role_invite(
                initiative_id=initiative_id,
                email=form.email.data,
                role=role,
                street_id=form_int(form.street_id.data),
                actor=user(),
                now=utcnow(),
            )
        except ModerationError as error:
            refused(error, form)
        else:
            notify.role_invited(
                email=form.email.data,
                initiative_name=initiative.name,
                role_label=str(labels.ROLES[role]),
                link=external_url("moderation.role_invitation", token=token),
            )
            flash(_("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data))
            return redirect(url_for(".members", initiative_id=initiative_id), 303)
    return _members_page(initiative, invite_form=form, status=422)


def _streets_page(initiative, street_form=None, status=200):
    streets = _streets(initiative.id)
    assigned: dict[int, list] = {street.id: [] for street in streets}
    for assignment in db.session.execute(
        select(StreetAssignment).where(StreetAssignment.street_id.in_(list(assigned)))
    ).scalars():
        assigned[assignment.street_id].append(assignment.user)
    contacts = [
        m for m in queries.members(initiative.id) if m.role in (Role.STREET_CONTACT, Role.CONNECTOR)
    ]
    assign_form = AssignForm(formdata=None)
    assign_form.user_id.choices = [("", _("Kies een straatcontactpersoon of buurtverbinder"))] + [
        (str(m.user_id), m.user.full_name) for m in contacts
    ]
    page = render_template(
        "panel/streets.html",
        initiative=initiative,
        streets=streets,
        assigned=assigned,
        street_form=street_form or StreetForm(formdata=None),
        assign_form=assign_form,
        action_form=ActionForm(formdata=None),
    )
    return page, status


@bp.route(f"/{INITIATIVE_ID}/straten", methods=["GET", "POST"])
@login_required
def streets(initiative_id: int):
    initiative = initiative_for(initiative_id, *COORDINATOR)
    form = StreetForm()
    if not form.is_submitted():
        return _streets_page(initiative)
    if form.validate():
        try:
            roles.street_create(
                initiative_id=initiative_id,
                name=form.name.data,
                pc4=form.pc4.data or "",
                actor=user(),
                now=utcnow(),
            )
        except ModerationError as error:
            refused(error, form)
        else:
            flash(_("De straat is toegevoegd."), "success")
            return redirect(url_for(".streets", initiative_id=initiative_id), 303)
    return _streets_page(initiative, street_form=form, status=422)


@bp.post(f"/{INITIATIVE_ID}/straten/{STREET_ID}/toewijzen")
@login_required
def street_assign(initiative_id: int, street_id: int):
    initiative = initiative_for(initiative_id, *COORDINATOR)
    if roles.street_in(initiative_id, street_id) is None:
        abort(404)
    form = AssignForm()
    form.user_id.choices = []
    if form.validate_on_submit():
        try:
            roles.street_assign(
                initiative_id=initiative_id,
                street_id=street_id,
                user_id=form_int(form.user_id.data),
                actor=user(),
                now=utcnow(),
            )
        except ModerationError as error:
            refused(error)
        else:
            flash(_("De straat heeft een contactpersoon erbij."), "success")
            return redirect(url_for(".streets", initiative_id=initiative_id), 303)
    else:
        flash(_("Kies een straatcontactpersoon."), "error")
    return _streets_page(initiative, status=422)


@bp.post(f"/{INITIATIVE_ID}/straten/{STREET_ID}/contactpersonen/{USER_ID}/verwijderen")
@login_required
def street_unassign(initiative_id: int, street_id: int, user_id: int):
    initiative = initiative_for(initiative_id, *COORDINATOR)
    if roles.street_in(initiative_id, street_id) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return _streets_page(initiative, status=422)
    try:
        roles.street_unassign(
            initiative_id=initiative_id,
            street_id=street_id,
            user_id=user_id,
            actor=user(),
            now=utcnow(),
        )
    except ModerationError as error:
        refused(error)
        return _streets_page(initiative, status=422)
    flash(_("De contactpersoon is van deze straat gehaald."), "success")
    return redirect(url_for(".streets", initiative_id=initiative_id), 303)
