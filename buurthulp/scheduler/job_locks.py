"""Per-job run locks: the same job never runs twice at the same time, whichever process or
thread starts it (the lease, `flask scheduler run-job` by hand, a second scheduler)."""

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from buurthulp.extensions import db
from buurthulp.scheduler.holders import holder_is_gone
from buurthulp.scheduler.models import JobRun

log = logging.getLogger(__name__)


def job_lock_acquire(*, job_id: str, holder: str, now: datetime, max_runtime: timedelta) -> bool:
    """Lock `job_id` for `holder` until now + max_runtime; False when it is running
    elsewhere. A lock a crashed run left behind lapses at its `locked_until`, or at once
    when its holder was a process on this host that has ended (killed mid-job)."""
    db.session.commit()  # a fresh transaction, so SQLite's write lock is not an upgrade
    values = {"holder": holder, "locked_until": now + max_runtime, "started_at": now}
    free = or_(JobRun.holder.is_(None), JobRun.locked_until <= now)
    gone = _gone_holder(job_id)
    if gone is not None:
        log.warning("job %s: taking over the lock of %s, whose process has ended", job_id, gone)
        free = or_(free, JobRun.holder == gone)  # still that holder: nobody else took it
    try:
        taken = db.session.execute(
            update(JobRun)
            .where(JobRun.job_id == job_id, free)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 0:
            if db.session.get(JobRun, job_id) is not None:
                db.session.rollback()
                return False
            db.session.add(JobRun(job_id=job_id, summary="", **values))
        db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()
        return False
    return True


def _gone_holder(job_id: str) -> str | None:
    """The lock's holder when it is a process on this host that no longer exists."""
    holder = db.session.execute(select(JobRun.holder).where(JobRun.job_id == job_id)).scalar()
    db.session.commit()
    return holder if holder_is_gone(holder) else None


def job_lock_release(*, job_id: str, holder: str, now: datetime, summary: dict) -> None:
    """Unlock and keep the run's summary (as JSON) for operators."""
    db.session.rollback()  # whatever the job left half-done is not ours to commit
    db.session.execute(
        update(JobRun)
        .where(JobRun.job_id == job_id, JobRun.holder == holder)
        .values(
            holder=None,
            locked_until=None,
            finished_at=now,
            summary=json.dumps(summary, default=str, sort_keys=True),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
