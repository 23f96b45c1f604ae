"""Fixtures: an app with a fresh database per test, on SQLite and (when
TEST_DATABASE_URL is set) on PostgreSQL.

Each xdist worker gets its own PostgreSQL database, created here and dropped
at the end, so the suite never assumes an empty server and runs in parallel.
"""

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from buurthulp.app import create_app
from buurthulp.extensions import db
from tests import factories

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _create_pg_database(base_url: str, worker: str) -> tuple[str, str]:
    name = f"buurthulp_test_{worker}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(base_url: str, name: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory, worker_id):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "test.sqlite"
        yield f"sqlite:///{path}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    url, name = _create_pg_database(base, worker_id)
    yield url
    _drop_pg_database(base, name)


_schema_ready: set[str] = set()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def make_test_app(database_url: str, **overrides):
    settings = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture
def app_settings() -> dict:
    """Per-test config overrides; a test module can override this fixture."""
    return {}


@pytest.fixture
def app(database_url, app_settings):
    app = make_test_app(database_url, **app_settings)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        else:
            _empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app():
    """Builds extra apps (other settings, same database) and closes their connections after.

    An app whose pool is only garbage-collected leaves psycopg connections open, and their
    ResourceWarning then fails whatever test happens to be running.
    """
    made = []

    def build(database_url: str, **overrides):
        extra = make_test_app(database_url, **overrides)
        made.append(extra)
        return extra

    yield build
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services and queries directly."""
    with app.app_context():
        yield


@pytest.fixture
def make(app):
    """Factories bound to the test's app: make.user(...), make.initiative(...), ..."""
    return factories.Factories(app)


@pytest.fixture
def auth(client, make):
    return factories.Auth(client, make)


@pytest.fixture
def smtp_server(app_settings):
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            from email import message_from_bytes, policy

            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    handler = Keep()
    handler.port = factories.free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def mail_settings(smtp_server) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
    }


PROJECT_ROOT = Path(__file__).resolve().parent.parent
