"""deploy/backup.sh and deploy/restore.sh, for real: a migrated database with people, a
request, a match and a message is dumped, restored into another new database, and compared.

PostgreSQL only (the backup is pg_dump): the test creates both databases itself on the
server TEST_DATABASE_URL names, and drops them afterwards.
"""

import os
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import flask_migrate
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from buurthulp.accounts.models import User
from buurthulp.app import create_app
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.matching import services as matching
from buurthulp.matching.models import Match
from buurthulp.realtime import conversations
from tests.conftest import PROJECT_ROOT
from tests.factories import Factories

BASE_URL = os.environ.get("TEST_DATABASE_URL", "")
needs_postgresql = pytest.mark.skipif(
    not BASE_URL.startswith("postgresql") or not shutil.which("pg_dump"),
    reason="backup and restore are PostgreSQL-only (pg_dump): set TEST_DATABASE_URL to a "
    "PostgreSQL server to run this",
)
DEPLOY = PROJECT_ROOT / "deploy"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def new_database():
    """Makes empty databases on the test server; drops every one of them afterwards."""
    admin = create_engine(BASE_URL, isolation_level="AUTOCOMMIT")
    names = []

    def create() -> str:
        name = f"buurthulp_backup_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(BASE_URL).set(database=name).render_as_string(hide_password=False)

    yield create
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _app(url: str):
    """An app on `url`; its connections are closed afterwards."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _fill(app) -> None:
    make = Factories(app)
    initiative = make.initiative(name="Burenhulp Zwolle", pc4s=("8011", "8012"))
    requester = make.user(initiative=initiative, email="anna@example.nl", phone="0612345678")
    for n in range(3):
        volunteer = make.user(initiative=initiative, email=f"vrijwilliger{n}@example.nl")
        make.help_offer(volunteer=volunteer, initiative=initiative, availability=(1 << 21) - 1)
    request = make.help_request(
        requester=requester, initiative=initiative, flexible_days=7, title="Naar de huisarts"
    )
    with app.app_context():
        first, *_ = matching.invitations_send(
            help_request=db.session.get(HelpRequest, request.id), now=NOW
        )
        match = matching.invitation_accept(
            invitation_id=first.id, volunteer_id=first.volunteer_id, now=NOW
        )
        conversations.message_post(
            match_id=match.id,
            sender=db.session.get(User, requester.id),
            body="Dank u wel, tot dinsdag!",
            client_key="backup-test-1",
        )


def _snapshot(url: str) -> dict:
    """Row counts of every table and a few values that must survive exactly."""
    with _app(url) as app, app.app_context():
        counts = {
            table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }
        match = db.session.execute(select(Match)).scalar_one()
        snapshot = {
            "counts": counts,
            "alembic": db.session.execute(text("SELECT version_num FROM alembic_version")).all(),
            "users": db.session.execute(
                select(User.email, User.password_hash, User.phone).order_by(User.id)
            ).all(),
            "request": db.session.execute(
                select(HelpRequest.title, HelpRequest.status, HelpRequest.created_at)
            ).one(),
            "match": (match.request_id, match.volunteer_id, match.status, match.created_at),
        }
    return snapshot


def _script(name: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [str(DEPLOY / name), *args]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)


@needs_postgresql
def test_a_backup_restores_into_a_new_database(new_database, tmp_path):
    source = new_database()
    with _app(source) as app:
        with app.app_context():
            flask_migrate.upgrade()
        _fill(app)
    before = _snapshot(source)
    assert before["counts"]["users"] == 4 and before["counts"]["matches"] == 1
    assert before["counts"]["conversation_messages"] == 1

    stale = tmp_path / "buurthulp-20200101T000000Z.dump"
    stale.write_bytes(b"old")
    old = time.time() - 40 * 86400
    os.utime(stale, (old, old))
    done = _script(
        "backup.sh", "--dir", str(tmp_path), "--keep-days", "30", env={"DATABASE_URL": source}
    )
    assert done.returncode == 0, done.stderr
    dumps = sorted(tmp_path.glob("buurthulp-*.dump"))
    assert len(dumps) == 1 and dumps[0] != stale and f"removed: {stale}" in done.stdout
    assert oct(dumps[0].stat().st_mode & 0o777) == "0o600"

    target = new_database()
    restored = _script("restore.sh", str(dumps[0]), target)
    assert restored.returncode == 0, restored.stderr
    assert _snapshot(target) == before

    # The restored database goes on working: sequences continue after the restored rows.
    with _app(target) as app:
        assert Factories(app).user(email="nieuw@example.nl").id == before["counts"]["users"] + 1


@needs_postgresql
def test_restore_refuses_a_database_with_tables_unless_forced(new_database, tmp_path):
    source, target = new_database(), new_database()
    for url, rows in ((source, "(1), (2), (3)"), (target, "(9)")):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE notes (id integer)"))
            conn.execute(text(f"INSERT INTO notes VALUES {rows}"))
        engine.dispose()
    done = _script("backup.sh", "--dir", str(tmp_path), "--database-url", source)
    assert done.returncode == 0, done.stderr
    (dump,) = tmp_path.glob("buurthulp-*.dump")

    refused = _script("restore.sh", str(dump), target)
    assert refused.returncode == 1
    assert "not empty (1 tables); nothing done" in refused.stderr
    engine = create_engine(target)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1

    forced = _script("restore.sh", "--force", str(dump), target)
    assert forced.returncode == 0, forced.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 3
    engine.dispose()


def test_backup_refuses_sqlite(tmp_path):
    done = _script("backup.sh", "--dir", str(tmp_path), env={"DATABASE_URL": "sqlite:///x.db"})
    assert done.returncode == 1 and "only PostgreSQL is backed up" in done.stderr
    assert list(tmp_path.iterdir()) == []
