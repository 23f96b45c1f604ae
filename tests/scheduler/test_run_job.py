"""Run locks: the same job never runs twice at once; `flask scheduler run-job` runs one."""

import json
import sys
import threading
import time
import types
from datetime import timedelta

import pytest

from buurthulp.extensions import db
from buurthulp.scheduler import registry, runner
from buurthulp.scheduler.job_locks import job_lock_acquire, job_lock_release
from buurthulp.scheduler.models import JobRun
from buurthulp.scheduler.registry import JobSpec
from tests.scheduler.conftest import NOW

HOUR = timedelta(hours=1)


def test_lock_is_exclusive_and_lapses(ctx):
    assert job_lock_acquire(job_id="x", holder="a", now=NOW, max_runtime=HOUR)
    assert not job_lock_acquire(job_id="x", holder="b", now=NOW, max_runtime=HOUR)
    assert job_lock_acquire(job_id="y", holder="b", now=NOW, max_runtime=HOUR)
    # A run that crashed without releasing: its lock lapses after max_runtime.
    assert job_lock_acquire(job_id="x", holder="b", now=NOW + HOUR, max_runtime=HOUR)
    job_lock_release(job_id="x", holder="b", now=NOW + HOUR, summary={"done": 1})
    row = db.session.get(JobRun, "x")
    db.session.refresh(row)
    assert (row.holder, json.loads(row.summary)) == (None, {"done": 1})
    assert job_lock_acquire(job_id="x", holder="a", now=NOW + HOUR, max_runtime=HOUR)


@pytest.fixture
def slow_job(monkeypatch):
    """A job that takes a moment and counts how often its body ran."""
    calls = []

    def job(now):
        calls.append(now)
        time.sleep(0.3)
        return {"calls": len(calls)}

    specs = [JobSpec("slow", job, "interval", {"minutes": 5})]
    monkeypatch.setattr(runner, "get_job", lambda job_id: specs[0] if job_id == "slow" else None)
    return calls


def test_threads_starting_the_same_job_run_it_once(app, slow_job):
    barrier = threading.Barrier(8)
    results, errors = [], []

    def start():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(runner.run_job("slow", now=NOW))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(slow_job) == 1
    assert results.count(None) == 7 and [r for r in results if r] == [{"calls": 1}]
    # Finished: the next run goes ahead.
    with app.app_context():
        assert runner.run_job("slow", now=NOW + timedelta(minutes=5)) == {"calls": 2}


def test_a_failing_job_releases_its_lock(ctx, monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "get_job", lambda job_id: JobSpec("broken", broken, "cron"))
    with pytest.raises(RuntimeError):
        runner.run_job("broken", now=NOW)
    row = db.session.get(JobRun, "broken")
    assert row.holder is None and "boom" in row.summary
    assert job_lock_acquire(job_id="broken", holder="z", now=NOW, max_runtime=HOUR)


def test_unknown_job(ctx):
    with pytest.raises(runner.UnknownJob):
        runner.run_job("nope", now=NOW)


def test_cli_runs_one_job_and_prints_its_summary(app):
    result = app.test_cli_runner().invoke(
        args=["scheduler", "run-job", "retention", "--now", "2026-11-23T09:00:00"]
    )
    assert result.exit_code == 0, result.output
    # The summary is stdout; the log (the job's "done" line among it) goes to stderr.
    assert json.loads(result.stdout) == {
        "anonymised": 0,
        "deliveries_removed": 0,
        "cutoff": "2025-05-23T09:00:00+00:00",
    }
    result = app.test_cli_runner().invoke(args=["scheduler", "run-job", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_monitor_rollup_only_when_the_monitor_provides_it(ctx, monkeypatch):
    monkeypatch.delitem(sys.modules, "buurthulp.monitor.rollup", raising=False)
    monkeypatch.delitem(sys.modules, "buurthulp.monitor", raising=False)
    if registry._monitor_rollup() is None:
        assert "monitor_rollup" not in registry.job_ids()
    rolled = []
    package = types.ModuleType("buurthulp.monitor")
    package.__path__ = []
    module = types.ModuleType("buurthulp.monitor.rollup")
    module.update_rollups = lambda now: rolled.append(now) or {"days": 1}
    monkeypatch.setitem(sys.modules, "buurthulp.monitor", package)
    monkeypatch.setitem(sys.modules, "buurthulp.monitor.rollup", module)
    assert "monitor_rollup" in registry.job_ids()
    assert runner.run_job("monitor_rollup", now=NOW) == {"days": 1}
    assert rolled == [NOW]
