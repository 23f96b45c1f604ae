"""Two real server processes sharing the database and Redis: an event emitted in one
reaches a client connected to the other, and a process that only emits (the scheduler,
a write-only client of the queue) reaches both."""

import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from datetime import timedelta

import socketio
from prometheus_client.parser import text_string_to_metric_families

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.listings.models import HelpRequest
from tests.realtime import live_servers

WAIT = 15  # seconds; delivery takes milliseconds, a slow CI machine may need more


class Listener:
    """A python-socketio client that keeps the stream events it receives."""

    def __init__(self, url: str, cookie: str):
        self.events = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False, request_timeout=30)
        self.client.on("event", self._keep)
        self.client.connect(
            url, headers={"Cookie": f"session={cookie}"}, transports=["websocket"], wait_timeout=30
        )

    def _keep(self, event):
        with self.arrived:
            self.events.append(event)
            self.arrived.notify_all()

    def wait_for(self, predicate) -> dict | None:
        with self.arrived:
            self.arrived.wait_for(lambda: any(predicate(e) for e in self.events), timeout=WAIT)
            return next((e for e in self.events if predicate(e)), None)


EMIT_FROM_ANOTHER_PROCESS = textwrap.dedent(
    """
    import os, sys
    from flask_socketio import SocketIO
    from buurthulp.app import create_app
    from buurthulp.realtime import stream

    anna, bert = int(sys.argv[1]), int(sys.argv[2])
    app = create_app({"SOCKETIO_WRITE_ONLY": True})
    with app.app_context():
        stream.push(anna, "notice", {"from": "scheduler"}, title="Van de planner")
    emitter = SocketIO(message_queue=os.environ["REDIS_URL"],
                       channel=os.environ["SOCKETIO_CHANNEL"])
    emitter.emit("event", {"id": 0, "kind": "ping", "data": {"from": "bare"}}, to=f"user:{bert}")
    """
)


def test_events_cross_server_processes_through_redis(app, pair, database_url, tmp_path):
    live_servers.require_redis()
    env = live_servers.server_env(database_url)
    anna_cookie = live_servers.session_cookie(app, pair.requester.id)
    bert_cookie = live_servers.session_cookie(app, pair.volunteer.id)
    with live_servers.gunicorn_servers(2, env, tmp_path) as (first, second):
        anna = Listener(first, anna_cookie)
        bert = Listener(second, bert_cookie)
        try:
            payload = {"match_id": pair.match_id, "body": "Tot zaterdag!", "client_key": "x" * 16}
            answer = anna.client.call("send_message", payload, timeout=WAIT)
            assert answer["ok"] is True
            message = bert.wait_for(lambda e: e["kind"] == "message")
            assert message is not None, "the message did not reach the other server's client"
            assert message["data"]["text"] == "Tot zaterdag!"
            assert message["title"] == "Nieuw bericht van Anna V."

            subprocess.run(  # noqa: S603 - our own script
                [sys.executable, "-c", EMIT_FROM_ANOTHER_PROCESS]
                + [str(pair.requester.id), str(pair.volunteer.id)],
                cwd=live_servers.PROJECT_ROOT,
                env=env,
                check=True,
                timeout=60,
            )
            planned = anna.wait_for(lambda e: e["data"].get("from") == "scheduler")
            assert planned is not None and planned["title"] == "Van de planner"
            assert bert.wait_for(lambda e: e["data"].get("from") == "bare") is not None
            assert not [e for e in anna.events if e["data"].get("from") == "bare"]
        finally:
            anna.client.disconnect()
            bert.client.disconnect()
        # Anna's server: her websocket (one request, counted when it closed), her message
        # received, and the message emitted to both rooms; Bert's got it through Redis.
        wanted = {
            ("buurthulp_http_requests_total", "socketio", "101"): 1,
            ("buurthulp_socketio_events_received_total", "send_message"): 1,
            ("buurthulp_socketio_events_emitted_total", "event"): 2,
        }
        assert metrics_reach(first, wanted)
        assert metrics_reach(second, {("buurthulp_http_requests_total", "socketio", "101"): 1})


def metrics_reach(base_url: str, wanted: dict) -> bool:
    """Whether the server's /metrics reach the wanted values within WAIT seconds: a
    websocket's request ends just after the client closed it."""
    deadline = time.monotonic() + WAIT
    while True:
        with urllib.request.urlopen(f"{base_url}/metrics", timeout=10) as response:  # noqa: S310
            text = response.read().decode()
        values = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = sample.labels
                key = (sample.name, labels.get("endpoint") or labels.get("event"))
                key += (labels["status"],) if "status" in labels else ()
                values[key] = values.get(key, 0) + sample.value
        if all(values.get(key, 0) >= least for key, least in wanted.items()):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def test_the_schedulers_reminders_reach_pages_on_the_web_processes(
    app, pair, database_url, tmp_path
):
    """`flask scheduler run-job` as the scheduler runs it (write-only on the queue, see
    test_write_only.py): each side's reminder reaches their page on another process."""
    live_servers.require_redis()
    tomorrow = utcnow().astimezone(TIMEZONE).date() + timedelta(days=1)
    with app.app_context():
        db.session.get(HelpRequest, pair.request_id).on_date = tomorrow
        db.session.commit()
    env = live_servers.server_env(database_url)
    env["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    cookies = [live_servers.session_cookie(app, p.id) for p in (pair.requester, pair.volunteer)]
    with live_servers.gunicorn_servers(2, env, tmp_path) as urls:
        anna, bert = (Listener(url, cookie) for url, cookie in zip(urls, cookies, strict=True))
        try:
            done = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, "-m", "flask", "--app", "wsgi"]
                + ["scheduler", "run-job", "remind_day_before"],
                cwd=live_servers.PROJECT_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr[-2000:]
            assert '"reminders": 2' in done.stdout
            for listener in (anna, bert):
                reminder = listener.wait_for(lambda e: e["title"].startswith("Morgen: "))
                assert reminder is not None, "the scheduler's reminder did not arrive"
        finally:
            anna.client.disconnect()
            bert.client.disconnect()


def test_servers_refuse_a_socket_without_login(app, database_url, tmp_path):
    live_servers.require_redis()
    env = live_servers.server_env(database_url)
    with live_servers.gunicorn_servers(1, env, tmp_path) as (url,):
        client = socketio.Client(reconnection=False, request_timeout=30)
        refusals = []
        client.on("connect_error", refusals.append)
        try:
            client.connect(url, transports=["websocket"], wait_timeout=30)
        except socketio.exceptions.ConnectionError:
            pass
        else:
            client.disconnect()
            raise AssertionError("an anonymous socket was accepted")
        assert refusals == [{"message": "login required"}]


def test_flask_run_serves_websockets(app, pair, database_url, tmp_path):
    """`make run` uses `flask run`: the threading mode must upgrade to a real websocket."""
    env = live_servers.server_env(database_url)
    env.pop("REDIS_URL")
    env["FLASK_APP"] = "wsgi"
    cookie = live_servers.session_cookie(app, pair.requester.id)
    with live_servers.flask_run_server(env, tmp_path) as url:
        listener = Listener(url, cookie)
        try:
            assert listener.client.transport() == "websocket"
            payload = {"match_id": pair.match_id, "body": "Hallo", "client_key": "y" * 16}
            assert listener.client.call("send_message", payload, timeout=WAIT)["ok"] is True
            own_copy = listener.wait_for(lambda e: e["kind"] == "message")
            assert own_copy is not None and own_copy["data"]["text"] == "Hallo"
        finally:
            listener.client.disconnect()
