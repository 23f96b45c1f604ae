"""The scheduler's bookkeeping: the lease, per-job run locks, deliveries sent once,
digest subscriptions, expired requests and anonymised requests."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db


class SchedulerLease(db.Model):
    """One row per lease name: the scheduler process that may run jobs until `expires_at`.

    A second scheduler started by mistake finds the row held and stays idle; it takes
    over when the holder stops renewing (crash, shutdown) and the lease runs out.
    """

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JobRun(db.Model):
    """A job's run lock and its last outcome: one row per job id."""

    __tablename__ = "scheduler_job_runs"

    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Who runs it now, or None; a crashed run's lock lapses at `locked_until`.
    holder: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(Text, default="")


class Delivery(db.Model):
    """A mail or notification a job sent, claimed before sending: the unique key makes it
    go out once, however often or concurrently the job runs."""

    __tablename__ = "scheduler_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("job_id", "key"),)


class DigestSubscription(db.Model):
    """A volunteer who wants the weekly mail of new requests nearby."""

    __tablename__ = "digest_subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RequestExpiry(db.Model):
    """An open request the expiry job closed; `renewed_at` is set when its requester
    put it back."""

    __tablename__ = "request_expiries"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    expired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # How often it expired: part of the renewal mail's delivery key, so each expiry mails once.
    times: Mapped[int] = mapped_column(default=1)
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RequestAnonymisation(db.Model):
    """A closed request whose personal data the retention job removed."""

    __tablename__ = "request_anonymisations"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    anonymised_at: Mapped[datetime] = mapped_column(UTCDateTime())
