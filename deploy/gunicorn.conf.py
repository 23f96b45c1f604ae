"""gunicorn settings for one Buurthulp web process (deploy/systemd/buurthulp-web@.service).

Flask-SocketIO runs in threading mode with simple-websocket: exactly ONE worker per gunicorn
process, because a Socket.IO connection's long-polling requests and its websocket must all
reach the process that knows it. More cores means more processes, each on its own port
(`--bind 127.0.0.1:800N` from the unit), with nginx spreading visitors over them stickily.
Each open page holds one thread while its websocket is open: size GUNICORN_THREADS for the
pages open at once per process.
"""

import gc
import os

wsgi_app = "wsgi:app"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]
workers = 1  # never more: see above
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "100"))

# The worker's heartbeat; with gthread a long websocket does not count against it.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycling workers would cut every open websocket; memory is watched instead (docs/operations.md).
max_requests = 0

# Logs go to stdout/stderr, which systemd hands to the journal (journalctl -u 'buurthulp-web@*').
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Only nginx on this machine connects; X-Forwarded-* is interpreted by the app (TRUSTED_PROXIES).
forwarded_allow_ips = "127.0.0.1"
proc_name = "buurthulp-web"
# gunicorn >= 25.1 opens a control socket in $HOME by default: every process of this user
# would claim the same path, and the units keep $HOME read-only. Not used here.
control_socket_disable = True


def post_worker_init(worker):
    # The app and everything it imported live as long as the process: freeze them out of
    # the garbage collector's full passes, whose pauses were Dichtbij's p99 under load
    # (docs/performance.md).
    gc.collect()
    gc.freeze()
