"""Sign-up pages: sign up and cancel per date, a lift in one click, and a contact person's
sign-up by phone for a resident of their streets."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from buurthulp.accounts.models import User
from buurthulp.activities import access, lifts, signup_queries, signups
from buurthulp.activities.activity_views import ID, MAX_ID, detail_page, user
from buurthulp.activities.blueprint import bp
from buurthulp.activities.forms import DateForm, PhoneSignupForm
from buurthulp.activities.models import SignupStatus
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings.clock import local_today
from buurthulp.panel.scope import panel_role, street_ids_in_scope
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.overview import residents_overview

SIGNUP_ID = f"<int(max={MAX_ID}):signup_id>"


def _back(activity_id: int):
    return redirect(url_for(".activity_detail", activity_id=activity_id), 303)


def _open_activity(activity_id: int):
    return access.viewable_or_404(current_user, signup_queries.get_activity(activity_id))


def _date_or_page(activity):
    """The posted date, or the activity page again with the form's message."""
    form = DateForm()
    if form.validate_on_submit():
        return form.occurs_on.data, None
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return None, detail_page(activity, 422)


@bp.post(f"/{ID}/aanmelden")
@login_required
def signup(activity_id: int):
    activity = _open_activity(activity_id)
    day, page = _date_or_page(activity)
    if page:
        return page
    try:
        made = signups.signup_create(
            activity=activity, occurs_on=day, user=user(), today=local_today(), now=utcnow()
        )
    except signups.SignupError as error:
        flash(str(error), "error")
        return detail_page(activity, 422)
    if made.status == SignupStatus.CONFIRMED:
        flash(_("U bent aangemeld. Tot dan!"), "success")
    else:
        flash(_("Het is vol. U staat op de wachtlijst en krijgt bericht als er plek is."))
    return _back(activity_id)


def _own_signup(activity, missing: str):
    """(the user's own sign-up for the posted date, None), or (None, the page to show)."""
    day, page = _date_or_page(activity)
    if page:
        return None, page
    mine = signup_queries.signup_for(activity.id, day, current_user.id)
    if mine is None:
        flash(missing, "error")
        return None, detail_page(activity, 422)
    return mine, None


def _cancel(activity, signup_row):
    try:
        signups.signup_cancel(signup=signup_row, actor=user(), today=local_today(), now=utcnow())
    except signups.SignupError as error:
        flash(str(error), "error")
        return detail_page(activity, 422)
    flash(_("Afgemeld. Fijn dat u het laat weten."), "success")
    return _back(activity.id)


@bp.post(f"/{ID}/afmelden")
@login_required
def signup_cancel(activity_id: int):
    activity = _open_activity(activity_id)
    mine, page = _own_signup(activity, _("U staat niet aangemeld voor deze datum."))
    return page or _cancel(activity, mine)


def _lift(activity, signup_row):
    try:
        lifts.lift_request_create(
            signup=signup_row, actor=user(), today=local_today(), now=utcnow()
        )
    except lifts.LiftError as error:
        flash(str(error), "error")
        return detail_page(activity, 422)
    flash(_("Uw vraag om vervoer staat erop. Buren met een auto krijgen hem te zien."))
    return _back(activity.id)


@bp.post(f"/{ID}/vervoer")
@login_required
def lift(activity_id: int):
    activity = _open_activity(activity_id)
    mine, page = _own_signup(activity, _("Meld u eerst aan voor deze datum."))
    return page or _lift(activity, mine)


def _acting_for(activity_id: int, signup_id: int):
    """(activity, sign-up) when the user may act for its resident: a contact person of
    the resident's streets, or an organiser. Otherwise 404."""
    activity = _open_activity(activity_id)
    signup_row = signup_queries.signup_of(activity_id, signup_id)
    initiative_id = activity.initiative_id
    if signup_row is None or panel_role(current_user, initiative_id) is None:
        abort(404)
    rows = [signup_queries.DateRow(signup_row.occurs_on, 0, 0, None)]
    signup_queries.add_participants(
        activity, rows, street_ids_in_scope(current_user, initiative_id)
    )
    if signup_row not in rows[0].participants + rows[0].waiting_list:
        abort(404)
    return activity, signup_row


@bp.post(f"/{ID}/aanmeldingen/{SIGNUP_ID}/afmelden")
@login_required
def signup_cancel_for(activity_id: int, signup_id: int):
    activity, signup_row = _acting_for(activity_id, signup_id)
    return _cancel(activity, signup_row)


@bp.post(f"/{ID}/aanmeldingen/{SIGNUP_ID}/vervoer")
@login_required
def lift_for(activity_id: int, signup_id: int):
    activity, signup_row = _acting_for(activity_id, signup_id)
    return _lift(activity, signup_row)


def _phone_choices(form, activity, street_ids) -> None:
    people = residents_overview(activity.initiative_id, street_ids)
    form.participant.choices = [SelectChoice("", _("Kies een bewoner"))] + [
        SelectChoice(f"{row.kind}-{row.id}", f"{row.name} ({row.street})") for row in people
    ]
    days = signup_queries.coming_dates(activity, local_today())
    form.occurs_on.choices = [
        SelectChoice(day.isoformat(), format_date(day, "EEEE d MMMM y")) for day in days
    ]


def _participant(value: str):
    """'member-12' -> (User, None); 'proxy-3' -> (None, ProxyResident); else (None, None)."""
    kind, _sep, number = (value or "").partition("-")
    if not number.isdigit() or len(number) > 10:
        return None, None
    if kind == "member":
        return db.session.get(User, int(number)), None
    if kind == "proxy":
        return None, db.session.get(ProxyResident, int(number))
    return None, None


@bp.route(f"/{ID}/aanmelden-namens", methods=["GET", "POST"])
@login_required
def signup_by_phone(activity_id: int):
    activity = _open_activity(activity_id)
    if panel_role(current_user, activity.initiative_id) is None:
        abort(404)
    street_ids = street_ids_in_scope(current_user, activity.initiative_id)
    form = PhoneSignupForm()
    _phone_choices(form, activity, street_ids)
    if form.validate_on_submit():
        member, proxy = _participant(form.participant.data)
        day = _iso_date(form.occurs_on.data)
        if (member is None and proxy is None) or day is None:
            form.participant.errors = [_("Kies een bewoner en een datum uit de lijst.")]
        else:
            try:
                signups.signup_by_phone(
                    activity=activity,
                    occurs_on=day,
                    by_user=user(),
                    street_ids=street_ids,
                    user=member,
                    proxy_resident=proxy,
                    today=local_today(),
                    now=utcnow(),
                )
            except signups.SignupError as error:
                form.participant.errors = [str(error)]
            else:
                flash(_("De bewoner is aangemeld."), "success")
                return _back(activity_id)
    status = 422 if request.method == "POST" else 200
    return render_template("activities/phone_signup.html", activity=activity, form=form), status


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None
