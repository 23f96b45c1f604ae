"""Counting the SQL statements a piece of code sends: for tests that pin a round-trip count."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(engine):
    """The statements sent through `engine` inside the block, in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
