"""Per request: a request id, one access-log line and the request metrics.

The id comes from nginx's X-Request-ID when it is sane (8-64 letters, digits, `.`, `_`,
`-`), otherwise it is made here; it is on `g.request_id`, on every log record made during
the request and in the response's X-Request-ID header. The access line has the method,
the route's template (`/hulpvragen/<int:request_id>`, never the path with its ids, tokens
or query string), the status and the duration; no address, no user.
"""

import logging
import re
import time
import uuid

from flask import Flask, g, request
from flask.wrappers import Response

from buurthulp.ops import metrics

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
UNMATCHED = "<unmatched>"
# Probes and scrapes every few seconds would drown the log; failures still show.
QUIET_ENDPOINTS = frozenset({"ops.healthz", "ops.readyz", "metrics.metrics"})

access_log = logging.getLogger("buurthulp.access")


def request_id_from(value: str | None) -> str:
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def route_template() -> str:
    """The matched route's template, or a fixed word for a path no route knows."""
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


def start_request() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))


def finish_request(response: Response) -> Response:
    if "request_id" not in g:  # a hook before ours ended the request early
        start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or UNMATCHED
    status = response.status_code
    metrics.request_observed(
        method=request.method, endpoint=endpoint, status=status, seconds=seconds
    )
    quiet = endpoint in QUIET_ENDPOINTS and status < 400
    path = route_template()
    duration_ms = round(seconds * 1000, 1)
    access_log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s %.1fms",
        request.method,
        path,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
    return response


def init_request_hooks(app: Flask) -> None:
    """Register before every other hook, so that a limiter or login hook that ends the
    request early still leaves an id and a start time."""
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
