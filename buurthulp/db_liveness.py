"""Is a pooled PostgreSQL connection still alive? Asked at checkout without a round trip.

SQLAlchemy's `pool_pre_ping` answers it by sending a query on every checkout: one more
round trip per request, about a tenth of a cheap page's cost. When PostgreSQL restarts or
ends a backend, the server closes the connection's socket (after a FATAL message), so an
idle pooled connection that has anything to read is one the server gave up on. Checking
that is a non-blocking poll of the socket. A connection found dead is refused with
DisconnectionError, and the pool replaces it with a new one (it tries three times).

A connection whose far end vanished without closing (a network cut between hosts) is not
found this way; the request using it fails with the 503 page and the pool is renewed. The
deployment here runs PostgreSQL on the same machine.
"""

import select

import psycopg
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool


def server_went_away(connection: psycopg.Connection) -> bool:
    if connection.closed or connection.broken:
        return True
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


@event.listens_for(Pool, "checkout")
def _refuse_dead(dbapi_connection, _record, _proxy) -> None:
    if isinstance(dbapi_connection, psycopg.Connection) and server_went_away(dbapi_connection):
        raise DisconnectionError("the server closed this pooled connection")
