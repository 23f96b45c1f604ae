"""The yearly survey: the coordinator answers, and the monitor shows it next to live figures."""

from buurthulp.db_types import utcnow
from buurthulp.initiatives.models import Role
from buurthulp.monitor.survey import survey_get

ANSWERS = {
    "volunteers": "12",
    "members": "140",
    "participants": "60",
    "target_groups": ["elderly", "carers", "bogus"],
    "themes": ["care"],
    "activities": ["neighbour_help", "meals"],
    "funding": ["municipality"],
    "legal_form": "association",
    "needs": "Een vaste ruimte.",
}


def test_coordinator_answers_and_the_monitor_counts_it(app, client, auth, make):
    initiative = make.initiative()
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR)
    auth.login_direct(coordinator)
    year = utcnow().year
    url = f"/cijfers/{initiative.id}/enquete?jaar={year}"
    # An option that does not exist is refused with a message, the answers kept (422).
    refused = client.post(url, data=ANSWERS)
    assert refused.status_code == 422 and "Een vaste ruimte." in refused.get_data(as_text=True)
    response = client.post(url, data={**ANSWERS, "target_groups": ["elderly", "carers"]})
    assert response.status_code == 303
    with app.app_context():
        saved = survey_get(initiative.id, year)
        assert (saved.volunteers, saved.target_groups, saved.needs) == (
            12,
            "elderly,carers",
            "Een vaste ruimte.",
        )
    page = client.get(url).get_data(as_text=True)
    assert 'value="140"' in page  # the form shows what was saved
    doc = client.get(f"/monitor/open-data/{year}.json").get_json()
    tables = doc["tables"]
    assert tables["survey_volunteers_by_province"]["cells"]["Overijssel"] == 10
    assert tables["survey_answered_by_province"]["cells"]["Overijssel"] == "<5"


def test_a_connector_sees_the_survey_but_cannot_answer(client, auth, make):
    initiative = make.initiative()
    auth.login_direct(make.user(initiative=initiative, role=Role.CONNECTOR))
    url = f"/cijfers/{initiative.id}/enquete"
    assert "De coördinator vult de enquête in." in client.get(url).get_data(as_text=True)
    assert client.post(url, data=ANSWERS).status_code == 403
