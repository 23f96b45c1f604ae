"""The log's shape: one JSON object per line, the request id on every line of a request and in
the response, route templates instead of paths, and tracebacks without messages."""

import json
import logging
import sys
from datetime import datetime

import pytest

from buurthulp import config
from buurthulp.ops import logging_setup
from buurthulp.ops.request_hooks import request_id_from


@pytest.fixture
def app_settings():
    return {"LOG_FORMAT": "json"}


def json_lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def access_lines(capsys) -> list[dict]:
    return [line for line in json_lines(capsys) if line["logger"] == "buurthulp.access"]


def test_access_line_has_the_fields_and_the_response_carries_the_id(client, capsys):
    capsys.readouterr()
    response = client.get("/inloggen?email=iemand@example.nl")
    [line] = access_lines(capsys)
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert line["time"].endswith("Z")
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0
    assert (line["level"], line["method"], line["path"], line["status"]) == (
        "INFO",
        "GET",
        "/inloggen",
        200,
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_paths_are_logged_as_route_templates(client, capsys):
    capsys.readouterr()
    client.get("/hulpvragen/424242?naam=Jansen")
    client.get("/wachtwoord-herstellen/een-geheim-token")
    client.get("/niets/hier/12345")
    paths = [line["path"] for line in access_lines(capsys)]
    assert paths[0].startswith("/hulpvragen/<int") and "424242" not in paths[0]
    assert "<" in paths[1] and "een-geheim-token" not in paths[1]
    assert paths[2] == "<unmatched>"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("9f86d081884c7d659a2feaa0c55ad015", True),  # nginx's $request_id
        ("req-2026.12.02_abc", True),
        ("short", False),
        ("x" * 65, False),
        ("abc def ghijkl", False),
        ("abcdefgh\tINFO forged", False),
        ('abcdefgh"}', False),
        ("jan@example.nl-12345", False),
    ],
)
def test_incoming_request_id_is_kept_only_when_sane(client, capsys, sent, kept):
    capsys.readouterr()
    response = client.get("/inloggen", headers={"X-Request-ID": sent})
    [line] = access_lines(capsys)
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert (response.headers["X-Request-ID"] == sent) is kept
    if not kept:
        assert len(response.headers["X-Request-ID"]) == 32


def test_every_line_of_a_request_carries_its_id(app, client, capsys):
    @app.get("/twee-regels")
    def two_lines():
        logging.getLogger("buurthulp.something").warning("first")
        logging.getLogger("elsewhere").info("second")
        return "ok"

    capsys.readouterr()
    response = client.get("/twee-regels", headers={"X-Request-ID": "trace-me-12345678"})
    lines = json_lines(capsys)
    assert [line["message"] for line in lines[:2]] == ["first", "second"]
    assert {line["request_id"] for line in lines} == {"trace-me-12345678"}
    assert response.headers["X-Request-ID"] == "trace-me-12345678"
    logging.getLogger("elsewhere").warning("outside a request")
    assert json_lines(capsys)[0]["request_id"] is None


def test_an_early_answer_still_gets_an_id_and_a_line(app, client, capsys):
    app.config["LOGIN_RATE_LIMIT"] = "1 per minute"
    client.post("/inloggen", data={"email": "a@example.nl", "password": "x"})
    capsys.readouterr()
    limited = client.post("/inloggen", data={"email": "a@example.nl", "password": "x"})
    assert limited.status_code == 429
    [line] = access_lines(capsys)
    assert line["status"] == 429 and line["request_id"] == limited.headers["X-Request-ID"]


def test_probes_and_scrapes_are_quiet_unless_they_fail(client, capsys):
    capsys.readouterr()
    client.get("/healthz")
    client.get("/metrics")
    assert access_lines(capsys) == []
    client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert [line["status"] for line in access_lines(capsys)] == [404]


def test_traceback_keeps_types_and_frames_but_no_messages():
    email, street = "anna@example.nl", "Diezerstraat 387"

    def inner():
        raise KeyError(email)

    try:
        try:
            inner()
        except KeyError as error:
            raise ValueError(street) from error
    except ValueError as error:
        text = logging_setup.redacted_traceback(error)
    assert "anna@example.nl" not in text and "Diezerstraat 387" not in text
    assert text.index("builtins.KeyError") < text.index("builtins.ValueError")
    assert "in inner" in text and "withheld" in text


def test_text_format_ignores_a_traceback_another_handler_cached():
    email = "anna@example.nl"
    try:
        raise LookupError(email)
    except LookupError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, "f", 1, "failed", (), sys.exc_info()
        )
    record.exc_text = logging.Formatter().formatException(record.exc_info)  # pytest's, say
    text = logging_setup.TextFormatter().format(record)
    assert "builtins.LookupError" in text and email not in text
    assert email in record.exc_text, "the other handler's cache is left as it was"


def test_text_format_for_development_and_json_in_production(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert config.load_settings({"ENV_NAME": "testing"})["LOG_FORMAT"] == "text"
    assert config.load_settings({"ENV_NAME": "development"})["LOG_FORMAT"] == "text"
    production = config.load_settings({"ENV_NAME": "production", "SECRET_KEY": "s" * 40})
    assert production["LOG_FORMAT"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert config.load_settings({"ENV_NAME": "development"})["LOG_FORMAT"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(config.ConfigError, match="LOG_FORMAT"):
        config.load_settings({"ENV_NAME": "testing"})
    monkeypatch.setenv("LOG_FORMAT", "text")
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    with pytest.raises(config.ConfigError, match="LOG_LEVEL"):
        config.load_settings({"ENV_NAME": "testing"})


def test_text_lines_carry_the_request_id(make_app, database_url, capsys):
    text_app = make_app(database_url, LOG_FORMAT="text")
    capsys.readouterr()
    response = text_app.test_client().get("/inloggen")
    [line] = [x for x in capsys.readouterr().err.splitlines() if "buurthulp.access" in x]
    assert f"INFO buurthulp.access [{response.headers['X-Request-ID']}] GET /inloggen 200" in line


def test_one_handler_however_many_apps_are_built(make_app, database_url):
    for _ in range(3):
        make_app(database_url)
    ours = [h for h in logging.getLogger().handlers if h.get_name() == logging_setup.HANDLER_NAME]
    assert len(ours) == 1


def test_development_server_request_lines_are_dropped():
    werkzeug_filter = logging_setup.DropServerRequestLines()
    request_line = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '127.0.0.1 - - [02/Dec/2026] "%s" %s %s',
        ("GET", 200, 5),
        None,
    )
    startup = logging.LogRecord("werkzeug", logging.INFO, "", 0, "Running on %s", ("x",), None)
    assert not werkzeug_filter.filter(request_line) and werkzeug_filter.filter(startup)


def test_sane_request_ids():
    assert request_id_from("abcd-1234") == "abcd-1234"
    assert request_id_from(None) != request_id_from(None)
