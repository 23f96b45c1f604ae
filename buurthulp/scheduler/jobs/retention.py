"""Retention: remove the personal data of requests closed long ago, keep anonymous counts.

A request counts as closed when it is done, withdrawn or expired; its closing moment is its
last change (`updated_at`). After RETENTION_MONTHS:

- removed: the title and description (free text, may name people or health needs), the
  street name, the link to the requester; on its matches the feedback of both sides, the
  reason for stopping and the link to the volunteer; on "Ik wil helpen" responses the
  message and the link to the volunteer; conversation texts, when the realtime part
  provides `buurthulp.realtime.retention.forget_request_messages`; and the scheduler's own
  record of whom it mailed about what (scheduler_deliveries) from before the cutoff.
- kept, for the monitor's counts: initiative, category, urgency, once/weekly, status, the
  date and time window, the place name and 4-digit-area centroid, the dates it was
  posted, matched and closed, hours given, and the invitations (who was asked, no text).
"""

import calendar
import importlib
import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, HelpResponse, RequestStatus
from buurthulp.matching.models import Match
from buurthulp.scheduler.models import Delivery, RequestAnonymisation

log = logging.getLogger(__name__)

JOB_ID = "retention"
CLOSED = (RequestStatus.DONE, RequestStatus.WITHDRAWN, RequestStatus.EXPIRED)
BATCH = 200
MESSAGES_HOOK = ("buurthulp.realtime.retention", "forget_request_messages")


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def due_request_ids(*, cutoff: datetime, limit: int) -> list[int]:
    done = select(RequestAnonymisation.request_id).where(
        RequestAnonymisation.request_id == HelpRequest.id
    )
    query = (
        select(HelpRequest.id)
        .where(
            HelpRequest.status.in_(CLOSED),
            HelpRequest.updated_at <= cutoff,
            ~done.exists(),
        )
        .order_by(HelpRequest.id)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def _messages_hook():
    module_name, name = MESSAGES_HOOK
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


def anonymise(request_ids: list[int], now: datetime) -> None:
    """Remove the personal data of these requests, in the caller's transaction."""

    def scrub(model, where, **values):
        db.session.execute(
            update(model).where(where).values(**values).execution_options(synchronize_session=False)
        )

    # updated_at is kept: it is the closing date the counts use.
    scrub(
        HelpRequest,
        HelpRequest.id.in_(request_ids),
        title="",
        description="",
        street_name="",
        requester_id=None,
        updated_at=HelpRequest.updated_at,
    )
    scrub(
        Match,
        Match.request_id.in_(request_ids),
        requester_feedback="",
        volunteer_feedback="",
        close_reason="",
        volunteer_id=None,
    )
    scrub(HelpResponse, HelpResponse.request_id.in_(request_ids), message="", volunteer_id=None)
    hook = _messages_hook()
    if hook is not None:
        hook(request_ids=request_ids, now=now)
    db.session.add_all(RequestAnonymisation(request_id=i, anonymised_at=now) for i in request_ids)


def job(now: datetime) -> dict:
    """Anonymise every due request, in batches; a second run finds none left."""
    cutoff = months_before(now, current_app.config["RETENTION_MONTHS"])
    total = 0
    while ids := due_request_ids(cutoff=cutoff, limit=BATCH):
        anonymise(ids, now)
        try:
            db.session.commit()
        except IntegrityError:
            # A run that got past the run lock (by hand, say) did this batch first; the
            # next query leaves those out.
            db.session.rollback()
            continue
        total += len(ids)
    # Who was mailed about what is personal too; keys this old never come up again.
    purged = db.session.execute(delete(Delivery).where(Delivery.created_at < cutoff)).rowcount
    db.session.commit()
    return {"anonymised": total, "deliveries_removed": purged, "cutoff": cutoff.isoformat()}
