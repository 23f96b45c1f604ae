"""Socket.IO handlers. Flask-Login's login_required does not reach here, so the
handshake and every event check the login session themselves, against the same
server-side session table as the web pages: a logged-out or expired session is refused.
"""

import functools
import logging

from flask import request, session
from flask_socketio import ConnectionRefusedError, disconnect, emit, join_room

from buurthulp.accounts.login_sessions import user_for_token
from buurthulp.accounts.models import User
from buurthulp.extensions import socketio
from buurthulp.ops import metrics
from buurthulp.realtime import conversations, stream

log = logging.getLogger(__name__)


def session_user() -> User | None:
    """The user of the login session behind this socket, or None when it has ended."""
    token = session.get("_user_id")
    if not isinstance(token, str) or not token:
        return None
    return user_for_token(token)


def _last_id(auth) -> int:
    value = auth.get("last_id") if isinstance(auth, dict) else None
    try:
        last_id = int(value)
    except (TypeError, ValueError):
        return -1  # no (usable) id: a fresh page, nothing to replay
    return last_id if 0 <= last_id < 2**63 else -1


@socketio.on("connect")
def on_connect(auth=None):
    user = session_user()
    if user is None:
        raise ConnectionRefusedError("login required")
    join_room(stream.room_of(user.id))
    last_id = _last_id(auth)
    if last_id >= 0:
        # Joined first, then replayed: an event pushed in between can arrive twice, and
        # the page drops ids it already has. Missing one would be worse.
        _replay(stream.events_after(user.id, last_id))
    metrics.socket_opened()  # last: a refused or failed connect gets no disconnect event


@socketio.on("disconnect")
def on_disconnect(reason=None):
    metrics.socket_closed()


@socketio.on("*")
def on_unknown(event, *args):
    """An event we have no handler for: counted (as "other"), otherwise ignored."""
    metrics.socket_event_received(event)


def _replay(events: list) -> None:
    for event in events:
        emit(stream.EVENT, stream.as_payload(event))
        metrics.socket_event_emitted(stream.EVENT)


def client_event(name: str):
    """Register a handler for the page's event `name`: counted, then the login session
    re-checked (a session that ended is disconnected); the handler gets the user first."""

    def register(handler):
        @functools.wraps(handler)
        def checked(*args):
            metrics.socket_event_received(name)
            user = session_user()
            if user is None:
                log.info("socket %s: login session ended, disconnecting", request.sid)
                disconnect()
                return {"ok": False, "error": "login required"}
            return handler(user, *args)

        metrics.socket_event_names(received=[name])
        socketio.on(name)(checked)
        return handler

    return register


@client_event("send_message")
def on_send_message(user: User, data=None):
    """A conversation message from an open match page; answered with an acknowledgement.
    The message itself reaches both people's pages as a stream event."""
    if not isinstance(data, dict):
        return {"ok": False, "error": "bad request"}
    try:
        message = conversations.message_post(
            match_id=data.get("match_id"),
            sender=user,
            body=data.get("body"),
            client_key=data.get("client_key"),
        )
    except conversations.ConversationError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, "id": message.id}


@client_event("sync")
def on_sync(user: User, data=None):
    """The page asks now and then for events after the last id it has. Live delivery to
    pages on other server processes goes through Redis; while Redis is down, this is how
    those events still arrive (late, not lost), without a reload."""
    last_id = _last_id(data)
    if last_id < 0:
        return {"ok": False, "error": "bad request"}
    events = stream.events_after(user.id, last_id)
    _replay(events)
    return {"ok": True, "replayed": len(events)}
