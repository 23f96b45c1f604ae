"""The app as bench/web.py serves it: wsgi.py, with the mail outbox in the run's temp dir."""

import os

from buurthulp.app import create_app

app = create_app({"MAIL_OUTBOX_DIR": os.environ.get("BENCH_MAIL_OUTBOX") or None})
