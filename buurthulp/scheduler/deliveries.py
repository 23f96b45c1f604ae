"""Mail and notifications from jobs go out once: claim a unique (job, key) row first, then
send. A second run, or a concurrent one, finds the claim and sends nothing.

At most once rather than at least once: when the mail server fails after the claim, the
message is logged (notify does that) and not retried; a double reminder to an elderly
resident is worse than a missing one, and the web pages show the same facts.
"""

from sqlalchemy.exc import IntegrityError

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.scheduler.models import Delivery


def delivery_claim(*, job_id: str, key: str, user_id: int | None) -> bool:
    """Record that `job_id` sends `key` now; False when it was claimed before."""
    db.session.commit()  # our own transaction: a failed claim must not undo the caller's work
    db.session.add(Delivery(job_id=job_id, key=key, user_id=user_id, created_at=utcnow()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
