"""Binding Flask-SocketIO to an app: async mode, message queue and allowed origins.

Async mode "threading" with simple-websocket: real websockets under `flask run` in
development and under gunicorn's threaded worker (`-w 1 --threads N`) in production,
with no monkey patching (eventlet and gevent would patch the database drivers too).
"""

import socketio as python_socketio
from flask import Flask
from flask_socketio import SocketIO

# Importing registers the connect and event handlers on the shared SocketIO object.
from buurthulp.realtime import sockets  # noqa: F401

REDIS_CONNECT_TIMEOUT_S = 2


def client_manager(app: Flask) -> python_socketio.Manager:
    """Redis as the message queue when REDIS_URL is set, else one process's memory.

    Built here for every app: the shared SocketIO object would otherwise keep the queue
    of an earlier app (in tests, say).
    """
    url = app.config["REDIS_URL"]
    if not url:
        return python_socketio.Manager()
    return python_socketio.RedisManager(
        url,
        channel=app.config["SOCKETIO_CHANNEL"],
        write_only=app.config["SOCKETIO_WRITE_ONLY"],
        # An unreachable Redis must not hold up the request that emits; no read timeout,
        # though: the listener waits on its subscription for as long as it is quiet.
        redis_options={"socket_connect_timeout": REDIS_CONNECT_TIMEOUT_S},
    )


def init_socketio(app: Flask, socketio: SocketIO) -> None:
    socketio.init_app(
        app,
        async_mode="threading",
        client_manager=client_manager(app),
        # None: only the page's own origin may open a socket (no cross-origin handshakes).
        cors_allowed_origins=app.config.get("SERVER_BASE_URL"),
    )
