"""Accessibility: axe-core finds no serious or critical WCAG 2.1 A/AA violation on main pages."""

import json
from datetime import date

import pytest

from buurthulp.listings.models import RequestStatus
from tests.browser.actions import log_in, skip_browser_validation, submit
from tests.browser.conftest import AXE_SCRIPT, skip_or_fail

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
})"""


@pytest.fixture(scope="session")
def axe_path():
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"{AXE_SCRIPT} is missing: run npm ci")
    return AXE_SCRIPT


@pytest.fixture
def context_options():
    # The CSP rightly forbids injected scripts; axe has to be injected all the same.
    return {"bypass_csp": True}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


def blocking_violations(page, axe_path) -> list[dict]:
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def check_pages(page, axe_path, pages) -> None:
    """Open each (path, status) and run axe; report every page's violations at once."""
    report = []
    for path, status in pages:
        response = page.goto(path)
        assert response.status == status, path
        assert "/inloggen" not in page.url or path == "/inloggen", f"{path}: not logged in"
        if violations := blocking_violations(page, axe_path):
            report.append(f"axe on {path}:\n{describe(violations)}")
    assert not report, "\n\n".join(report)


def check_form_with_errors(page, axe_path, path: str, form: str) -> None:
    """Post the form empty (past the browser's own checks) and check the page with errors."""
    page.goto(path)
    skip_browser_validation(page)
    submit(page, form)
    assert page.locator(".error-message").count() > 0, f"{path}: no error shown"
    violations = blocking_violations(page, axe_path)
    assert not violations, f"axe on {path} with errors:\n{describe(violations)}"


def test_logged_out_pages(page, axe_path):
    check_pages(
        page,
        axe_path,
        [
            ("/", 200),
            ("/inloggen", 200),
            ("/aanmelden", 200),
            ("/wachtwoord-vergeten", 200),
            ("/privacy", 200),
            ("/bestaat-niet", 404),
        ],
    )


def test_register_form_with_errors(page, axe_path):
    check_form_with_errors(page, axe_path, "/aanmelden", "main form:has([name=password])")


@pytest.fixture
def resident(live_server):
    """A logged-in resident with a neighbour who asks and offers help, so no page is empty."""
    make = live_server.make
    initiative = make.initiative()
    neighbour = make.user(initiative=initiative, first_name="Bert", postcode="8012AB")
    me = make.user(initiative=initiative, email="a11y@example.nl")
    request = make.help_request(requester=neighbour, initiative=initiative, title="Hulp met tuin")
    offer = make.help_offer(volunteer=neighbour, initiative=initiative)
    own = make.help_request(requester=me, initiative=initiative, title="Lift naar de huisarts")
    make.help_offer(volunteer=me, initiative=initiative)
    expired = make.help_request(
        requester=me, initiative=initiative, status=RequestStatus.EXPIRED, on_date=date(2020, 1, 6)
    )
    return {
        "user": me,
        "request_id": request.id,
        "offer_id": offer.id,
        "own_id": own.id,
        "expired_id": expired.id,
    }


def test_logged_in_pages(page, axe_path, resident):
    log_in(page, resident["user"].email)
    paths = [
        "/dichtbij",
        "/hulpvragen/nieuw",
        "/hulpaanbod/nieuw",
        "/mijn-hulp",
        "/mijn-gegevens",
        "/mijn-gegevens/wachtwoord",
        "/hulpvragen/{request_id}",
        "/hulpvragen/{own_id}",
        "/hulpvragen/{own_id}/bewerken",
        "/hulpaanbod/{offer_id}",
        "/hulpvragen/{expired_id}",
        "/hulpvragen/{expired_id}/vernieuwen",
    ]
    check_pages(page, axe_path, [(p.format(**resident), 200) for p in paths])


def test_renew_form_with_errors(page, axe_path, resident):
    log_in(page, resident["user"].email)
    path = f"/hulpvragen/{resident['expired_id']}/vernieuwen"
    check_form_with_errors(page, axe_path, path, "main form:has([name=on_date])")


@pytest.mark.parametrize("path", ["/hulpvragen/nieuw", "/hulpaanbod/nieuw"])
def test_listing_form_with_errors(page, axe_path, resident, path):
    log_in(page, resident["user"].email)
    check_form_with_errors(page, axe_path, path, "main form:has([name=title])")
