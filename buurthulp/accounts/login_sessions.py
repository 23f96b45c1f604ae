"""Server-side login sessions behind Flask-Login.

The session cookie and the remember-me cookie carry a random token, not the
user id. Logging out deletes the token's row, so a copied cookie stops working.
"""

import secrets
from datetime import timedelta
from functools import cache

from flask import Flask
from flask_babel import gettext
from flask_login import LoginManager
from sqlalchemy import bindparam, delete, exists, select

from buurthulp.accounts import viewer_facts
from buurthulp.accounts.models import LoginSession, User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db
from buurthulp.moderation.models import Suspension
from buurthulp.translatable import N_

SHORT_SESSION = timedelta(hours=12)
REMEMBERED_SESSION = timedelta(days=30)


def session_start(*, user: User, remember: bool) -> str:
    """Create a login session for `user` and return its token (not committed)."""
    token = secrets.token_urlsafe(32)
    lifetime = REMEMBERED_SESSION if remember else SHORT_SESSION
    db.session.add(LoginSession(token=token, user=user, expires_at=utcnow() + lifetime))
    user.current_session_token = token
    return token


def session_end(*, token: str) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.token == token))


def sessions_end_all(*, user_id: int, keep_token: str | None = None) -> None:
    """End every session of a user, except (optionally) the one in use now."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_token:
        query = query.where(LoginSession.token != keep_token)
    db.session.execute(query)


@cache
def _login_query():
    # Built once (at the first request, when every package has registered its facts): the
    # statement's cache key is then memoized instead of recomputed on every request.
    now = bindparam("now", type_=UTCDateTime())
    suspended = exists().where(
        Suspension.user_id == User.id,
        Suspension.lifted_at.is_(None),
        Suspension.starts_at <= now,
        Suspension.ends_at > now,
    )
    return (
        select(User, suspended, *viewer_facts.columns())
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token == bindparam("token"), LoginSession.expires_at > now)
    )


def user_for_token(token: str) -> User | None:
    """The signed-in user of a session token. One round trip on every request: the session,
    its user, whether a suspension holds now (moderation.views then only reads the
    suspension itself when there is one; `may_be_suspended`) and the viewer facts every
    page needs (`viewer_facts`)."""
    row = db.session.execute(_login_query(), {"token": token, "now": utcnow()}).first()
    if row is None:
        return None
    user, user.may_be_suspended = row[0], row[1]
    user.current_session_token = token
    viewer_facts.remember(user.id, row)
    return user


def _get_id(user: User) -> str | None:
    return getattr(user, "current_session_token", None)


def init_login_manager(app: Flask, manager: LoginManager) -> None:
    User.get_id = _get_id
    manager.init_app(app)
    manager.login_view = "accounts.login"
    manager.login_message = N_("Log in om deze pagina te zien.")
    manager.localize_callback = gettext  # the message is flashed in the person's language
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(user_for_token)
