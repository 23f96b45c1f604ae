"""Residents of my streets, a resident's page, verification and the account for a
phone-intake resident."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.accounts.web import external_url
from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.matching.forms import ActionForm
from buurthulp.panel.blueprint import add_section
from buurthulp.panel.scope import PANEL_ROLES
from buurthulp.residents import overview, takeover, verification
from buurthulp.residents.blueprint import ID, PREFIX, bp, in_scope, user
from buurthulp.residents.forms import AccountForm, SettingForm
from buurthulp.residents.notes import NOTE_ROLES
from buurthulp.residents.scope import member_in_scope, proxy_in_scope

add_section("residents.residents_list", _l("Bewoners van mijn straten"), PANEL_ROLES, 30)
USER_ID = ID % "user_id"
RESIDENT_ID = ID % "resident_id"


@bp.get(f"{PREFIX}/bewoners")
@login_required
def residents_list(initiative_id: int):
    role, street_ids = in_scope(initiative_id)
    return render_template(
        "residents/list.html",
        initiative_id=initiative_id,
        rows=overview.residents_overview(initiative_id, street_ids),
        statuses=overview.STATUS_ORDER,
        whole=street_ids is None,
        may_set=role == Role.COORDINATOR,
        unverified_may_accept=verification.unverified_may_accept(initiative_id),
        setting_form=SettingForm(formdata=None),
    )


def member_or_404(initiative_id: int, user_id: int, street_ids):
    found = member_in_scope(user_id, initiative_id, street_ids)
    if found is None:
        abort(404)
    return found


def proxy_or_404(initiative_id: int, resident_id: int, street_ids):
    resident = proxy_in_scope(resident_id, initiative_id, street_ids)
    if resident is None:
        abort(404)
    return resident


@bp.get(f"{PREFIX}/bewoners/{USER_ID}")
@login_required
def member_detail(initiative_id: int, user_id: int):
    role, street_ids = in_scope(initiative_id)
    member, membership = member_or_404(initiative_id, user_id, street_ids)
    return render_template(
        "residents/member.html",
        initiative_id=initiative_id,
        member=member,
        membership=membership,
        requests=overview.requests_of(initiative_id, user_id=member.id),
        verified=verification.verification_of(user_id=member.id, initiative_id=initiative_id),
        may_read_note=role in NOTE_ROLES,
        form=ActionForm(formdata=None),
    )


@bp.post(f"{PREFIX}/bewoners/{USER_ID}/verifieren")
@login_required
def member_verify(initiative_id: int, user_id: int):
    _role, street_ids = in_scope(initiative_id)
    member, _membership = member_or_404(initiative_id, user_id, street_ids)
    back = redirect(url_for(".member_detail", initiative_id=initiative_id, user_id=user_id), 303)
    if not ActionForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return back
    try:
        verification.member_verify(
            member=member, initiative_id=initiative_id, by_user=user(), now=utcnow()
        )
    except verification.VerificationError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is nu een geverifieerde buur.", name=member.full_name))
    return back


def _proxy_page(initiative_id: int, resident, role, form=None, status: int = 200):
    page = render_template(
        "residents/proxy.html",
        initiative_id=initiative_id,
        resident=resident,
        requests=overview.requests_of(initiative_id, proxy_resident_id=resident.id),
        may_read_note=role in NOTE_ROLES,
        may_post=role in (Role.STREET_CONTACT, Role.CONNECTOR),
        form=form or AccountForm(formdata=None),
    )
    return page, status


@bp.get(f"{PREFIX}/telefoonbewoners/{RESIDENT_ID}")
@login_required
def proxy_detail(initiative_id: int, resident_id: int):
    role, street_ids = in_scope(initiative_id)
    return _proxy_page(initiative_id, proxy_or_404(initiative_id, resident_id, street_ids), role)


@bp.post(f"{PREFIX}/telefoonbewoners/{RESIDENT_ID}/account")
@login_required
def proxy_account(initiative_id: int, resident_id: int):
    role, street_ids = in_scope(initiative_id, Role.STREET_CONTACT, Role.CONNECTOR)
    resident = proxy_or_404(initiative_id, resident_id, street_ids)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            account = takeover.proxy_account_create(
                resident=resident,
                email=form.email.data,
                password=form.password.data or None,
                by_user=user(),
                now=utcnow(),
                link_for=lambda token: external_url("accounts.password_reset", token=token),
            )
        except takeover.TakeoverError as error:
            if error.field in form:
                form[error.field].errors = [*form[error.field].errors, str(error)]
            else:
                flash(str(error), "error")
        else:
            flash(
                _("Het account is gemaakt. De bewoner kan nu inloggen.")
                if form.password.data
                else _(
                    "Het account is gemaakt. De bewoner krijgt een e-mail om een wachtwoord "
                    "te kiezen."
                )
            )
            return redirect(
                url_for(".member_detail", initiative_id=initiative_id, user_id=account.id), 303
            )
    return _proxy_page(initiative_id, resident, role, form, 422)


@bp.post(f"{PREFIX}/verificatie-instelling")
@login_required
def verification_setting(initiative_id: int):
    in_scope(initiative_id, Role.COORDINATOR)
    form = SettingForm()
    back = redirect(url_for(".residents_list", initiative_id=initiative_id), 303)
    if not form.validate_on_submit() or form.unverified_may_accept.data not in ("yes", "no"):
        flash(_("Kies ja of nee."), "error")
        return back
    verification.setting_change(
        initiative_id=initiative_id,
        unverified_may_accept=form.unverified_may_accept.data == "yes",
        by_user=user(),
        now=utcnow(),
    )
    flash(_("De instelling is bewaard."))
    return back
