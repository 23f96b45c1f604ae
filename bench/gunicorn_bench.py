"""gunicorn settings for bench/web.py and bench/soak.py (deploy/ has the production ones).

One worker per process, as Flask-SocketIO requires; gthread, so one process serves several
requests at once while others wait on the database. Threads: BENCH_THREADS (default 8).
"""

import gc
import os

workers = 1
worker_class = "gthread"
threads = int(os.environ.get("BENCH_THREADS", "8"))
keepalive = 30  # wrk keeps its connections open
timeout = 60
graceful_timeout = 5
accesslog = None
loglevel = "warning"


def post_worker_init(worker):
    # The app and everything it imported live as long as the process: freeze them out of
    # the garbage collector's full passes, whose pauses were Dichtbij's p99 under load
    # (docs/performance.md).
    gc.collect()
    gc.freeze()
