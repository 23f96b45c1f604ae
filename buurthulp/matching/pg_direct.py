"""The matcher's hot statements on PostgreSQL, run straight through psycopg.

SQLAlchemy's per-call work (parameter processing, result objects) costs about 0.3 ms a
query here, as much as the index scan itself, and a search runs two or three queries. The
statements are still built with SQLAlchemy Core (search_sql) and compiled once; the call
passes plain values (ints, floats, dates, aware datetimes, lists of ints) to psycopg,
which prepares each statement on the server. Same connection and transaction as the
session.
"""

from enum import Enum
from functools import lru_cache

from buurthulp.extensions import db


@lru_cache(maxsize=16)
def _compiled(statement) -> tuple[str, dict]:
    # The statements use no expanding IN lists, so the text is final as compiled.
    compiled = statement.compile(dialect=db.engine.dialect)
    # Values fixed in the statement (status lists, literals) as psycopg takes them.
    defaults = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in compiled.params.items()
    }
    return str(compiled), defaults


def rows(statement, params: dict) -> list[tuple]:
    sql, defaults = _compiled(statement)
    cursor = db.session.connection().connection.cursor()
    try:
        cursor.execute(sql, defaults | params, prepare=True)
        return cursor.fetchall()
    finally:
        cursor.close()
