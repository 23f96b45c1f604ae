"""The scheduled jobs: fixed ids, their functions and when they run (Dutch time).

The monitor's nightly roll-up is registered only when the monitor provides
`buurthulp.monitor.rollup.update_rollups(now)`.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from buurthulp.scheduler.jobs import (
    activity_reminders,
    digest,
    escalation,
    expiry,
    followups,
    reminders,
    retention,
    weekly,
)

TIMEZONE = "Europe/Amsterdam"


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[datetime], dict]
    trigger: str  # "interval" or "cron", with APScheduler's arguments in `when`
    when: dict = field(default_factory=dict)


def _monitor_rollup() -> Callable[[datetime], dict] | None:
    try:
        module = importlib.import_module("buurthulp.monitor.rollup")
    except ModuleNotFoundError:
        return None
    update_rollups = getattr(module, "update_rollups", None)
    if update_rollups is None:
        return None

    def job(now: datetime) -> dict:
        result = update_rollups(now)
        return result if isinstance(result, dict) else {"result": result}

    return job


def job_specs() -> list[JobSpec]:
    specs = [
        JobSpec(escalation.JOB_ID, escalation.job, "interval", {"minutes": 5}),
        # Hourly in the daytime: the first run of the day sends, later ones find it sent.
        JobSpec(reminders.JOB_ID, reminders.job, "cron", {"hour": "9-20", "minute": 0}),
        # The day before an activity, from 9:00; later runs remind only late sign-ups.
        JobSpec(
            activity_reminders.JOB_ID, activity_reminders.job, "cron", {"hour": "9-20", "minute": 5}
        ),
        JobSpec(weekly.JOB_ID, weekly.job, "cron", {"minute": 15}),
        JobSpec(expiry.JOB_ID, expiry.job, "cron", {"hour": 3, "minute": 30}),
        JobSpec(digest.JOB_ID, digest.job, "cron", {"day_of_week": "mon", "hour": 9, "minute": 30}),
        JobSpec(retention.JOB_ID, retention.job, "cron", {"hour": 4, "minute": 0}),
        # Hourly in the daytime, like the reminders: the first run on the day sends.
        JobSpec(followups.JOB_ID, followups.job, "cron", {"hour": "9-20", "minute": 5}),
    ]
    rollup = _monitor_rollup()
    if rollup is not None:
        specs.append(JobSpec("monitor_rollup", rollup, "cron", {"hour": 2, "minute": 0}))
    return specs


def job_ids() -> list[str]:
    return [spec.id for spec in job_specs()]


def get_job(job_id: str) -> JobSpec | None:
    return next((spec for spec in job_specs() if spec.id == job_id), None)
