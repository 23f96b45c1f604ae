"""Real server processes for the multi-process tests: gunicorn as in production (one
threaded worker each), sharing the test database and a Redis channel of their own."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from buurthulp.accounts.login_sessions import session_start
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from tests.factories import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> str:
    """The Redis URL; skipped (or failed in CI, where Redis must run) when unreachable."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is unreachable in CI: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({error}); CI runs this test")
    return REDIS_URL


def server_env(database_url: str, channel: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "BUURTHULP_"))}
    env.update(
        BUURTHULP_ENV="development",  # the development secret: tests sign cookies with it
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SOCKETIO_CHANNEL=channel or f"buurthulp-test-{uuid.uuid4().hex}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path, timeout=90) -> None:
    """Until the app answers: gunicorn listens before its worker has imported the app,
    and on a busy machine that import takes seconds."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/static/favicon.svg"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start:\n{log.read_text()}")


def _start(command: list[str], port: int, env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own server
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_serving(port, process, log)
    except RuntimeError:
        _stop([process])
        raise
    return process


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn_servers(count: int, env: dict, log_dir: Path):
    """Start `count` server processes as in production; yields their base URLs."""
    started, urls = [], []
    try:
        for n in range(count):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "20"]
            command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
            started.append(_start(command, port, env, log_dir / f"server-{n}.log"))
            urls.append(f"http://127.0.0.1:{port}")
        yield urls
    finally:
        _stop(started)


@contextmanager
def flask_run_server(env: dict, log_dir: Path):
    """The development server, as `make run` starts it; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port)]
    process = _start(command, port, env, log_dir / "flask-run.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop([process])


def session_cookie(app, user_id: int) -> str:
    """A signed Flask session cookie for a new login session of the user."""
    with app.app_context():
        token = session_start(user=db.session.get(User, user_id), remember=False)
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.dumps({"_user_id": token, "_fresh": True})
