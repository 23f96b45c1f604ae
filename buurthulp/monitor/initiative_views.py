"""An initiative's own figures: the page, a CSV export and a printable annual report.

Only its coordinators and buurtverbinders see them; anyone else gets a 404, so changing the
id in the URL does not even tell whether that initiative exists.
"""

import csv
import io

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.initiatives.permissions import MODERATOR_ROLES, is_moderator
from buurthulp.listings.clock import local_today
from buurthulp.monitor.blueprint import INITIATIVE_ID, bp, parse_year
from buurthulp.monitor.figures import csv_rows, initiative_years, referral_kinds
from buurthulp.monitor.presenting import month_labels, monthly_charts


def moderated_or_404(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not is_moderator(current_user, initiative_id):
        abort(404)
    return initiative


def _moderated_initiatives() -> list[Initiative]:
    return list(
        db.session.execute(
            select(Initiative)
            .join(Membership, Membership.initiative_id == Initiative.id)
            .where(Membership.user_id == current_user.id, Membership.role.in_(MODERATOR_ROLES))
            .order_by(Initiative.name)
        ).scalars()
    )


@bp.get("/cijfers")
@login_required
def my_figures():
    initiatives = _moderated_initiatives()
    if len(initiatives) == 1:
        return redirect(url_for(".initiative_figures", initiative_id=initiatives[0].id))
    return render_template("monitor/my_figures.html", initiatives=initiatives)


def _figures_context(initiative_id: int) -> dict:
    initiative = moderated_or_404(initiative_id)
    today = local_today()
    year = parse_year(request.args.get("jaar"), today)
    this, last = initiative_years(initiative.id, year)
    return {
        "initiative": initiative,
        "this": this,
        "last": last,
        "charts": monthly_charts(this, last),
        "months": month_labels(),
        "years": list(range(today.year, today.year - 6, -1)),
        "referral_kinds": referral_kinds(initiative.id, year),
    }


@bp.get(f"/cijfers/{INITIATIVE_ID}")
@login_required
def initiative_figures(initiative_id: int):
    return render_template("monitor/initiative.html", **_figures_context(initiative_id))


@bp.get(f"/cijfers/{INITIATIVE_ID}/jaarverslag")
@login_required
def annual_report(initiative_id: int):
    return render_template("monitor/annual_report.html", **_figures_context(initiative_id))


@bp.get(f"/cijfers/{INITIATIVE_ID}/cijfers.csv")
@login_required
def initiative_csv(initiative_id: int):
    initiative = moderated_or_404(initiative_id)
    year = parse_year(request.args.get("jaar"), local_today())
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(initiative.id, year))
    filename = f"{initiative.slug}-{year}.csv"
    return (
        out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
