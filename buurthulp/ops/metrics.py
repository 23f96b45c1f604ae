"""Prometheus metrics of this process, and the functions the rest of the app records them with.

Each process keeps its own registry (prometheus_client's default): every gunicorn process
(one worker each) is scraped on its own port at /metrics, the scheduler process on
SCHEDULER_METRICS_PORT. Labels take bounded values only: Flask endpoint names, not paths;
job ids; known HTTP methods. No label ever holds a person's data. No Flask here, so services
and the scheduler can record without a request.
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


def request_observed(*, method: str, endpoint: str, status: int, seconds: float) -> None:
    method = method if method in KNOWN_METHODS else "other"
    key = (method, endpoint, status)
    counter = _request_counters.get(key)
    if counter is None:
        counter = _request_counters[key] = HTTP_REQUESTS.labels(method, endpoint, str(status))
    counter.inc()
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
