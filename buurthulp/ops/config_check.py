"""Every problem with the configuration at once, in plain words (`flask check-config`).

`create_app` refuses unsafe production settings at the first one it meets; this module builds
the settings without raising and lists all problems, each an error (the installation would not
work or not be safe) or a warning (it works, but probably not as intended). It needs no Flask
app, so it also runs when the app itself refuses to start.

Decisions: SQLite in production is an error when DATABASE_URL is absent (a forgotten variable)
and a warning when DATABASE_URL names SQLite on purpose (it works for one small process, but
deploy/backup.sh covers PostgreSQL only). A missing REDIS_URL in production is a warning: the
scheduler is always a second process, so its notifications then reach open pages only after a
reload, and with several web processes each one counts rate limits on its own.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import redis
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from buurthulp import config

ERROR = "error"
WARNING = "warning"
TIMEOUT_S = 3
# A command to show, not a secret.
NEW_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class Problem:
    level: str
    variable: str
    message: str


def _error(variable: str, message: str) -> Problem:
    return Problem(ERROR, variable, message)


def _warning(variable: str, message: str) -> Problem:
    return Problem(WARNING, variable, message)


def build_settings(env: Mapping[str, str]) -> tuple[dict, list[Problem]]:
    """The settings `env` gives, and the problems met while reading them; never raises.

    An unknown BUURTHULP_ENV is checked as production (the strictest profile); a variable
    that is not a usable number is left out, so its default stands in for the other checks.
    """
    problems: list[Problem] = []
    env_name = env.get("BUURTHULP_ENV") or "production"
    if env_name not in config.PROFILES:
        problems.append(
            _error(
                "BUURTHULP_ENV",
                f"{env_name!r} is not a known profile: use production, development or testing "
                "(production when unset). Checked as production.",
            )
        )
        env_name = "production"
    numbers = (*config.INT_VARIABLES, *config.FLOAT_VARIABLES)
    bad = {name: config.number_problem(env, name) for name in numbers}
    bad = {name: problem for name, problem in bad.items() if problem}
    problems += [_error(name, problem) for name, problem in bad.items()]
    usable = {key: value for key, value in env.items() if key not in bad}
    return config.PROFILES[env_name](usable), problems


def secret_problems(settings: dict) -> list[Problem]:
    if settings["ENV_NAME"] != "production":
        return []
    secret = settings.get("SECRET_KEY") or ""
    if not secret:
        why = "is not set"
    elif secret == config.DEVELOPMENT_SECRET:
        why = "is the development value, which is public"
    elif len(secret) < config.MIN_SECRET_LENGTH:
        why = f"is only {len(secret)} characters long"
    else:
        return []
    return [
        _error(
            "SECRET_KEY",
            f"{why}. It signs sessions and mail links; production needs a random value of at "
            f"least {config.MIN_SECRET_LENGTH} characters. Make one with {NEW_SECRET}",
        )
    ]


def database_url_problems(env: Mapping[str, str], settings: dict) -> list[Problem]:
    if settings["ENV_NAME"] != "production":
        return []
    if not env.get("DATABASE_URL"):
        return [
            _error(
                "DATABASE_URL",
                "is not set, so production would use a SQLite file in instance/. Set it to the "
                "PostgreSQL database, e.g. postgresql+psycopg://buurthulp@127.0.0.1/buurthulp",
            )
        ]
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return [
            _warning(
                "DATABASE_URL",
                "names a SQLite database. That works for one small web process, but writers "
                "wait on each other and deploy/backup.sh only backs up PostgreSQL.",
            )
        ]
    return []


def base_url_problems(settings: dict) -> list[Problem]:
    url = settings.get("SERVER_BASE_URL")
    production = settings["ENV_NAME"] == "production"
    if not url:
        if not production:
            return []
        return [
            _error(
                "SERVER_BASE_URL",
                "is not set. Links in mails need it (the scheduler's mails have no request to "
                "take the address from), and it is the origin allowed to open a live "
                "connection. Set it to e.g. https://buurthulp.example.nl",
            )
        ]
    parts = urlsplit(url)
    problems = []
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(
            _error("SERVER_BASE_URL", f"{url!r} is not a web address like https://example.nl")
        )
    elif production and parts.scheme != "https":
        problems.append(
            _error(
                "SERVER_BASE_URL",
                f"{url!r} does not start with https://. Production sends Secure cookies and "
                "HSTS, so the site must be reached over HTTPS.",
            )
        )
    if parts.path not in ("",) or parts.query or parts.fragment:
        problems.append(
            _error(
                "SERVER_BASE_URL",
                f"{url!r} has a path or a trailing slash. Use only scheme and host (and port): "
                "it is compared with the browser's Origin, which never has one.",
            )
        )
    return problems


def mail_and_proxy_problems(settings: dict) -> list[Problem]:
    if settings["ENV_NAME"] != "production":
        return []
    problems = []
    if not settings.get("MAIL_SERVER"):
        problems.append(
            _warning(
                "MAIL_SERVER",
                "is not set: no mail is sent (invitations, password resets, reminders). Each "
                "mail is written to the log and to instance/outbox/ instead.",
            )
        )
    if not settings.get("TRUSTED_PROXIES"):
        problems.append(
            _warning(
                "TRUSTED_PROXIES",
                "is 0. Behind nginx (deploy/) set it to 1; otherwise every visitor looks like "
                "the proxy, and rate limits lock out everyone at once. Keep 0 only when "
                "nothing stands in front of the app.",
            )
        )
    return problems


def redis_unset_problems(settings: dict, processes: int) -> list[Problem]:
    if settings.get("REDIS_URL"):
        return []
    if processes > 1:
        return [
            _warning(
                "REDIS_URL",
                f"is not set while {processes} web processes are expected. Each process then "
                "keeps its own live connections and rate-limit counts: a notification made in "
                "one process does not reach a page open on another, and every limit is "
                f"{processes} times as loose.",
            )
        ]
    if settings["ENV_NAME"] == "production":
        return [
            _warning(
                "REDIS_URL",
                "is not set. The scheduler runs as a process of its own, so its notifications "
                "reach open pages only after a reload; one web process is all this supports.",
            )
        ]
    return []


def _short(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return text[0] if text else type(error).__name__


def migration_heads() -> set[str]:
    alembic_config = AlembicConfig()
    alembic_config.set_main_option("script_location", str(config.PROJECT_ROOT / "migrations"))
    return set(ScriptDirectory.from_config(alembic_config).get_heads())


def _current_revisions(url: str) -> set[str]:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database and not Path(parsed.database).exists():
        if not Path(parsed.database).parent.is_dir():
            raise FileNotFoundError(f"no directory {Path(parsed.database).parent}")
        return set()  # never create the file here; `flask db upgrade` does
    connect_args = {"connect_timeout": TIMEOUT_S} if backend == "postgresql" else {}
    engine = create_engine(url, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def database_problems(settings: dict, *, allow_pending_migrations: bool = False) -> list[Problem]:
    """The database answers and its schema is at the newest migration."""
    url = settings["SQLALCHEMY_DATABASE_URI"]
    try:
        shown = make_url(url).render_as_string(hide_password=True)
        current = _current_revisions(url)
    except ArgumentError:
        return [_error("DATABASE_URL", "is not a database URL SQLAlchemy understands.")]
    except (SQLAlchemyError, OSError) as error:
        return [_error("DATABASE_URL", f"the database {shown} does not answer: {_short(error)}")]
    heads = migration_heads()
    if current == heads:
        return []
    state = f"at {', '.join(sorted(current))}" if current else "empty (never migrated)"
    message = (
        f"the database schema is {state}, but the code expects {', '.join(sorted(heads))}. "
        "Run flask db upgrade (after a backup) before starting the app."
    )
    return [(_warning if allow_pending_migrations else _error)("DATABASE_URL", message)]


def redis_problems(settings: dict) -> list[Problem]:
    url = settings.get("REDIS_URL")
    if not url:
        return []
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S
        )
    except ValueError as error:
        return [_error("REDIS_URL", f"is not a Redis URL like redis://127.0.0.1:6379/0 ({error})")]
    try:
        client.ping()
        return []
    except redis.RedisError as error:
        return [_error("REDIS_URL", f"Redis does not answer: {_short(error)}")]
    finally:
        client.close()


def log_problems(settings: dict) -> list[Problem]:
    problems = []
    if settings["LOG_FORMAT"] not in config.LOG_FORMATS:
        problems.append(
            _error(
                "LOG_FORMAT", f"{settings['LOG_FORMAT']!r} is not a log format: use json or text"
            )
        )
    if settings["LOG_LEVEL"] not in config.LOG_LEVELS:
        levels = ", ".join(config.LOG_LEVELS)
        problems.append(_error("LOG_LEVEL", f"{settings['LOG_LEVEL']!r}: use one of {levels}"))
    return problems


def check_config(
    env: Mapping[str, str] | None = None,
    *,
    processes: int = 1,
    allow_pending_migrations: bool = False,
) -> tuple[dict, list[Problem]]:
    """The settings and every problem with them, errors first."""
    env = os.environ if env is None else env
    settings, problems = build_settings(env)
    problems += secret_problems(settings)
    problems += database_url_problems(env, settings)
    problems += base_url_problems(settings)
    problems += mail_and_proxy_problems(settings)
    problems += redis_unset_problems(settings, processes)
    problems += log_problems(settings)
    problems += database_problems(settings, allow_pending_migrations=allow_pending_migrations)
    problems += redis_problems(settings)
    return settings, sorted(problems, key=lambda problem: problem.level != ERROR)
