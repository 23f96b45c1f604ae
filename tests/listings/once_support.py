"""Helpers for the posting-once tests: the form's token, the 503 page's re-send fields, a
COMMIT whose answer is lost, and two identical posts at the same moment."""

import html
import re
import threading
from contextlib import contextmanager

import psycopg
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from buurthulp.extensions import db
from buurthulp.listings import submissions

TOKEN_INPUT = re.compile(r'name="submission_token" type="hidden" value="([^"]*)"')
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def token_in(page: str) -> str:
    [token] = TOKEN_INPUT.findall(page)
    return token


def resend_fields(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the 503 page's "Opnieuw versturen" form, as the browser sends them."""
    return [
        (html.unescape(name), html.unescape(value)) for name, value in HIDDEN_INPUT.findall(page)
    ]


@contextmanager
def answer_lost_after_commit(app):
    """The next COMMIT reaches the database, but the app sees the connection die, as when
    PostgreSQL restarts at that moment."""
    with app.app_context():
        engine = db.engine

    def commit_then_lose_connection(conn):
        conn.connection.dbapi_connection.commit()
        original = psycopg.OperationalError("server closed the connection unexpectedly")
        raise OperationalError("COMMIT", {}, original, connection_invalidated=True)

    event.listen(engine, "commit", commit_then_lose_connection, once=True)
    try:
        yield
    finally:
        if event.contains(engine, "commit", commit_then_lose_connection):
            event.remove(engine, "commit", commit_then_lose_connection)


def post_at_once(monkeypatch, clients, url: str, data) -> list:
    """Each client posts `data` to `url` in a thread of its own. Every post first gets past
    the look-up of an earlier post, then all go on at once: a new post's are stored at once
    (the unique constraint decides); a re-send's all find the request stored and start its
    missed first round at once (the claim decides)."""
    barrier = threading.Barrier(len(clients), timeout=60)
    real_claim = submissions.claim

    def claim_then_wait(*args, **kwargs):
        try:
            return real_claim(*args, **kwargs)
        finally:  # also when it raised AlreadyPosted
            barrier.wait()

    monkeypatch.setattr(submissions, "claim", claim_then_wait)
    responses = [None] * len(clients)

    def post(index, client):
        responses[index] = client.post(url, data=data)

    threads = [threading.Thread(target=post, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return responses
