"""Logging for the web processes and the scheduler: one handler on stderr, JSON or text.

LOG_FORMAT=json (the production default) writes one JSON object per line with `time` (UTC,
ISO 8601), `level`, `logger`, `message` and `request_id`, plus `method`, `path`, `status`
and `duration_ms` on access lines; LOG_FORMAT=text (development and tests) writes the same
as readable lines. What may be logged at all is in docs/observability.md: ids and counts,
never a person's data. An exception's message can hold such data (a database error quotes
the row, an SMTP error the address), so tracebacks keep their frames and exception types
and leave the messages out.
"""

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

from flask import g, has_app_context
from flask.logging import default_handler

HANDLER_NAME = "buurthulp-stderr"
ACCESS_FIELDS = ("method", "path", "status", "duration_ms")
WITHHELD = "(message withheld: it may hold personal data)"


def current_request_id() -> str | None:
    return g.get("request_id") if has_app_context() else None


def _install_record_factory() -> None:
    """Every record gets the current request's id when it is made, whichever handler (ours,
    pytest's) receives it later."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    factory.adds_request_id = True
    logging.setLogRecordFactory(factory)


class DropServerRequestLines(logging.Filter):
    """Werkzeug's development server logs each request with the visitor's address and the
    query string; our own access line (without either) replaces it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return " - - [" not in str(record.msg)


class WithholdRateLimitKey(logging.Filter):
    """Flask-Limiter logs the key of a breached limit, which is the visitor's IP address."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("ratelimit ") and isinstance(record.args, tuple):
            record.args = tuple("<withheld>" if n == 1 else a for n, a in enumerate(record.args))
        return True


def _add_filter_once(logger_name: str, filter_class: type[logging.Filter]) -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, filter_class) for f in logger.filters):
        logger.addFilter(filter_class())


def redacted_traceback(error: BaseException) -> str:
    """The traceback of `error` and the exceptions it came from, without their messages."""
    chain = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = type(current)
        chain.append(
            f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"
        )
        suppressed = current.__suppress_context__
        current = current.__cause__ or (None if suppressed else current.__context__)
    return "\n\nwhich led to:\n\n".join(reversed(chain)) + f" {WITHHELD}"


def _exception(record: logging.LogRecord) -> BaseException | None:
    return record.exc_info[1] if record.exc_info else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        entry = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        error = _exception(record)
        if error is not None:
            entry["exc_type"] = f"{type(error).__module__}.{type(error).__qualname__}"
            entry["traceback"] = redacted_traceback(error)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = None
        # logging caches a formatted traceback on the record: another handler's, with the
        # messages, must not be reused here, nor ours left for it.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # noqa: N802 - logging's API
        return redacted_traceback(ei[1]) if ei and ei[1] is not None else ""


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the moment (a test may have replaced it)."""

    def __init__(self, level: int = logging.NOTSET):
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr


def configure_logging(*, log_format: str, level: str) -> None:
    """One handler on the root logger, replacing the one an earlier call installed.

    Idempotent: tests build many apps in one process. Handlers that others added (pytest's)
    are left alone.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    _install_record_factory()
    # Flask puts its own handler on the app's logger ("buurthulp") when it finds none;
    # every line would then be written twice.
    logging.getLogger("buurthulp").removeHandler(default_handler)
    _add_filter_once("werkzeug", DropServerRequestLines)
    _add_filter_once("flask-limiter", WithholdRateLimitKey)
