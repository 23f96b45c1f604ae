"""Migrations: `upgrade head` on an empty database builds exactly the models' schema.

Each test gets a database of its own (a fresh SQLite file, or a fresh PostgreSQL
database next to the worker's), so it never touches the schema other tests use.
"""

import logging
import pprint

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from buurthulp.extensions import db
from tests.conftest import _create_pg_database, _drop_pg_database, make_test_app


@pytest.fixture
def empty_database_url(database_url, tmp_path, worker_id):
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    # CREATE DATABASE runs on any connection to the server; the worker's database is one.
    url, name = _create_pg_database(database_url, f"{worker_id}_migrations")
    yield url
    _drop_pg_database(database_url, name)


@pytest.fixture(autouse=True)
def keep_logging_config():
    """migrations/env.py calls logging.config.fileConfig(), which replaces the root logger's
    handlers and levels; restore them so later tests in this worker still log as before."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    loggers = {
        name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, (disabled, level, handlers, propagate) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.propagate = disabled, propagate
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.fixture
def migration_app(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_diff() -> list:
    """What autogenerate would write for the current database: empty when it matches the models."""
    options = dict(current_app.extensions["migrate"].configure_args)
    options.pop("render_as_batch", None)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_upgrade_head_on_empty_database_matches_models(migration_app):
    assert table_names() == set()

    flask_migrate.upgrade()

    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    diff = schema_diff()
    assert diff == [], "migrations differ from the models:\n" + pprint.pformat(diff)


def test_downgrade_to_base_and_upgrade_again(migration_app):
    flask_migrate.upgrade()

    flask_migrate.downgrade(revision="base")
    assert table_names() <= {"alembic_version"}

    flask_migrate.upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    assert schema_diff() == []
