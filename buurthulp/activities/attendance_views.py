"""Panel pages where organisers record who came to a past date of an activity.

Routes on the panel blueprint (/paneel/<initiative>/activiteiten...), for buurtverbinders
and coordinators of the initiative (panel scope: MODERATORS); they show participants'
names, so they are never public like the agenda.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required

from buurthulp import labels
from buurthulp.activities import attendance
from buurthulp.db_types import utcnow
from buurthulp.i18n import translated
from buurthulp.listings.clock import TIMEZONE
from buurthulp.panel.blueprint import INITIATIVE_ID, MAX_ID, add_section, bp
from buurthulp.panel.common import initiative_for, user
from buurthulp.panel.forms import ActionForm
from buurthulp.panel.scope import MODERATORS

ACTIVITY_ID = f"<int(max={MAX_ID}):activity_id>"
DAY = "<string(length=10):day>"

add_section("panel.activity_dates", _l("Activiteiten: wie was er?"), MODERATORS, order=40)


def _today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.get(f"/{INITIATIVE_ID}/activiteiten")
@login_required
def activity_dates(initiative_id: int):
    initiative = initiative_for(initiative_id, *MODERATORS)
    dates = attendance.past_dates(initiative_id, today=_today())
    return render_template(
        "activities/attendance_dates.html",
        initiative=initiative,
        open_dates=[d for d in dates if not d.complete],
        done_dates=[d for d in dates if d.complete],
        kinds=labels.ACTIVITY_KINDS,
    )


def _attendance_page(initiative, activity, day, status=200, ticked=None):
    signups = attendance.participants(activity.id, day)
    if ticked is None:
        ticked = {s.id for s in signups if s.attended}
    page = render_template(
        "activities/attendance.html",
        initiative=initiative,
        activity=activity,
        day=day,
        signups=signups,
        ticked=ticked,
        form=ActionForm(formdata=None),
    )
    return page, status


def _ids(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit() and len(v) < 11}


@bp.route(f"/{INITIATIVE_ID}/activiteiten/{ACTIVITY_ID}/{DAY}", methods=["GET", "POST"])
@login_required
def attendance_form(initiative_id: int, activity_id: int, day: str):
    initiative = initiative_for(initiative_id, *MODERATORS)
    activity = attendance.activity_in(initiative_id, activity_id)
    occurs_on = _day(day)
    if activity is None or not attendance.can_record(activity, occurs_on, today=_today()):
        abort(404)
    if request.method == "GET":
        return _attendance_page(initiative, activity, occurs_on)
    present = _ids(request.form.getlist("present"))
    if not ActionForm().validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return _attendance_page(initiative, activity, occurs_on, 422, present)
    try:
        came = attendance.attendance_record(
            activity=activity,
            day=occurs_on,
            present_ids=present,
            actor=user(),
            today=_today(),
            now=utcnow(),
        )
    except attendance.AttendanceError as error:
        flash(translated(error), "error")
        return _attendance_page(initiative, activity, occurs_on, 422, present)
    flash(
        ngettext(
            "Opgeslagen: %(num)s deelnemer was er.",
            "Opgeslagen: %(num)s deelnemers waren er.",
            came,
        ),
        "success",
    )
    return redirect(url_for(".activity_dates", initiative_id=initiative_id), 303)
