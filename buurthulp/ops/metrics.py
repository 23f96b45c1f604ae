"""Prometheus metrics of this process, and the functions the rest of the app records them with.

Each process keeps its own registry (prometheus_client's default): every gunicorn process
(one worker each) is scraped on its own port at /metrics, the scheduler process on
SCHEDULER_METRICS_PORT. Labels take bounded values only: Flask endpoint names (and
"socketio"), not paths; job ids; known HTTP methods; our own Socket.IO event names. No label
ever holds a person's data. No Flask here, so services and the scheduler can record without
a request.
"""

import logging

from prometheus_client import (
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    start_http_server,
)

log = logging.getLogger(__name__)
# A `_created` timestamp beside every counter doubles the output and no query here uses it.
disable_created_metrics()

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "other"
# The endpoint label of engine.io's own HTTP requests (/socket.io/...), which Flask never sees.
SOCKETIO_ENDPOINT = "socketio"

HTTP_REQUESTS = Counter(
    "buurthulp_http_requests",
    "HTTP requests answered, by method, Flask endpoint and status code.",
    ["method", "endpoint", "status"],
)
HTTP_LATENCY = Histogram(
    "buurthulp_http_request_duration_seconds",
    "Time from the start of a request to its response, by Flask endpoint.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
MATCHES = Counter(
    "buurthulp_matches",
    "Matches made: a volunteer took a request, through an invitation or directly.",
    ["via"],
)
INVITATIONS = Counter("buurthulp_invitations_sent", "Invitations sent to volunteers.")
SOCKETS_OPEN = Gauge(
    "buurthulp_socketio_connections", "Socket.IO connections open in this process right now."
)
SOCKET_EVENTS_RECEIVED = Counter(
    "buurthulp_socketio_events_received",
    "Socket.IO events received from pages, by event name (a name we have no handler for: other).",
    ["event"],
)
SOCKET_EVENTS_EMITTED = Counter(
    "buurthulp_socketio_events_emitted",
    "Socket.IO events this process emitted, to one socket or a room, by event name.",
    ["event"],
)
JOB_RUNS = Counter("buurthulp_scheduler_job_runs", "Scheduler job runs started, by job.", ["job"])
JOB_FAILURES = Counter(
    "buurthulp_scheduler_job_failures", "Scheduler job runs that raised an error, by job.", ["job"]
)
JOB_DURATION = Histogram(
    "buurthulp_scheduler_job_duration_seconds",
    "How long a scheduler job run took, by job.",
    ["job"],
    buckets=(0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0),
)
JOB_LAST_SUCCESS = Gauge(
    "buurthulp_scheduler_job_last_success_timestamp_seconds",
    "Unix time at which the job last finished without an error.",
    ["job"],
)
SCHEDULER_LEADING = Gauge(
    "buurthulp_scheduler_leading", "1 while this scheduler process holds the lease, else 0."
)


# The labelled children, found once: labels() checks and locks on every call. Both dicts stay
# as small as the metrics themselves (endpoints x methods x statuses).
_request_counters: dict[tuple[str, str, int], Counter] = {}
_latency_histograms: dict[str, Histogram] = {}


def _count_request(method: str, endpoint: str, status: int) -> None:
    method = method if method in KNOWN_METHODS else OTHER
    key = (method, endpoint, status)
    counter = _request_counters.get(key)
    if counter is None:
        counter = _request_counters[key] = HTTP_REQUESTS.labels(method, endpoint, str(status))
    counter.inc()


def request_observed(*, method: str, endpoint: str, status: int, seconds: float) -> None:
    _count_request(method, endpoint, status)
    histogram = _latency_histograms.get(endpoint)
    if histogram is None:
        histogram = _latency_histograms[endpoint] = HTTP_LATENCY.labels(endpoint)
    histogram.observe(seconds)


def match_made(*, via: str) -> None:
    MATCHES.labels(via).inc()


def invitations_sent(count: int) -> None:
    if count:
        INVITATIONS.inc(count)


def socket_opened() -> None:
    SOCKETS_OPEN.inc()


def socket_closed() -> None:
    SOCKETS_OPEN.dec()


def socketio_request_observed(*, method: str, status: int) -> None:
    """An engine.io HTTP request (polling, or a websocket when it closes): counted, not
    timed. A long poll waits for something to send and a websocket lasts as long as its
    page, so their durations would only swamp the latency histogram."""
    _count_request(method, SOCKETIO_ENDPOINT, status)


# Event names with a label of their own (socket_event_names); any other name is "other", so
# what a page sends can never add series.
_events_received: dict[str, Counter] = {OTHER: SOCKET_EVENTS_RECEIVED.labels(OTHER)}
_events_emitted: dict[str, Counter] = {OTHER: SOCKET_EVENTS_EMITTED.labels(OTHER)}


def socket_event_names(*, received=(), emitted=()) -> None:
    """Give these event names a label of their own, shown at 0 from the start."""
    for name in received:
        _events_received.setdefault(name, SOCKET_EVENTS_RECEIVED.labels(name))
    for name in emitted:
        _events_emitted.setdefault(name, SOCKET_EVENTS_EMITTED.labels(name))


def socket_event_received(event: object) -> None:
    known = _events_received.get(event) if isinstance(event, str) else None
    (known or _events_received[OTHER]).inc()


def socket_event_emitted(event: str) -> None:
    (_events_emitted.get(event) or _events_emitted[OTHER]).inc()


def job_started(job_id: str) -> None:
    JOB_RUNS.labels(job_id).inc()


def job_finished(job_id: str, *, ok: bool, seconds: float, finished_at: float) -> None:
    JOB_DURATION.labels(job_id).observe(seconds)
    if ok:
        JOB_LAST_SUCCESS.labels(job_id).set(finished_at)
    else:
        JOB_FAILURES.labels(job_id).inc()


def scheduler_known_jobs(job_ids: list[str]) -> None:
    """Show every job's counters from the start (at 0), so a rate over them is defined."""
    for job_id in job_ids:
        JOB_RUNS.labels(job_id)
        JOB_FAILURES.labels(job_id)


def scheduler_leading(leading: bool) -> None:
    SCHEDULER_LEADING.set(1 if leading else 0)


def start_metrics_server(port: int):
    """Serve this process's metrics on 127.0.0.1:`port` (the scheduler, which has no web
    server of its own). Returns the server, whose shutdown() stops it."""
    server, _thread = start_http_server(port, addr="127.0.0.1")
    log.info("metrics on http://127.0.0.1:%s/metrics", port)
    return server
