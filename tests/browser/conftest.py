"""Browser fixtures: the app on a real HTTP server in a thread, and Debian's headless Chromium.

Browser tests run once, on SQLite, with CSRF on: they use none of the parametrized
fixtures of tests/conftest.py. Chromium is never downloaded; without /usr/bin/chromium
the tests are skipped, except in CI (where `CI` is set), where that is a failure.
"""

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from buurthulp.extensions import db, limiter
from tests import factories
from tests.conftest import PROJECT_ROOT, make_test_app

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def skip_or_fail(reason: str) -> None:
    """Missing tools skip the test locally; in CI they must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error)")
    pytest.skip(reason)


@dataclass
class LiveServer:
    url: str
    app: Flask
    make: factories.Factories


@pytest.fixture(scope="session")
def _served_app(tmp_path_factory):
    """One app and server per worker; each test gets a fresh copy of an empty database."""
    folder = tmp_path_factory.mktemp("live")
    database, empty = folder / "live.sqlite", folder / "empty.sqlite"
    app = make_test_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    shutil.copyfile(database, empty)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}", database, empty
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(_served_app):
    app, url, database, empty = _served_app
    with app.app_context():
        db.engine.dispose()  # no connection may keep the old file open
        shutil.copyfile(empty, database)
        limiter.reset()  # every test logs in afresh from 127.0.0.1
    return LiveServer(url, app, factories.Factories(app))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def context_options() -> dict:
    """Options for the test's browser context; a test module may override this fixture."""
    return {}


@pytest.fixture
def context(browser, live_server, context_options):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **context_options)
    context.set_default_timeout(5_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def new_page(browser, live_server, context_options):
    """Another browser, with its own cookies: a second resident at the same time."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(
            base_url=live_server.url, locale="nl-NL", **{**context_options, **options}
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
