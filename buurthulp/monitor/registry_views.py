"""The Initiatievenkaart: the public list and map, self-registration, and the platform
administrator's approval of registrations."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurthulp.db_types import utcnow
from buurthulp.extensions import db, limiter
from buurthulp.i18n import translated
from buurthulp.initiatives.models import Initiative, RegistryStatus
from buurthulp.listings.clock import local_today
from buurthulp.monitor.blueprint import INITIATIVE_ID, bp
from buurthulp.monitor.forms import ActionForm, RegistryForm
from buurthulp.monitor.national import national_figures_cached, provinces
from buurthulp.monitor.province_map import choropleth
from buurthulp.monitor.registry import DEFINITION, EntryProblems, check_entry
from buurthulp.monitor.registry_services import RegistryError, registry_decide, registry_submit


def _entries(status: RegistryStatus, province: str | None = None) -> list[Initiative]:
    query = (
        select(Initiative)
        .options(selectinload(Initiative.domains))
        .where(Initiative.registry_status == status)
        .order_by(Initiative.province, Initiative.municipality, Initiative.name)
    )
    if province:
        query = query.where(Initiative.province == province)
    return list(db.session.execute(query).scalars())


@bp.get("/initiatievenkaart")
def registry():
    province = request.args.get("provincie", "")
    if province not in provinces():
        province = ""
    figures = national_figures_cached(current_app, local_today().year)
    return render_template(
        "monitor/registry.html",
        entries=_entries(RegistryStatus.APPROVED, province),
        province=province,
        provinces=provinces(),
        province_map=choropleth(
            "map-registry", _("Initiatieven per provincie"), figures.by_province.cells
        ),
    )


@bp.route("/initiatievenkaart/aanmelden", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def registry_register():
    form = RegistryForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                registry_submit(entry=check_entry(form.raw()), now=utcnow())
            except EntryProblems as problems:
                form.add_problems(problems)
            except RegistryError as error:
                flash(translated(error), "error")
            else:
                flash(_("Dank u wel! Een beheerder kijkt de aanmelding na; daarna staat het "
                        "initiatief op de kaart."))  # fmt: skip
                return redirect(url_for(".registry"), 303)
        return render_template("monitor/registry_form.html", form=form, definition=DEFINITION), 422
    return render_template("monitor/registry_form.html", form=form, definition=DEFINITION)


def _admin_or_404() -> None:
    if not current_user.is_platform_admin:
        abort(404)


@bp.get("/beheer/aanmeldingen")
@login_required
def registry_pending():
    _admin_or_404()
    return render_template(
        "monitor/registry_pending.html",
        entries=_entries(RegistryStatus.PENDING),
        form=ActionForm(formdata=None),
    )


def _decide(initiative_id: int, approve: bool):
    _admin_or_404()
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for(".registry_pending"), 303)
    try:
        initiative = registry_decide(
            initiative_id=initiative_id, by_user=current_user, approve=approve, now=utcnow()
        )
    except RegistryError as error:
        flash(translated(error), "error")
    else:
        done = _("%(name)s staat nu op de kaart.") if approve else _("%(name)s is afgewezen.")
        flash(done % {"name": initiative.name})
    return redirect(url_for(".registry_pending"), 303)


@bp.post(f"/beheer/aanmeldingen/{INITIATIVE_ID}/goedkeuren")
@login_required
def registry_approve(initiative_id: int):
    return _decide(initiative_id, approve=True)


@bp.post(f"/beheer/aanmeldingen/{INITIATIVE_ID}/afwijzen")
@login_required
def registry_reject(initiative_id: int):
    return _decide(initiative_id, approve=False)
