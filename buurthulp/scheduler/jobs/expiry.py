"""Expire stale open requests and ask the requester by mail whether to renew them.

Stale: open for SCHEDULER_EXPIRE_AFTER_DAYS since it was posted (or last renewed), or a
one-off request whose day has passed. Weekly requests carry on through their next
occurrence, so only age expires them.
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.mail.links import absolute_link
from buurthulp.matching import notify
from buurthulp.matching.services import invitations_close
from buurthulp.scheduler.deliveries import delivery_claim
from buurthulp.scheduler.models import RequestExpiry

JOB_ID = "expire_stale_requests"


def stale_request_ids(*, now: datetime, max_age: timedelta) -> list[int]:
    today = now.astimezone(TIMEZONE).date()
    fresh_since = func.coalesce(RequestExpiry.renewed_at, HelpRequest.created_at)
    query = (
        select(HelpRequest.id)
        .outerjoin(RequestExpiry, RequestExpiry.request_id == HelpRequest.id)
        .where(
            HelpRequest.status == RequestStatus.OPEN,
            or_(
                fresh_since <= now - max_age,
                and_(HelpRequest.recurrence == Recurrence.ONCE, HelpRequest.on_date < today),
            ),
        )
        .order_by(HelpRequest.id)
    )
    return list(db.session.execute(query).scalars())


def _expire(request_id: int, now: datetime) -> int | None:
    """Close one request; the expiry count, or None when it was no longer open."""
    closed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request_id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.EXPIRED, needs_attention=False)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        db.session.rollback()
        return None
    help_request = db.session.get(HelpRequest, request_id)
    invitations_close(help_request=help_request, now=now)
    expiry = db.session.get(RequestExpiry, request_id)
    if expiry is None:
        expiry = RequestExpiry(request_id=request_id, expired_at=now, times=1)
        db.session.add(expiry)
    else:
        expiry.expired_at, expiry.times, expiry.renewed_at = now, expiry.times + 1, None
    times = expiry.times
    db.session.commit()
    return times


def _compose(help_request: HelpRequest, link: str) -> tuple[str, str]:
    return (
        _("Staat uw hulpvraag nog? %(title)s", title=help_request.title),
        _(
            'Uw hulpvraag "%(title)s" stond een tijd open zonder dat iemand hem aannam, of '
            "de dag is voorbij. We hebben hem daarom van Dichtbij gehaald. Heeft u nog "
            "hulp nodig? Zet hem dan hier opnieuw open: %(link)s",
            title=help_request.title,
            link=link,
        ),
    )


def job(now: datetime) -> dict:
    """Expire each stale request once and mail its requester once per expiry."""
    max_age = timedelta(days=current_app.config["SCHEDULER_EXPIRE_AFTER_DAYS"])
    expired = mailed = 0
    for request_id in stale_request_ids(now=now, max_age=max_age):
        times = _expire(request_id, now)
        if times is None:
            continue
        expired += 1
        help_request = db.session.get(HelpRequest, request_id)
        requester = db.session.get(User, help_request.requester_id or 0)
        if requester is None or not delivery_claim(
            job_id=JOB_ID, key=f"request-{request_id}-expiry-{times}", user_id=requester.id
        ):
            continue
        link = absolute_link("renewal.request_renew_page", request_id=request_id)
        notify.notify_in_locale(requester, lambda r=help_request, link=link: _compose(r, link))
        mailed += 1
    return {"expired": expired, "mailed": mailed}
