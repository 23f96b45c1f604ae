"""Running jobs: one job once under its run lock (`run_job`), and the scheduler process
that runs them all on their schedule while it holds the lease (`SchedulerProcess`).

APScheduler lives only here, started by `flask scheduler run`: never in web workers
(each forked worker would run every job) and never in tests.
"""

import logging
import signal
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.ops import metrics
from buurthulp.scheduler.holders import new_holder
from buurthulp.scheduler.job_locks import job_lock_acquire, job_lock_release
from buurthulp.scheduler.lease import lease_acquire, lease_release
from buurthulp.scheduler.registry import TIMEZONE, get_job, job_ids, job_specs

log = logging.getLogger(__name__)

HEARTBEAT_JOB_ID = "lease_heartbeat"


class UnknownJob(KeyError):
    pass


def run_job(job_id: str, *, now: datetime | None = None, holder: str | None = None) -> dict | None:
    """Run one job once, inside the current app context, under its run lock.

    Returns the job's summary, or None when the same job is running elsewhere right now.
    """
    spec = get_job(job_id)
    if spec is None:
        raise UnknownJob(job_id)
    now = now or utcnow()
    holder = holder or new_holder()
    max_runtime = timedelta(seconds=current_app.config["SCHEDULER_JOB_MAX_RUNTIME_SECONDS"])
    if not job_lock_acquire(job_id=job_id, holder=holder, now=now, max_runtime=max_runtime):
        log.info("job %s is running elsewhere; skipped", job_id)
        return None
    summary: dict = {"error": "did not finish"}
    metrics.job_started(job_id)
    started = time.perf_counter()
    ok = False
    try:
        summary = spec.func(now)
        ok = True
        log.info("job %s done: %s", job_id, summary)
        return summary
    except Exception as error:
        summary = {"error": repr(error)}
        raise
    finally:
        metrics.job_finished(
            job_id, ok=ok, seconds=time.perf_counter() - started, finished_at=time.time()
        )
        job_lock_release(job_id=job_id, holder=holder, now=utcnow(), summary=summary)


class SchedulerProcess:
    """The one process that runs the jobs on their schedule, while it holds the lease."""

    def __init__(self, app: Flask, *, clock: Callable[[], datetime] = utcnow, holder=None):
        self.app = app
        self.clock = clock
        self.holder = holder or new_holder()
        config = app.config
        self.ttl = timedelta(seconds=config["SCHEDULER_LEASE_SECONDS"])
        self.heartbeat_seconds = config["SCHEDULER_HEARTBEAT_SECONDS"]
        self.misfire_grace = config["SCHEDULER_MISFIRE_GRACE_SECONDS"]
        self.leading: bool | None = None

    def holds_lease(self) -> bool:
        """Take or renew the lease now; False while another scheduler holds it."""
        with self.app.app_context():
            try:
                return lease_acquire(holder=self.holder, now=self.clock(), ttl=self.ttl)
            finally:
                db.session.remove()

    def heartbeat(self) -> None:
        leading = self.holds_lease()
        if leading != self.leading:  # log changes only, not every heartbeat
            state = "holds the lease" if leading else "stands by: another scheduler runs the jobs"
            log.info("scheduler %s %s", self.holder, state)
        self.leading = leading
        metrics.scheduler_leading(leading)

    def run_if_leader(self, job_id: str) -> dict | None:
        """What the scheduler calls for each job: run it only while holding the lease."""
        if not self.holds_lease():
            log.info("job %s not run: another scheduler holds the lease", job_id)
            return None
        with self.app.app_context():
            try:
                return run_job(job_id, now=self.clock(), holder=self.holder)
            finally:
                db.session.remove()

    def build(self, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
        scheduler = scheduler_class(
            timezone=TIMEZONE,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": self.misfire_grace,
            },
        )
        for spec in job_specs():
            scheduler.add_job(
                self.run_if_leader,
                spec.trigger,
                args=[spec.id],
                id=spec.id,
                name=spec.id,
                replace_existing=True,
                **spec.when,
            )
        scheduler.add_job(
            self.heartbeat,
            "interval",
            seconds=self.heartbeat_seconds,
            id=HEARTBEAT_JOB_ID,
            name=HEARTBEAT_JOB_ID,
            next_run_time=self.clock(),
        )
        return scheduler

    def serve_metrics(self):
        """With SCHEDULER_METRICS_PORT set, serve this process's metrics on 127.0.0.1."""
        metrics.scheduler_known_jobs(job_ids())
        port = self.app.config.get("SCHEDULER_METRICS_PORT")
        return metrics.start_metrics_server(port) if port else None

    def run(self) -> None:
        """Block until SIGTERM or SIGINT; give the lease up on the way out."""
        scheduler = self.build()

        def stop(signum, frame):
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        self.serve_metrics()
        # Every heartbeat would log two lines; keep job failures and the jobs' own logs.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        log.info("scheduler %s starting", self.holder)
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            with self.app.app_context():
                lease_release(holder=self.holder, now=self.clock())
                db.session.remove()
