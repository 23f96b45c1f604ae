"""GET /metrics: what it counts, and who may read it."""

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from buurthulp.scheduler import runner
from buurthulp.scheduler.registry import JobSpec
from buurthulp.scheduler.runner import SchedulerProcess
from tests.factories import free_port
from tests.matching import flow_support
from tests.matching.flow_support import NOW
from tests.realtime import conftest as realtime_support
from tests.realtime.conftest import socket_client

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox
pair = realtime_support.pair

REMOTE = {"REMOTE_ADDR": "203.0.113.7"}


def parse(text: str) -> dict[tuple, float]:
    """{(sample name, (label pairs)): value} of one scrape."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client, **kwargs) -> dict[tuple, float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.get_data(as_text=True))


def requests_total(values: dict, endpoint: str, status: str, method: str = "GET") -> float:
    labels = (("endpoint", endpoint), ("method", method), ("status", status))
    return values.get(("buurthulp_http_requests_total", labels), 0.0)


def test_requests_are_counted_by_endpoint_and_status(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/inloggen?email=iemand@example.nl").status_code == 200
    assert client.get("/bestaat-niet/12345").status_code == 404
    assert client.post("/healthz").status_code == 405
    after = scrape(client)

    def grew(endpoint, status, method="GET"):
        return requests_total(after, endpoint, status, method) - requests_total(
            before, endpoint, status, method
        )

    assert grew("accounts.login", "200") == 3
    assert grew("<unmatched>", "404") == 1
    assert grew("<unmatched>", "405", "POST") == 1
    # The previous scrape counts too, under its endpoint name.
    assert grew("metrics.metrics", "200") == 1
    count = ("buurthulp_http_request_duration_seconds_count", (("endpoint", "accounts.login"),))
    assert after[count] - before.get(count, 0.0) == 3
    # Endpoint names, never paths or query strings, become labels.
    labels = {dict(k[1]).get("endpoint") for k in after if k[0].startswith("buurthulp_http")}
    assert not any("/" in (e or "") or "@" in (e or "") for e in labels), labels


def test_unknown_methods_share_one_label(client):
    before = scrape(client)
    client.open("/inloggen", method="BREW")
    after = scrape(client)
    assert requests_total(after, "<unmatched>", "405", "other") == (
        requests_total(before, "<unmatched>", "405", "other") + 1
    )


def test_only_loopback_or_the_token_may_read(app, client):
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404
    # Through a reverse proxy on this machine: the loopback address is the proxy's.
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert proxied.status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 200
    assert (
        client.get(
            "/metrics", environ_base=REMOTE, headers={"Authorization": "Bearer "}
        ).status_code
        == 404
    ), "no METRICS_TOKEN set: no token opens it"

    app.config["METRICS_TOKEN"] = "t" * 40
    good = {"Authorization": "Bearer " + "t" * 40}
    assert client.get("/metrics", environ_base=REMOTE, headers=good).status_code == 200
    for wrong in ("Bearer " + "t" * 39, "t" * 40, "Basic " + "t" * 40):
        headers = {"Authorization": wrong}
        assert client.get("/metrics", environ_base=REMOTE, headers=headers).status_code == 404


def test_a_real_accept_counts_one_match_and_the_invitations(ctx, people, open_request, outbox):
    from buurthulp.extensions import db
    from buurthulp.listings.models import HelpRequest
    from buurthulp.matching import services

    invited_before = _sample("buurthulp_invitations_sent_total")
    matches_before = _sample("buurthulp_matches_total", {"via": "invitation"})
    help_request = db.session.get(HelpRequest, open_request.id)
    invitations = services.invitations_send(help_request=help_request, now=NOW)
    assert (
        _sample("buurthulp_invitations_sent_total")
        == invited_before + len(invitations)
        == (invited_before + 5)
    )
    services.invitation_accept(
        invitation_id=invitations[0].id, volunteer_id=invitations[0].volunteer_id, now=NOW
    )
    assert _sample("buurthulp_matches_total", {"via": "invitation"}) == matches_before + 1
    # A second accept loses: no match, nothing counted.
    with pytest.raises(services.MatchingError):
        services.invitation_accept(
            invitation_id=invitations[1].id, volunteer_id=invitations[1].volunteer_id, now=NOW
        )
    assert _sample("buurthulp_matches_total", {"via": "invitation"}) == matches_before + 1


def test_a_direct_accept_counts_as_direct(ctx, people, open_request, outbox):
    from buurthulp.matching import services

    before = _sample("buurthulp_matches_total", {"via": "direct"})
    volunteer = people.volunteers[0]
    services.request_accept(request_id=open_request.id, volunteer=volunteer, now=NOW)
    assert _sample("buurthulp_matches_total", {"via": "direct"}) == before + 1


def _sample(name: str, labels: dict | None = None) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_job_runs_and_failures_are_counted_by_job(ctx, monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    specs = {"fine": JobSpec("fine", lambda now: {"done": 1}, "cron"), "broken": None}
    specs["broken"] = JobSpec("broken", broken, "cron")
    monkeypatch.setattr(runner, "get_job", specs.get)
    runs = {job: _sample("buurthulp_scheduler_job_runs_total", {"job": job}) for job in specs}
    fails = {job: _sample("buurthulp_scheduler_job_failures_total", {"job": job}) for job in specs}

    assert runner.run_job("fine", now=NOW) == {"done": 1}
    with pytest.raises(RuntimeError):
        runner.run_job("broken", now=NOW)
    with pytest.raises(RuntimeError):
        runner.run_job("broken", now=NOW)

    assert _sample("buurthulp_scheduler_job_runs_total", {"job": "fine"}) == runs["fine"] + 1
    assert _sample("buurthulp_scheduler_job_failures_total", {"job": "fine"}) == fails["fine"]
    assert _sample("buurthulp_scheduler_job_runs_total", {"job": "broken"}) == runs["broken"] + 2
    assert (
        _sample("buurthulp_scheduler_job_failures_total", {"job": "broken"}) == fails["broken"] + 2
    )
    assert _sample("buurthulp_scheduler_job_last_success_timestamp_seconds", {"job": "fine"}) > 0
    assert _sample("buurthulp_scheduler_job_last_success_timestamp_seconds", {"job": "broken"}) == 0


def test_open_sockets_go_up_and_down(app, client, auth, pair):
    def open_now():
        return _sample("buurthulp_socketio_connections")

    start = open_now()
    assert not socket_client(app, client).is_connected()  # anonymous: refused, not counted
    assert open_now() == start
    auth.login_as(pair.requester)
    first, second = socket_client(app, client), socket_client(app, client)
    assert first.is_connected() and second.is_connected()
    assert open_now() == start + 2
    first.disconnect()
    assert open_now() == start + 1
    second.disconnect()
    assert open_now() == start


def test_scheduler_serves_its_metrics_on_loopback_when_a_port_is_set(app, make_app, database_url):
    assert SchedulerProcess(app).serve_metrics() is None  # no SCHEDULER_METRICS_PORT: nothing
    port = free_port()
    scheduler_app = make_app(database_url, SCHEDULER_METRICS_PORT=port)
    server = SchedulerProcess(scheduler_app).serve_metrics()
    try:
        assert server.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            values = parse(response.read().decode())
    finally:
        server.shutdown()
        server.server_close()
    # Every job is listed from the start, at 0 or more.
    assert ("buurthulp_scheduler_job_runs_total", (("job", "retention"),)) in values
    assert ("buurthulp_scheduler_leading", ()) in values


def test_socketio_http_requests_are_counted_under_one_endpoint(client):
    """engine.io answers /socket.io/ before Flask; each request still counts, under
    "socketio", whatever its path and session id."""
    before = scrape(client)
    assert client.get("/socket.io/?EIO=4&transport=polling").status_code == 200  # handshake
    for sid in ("onbekend-1", "onbekend-2"):
        url = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
        assert client.post(url, data="40").status_code == 400
    assert client.get("/socket.io/iets/anders/12345?sid=x").status_code == 400
    after = scrape(client)

    def grew(status, method="GET"):
        return requests_total(after, "socketio", status, method) - requests_total(
            before, "socketio", status, method
        )

    assert (grew("200"), grew("400", "POST"), grew("400")) == (1, 2, 1)
    assert requests_total(after, "<unmatched>", "400") == requests_total(
        before, "<unmatched>", "400"
    )
    labels = {v for k in after if k[0].startswith("buurthulp_http") for _, v in k[1]}
    assert not any("socket.io" in v or "onbekend" in v for v in labels), labels
    # Counted, not timed: a long poll or a websocket lasts as long as it has nothing to say.
    assert not [k for k in after if "duration" in k[0] and ("endpoint", "socketio") in k[1]]


def test_a_websocket_counts_once_when_it_closes(app, client):
    """simple-websocket answers the upgrade on the socket itself and ends the request by
    raising to the server (under gunicorn); the request still counts, as a 101."""
    from buurthulp.ops.request_hooks import SocketIORequestMetrics

    def websocket_until_closed(environ, start_response):
        raise StopIteration

    middleware = SocketIORequestMetrics(websocket_until_closed)
    environ = {
        "PATH_INFO": "/socket.io/",
        "QUERY_STRING": "EIO=4&transport=websocket",
        "REQUEST_METHOD": "GET",
        "HTTP_UPGRADE": "websocket",
    }
    before = requests_total(scrape(client), "socketio", "101")
    with pytest.raises(StopIteration):
        middleware(environ, lambda *args: None)
    assert requests_total(scrape(client), "socketio", "101") == before + 1


def socket_events(values: dict, direction: str) -> dict[str, float]:
    name = f"buurthulp_socketio_events_{direction}_total"
    return {
        dict(labels)["event"]: value for (sample, labels), value in values.items() if sample == name
    }


def test_socket_events_are_counted_by_our_event_names(app, client, auth, pair):
    from buurthulp.realtime import stream

    auth.login_as(pair.requester)
    with app.app_context():
        stream.push(pair.requester.id, "notice", {}, title="Eerder")  # nobody connected yet
    before = scrape(client)
    # Every name we know is there from the start, so a rate over it is defined.
    assert set(socket_events(before, "received")) == {"send_message", "sync", "other"}
    assert set(socket_events(before, "emitted")) == {"event", "other"}

    socket = socket_client(app, client)
    assert socket.is_connected()
    assert socket.emit("sync", {"last_id": 0}, callback=True) == {"ok": True, "replayed": 1}
    payload = {"match_id": pair.match_id, "body": "Tot zo", "client_key": "m" * 16}
    assert socket.emit("send_message", payload, callback=True)["ok"] is True
    for made_up in ("verzonnen", "nog-een-verzonnen", "verzonnen"):
        socket.emit(made_up, {"x": 1})
    socket.disconnect()
    after = scrape(client)

    def grew(direction):
        old = socket_events(before, direction)
        return {
            name: value - old.get(name, 0)
            for name, value in socket_events(after, direction).items()
        }

    assert grew("received") == {"send_message": 1, "sync": 1, "other": 3}
    # The replayed event, and the message to each side's room.
    assert grew("emitted") == {"event": 3, "other": 0}
