"""/healthz and /readyz: alive, and able to reach the database and Redis."""

import os
import socket

import pytest

from buurthulp.ops import health


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_alive_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"].startswith("no-store")


def test_ready_with_the_database_and_no_redis_configured(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "database": "ok",
        "redis": "not configured",
    }


def test_not_ready_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body == {"status": "not ready", "database": "ok", "redis": "unreachable"}
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_not_ready_when_the_database_does_not_answer(make_app, tmp_path):
    broken = make_app(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite'}")
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert "missing" not in response.get_data(as_text=True)


def test_redis_on_this_machine_is_ready_when_it_runs():
    # CI starts Redis on 127.0.0.1:6379 (.ci/run); elsewhere the check may say no.
    if not os.environ.get("CI"):
        pytest.skip("Redis is only guaranteed under CI")
    assert health.redis_ready("redis://127.0.0.1:6379/0")
