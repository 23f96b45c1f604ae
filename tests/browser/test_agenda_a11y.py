"""Accessibility of the agenda (list, week, print) and the attendance pages (axe-core)."""

from datetime import timedelta

import pytest

from buurthulp.initiatives.models import Role
from buurthulp.listings.clock import local_today
from tests.activities import agenda_factories as f
from tests.browser.actions import log_in
from tests.browser.test_a11y import (  # noqa: F401  (fixtures)
    axe_path,
    check_pages,
    context_options,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def agenda(live_server):
    app, make = live_server.app, live_server.make
    initiative = make.initiative()
    connector = make.user(initiative=initiative, role=Role.CONNECTOR, email="v@example.nl")
    today = local_today()
    coffee = f.activity(
        app,
        initiative,
        starts_on=today - timedelta(days=7),
        weekly=True,
        capacity=1,
        wheelchair_accessible=True,
        hearing_loop=True,
        transport_available=True,
    )
    f.signup(app, coffee, today - timedelta(days=7), user=connector)
    f.signup(app, coffee, today + timedelta(days=7), user=connector)
    f.activity(app, initiative, title="Eetclub", starts_on=today + timedelta(days=2))
    return {"initiative": initiative, "connector": connector, "coffee": coffee, "today": today}


def test_agenda_pages(page, axe_path, agenda):  # noqa: F811
    base = f"/activiteiten/agenda/{agenda['initiative'].slug}"
    paths = ["/activiteiten/agenda", base, f"{base}/week", f"{base}/afdrukken"]
    check_pages(page, axe_path, [(p, 200) for p in paths])


def test_attendance_pages(page, axe_path, agenda):  # noqa: F811
    log_in(page, agenda["connector"].email)
    base = f"/paneel/{agenda['initiative'].id}/activiteiten"
    day = (agenda["today"] - timedelta(days=7)).isoformat()
    check_pages(page, axe_path, [(base, 200), (f"{base}/{agenda['coffee'].id}/{day}", 200)])
