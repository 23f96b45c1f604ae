"""The scheduler lease: at most one scheduler process runs jobs at a time.

The holder renews the lease on every heartbeat; another process takes it only after it
expired. Taking or renewing is one conditional UPDATE (or the first INSERT), so the
database decides between two schedulers on SQLite and PostgreSQL alike.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from buurthulp.extensions import db
from buurthulp.scheduler.holders import holder_is_gone
from buurthulp.scheduler.models import SchedulerLease

LEASE_NAME = "scheduler"


def lease_acquire(*, holder: str, now: datetime, ttl: timedelta, name: str = LEASE_NAME) -> bool:
    """Take or renew the lease for `ttl` from `now`; False when another holder has it."""
    db.session.commit()  # a fresh transaction, so SQLite's write lock is not an upgrade
    free = or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now)
    current = db.session.execute(
        select(SchedulerLease.holder).where(SchedulerLease.name == name)
    ).scalar()
    db.session.commit()
    if current != holder and holder_is_gone(current):
        # Killed without giving the lease up; its successor on this host starts at once.
        free = or_(free, SchedulerLease.holder == current)
    try:
        taken = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, free)
            .values(holder=holder, expires_at=now + ttl, renewed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 0:
            if db.session.get(SchedulerLease, name) is not None:
                db.session.rollback()
                return False
            db.session.add(
                SchedulerLease(name=name, holder=holder, expires_at=now + ttl, renewed_at=now)
            )
        db.session.commit()
    except (IntegrityError, OperationalError):
        # Another scheduler inserted the first row, or held the database lock too long.
        db.session.rollback()
        return False
    return True


def lease_release(*, holder: str, now: datetime, name: str = LEASE_NAME) -> None:
    """Give the lease up at shutdown, so a standby scheduler need not wait for it to expire."""
    db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
