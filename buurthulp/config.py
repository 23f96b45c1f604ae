"""Settings from the environment.

`BUURTHULP_ENV` picks the profile: `production` (the default, so a forgotten
variable never yields a debug server), `development` or `testing`.
"""

import math
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

# Refused in production (load_settings); bandit and ruff see a password literal.
DEVELOPMENT_SECRET = "development-only-not-secret"  # noqa: S105  # nosec B105
MIN_SECRET_LENGTH = 32
RESET_LINK_SECONDS = 3600
HASH_METHOD = "scrypt"  # werkzeug's strongest built-in method


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why."""


# Every numeric variable, its default and its smallest sensible value; `number_problems` and
# `base_settings` both read this table.
INT_VARIABLES: dict[str, tuple[int, int]] = {
    "TRUSTED_PROXIES": (0, 0),
    "MAIL_PORT": (587, 1),
    "SCHEDULER_LEASE_SECONDS": (120, 1),
    "SCHEDULER_HEARTBEAT_SECONDS": (30, 1),
    "SCHEDULER_MISFIRE_GRACE_SECONDS": (900, 1),
    "SCHEDULER_JOB_MAX_RUNTIME_SECONDS": (3600, 1),
    "SCHEDULER_EXPIRE_AFTER_DAYS": (30, 1),
    "SCHEDULER_WEEKLY_LEAD_DAYS": (0, 0),
    "RETENTION_MONTHS": (18, 1),
    "SCHEDULER_METRICS_PORT": (0, 0),  # 0: no metrics server in the scheduler
    "WEB_ACTIVE_REQUESTS": (2, 0),  # page requests running at once per process; 0: no limit
}
FLOAT_VARIABLES: dict[str, tuple[float, float]] = {"SCHEDULER_DIGEST_RADIUS_KM": (2.0, 0.1)}


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def number_problem(env: Mapping[str, str], name: str) -> str | None:
    """Why the number in variable `name` cannot be used, in plain words; None when it can."""
    value = (env.get(name) or "").strip()
    if not value:
        return None
    is_int = name in INT_VARIABLES
    default, minimum = INT_VARIABLES[name] if is_int else FLOAT_VARIABLES[name]
    try:
        number = int(value) if is_int else float(value)
        if not math.isfinite(number):
            raise ValueError(value)
    except ValueError:
        kind = "a whole number" if is_int else "a number (with a decimal point)"
        return f"{value!r} is not {kind}; leave it out for the default, {default}"
    if number < minimum:
        return f"{value!r} is too small: use {minimum} or more (the default is {default})"
    return None


def _number(env: Mapping[str, str], name: str):
    problem = number_problem(env, name)
    if problem:
        raise ConfigError(f"{name}: {problem}")
    value = (env.get(name) or "").strip()
    if name in INT_VARIABLES:
        return int(value) if value else INT_VARIABLES[name][0]
    return float(value) if value else FLOAT_VARIABLES[name][0]


def _database_url(env: Mapping[str, str]) -> str:
    url = env.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'buurthulp.sqlite'}"
    # Hosting panels hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def base_settings(env: Mapping[str, str] | None = None) -> dict:
    """Settings shared by every profile, read from `env` (default: the environment) now."""
    env = os.environ if env is None else env
    redis_url = env.get("REDIS_URL") or None
    return {
        "ENV_NAME": "production",
        "DEBUG": False,
        "TESTING": False,
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(env),
        "SQLALCHEMY_ENGINE_OPTIONS": {},  # liveness: buurthulp.db_liveness
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down: count in this process's memory (limits still apply, per process), go
        # back to Redis once it answers, and do not hang a request on a dead connection.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": (
            {"socket_connect_timeout": 1, "socket_timeout": 1} if redis_url else {}
        ),
        # Processes that share REDIS_URL and this channel deliver each other's Socket.IO events.
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL") or "buurthulp-socketio",
        # A process that only emits: no listener thread on Redis. The scheduler's commands
        # set it themselves (realtime.setup.emit_only).
        "SOCKETIO_WRITE_ONLY": False,
        # Always explicit: the limiter object is shared, and would keep a previous app's value.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_STRATEGY": "moving-window",
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": ("nl", "en"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "PREFERRED_URL_SCHEME": "https",
        "HSTS": True,
        "SERVER_BASE_URL": env.get("SERVER_BASE_URL"),
        # How many reverse proxies (nginx, a load balancer) stand in front and set X-Forwarded-*.
        "TRUSTED_PROXIES": _number(env, "TRUSTED_PROXIES"),
        "WEB_ACTIVE_REQUESTS": _number(env, "WEB_ACTIVE_REQUESTS"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": _number(env, "MAIL_PORT"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env, "MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _bool(env, "MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Buurthulp <noreply@localhost>"),
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR") or str(INSTANCE_DIR / "outbox"),
        "PASSWORD_RESET_MAX_AGE": RESET_LINK_SECONDS,
        # The scheduler process (flask scheduler run) and its jobs.
        "SCHEDULER_LEASE_SECONDS": _number(env, "SCHEDULER_LEASE_SECONDS"),
        "SCHEDULER_HEARTBEAT_SECONDS": _number(env, "SCHEDULER_HEARTBEAT_SECONDS"),
        "SCHEDULER_MISFIRE_GRACE_SECONDS": _number(env, "SCHEDULER_MISFIRE_GRACE_SECONDS"),
        "SCHEDULER_JOB_MAX_RUNTIME_SECONDS": _number(env, "SCHEDULER_JOB_MAX_RUNTIME_SECONDS"),
        "SCHEDULER_EXPIRE_AFTER_DAYS": _number(env, "SCHEDULER_EXPIRE_AFTER_DAYS"),
        "SCHEDULER_WEEKLY_LEAD_DAYS": _number(env, "SCHEDULER_WEEKLY_LEAD_DAYS"),
        "SCHEDULER_DIGEST_RADIUS_KM": _number(env, "SCHEDULER_DIGEST_RADIUS_KM"),
        "RETENTION_MONTHS": _number(env, "RETENTION_MONTHS"),
        # Observability (docs/observability.md): JSON lines on stderr in production.
        "LOG_FORMAT": (env.get("LOG_FORMAT") or "json").strip().lower(),
        "LOG_LEVEL": (env.get("LOG_LEVEL") or "INFO").strip().upper(),
        # GET /metrics answers loopback callers, and others with "Authorization: Bearer <token>".
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        "SCHEDULER_METRICS_PORT": _number(env, "SCHEDULER_METRICS_PORT") or None,
        "PASSWORD_HASH_METHOD": HASH_METHOD,
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        "RESET_RATE_LIMIT": "5 per minute;20 per hour",
    }


def development_settings(env: Mapping[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    settings = base_settings(env)
    settings.update(
        ENV_NAME="development",
        DEBUG=_bool(env, "FLASK_DEBUG", False),
        SECRET_KEY=settings["SECRET_KEY"] or DEVELOPMENT_SECRET,
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        PREFERRED_URL_SCHEME="http",
        HSTS=False,
        LOG_FORMAT=(env.get("LOG_FORMAT") or "text").strip().lower(),
    )
    return settings


def testing_settings(env: Mapping[str, str] | None = None) -> dict:
    settings = development_settings(env)
    settings.update(
        ENV_NAME="testing",
        TESTING=True,
        DEBUG=False,
        SECRET_KEY=DEVELOPMENT_SECRET,
        SQLALCHEMY_DATABASE_URI="sqlite://",
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_SERVER=None,
        MAIL_OUTBOX_DIR=None,
        # Cheap scrypt parameters: the suite hashes hundreds of passwords.
        PASSWORD_HASH_METHOD="scrypt:1024:8:1",  # noqa: S106 - a method name  # nosec B106
        WTF_CSRF_ENABLED=False,
    )
    return settings


PROFILES = {
    "production": base_settings,
    "development": development_settings,
    "testing": testing_settings,
}


def load_settings(overrides: dict | None = None) -> dict:
    """The settings of the profile named by BUURTHULP_ENV, with `overrides` on top."""
    env_name = (overrides or {}).get("ENV_NAME") or os.environ.get("BUURTHULP_ENV", "production")
    if env_name not in PROFILES:
        raise ConfigError(f"BUURTHULP_ENV={env_name!r}: use one of {', '.join(PROFILES)}")
    settings = PROFILES[env_name]()
    settings.update(overrides or {})
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Concurrent writers queue on SQLite's database lock: wait for it instead of failing.
        options = settings["SQLALCHEMY_ENGINE_OPTIONS"] = dict(
            settings["SQLALCHEMY_ENGINE_OPTIONS"]
        )
        options.setdefault("connect_args", {"timeout": 30})
    check_settings(settings)
    return settings


LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def check_settings(settings: dict) -> None:
    """Refuse settings that are unusable anywhere, and settings unsafe in production."""
    if settings.get("LOG_FORMAT", "text") not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT={settings['LOG_FORMAT']!r}: use json or text")
    if settings.get("LOG_LEVEL", "INFO") not in LOG_LEVELS:
        raise ConfigError(
            f"LOG_LEVEL={settings['LOG_LEVEL']!r}: use one of {', '.join(LOG_LEVELS)}"
        )
    if settings["ENV_NAME"] != "production":
        return
    secret = settings.get("SECRET_KEY") or ""
    if not secret or secret == DEVELOPMENT_SECRET or len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            "SECRET_KEY is missing or too short: production needs a random value of at least "
            f"{MIN_SECRET_LENGTH} characters; make one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if settings.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")
