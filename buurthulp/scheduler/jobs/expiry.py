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
from buurthulp.scheduler.deliveries import delivery
from buurthulp.scheduler.models import Delivery, RequestExpiry

JOB_ID = "expire_stale_requests"
RESUME_WINDOW = timedelta(days=7)


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


def _key(request_id: int, times: int) -> str:
    return f"request-{request_id}-expiry-{times}"


def unmailed_expiries(now: datetime) -> list[tuple[int, int]]:
    """(request id, expiry count) of recent expiries whose mail was never claimed: a run
    killed between expiring a request and mailing about it. Recent only: retention
    deletes old delivery records, and those requesters were mailed long ago."""
    candidates = db.session.execute(
        select(RequestExpiry.request_id, RequestExpiry.times)
        .join(HelpRequest, HelpRequest.id == RequestExpiry.request_id)
        .where(
            HelpRequest.status == RequestStatus.EXPIRED,
            RequestExpiry.renewed_at.is_(None),
            RequestExpiry.expired_at >= now - RESUME_WINDOW,
        )
        .order_by(RequestExpiry.request_id)
    ).all()
    keys = {_key(request_id, times): (request_id, times) for request_id, times in candidates}
    claimed = set(
        db.session.execute(
            select(Delivery.key).where(Delivery.job_id == JOB_ID, Delivery.key.in_(list(keys)))
        ).scalars()
    )
    return [pair for key, pair in keys.items() if key not in claimed]


def _mail_requester(request_id: int, times: int) -> int:
    """Mail the requester once about this expiry; 1 when this run sent it."""
    help_request = db.session.get(HelpRequest, request_id)
    requester = db.session.get(User, help_request.requester_id or 0)
    if requester is None:
        return 0
    key = _key(request_id, times)
    with delivery(job_id=JOB_ID, key=key, user_id=requester.id) as ours:
        if not ours:
            return 0
        link = absolute_link("renewal.request_renew_page", request_id=request_id)
        notify.notify_in_locale(requester, lambda r=help_request, link=link: _compose(r, link))
    return 1


def job(now: datetime) -> dict:
    """Expire each stale request once and mail its requester once per expiry, also when
    an earlier run was killed in between."""
    max_age = timedelta(days=current_app.config["SCHEDULER_EXPIRE_AFTER_DAYS"])
    expired = mailed = 0
    for request_id in stale_request_ids(now=now, max_age=max_age):
        times = _expire(request_id, now)
        if times is None:
            continue
        expired += 1
        mailed += _mail_requester(request_id, times)
    for request_id, times in unmailed_expiries(now):
        mailed += _mail_requester(request_id, times)
    return {"expired": expired, "mailed": mailed}
