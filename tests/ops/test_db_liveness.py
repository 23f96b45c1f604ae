"""A pooled PostgreSQL connection the server closed is replaced at checkout, without the
round trip pool_pre_ping would make (buurthulp.db_liveness)."""

import time

import psycopg
import pytest
from sqlalchemy import text

from buurthulp.db_liveness import server_went_away
from buurthulp.extensions import db


@pytest.fixture
def pg(ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: set TEST_DATABASE_URL to run this")
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def backend_pid() -> int:
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def end_backend(dsn: str, pid: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_the_server_ended_is_replaced_at_checkout(pg):
    first = backend_pid()
    assert backend_pid() == first  # the pool hands out the same connection again
    end_backend(pg, first)
    time.sleep(0.2)  # the server's goodbye reaches the socket
    second = backend_pid()  # would raise OperationalError without the check
    assert second != first


def test_the_check_tells_a_live_connection_from_an_ended_one(pg):
    with psycopg.connect(pg) as connection:
        assert not server_went_away(connection)
        pid = connection.info.backend_pid
        end_backend(pg, pid)
        deadline = time.monotonic() + 2
        while not server_went_away(connection) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server_went_away(connection)
