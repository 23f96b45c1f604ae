"""`flask scheduler run` (the scheduler process) and `flask scheduler run-job JOB_ID`."""

import json
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from buurthulp.extensions import socketio
from buurthulp.realtime.setup import emit_only
from buurthulp.scheduler.registry import job_ids
from buurthulp.scheduler.runner import SchedulerProcess, run_job

scheduler_cli = AppGroup("scheduler", help="Scheduled work: run the scheduler, or one job.")


def _emitting_app() -> Flask:
    app = current_app._get_current_object()
    # Jobs push notifications but no page connects here: no listener thread on Redis.
    emit_only(app, socketio)
    return app


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in this process (one per installation; a second one stands by)."""
    SchedulerProcess(_emitting_app()).run()


def _parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@scheduler_cli.command("run-job")
@click.argument("job_id", type=click.Choice(job_ids()))
@click.option("--now", "now_text", help="Run as if it were this moment (ISO 8601, UTC if naive).")
def run_job_command(job_id: str, now_text: str | None) -> None:
    """Run one job once, now, and print its summary as JSON."""
    _emitting_app()
    summary = run_job(job_id, now=_parse_now(now_text))
    if summary is None:
        raise click.ClickException(f"{job_id} is running elsewhere; nothing done")
    click.echo(json.dumps(summary, default=str, sort_keys=True))
