"""Settings from the environment.

`BUURTHULP_ENV` picks the profile: `production` (the default, so a forgotten
variable never yields a debug server), `development` or `testing`.
"""

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEVELOPMENT_SECRET = "development-only-not-secret"  # noqa: S105 - refused in production
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says why."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'buurthulp.sqlite'}"
    # Hosting panels hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def base_settings() -> dict:
    """Settings shared by every profile, read from the environment now."""
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "ENV_NAME": "production",
        "DEBUG": False,
        "TESTING": False,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down: count in this process's memory (limits still apply, per process), go
        # back to Redis once it answers, and do not hang a request on a dead connection.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": (
            {"socket_connect_timeout": 1, "socket_timeout": 1} if redis_url else {}
        ),
        # Processes that share REDIS_URL and this channel deliver each other's Socket.IO events.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "buurthulp-socketio",
        # A process that only emits (the scheduler) sets this: no listener thread on Redis.
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
        "SERVER_BASE_URL": os.environ.get("SERVER_BASE_URL"),
        # How many reverse proxies (nginx, a load balancer) stand in front and set X-Forwarded-*.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Buurthulp <noreply@localhost>"
        ),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR") or str(INSTANCE_DIR / "outbox"),
        "PASSWORD_RESET_MAX_AGE": 3600,
        # The scheduler process (flask scheduler run) and its jobs.
        "SCHEDULER_LEASE_SECONDS": _int("SCHEDULER_LEASE_SECONDS", 120),
        "SCHEDULER_HEARTBEAT_SECONDS": _int("SCHEDULER_HEARTBEAT_SECONDS", 30),
        "SCHEDULER_MISFIRE_GRACE_SECONDS": _int("SCHEDULER_MISFIRE_GRACE_SECONDS", 900),
        "SCHEDULER_JOB_MAX_RUNTIME_SECONDS": _int("SCHEDULER_JOB_MAX_RUNTIME_SECONDS", 3600),
        "SCHEDULER_EXPIRE_AFTER_DAYS": _int("SCHEDULER_EXPIRE_AFTER_DAYS", 30),
        "SCHEDULER_WEEKLY_LEAD_DAYS": _int("SCHEDULER_WEEKLY_LEAD_DAYS", 0),
        "SCHEDULER_DIGEST_RADIUS_KM": float(os.environ.get("SCHEDULER_DIGEST_RADIUS_KM") or 2.0),
        "RETENTION_MONTHS": _int("RETENTION_MONTHS", 18),
        "PASSWORD_HASH_METHOD": "scrypt",
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        "RESET_RATE_LIMIT": "5 per minute;20 per hour",
    }


def development_settings() -> dict:
    settings = base_settings()
    settings.update(
        ENV_NAME="development",
        DEBUG=_bool("FLASK_DEBUG", False),
        SECRET_KEY=settings["SECRET_KEY"] or DEVELOPMENT_SECRET,
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        PREFERRED_URL_SCHEME="http",
        HSTS=False,
    )
    return settings


def testing_settings() -> dict:
    settings = development_settings()
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
        PASSWORD_HASH_METHOD="scrypt:1024:8:1",  # noqa: S106 - a method name
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


def check_settings(settings: dict) -> None:
    """Refuse settings that would be unsafe in production."""
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
