"""The scheduler's commands make their process a write-only client of the Socket.IO
message queue: it publishes what it emits and never starts a thread listening to Redis.
Web processes keep listening. (Delivery through Redis to a web process's page:
test_multiprocess.py.)"""

import pytest
import socketio as python_socketio

from buurthulp.extensions import socketio
from buurthulp.realtime.setup import emit_only
from buurthulp.scheduler import cli as scheduler_cli

# Nothing here connects to it: building a manager and initialising a write-only one do not.
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def app_settings():
    return {"REDIS_URL": REDIS_URL, "SOCKETIO_CHANNEL": "buurthulp-test-write-only"}


def manager() -> python_socketio.Manager:
    return socketio.server.manager


def assert_write_only_and_never_listens() -> None:
    queue = manager()
    assert isinstance(queue, python_socketio.RedisManager)
    assert queue.write_only is True
    assert queue.channel == "buurthulp-test-write-only"
    assert queue.redis_options == {"socket_connect_timeout": 2}
    queue.initialize()  # what python-socketio does when the first socket connects
    assert getattr(queue, "thread", None) is None, "a listener thread was started"


def test_a_web_process_listens(app):
    queue = manager()
    assert isinstance(queue, python_socketio.RedisManager)
    assert queue.write_only is False and app.config["SOCKETIO_WRITE_ONLY"] is False


def test_run_job_is_write_only(app):
    result = app.test_cli_runner().invoke(
        args=["scheduler", "run-job", "retention", "--now", "2026-11-23T09:00:00"]
    )
    assert result.exit_code == 0, result.output
    assert_write_only_and_never_listens()


def test_the_scheduler_process_is_write_only_before_it_runs_a_job(app, monkeypatch):
    seen = []
    monkeypatch.setattr(
        scheduler_cli.SchedulerProcess,
        "run",
        lambda process: seen.append((process.app, manager().write_only)),
    )
    result = app.test_cli_runner().invoke(args=["scheduler", "run"])
    assert result.exit_code == 0, result.output
    assert seen == [(app, True)]
    assert_write_only_and_never_listens()


def test_an_emit_only_process_without_redis_keeps_its_own_memory(make_app, database_url):
    plain = make_app(database_url, REDIS_URL=None)
    emit_only(plain, socketio)
    assert type(manager()) is python_socketio.Manager


def test_emit_only_after_a_socket_connected_is_refused(app, monkeypatch):
    monkeypatch.setattr(socketio.server, "manager_initialized", True)
    with pytest.raises(RuntimeError, match="listener already runs"):
        emit_only(app, socketio)
