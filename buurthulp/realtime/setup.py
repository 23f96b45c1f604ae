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


def emit_only(app: Flask, socketio: SocketIO) -> None:
    """Make this process a write-only client of the message queue: what it emits is
    published to Redis, and no thread subscribes to hear what others publish. For a
    process that serves no sockets and only emits, such as the scheduler; a web process
    must listen, or events pushed elsewhere never reach its pages.

    python-socketio starts the listener when the first socket connects, so this must come
    before that; the manager is rebuilt from the config, like every app's (client_manager).
    """
    server = socketio.server
    if server.manager_initialized:
        raise RuntimeError("emit_only() after a socket connected: the listener already runs")
    app.config["SOCKETIO_WRITE_ONLY"] = True
    manager = client_manager(app)
    manager.set_server(server)
    server.manager = manager
