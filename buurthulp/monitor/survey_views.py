"""The yearly survey, filled in by an initiative's coordinator."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.initiatives.permissions import role_in
from buurthulp.listings.clock import local_today
from buurthulp.monitor.blueprint import INITIATIVE_ID, bp, parse_year
from buurthulp.monitor.figures import initiative_years
from buurthulp.monitor.forms import SurveyForm
from buurthulp.monitor.initiative_views import moderated_or_404
from buurthulp.monitor.survey import OPTIONS, SurveyAnswers, survey_get, survey_save


def _form_data(response) -> dict:
    if response is None:
        return {}
    data = {name: getattr(response, name) for name in ("volunteers", "members", "participants")}
    data |= {name: [c for c in getattr(response, name).split(",") if c] for name in OPTIONS}
    return data | {"legal_form": response.legal_form or None, "needs": response.needs}


@bp.route(f"/cijfers/{INITIATIVE_ID}/enquete", methods=["GET", "POST"])
@login_required
def survey(initiative_id: int):
    initiative = moderated_or_404(initiative_id)
    year = parse_year(request.args.get("jaar"), local_today())
    may_answer = role_in(current_user, initiative.id) == Role.COORDINATOR
    saved = survey_get(initiative.id, year)
    form = SurveyForm(data=_form_data(saved)) if request.method == "GET" else SurveyForm()
    if request.method == "POST":
        if not may_answer:
            abort(403)
        if form.validate_on_submit():
            answers = SurveyAnswers(
                volunteers=form.volunteers.data or 0,
                members=form.members.data or 0,
                participants=form.participants.data or 0,
                choices={name: form[name].data or [] for name in OPTIONS},
                legal_form=form.legal_form.data or "",
                needs=form.needs.data or "",
            )
            survey_save(initiative_id=initiative.id, year=year, answers=answers, now=utcnow())
            flash(_("Bedankt! De antwoorden voor %(year)s zijn bewaard.", year=year))
            return redirect(url_for(".survey", initiative_id=initiative.id, jaar=year), 303)
    this, _last = initiative_years(initiative.id, year)
    page = render_template(
        "monitor/survey.html",
        initiative=initiative,
        year=year,
        form=form,
        saved=saved,
        may_answer=may_answer,
        live=this,
    )
    return page, 422 if form.errors else 200
