"""Coordinators set how the matcher invites and what weighs most; the ranking uses it."""

import re

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.matching import core, search
from buurthulp.matching.models import MatchingSettings
from buurthulp.matching.queries import settings_for

URL = "/paneel/{}/koppelen"
GOOD = {
    "batch_size": "4",
    "escalate_after_hours": "1,5",
    "max_rounds": "2",
    "radius_step_km": "0,5",
    "weight_distance": "2",
    "weight_overlap": "0",
    "weight_load": "1,25",
}


@pytest.fixture
def people(make):
    initiative = make.initiative()
    return {
        "initiative": initiative,
        "coordinator": make.user(initiative=initiative, role=Role.COORDINATOR),
        "connector": make.user(initiative=initiative, role=Role.CONNECTOR),
    }


def test_defaults_shown_then_saved_and_used(app, client, auth, people):
    initiative = people["initiative"]
    auth.login_direct(people["coordinator"])
    page = client.get(URL.format(initiative.id)).get_data(as_text=True)
    assert 'value="0,5"' in page and 'value="0,3"' in page  # the defaults, Dutch style
    response = client.post(URL.format(initiative.id), data=GOOD)
    assert response.status_code == 303
    with app.app_context():
        assert search.weights_of(initiative.id) == core.Weights(
            distance=2.0, overlap=0.0, load=1.25
        )
        stored = settings_for(initiative.id)
        assert (stored.batch_size, stored.escalate_after_minutes, stored.max_rounds) == (4, 90, 2)
        assert stored.radius_step_km == 0.5
        entry = db.session.execute(select(AuditEntry)).scalar_one()
        assert (entry.action, entry.actor_id) == ("matching_settings_set", people["coordinator"].id)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight_load", "-1", "Kies een gewicht tussen 0 en 5."),
        ("weight_distance", "nan", "Kies een gewicht tussen 0 en 5."),
        ("batch_size", "veel", "Vul een getal in, bijvoorbeeld 2 of 0,5."),
        ("escalate_after_hours", "", "Vul een getal in, bijvoorbeeld 2 of 0,5."),
        ("max_rounds", "1e309", "Kies tussen 1 en 10 rondes."),
    ],
)
def test_bad_values_get_a_dutch_message_and_keep_the_input(
    app, client, auth, people, field, value, message
):
    auth.login_direct(people["coordinator"])
    data = GOOD | {field: value}
    response = client.post(URL.format(people["initiative"].id), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    # What was typed stays, the wrong value and the others alike.
    assert re.search(r'<input[^>]*name="radius_step_km"[^>]*value="0,5"', html)
    assert re.search(rf'<input[^>]*name="{field}"[^>]*value="{value}"', html)
    with app.app_context():
        assert db.session.get(MatchingSettings, people["initiative"].id) is None


def test_only_the_coordinator(client, auth, people):
    auth.login_direct(people["connector"])
    assert client.get(URL.format(people["initiative"].id)).status_code == 403
    assert client.post(URL.format(people["initiative"].id), data=GOOD).status_code == 403
