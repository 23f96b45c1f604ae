"""The agenda of an initiative: list, week, print and calendar feed.

Public on purpose, without login: activities are meant for the whole neighbourhood (also
residents without an account, who see them on the notice board), take place at public
venues, and the agenda shows only counts of places, never who signed up. So the calendar
feed needs no token: the initiative's slug is its address.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from buurthulp import labels
from buurthulp.activities import queries
from buurthulp.activities.blueprint import bp
from buurthulp.activities.ics import FeedTexts, agenda_feed
from buurthulp.activities.links import activity_link
from buurthulp.activities.weeks import monday_of, parse_week, week_label
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership, RegistryStatus
from buurthulp.listings.clock import TIMEZONE

SLUG = "<string(maxlength=80):slug>"
PRINT_WEEKS = 4  # the print version without ?week=: a month for the notice board
FEED_PAST_DAYS = 30  # the feed keeps activities that ended this recently


def _today():
    return utcnow().astimezone(TIMEZONE).date()


def _initiative(slug: str) -> Initiative:
    initiative = queries.agenda_initiative(slug)
    if initiative is None:
        abort(404)
    return initiative


def _page(template: str, initiative: Initiative, **context) -> str:
    return render_template(
        template,
        initiative=initiative,
        kinds=labels.ACTIVITY_KINDS,
        **context,
    )


@bp.get("/agenda")
def agenda_index():
    """Members go straight to their initiative's agenda; others choose one."""
    query = select(Initiative).where(
        Initiative.uses_platform.is_(True), Initiative.registry_status == RegistryStatus.APPROVED
    )
    if current_user.is_authenticated:
        mine = query.join(Membership).where(Membership.user_id == current_user.id)
        own = list(db.session.execute(mine.order_by(Initiative.name)).scalars())
        if len(own) == 1:
            return redirect(url_for(".agenda", slug=own[0].slug))
        if own:
            return render_template("activities/agenda_index.html", initiatives=own)
    initiatives = db.session.execute(query.order_by(Initiative.name)).scalars()
    return render_template("activities/agenda_index.html", initiatives=list(initiatives))


@bp.get(f"/agenda/{SLUG}")
def agenda(slug: str):
    initiative = _initiative(slug)
    today = _today()
    end = today + timedelta(weeks=queries.LIST_WEEKS) - timedelta(days=1)
    items = queries.agenda(initiative.id, start=today, end=end, today=today)
    days = queries.by_day(items)
    return _page("activities/agenda.html", initiative, days=days, today=today, end=end)


@bp.get(f"/agenda/{SLUG}/week")
def agenda_week(slug: str):
    initiative = _initiative(slug)
    today = _today()
    monday = parse_week(request.args.get("week"), today=today)
    sunday = monday + timedelta(days=6)
    items = dict(
        queries.by_day(queries.agenda(initiative.id, start=monday, end=sunday, today=today))
    )
    week = [(monday + timedelta(days=n), []) for n in range(7)]
    week = [(day, items.get(day, [])) for day, _unused in week]
    return _page(
        "activities/agenda_week.html",
        initiative,
        week=week,
        monday=monday,
        sunday=sunday,
        today=today,
        is_this_week=monday == monday_of(today),
        this_week=week_label(monday),
        previous_week=week_label(monday - timedelta(days=7)),
        next_week=week_label(monday + timedelta(days=7)),
        week_number=monday.isocalendar()[1],
    )


@bp.get(f"/agenda/{SLUG}/afdrukken")
def agenda_print(slug: str):
    """For the notice board: large type, no menu, A4 portrait (static/css/agenda-print.css)."""
    initiative = _initiative(slug)
    today = _today()
    if request.args.get("week"):
        start = parse_week(request.args.get("week"), today=today)
        end = start + timedelta(days=6)
    else:
        start, end = today, today + timedelta(weeks=PRINT_WEEKS) - timedelta(days=1)
    items = queries.agenda(initiative.id, start=start, end=end, today=today)
    return _page(
        "activities/agenda_print.html", initiative, days=queries.by_day(items), start=start, end=end
    )


def _describe(activity) -> str:
    parts = [str(labels.ACTIVITY_KINDS.get(activity.kind, "")), activity.description]
    if activity.wheelchair_accessible:
        parts.append(_("Toegankelijk voor rolstoelen."))
    if activity.hearing_loop:
        parts.append(_("Met ringleiding."))
    if activity.accessibility_notes:
        parts.append(activity.accessibility_notes)
    parts.append(_("Aanmelden via Buurthulp of bij uw straatcontactpersoon."))
    return "\n".join(p for p in parts if p)


@bp.get(f"/agenda/{SLUG}/agenda.ics")
def agenda_ics(slug: str):
    initiative = _initiative(slug)
    since = _today() - timedelta(days=FEED_PAST_DAYS)
    activities = queries.feed_activities(initiative.id, since=since)
    texts = FeedTexts(
        calendar_name=_("Agenda van %(name)s", name=initiative.name),
        describe=_describe,
        link=activity_link,
    )
    host = urlsplit(current_app.config.get("SERVER_BASE_URL") or "").hostname or "buurthulp"
    body = agenda_feed(activities, texts, host=host, stamp=utcnow())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="agenda-{initiative.slug}.ics"'
    return response
