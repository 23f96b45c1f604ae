"""Shared people, clock and mail capture for the matcher flow tests.

Anna asks for help in 8011 (Zwolle centre); seven volunteers live in the same
4-digit area, so they are equally near and rank in the order they were created
(the ranking's stable tie-break on volunteer id). A member of another initiative
and the requester herself never appear.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOUSE_NUMBER = "387"
POSTCODE = "8011PX"


@pytest.fixture
def outbox(monkeypatch):
    """Every notification mail, as (to, subject, body)."""
    sent = []

    def keep(*, to, subject, body):
        sent.append((to, subject, body))

    monkeypatch.setattr("buurthulp.matching.notify.send_mail", keep)
    return sent


@dataclass
class People:
    initiative: object
    requester: object
    volunteers: list
    outsider: object


@pytest.fixture
def people(make):
    initiative = make.initiative(name="Burenhulp Zwolle", pc4s=("8011", "8012", "8021"))
    requester = make.user(
        initiative=initiative,
        first_name="Anna",
        last_name="Verhoeven",
        postcode=POSTCODE,
        house_number=HOUSE_NUMBER,
        phone="0612345678",
        email="anna@example.nl",
    )
    volunteers = []
    for n in range(7):
        volunteer = make.user(
            initiative=initiative,
            first_name=f"Vrijwilliger{n}",
            last_name="Jansen",
            postcode="8011AB",
            email=f"vrijwilliger{n}@example.nl",
        )
        make.help_offer(volunteer=volunteer, initiative=initiative, availability=(1 << 21) - 1)
        volunteers.append(volunteer)
    other = make.initiative(name="Buurtcollectief Amersfoort", pc4s=("3811",))
    outsider = make.user(initiative=other, postcode="3811AA", email="carla@example.nl")
    return People(initiative, requester, volunteers, outsider)


@pytest.fixture
def open_request(make, people):
    return make.help_request(
        requester=people.requester, initiative=people.initiative, flexible_days=7
    )
