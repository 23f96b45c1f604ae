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


def test_offer_search_is_filled_from_existing_offers(migration_app):
    flask_migrate.upgrade(revision="2b199ecd407c")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO initiatives (id, name, slug, kind, municipality, province, legal_form,"
            " phase, description, created_at) VALUES (1, 'I', 'i', 'neighbour_help', 'Zwolle',"
            " 'Overijssel', 'association', 'active', '', '2026-11-01 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO users (id, email, password_hash, first_name, last_name, street_name,"
            " house_number, postcode, place, latitude, longitude, locale, is_platform_admin,"
            " created_at) VALUES (1, 'v@example.invalid', 'x', 'V', 'W', 'Straat', '1',"
            " '8011AA', 'Zwolle', 52.5, 6.1, 'nl', false, '2026-11-01 10:00:00')"
        )
        for offer_id, status in ((1, "active"), (2, "withdrawn")):
            conn.exec_driver_sql(
                "INSERT INTO help_offers (id, initiative_id, volunteer_id, title, description,"
                " availability, max_distance_km, has_car, weekly_cap, languages, grid_cell,"
                " status, street_name, place, latitude, longitude, created_at, updated_at)"
                f" VALUES ({offer_id}, 1, 1, 'Hulp', '', 7, 3, true, 2, 'nl,en', 4242,"
                f" '{status}', 'Straat', 'Zwolle', 52.5, 6.1, '2026-11-01 10:00:00',"
                " '2026-11-01 10:00:00')"
            )
            for category in ("garden", "meal"):
                conn.exec_driver_sql(
                    f"INSERT INTO help_offer_categories VALUES ({offer_id}, '{category}')"
                )
    flask_migrate.upgrade()
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT category, grid_cell, offer_id, volunteer_id, availability, has_car,"
            " weekly_cap, languages FROM offer_search ORDER BY category"
        ).all()
    # Only the active offer, once per category, with what the ranking reads.
    assert [tuple(r) for r in rows] == [
        ("garden", 4242, 1, 1, 7, True, 2, "nl,en"),
        ("meal", 4242, 1, 1, 7, True, 2, "nl,en"),
    ]
