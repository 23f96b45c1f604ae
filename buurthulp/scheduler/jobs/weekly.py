"""Create the next occurrence of weekly requests, a few days before it is needed."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching.lifecycle import weekly_next_occurrence
from buurthulp.matching.services import MatchingError

JOB_ID = "weekly_next_occurrence"
# A weekly request continues while it is open, taken or done; withdrawn or expired ends it.
CONTINUING = (RequestStatus.OPEN, RequestStatus.MATCHED, RequestStatus.DONE)


def due_weekly_requests(*, now: datetime, lead_days: int) -> list[HelpRequest]:
    """Weekly requests without a next occurrence yet (the latest link of each chain) whose
    day is at most `lead_days` away (Dutch date); a flexible one a week after it was posted."""
    today = now.astimezone(TIMEZONE).date()
    lead = timedelta(days=lead_days)
    later = HelpRequest.__table__.alias("later")
    query = (
        select(HelpRequest)
        .where(
            HelpRequest.recurrence == Recurrence.WEEKLY,
            HelpRequest.status.in_(CONTINUING),
            or_(
                HelpRequest.on_date <= today + lead,
                and_(
                    HelpRequest.on_date.is_(None),
                    HelpRequest.created_at <= now - timedelta(days=7) + lead,
                ),
            ),
            ~select(later.c.id).where(later.c.previous_request_id == HelpRequest.id).exists(),
        )
        .order_by(HelpRequest.on_date, HelpRequest.id)
    )
    return list(db.session.execute(query).scalars())


def job(now: datetime) -> dict:
    """Create each due next occurrence once (weekly_next_occurrence returns None when it
    exists already, and the run lock keeps two runs apart)."""
    lead_days = current_app.config["SCHEDULER_WEEKLY_LEAD_DAYS"]
    created = []
    for help_request in due_weekly_requests(now=now, lead_days=lead_days):
        try:
            new = weekly_next_occurrence(help_request=help_request, now=now)
        except MatchingError:
            db.session.rollback()
            continue
        if new is not None:
            created.append(new.id)
    return {"created": len(created)}
