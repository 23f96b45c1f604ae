"""flask check-config: every problem at once, each explained; the checks as plain functions."""

import sqlite3
import subprocess
import sys

import flask_migrate
import pytest
from sqlalchemy import create_engine, text

from buurthulp.app import create_app
from buurthulp.config import ConfigError
from buurthulp.extensions import db
from buurthulp.ops import config_check
from buurthulp.ops.cli import check_config_command
from buurthulp.ops.config_check import ERROR, WARNING, check_config
from tests.conftest import PROJECT_ROOT
from tests.factories import free_port

SECRET = "s" * 48


@pytest.fixture(scope="module")
def migrated_url(tmp_path_factory):
    """A SQLite database file migrated to the newest revision, shared by this module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('migrated') / 'db.sqlite'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def good_env(migrated_url) -> dict:
    """A production environment with nothing to complain about."""
    return {
        "BUURTHULP_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": migrated_url,
        "REDIS_URL": "",
        "SERVER_BASE_URL": "https://buurthulp.example.nl",
        "MAIL_SERVER": "smtp.example.nl",
        "TRUSTED_PROXIES": "1",
    }


def _found(problems, variable: str) -> list:
    return [
        (problem.level, problem.message) for problem in problems if problem.variable == variable
    ]


def test_a_good_production_environment_has_only_the_sqlite_and_redis_warnings(good_env):
    settings, problems = check_config(good_env)
    assert settings["ENV_NAME"] == "production"
    assert {(p.variable, p.level) for p in problems} == {
        ("DATABASE_URL", WARNING),  # SQLite on purpose
        ("REDIS_URL", WARNING),  # the scheduler is a second process
    }


CASES = [
    ({"SECRET_KEY": None}, "SECRET_KEY", ERROR, "is not set"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY", ERROR, "only 5 characters"),
    ({"SECRET_KEY": "development-only-not-secret"}, "SECRET_KEY", ERROR, "development value"),
    ({"DATABASE_URL": None}, "DATABASE_URL", ERROR, "SQLite file in instance/"),
    ({"DATABASE_URL": "nonsense"}, "DATABASE_URL", ERROR, "not a database URL"),
    ({"SERVER_BASE_URL": None}, "SERVER_BASE_URL", ERROR, "Links in mails need it"),
    ({"SERVER_BASE_URL": "http://buurthulp.nl"}, "SERVER_BASE_URL", ERROR, "https://"),
    ({"SERVER_BASE_URL": "https://buurthulp.nl/"}, "SERVER_BASE_URL", ERROR, "trailing slash"),
    ({"SERVER_BASE_URL": "buurthulp.nl"}, "SERVER_BASE_URL", ERROR, "not a web address"),
    ({"MAIL_SERVER": None}, "MAIL_SERVER", WARNING, "instance/outbox/"),
    ({"TRUSTED_PROXIES": "0"}, "TRUSTED_PROXIES", WARNING, "set it to 1"),
    ({"TRUSTED_PROXIES": "een"}, "TRUSTED_PROXIES", ERROR, "not a whole number"),
    ({"TRUSTED_PROXIES": "-1"}, "TRUSTED_PROXIES", ERROR, "too small"),
    ({"MAIL_PORT": "587a"}, "MAIL_PORT", ERROR, "not a whole number"),
    ({"RETENTION_MONTHS": "0"}, "RETENTION_MONTHS", ERROR, "use 1 or more"),
    ({"SCHEDULER_DIGEST_RADIUS_KM": "2,5"}, "SCHEDULER_DIGEST_RADIUS_KM", ERROR, "decimal point"),
    ({"SCHEDULER_DIGEST_RADIUS_KM": "nan"}, "SCHEDULER_DIGEST_RADIUS_KM", ERROR, "not a number"),
    ({"BUURTHULP_ENV": "prod"}, "BUURTHULP_ENV", ERROR, "not a known profile"),
]


@pytest.mark.parametrize(("changes", "variable", "level", "phrase"), CASES)
def test_each_problem_is_named_and_explained(good_env, changes, variable, level, phrase):
    env = {**good_env, **changes}
    env = {key: value for key, value in env.items() if value is not None}
    _, problems = check_config(env)
    assert any(lvl == level and phrase in msg for lvl, msg in _found(problems, variable)), problems


def test_every_problem_is_listed_at_once_errors_first(good_env):
    env = {
        **good_env,
        "BUURTHULP_ENV": "staging",
        "SECRET_KEY": "kort",
        "MAIL_PORT": "smtp",
        "SERVER_BASE_URL": "http://example.nl",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    del env["MAIL_SERVER"]
    _, problems = check_config(env)
    named = {(p.variable, p.level) for p in problems}
    assert {
        ("BUURTHULP_ENV", ERROR),
        ("SECRET_KEY", ERROR),
        ("MAIL_PORT", ERROR),
        ("SERVER_BASE_URL", ERROR),
        ("REDIS_URL", ERROR),
        ("MAIL_SERVER", WARNING),
    } <= named
    levels = [p.level for p in problems]
    assert levels == sorted(levels, key=lambda level: level != ERROR)


def test_development_does_not_ask_for_production_settings(migrated_url):
    env = {"BUURTHULP_ENV": "development", "DATABASE_URL": migrated_url}
    assert check_config(env)[1] == []


def test_redis_unset_with_several_processes_is_a_warning_in_any_profile(migrated_url):
    env = {"BUURTHULP_ENV": "development", "DATABASE_URL": migrated_url}
    _, problems = check_config(env, processes=3)
    assert _found(problems, "REDIS_URL") == [(WARNING, _found(problems, "REDIS_URL")[0][1])]
    assert "3 web processes" in problems[0].message


def test_unreachable_redis_and_a_bad_redis_url_are_errors(good_env):
    env = {**good_env, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    assert _found(check_config(env)[1], "REDIS_URL")[0][0] == ERROR
    env["REDIS_URL"] = "http://127.0.0.1/"
    (level, message), *_ = _found(check_config(env)[1], "REDIS_URL")
    assert level == ERROR and "not a Redis URL" in message


def test_unreachable_databases_are_errors(good_env, tmp_path):
    env = {**good_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite'}"}
    (level, message), *_ = _found(check_config(env)[1], "DATABASE_URL")
    assert level == ERROR and "does not answer" in message
    url = f"postgresql+psycopg://buurthulp:geheim@127.0.0.1:{free_port()}/buurthulp"
    problems = _found(check_config({**good_env, "DATABASE_URL": url})[1], "DATABASE_URL")
    assert [lvl for lvl, _ in problems] == [ERROR]
    assert "does not answer" in problems[0][1] and "geheim" not in problems[0][1]


def test_a_database_behind_the_newest_migration(good_env, tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('e5monitor001')")
    conn.close()
    env = {**good_env, "DATABASE_URL": f"sqlite:///{path}"}
    problems = _found(check_config(env)[1], "DATABASE_URL")
    head = ", ".join(sorted(config_check.migration_heads()))
    assert (
        ERROR,
        f"the database schema is at e5monitor001, but the code expects {head}. "
        "Run flask db upgrade (after a backup) before starting the app.",
    ) in problems
    relaxed = _found(check_config(env, allow_pending_migrations=True)[1], "DATABASE_URL")
    assert all(level == WARNING for level, _ in relaxed)


def test_a_missing_database_file_is_not_created(good_env, tmp_path):
    path = tmp_path / "fresh.sqlite"
    problems = check_config({**good_env, "DATABASE_URL": f"sqlite:///{path}"})[1]
    assert any("empty (never migrated)" in msg for _, msg in _found(problems, "DATABASE_URL"))
    assert not path.exists()


def test_create_app_names_a_bad_number_instead_of_a_traceback(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "vijf")
    with pytest.raises(ConfigError, match=r"MAIL_PORT: 'vijf' is not a whole number"):
        create_app({"ENV_NAME": "testing"})


def test_the_command_exits_1_on_errors_and_0_on_warnings(good_env, monkeypatch):
    runner = create_app({"ENV_NAME": "testing"}).test_cli_runner()
    for key, value in good_env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(check_config_command, [])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 2 warning(s)." in result.output
    assert runner.invoke(check_config_command, ["--strict"]).exit_code == 1
    monkeypatch.setenv("SECRET_KEY", "kort")
    monkeypatch.setenv("MAIL_PORT", "smtp")
    result = runner.invoke(check_config_command, [])
    assert result.exit_code == 1
    assert "ERROR   SECRET_KEY: is only 4 characters long" in result.output
    assert "ERROR   MAIL_PORT: 'smtp' is not a whole number" in result.output


def test_the_app_registers_the_command():
    app = create_app({"ENV_NAME": "testing"})
    assert app.cli.get_command(None, "check-config") is check_config_command


def test_runs_when_the_app_itself_refuses_to_start(good_env):
    env = {**good_env, "SECRET_KEY": "kort", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "buurthulp.ops.cli"]
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "ERROR   SECRET_KEY" in result.stdout and "Traceback" not in result.stderr


def test_pending_migrations_on_postgresql(database_url, good_env):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (this is the SQLite run; TEST_DATABASE_URL adds PostgreSQL)")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    problems = _found(check_config({**good_env, "DATABASE_URL": database_url})[1], "DATABASE_URL")
    assert [level for level, _ in problems] == [ERROR]
    assert "empty (never migrated)" in problems[0][1]


def test_flask_check_config_works_when_the_app_refuses_to_start(good_env, tmp_path):
    # pyproject declares the command as a Flask CLI plugin; a dist-info on the path that
    # declares the same entry point stands in for `pip install`, which the shared venv skips.
    info = tmp_path / "buurthulp_probe-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: buurthulp-probe\nVersion: 0\n")
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text()
    target = "buurthulp.ops.cli:check_config_command"
    assert f'[project.entry-points."flask.commands"]\ncheck-config = "{target}"' in pyproject
    (info / "entry_points.txt").write_text(f"[flask.commands]\ncheck-config = {target}\n")
    env = {**good_env, "SECRET_KEY": "kort", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "check-config"]
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "ERROR   SECRET_KEY: is only 4 characters long" in result.stdout
    assert "Traceback" not in result.stderr


def test_log_settings_are_explained(good_env):
    _, problems = check_config({**good_env, "LOG_FORMAT": "xml", "LOG_LEVEL": "LOUD"})
    assert _found(problems, "LOG_FORMAT") == [
        (ERROR, "'xml' is not a log format: use json or text")
    ]
    [(level, message)] = _found(problems, "LOG_LEVEL")
    assert level == ERROR and "INFO" in message
