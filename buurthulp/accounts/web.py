"""Small helpers shared by the account views."""

from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_login import login_user

from buurthulp.accounts import login_sessions
from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def form_status(form) -> int:
    """422 when the page is shown again because something was not filled in well."""
    return 422 if form.errors else 200


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail. SERVER_BASE_URL, when set, wins over the request's
    Host header, so a forged Host cannot put another site's address in a reset mail."""
    base = current_app.config.get("SERVER_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def log_in(user: User, *, remember: bool) -> None:
    """Start a server-side session, then let Flask-Login put its token in the cookies."""
    login_sessions.session_start(user=user, remember=remember)
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    db.session.commit()
