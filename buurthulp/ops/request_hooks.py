"""Per request: a request id, one access-log line and the request metrics.

The id comes from nginx's X-Request-ID when it is sane (8-64 letters, digits, `.`, `_`,
`-`), otherwise it is made here; it is on `g.request_id`, on every log record made during
the request and in the response's X-Request-ID header. The access line has the method,
the route's template (`/hulpvragen/<int:request_id>`, never the path with its ids, tokens
or query string), the status and the duration; no address, no user. Socket.IO's own HTTP
requests never reach Flask: SocketIORequestMetrics counts them.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

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


# Both hooks run on every request: they resolve the `g` and `request` proxies once, as each
# attribute read through a proxy costs a context lookup (bench/observability.py).


def start_request() -> None:
    context_g = g._get_current_object()
    context_g.request_started = time.perf_counter()
    context_g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))


def finish_request(response: Response) -> Response:
    context_g = g._get_current_object()
    if "request_id" not in context_g:  # a hook before ours ended the request early
        start_request()
    seconds = time.perf_counter() - context_g.request_started
    response.headers[REQUEST_ID_HEADER] = context_g.request_id
    req = request._get_current_object()
    endpoint = req.endpoint or UNMATCHED
    status = response.status_code
    method = req.method
    metrics.request_observed(method=method, endpoint=endpoint, status=status, seconds=seconds)
    level = logging.DEBUG if endpoint in QUIET_ENDPOINTS and status < 400 else logging.INFO
    if access_log.isEnabledFor(level):
        path = req.url_rule.rule if req.url_rule is not None else UNMATCHED
        duration_ms = round(seconds * 1000, 1)
        fields = {"method": method, "path": path, "status": status, "duration_ms": duration_ms}
        access_log.log(level, "%s %s %s %.1fms", method, path, status, duration_ms, extra=fields)
    return response


class SocketIORequestMetrics:
    """WSGI middleware: engine.io answers /socket.io/ (long-polling and the websocket
    upgrade) before Flask, so `finish_request` never sees those requests. They are counted
    here, all under the one endpoint label "socketio": their paths and query strings (with
    the session id) never become labels. No access-log line: every open page polls."""

    def __init__(self, wsgi_app: Callable, *, path: str = "/socket.io/"):
        self.wsgi_app = wsgi_app
        self.path = path

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.wsgi_app(environ, start_response)
        statuses = []

        def start(status: str, headers: list, exc_info=None):
            statuses.append(status)
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        finally:
            # A websocket is one request for as long as it is open. simple-websocket answers
            # the upgrade on the socket itself and ends by raising to the server (on purpose).
            metrics.socketio_request_observed(
                method=environ.get("REQUEST_METHOD", ""), status=_status(statuses, environ)
            )


def _status(statuses: list[str], environ: dict) -> int:
    if statuses:
        return int(statuses[-1].split(" ", 1)[0])
    return 101 if environ.get("HTTP_UPGRADE", "").lower() == "websocket" else 500


def init_request_hooks(app: Flask) -> None:
    """Register before every other hook, so that a limiter or login hook that ends the
    request early still leaves an id and a start time."""
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
