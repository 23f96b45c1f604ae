"""Scheduler tests: a frozen clock, a real SMTP server on localhost, and a small world.

Anna asks for help in 8011 (Zwolle); Bert volunteers nearby; Carla lives in Amersfoort,
in another initiative. Mail goes through aiosmtpd (smtp_server); jobs get `now`.
"""

import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in the Netherlands
TODAY = date(2026, 11, 23)
ANNA_STREET = "Sassenstraat"
ANNA_HOUSE = "387"
ANNA_POSTCODE = "8011PX"
ANNA_PHONE = "0612345678"


@pytest.fixture
def app_settings(mail_settings):
    return mail_settings


def wait_for_mail(smtp_server, count: int) -> list:
    deadline = time.monotonic() + 5
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # and nothing more arrives just after
    return smtp_server.messages


def body_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def mails_to(smtp_server, email: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == email]


@pytest.fixture
def people(make):
    initiative = make.initiative(name="Burenhulp Zwolle", pc4s=("8011", "8012", "8021"))
    anna = make.user(
        initiative=initiative,
        first_name="Anna",
        last_name="Verhoeven",
        email="anna@example.nl",
        postcode=ANNA_POSTCODE,
        house_number=ANNA_HOUSE,
        street_name=ANNA_STREET,
        phone=ANNA_PHONE,
    )
    bert = make.user(
        initiative=initiative,
        first_name="Bert",
        last_name="Jansen",
        email="bert@example.nl",
        postcode="8011AB",
        house_number="5",
        street_name="Diezerstraat",
        phone="0687654321",
    )
    other = make.initiative(name="Buurtcollectief Amersfoort", pc4s=("3811",))
    carla = make.user(initiative=other, email="carla@example.nl", postcode="3811AA")
    return SimpleNamespace(initiative=initiative, anna=anna, bert=bert, carla=carla, other=other)


def at(days: float = 0, **more) -> datetime:
    """NOW shifted: at(-40) is forty days ago."""
    return NOW + timedelta(days=days, **more)
