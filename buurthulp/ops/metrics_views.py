"""GET /metrics: this process's metrics in Prometheus's text format, for Prometheus only.

Served to a caller on the loopback address that did not come through a proxy (Prometheus
on the same machine, scraping each gunicorn port), and to anyone who sends
`Authorization: Bearer <METRICS_TOKEN>` when that is set. Everyone else gets a 404, as if
the page did not exist.
"""

import hmac
from ipaddress import ip_address

from flask import Blueprint, abort, current_app, request
from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder

from buurthulp.extensions import limiter

bp = Blueprint("metrics", __name__)
# A request that passed a reverse proxy carries one of these: its loopback address is the
# proxy's, not Prometheus's.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def is_local_caller() -> bool:
    try:
        loopback = ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
    return loopback and not any(name in request.headers for name in PROXY_HEADERS)


def has_metrics_token() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return False
    sent = request.headers.get("Authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@bp.get("/metrics")
@limiter.exempt
def metrics():
    if not (is_local_caller() or has_metrics_token()):
        abort(404)
    # The text format, or OpenMetrics when the scraper's Accept header asks for it.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return encode(REGISTRY), 200, {"Content-Type": content_type}
