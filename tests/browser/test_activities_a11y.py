"""Accessibility of the activity pages (axe-core, WCAG 2.1 A/AA): the page as a resident on
the waiting list and as an organiser with names, the form (also with errors), the phone
sign-up and the proposal in the moderation queue."""

import pytest

from buurthulp.activities.models import SignupStatus
from buurthulp.initiatives.models import Role
from buurthulp.moderation.models import ReviewState
from tests.activities.core_factories import make_activity, make_signup
from tests.browser.actions import log_in
from tests.browser.test_a11y import (  # noqa: F401  (fixtures)
    axe_path,
    check_form_with_errors,
    check_pages,
    context_options,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def club(live_server):
    app, make = live_server.app, live_server.make
    initiative = make.initiative()
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR, email="c@example.nl")
    resident = make.user(initiative=initiative, email="r@example.nl", first_name="Riet")
    other = make.user(initiative=initiative, first_name="Bert")
    activity = make_activity(app, initiative, capacity=1, transport_available=True, weekly=True)
    make_signup(app, activity, user=other)
    make_signup(app, activity, user=resident, status=SignupStatus.WAITING)
    make_activity(app, initiative, title="Sjoelen", review_state=ReviewState.PENDING)
    return {"initiative": initiative.id, "activity": activity.id, "coordinator": coordinator}


def test_activity_page_for_a_resident(page, axe_path, club):  # noqa: F811
    log_in(page, "r@example.nl")
    check_pages(page, axe_path, [(f"/activiteiten/{club['activity']}", 200)])
    assert "U staat op de wachtlijst, plek 1." in page.locator("main").inner_text()


def test_organiser_pages(page, axe_path, club):  # noqa: F811
    log_in(page, "c@example.nl")
    paths = [
        f"/activiteiten/{club['activity']}",
        f"/activiteiten/{club['activity']}/bewerken",
        f"/activiteiten/{club['activity']}/aanmelden-namens",
        f"/activiteiten/initiatief/{club['initiative']}/nieuw",
        f"/paneel/{club['initiative']}/wachtrij",
        f"/paneel/{club['initiative']}/activiteiten-instelling",
    ]
    check_pages(page, axe_path, [(path, 200) for path in paths])
    new = f"/activiteiten/initiatief/{club['initiative']}/nieuw"
    check_form_with_errors(page, axe_path, new, "main form:has([name=venue_name])")
