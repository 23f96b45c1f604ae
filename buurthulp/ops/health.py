"""Health checks for the process manager and the load balancer: plain functions and two routes.

/healthz answers as long as the process serves requests (nothing else is touched, so a
database outage does not get every worker restarted); /readyz says whether this process can
do real work: the database answers and, when REDIS_URL is set, Redis does too. Neither
shows an error's text: it could name a host or a password.
"""

import logging

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from buurthulp.extensions import db, limiter

log = logging.getLogger(__name__)
bp = Blueprint("ops", __name__)
REDIS_TIMEOUT_S = 1.0


def database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means not ready
        db.session.rollback()
        log.warning("readiness: the database does not answer", exc_info=True)
        return False
    finally:
        db.session.remove()


def redis_ready(url: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        log.warning("readiness: Redis does not answer", exc_info=True)
        return False
    finally:
        client.close()


def readiness() -> dict[str, str]:
    checks = {"database": "ok" if database_ready() else "unreachable"}
    url = current_app.config.get("REDIS_URL")
    checks["redis"] = ("ok" if redis_ready(url) else "unreachable") if url else "not configured"
    return checks


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = readiness()
    ready = "unreachable" not in checks.values()
    return jsonify(status="ready" if ready else "not ready", **checks), 200 if ready else 503
