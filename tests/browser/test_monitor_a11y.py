"""Accessibility of the monitor's pages (axe-core, WCAG 2.1 A/AA), logged out and as a
coordinator, with figures in them so no page is empty."""

import pytest

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.monitor.rollup import rebuild_rollups
from tests.browser.actions import log_in
from tests.browser.test_a11y import (  # noqa: F401  (fixtures)
    axe_path,
    check_form_with_errors,
    check_pages,
    context_options,
)
from tests.monitor.conftest import random_history

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(live_server):
    app, make = live_server.app, live_server.make
    history = random_history(app, make, now=utcnow(), requests=60)
    initiative = history["initiatives"][0]
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR, email="c@example.nl")
    with app.app_context():
        rebuild_rollups(utcnow())
        db.session.remove()
    app.extensions.pop("monitor_national", None)
    return {"initiative_id": initiative.id, "coordinator": coordinator}


def test_public_monitor_pages(page, axe_path, figures):  # noqa: F811
    paths = ["/monitor", "/monitor/open-data", "/initiatievenkaart", "/initiatievenkaart/aanmelden"]
    check_pages(page, axe_path, [(p, 200) for p in paths])


def test_registration_form_with_errors(page, axe_path, figures):  # noqa: F811
    check_form_with_errors(page, axe_path, "/initiatievenkaart/aanmelden", "main form")


def test_coordinator_figure_pages(page, axe_path, figures):  # noqa: F811
    log_in(page, figures["coordinator"].email)
    base = f"/cijfers/{figures['initiative_id']}"
    check_pages(
        page, axe_path, [(base, 200), (f"{base}/jaarverslag", 200), (f"{base}/enquete", 200)]
    )
