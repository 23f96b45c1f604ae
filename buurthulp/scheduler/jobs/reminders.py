"""Remind both sides, the day before, of help they agreed on a fixed day."""

from datetime import datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.mail.links import absolute_link
from buurthulp.matching import notify
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.scheduler.deliveries import delivery

JOB_ID = "remind_day_before"


def matches_tomorrow(now: datetime) -> list[tuple[Match, HelpRequest]]:
    """Live matches of matched requests whose fixed day is tomorrow (Dutch date)."""
    tomorrow = now.astimezone(TIMEZONE).date() + timedelta(days=1)
    query = (
        select(Match, HelpRequest)
        .join(HelpRequest, HelpRequest.id == Match.request_id)
        .where(
            Match.status == MatchStatus.ACCEPTED,
            HelpRequest.status == RequestStatus.MATCHED,
            HelpRequest.on_date == tomorrow,
        )
        .order_by(Match.id)
    )
    return [(row[0], row[1]) for row in db.session.execute(query)]


def _compose(help_request: HelpRequest, other: User, link: str) -> tuple[str, str]:
    window = ""
    if help_request.time_from and help_request.time_until:
        window = _(
            " tussen %(start)s en %(end)s",
            start=help_request.time_from.strftime("%H:%M"),
            end=help_request.time_until.strftime("%H:%M"),
        )
    return (
        _("Morgen: %(title)s", title=help_request.title),
        _(
            "Dit is een herinnering: morgen, %(day)s%(window)s, is de afspraak met "
            "%(name)s voor: %(title)s. Kan het toch niet doorgaan? Zeg het dan zo snel "
            "mogelijk af op de pagina van de koppeling: %(link)s",
            day=format_date(help_request.on_date, "EEEE d MMMM"),
            window=window,
            name=other.public_name,
            title=help_request.title,
            link=link,
        ),
    )


def job(now: datetime) -> dict:
    """One reminder per match and person, ever (a delivery key per match and user)."""
    sent = 0
    for match, help_request in matches_tomorrow(now):
        requester = db.session.get(User, help_request.requester_id or 0)
        volunteer = db.session.get(User, match.volunteer_id or 0)
        if requester is None or volunteer is None:
            continue
        link = absolute_link("matching.match_detail", match_id=match.id)
        for user, other in ((requester, volunteer), (volunteer, requester)):
            key = f"match-{match.id}-user-{user.id}"
            with delivery(job_id=JOB_ID, key=key, user_id=user.id) as ours:
                if not ours:
                    continue
                notify.notify_in_locale(
                    user, lambda o=other, r=help_request, link=link: _compose(r, o, link)
                )
                sent += 1
    return {"reminders": sent}
