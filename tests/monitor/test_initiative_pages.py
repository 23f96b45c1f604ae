"""An initiative's figures: only for its coordinators and buurtverbinders, read from the
roll-ups, with charts, tables, a CSV export and a printable annual report."""

import csv
import io
import re

import pytest

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.monitor.rollup import rebuild_rollups
from tests.monitor.conftest import random_history


@pytest.fixture
def world(app, make):
    history = random_history(app, make, now=utcnow())
    first, second = history["initiatives"]
    return {
        "initiative": first,
        "other": second,
        "coordinator": make.user(initiative=first, role=Role.COORDINATOR),
        "connector": make.user(initiative=first, role=Role.CONNECTOR),
        "resident": make.user(initiative=first),
        "other_coordinator": make.user(initiative=second, role=Role.COORDINATOR),
    }


def rebuild(app):
    with app.app_context():
        rebuild_rollups(utcnow())


@pytest.mark.parametrize("who", ["coordinator", "connector"])
def test_moderators_see_their_figures(app, client, auth, world, who):
    rebuild(app)
    auth.login_direct(world[who])
    html = client.get(f"/cijfers/{world['initiative'].id}").get_data(as_text=True)
    assert "Cijfers van" in html
    assert html.count('role="img"') == 4 and html.count("<table") >= 5
    # The charts are plain SVG: the only scripts are the site's own, from static files.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all(re.search(r'src="/static/', tag) for tag in scripts)


@pytest.mark.parametrize("who", ["resident", "other_coordinator"])
def test_others_get_a_404(app, client, auth, world, who):
    auth.login_direct(world[who])
    for path in ("", "/jaarverslag", "/cijfers.csv", "/enquete"):
        assert client.get(f"/cijfers/{world['initiative'].id}{path}").status_code == 404


def test_logged_out_is_sent_to_login(client, world):
    response = client.get(f"/cijfers/{world['initiative'].id}")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def csv_totals(client, initiative_id, year) -> dict:
    body = client.get(f"/cijfers/{initiative_id}/cijfers.csv?jaar={year}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    return next((r for r in rows if r["period"] == str(year) and r["category"] == "total"), {})


def test_pages_read_the_rollups_not_the_raw_tables(app, client, auth, world):
    auth.login_direct(world["coordinator"])
    year = utcnow().year
    assert csv_totals(client, world["initiative"].id, year) == {}  # nothing rolled up yet
    rebuild(app)
    totals = csv_totals(client, world["initiative"].id, year)
    with app.app_context():
        posted = db.session.execute(
            db.text(
                "SELECT count(*) FROM help_requests WHERE initiative_id = :i AND created_at >= :s"
            ),
            {"i": world["initiative"].id, "s": f"{year}-01-01"},
        ).scalar()
    assert int(totals["requests"]) == posted > 0


def test_annual_report_is_one_printable_page(app, client, auth, world):
    rebuild(app)
    auth.login_direct(world["coordinator"])
    response = client.get(f"/cijfers/{world['initiative'].id}/jaarverslag?jaar=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="report"' in html and "monitor.css" in html and 'role="img"' in html


def test_unknown_year_falls_back_to_this_year(client, auth, world):
    auth.login_direct(world["coordinator"])
    html = client.get(f"/cijfers/{world['initiative'].id}?jaar=1800").get_data(as_text=True)
    assert f'<option value="{utcnow().year}" selected' in html


def test_my_figures_redirects_a_single_moderator(client, auth, world):
    auth.login_direct(world["coordinator"])
    response = client.get("/cijfers")
    assert response.headers["Location"].endswith(f"/cijfers/{world['initiative'].id}")
    auth.logout()
    auth.login_direct(world["resident"])
    assert "U bent dat nu bij geen enkel initiatief" in client.get("/cijfers").get_data(
        as_text=True
    )
