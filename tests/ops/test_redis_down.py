"""Redis unreachable (a closed port): the site keeps working, the login limit still
applies from this process's memory, and a live event is stored without raising (pages
get it through `sync` or a reload: tests/realtime/test_sockets.py)."""

import socket

import pytest
import socketio as python_socketio

from buurthulp.extensions import db, limiter
from buurthulp.realtime import stream
from buurthulp.realtime.models import Event
from tests.factories import PASSWORD


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def app_settings(monkeypatch):
    # The queue's listener thread would retry a dead Redis forever; emitting is what we test.
    monkeypatch.setattr(python_socketio.RedisManager, "_thread", lambda self: None)
    url = _closed_port_url()
    return {
        "REDIS_URL": url,
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


@pytest.fixture(autouse=True)
def _limiter_state_is_not_shared():
    yield
    limiter._storage_dead = False  # the limiter object outlives the app (see config.py)


def test_the_login_limit_still_applies_when_redis_is_down(app, client, make):
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    user = make.user()
    per_minute = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    wrong = {"email": user.email, "password": "Verkeerd-wachtwoord-1"}
    for _ in range(per_minute):
        assert client.post("/inloggen", data=wrong).status_code == 422
    blocked = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "U heeft het te vaak geprobeerd" in blocked.get_data(as_text=True)


def test_pages_and_posting_a_request_work_when_redis_is_down(app, client, make, auth):
    initiative = make.initiative()
    auth.login(make.user(initiative=initiative).email)
    assert client.get("/dichtbij").status_code == 200
    response = client.post(
        "/hulpvragen/nieuw",
        data={
            "title": "Boodschappen",
            "description": "Melk en brood",
            "category": "groceries",
            "when": "flexible",
            "flexible_days": "5",
            "urgency": "normal",
            "recurrence": "once",
        },
    )
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get("/readyz").status_code == 503


def test_a_push_with_redis_down_is_stored_and_does_not_raise(app, make, caplog):
    user = make.user()
    with app.app_context():
        assert app.extensions["socketio"].server.manager.name == "redis"
        event = stream.push(user.id, "notice", {"n": 1}, title="Nieuw")
        assert db.session.get(Event, event.id) is not None
    assert "Cannot publish to redis... giving up" in caplog.text
