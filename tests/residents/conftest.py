"""People for the residents' panel tests: initiative A with streets X (Diezerstraat) and
Y (Sassenstraat), each role of A, a connector of initiative B, and volunteers near 8011."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
from buurthulp.listings.models import Category
from buurthulp.listings.rules import RequestFields
from buurthulp.panel.models import StreetAssignment
from buurthulp.residents.intake import ResidentFields

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
NOTE = "woont alleen, slechtziend"
RESIDENT = ResidentFields(
    first_name="Mien",
    last_name="Bakker",
    phone="0384211234",
    postcode="8011 PX",
    house_number="7",
    street_name="Diezerstraat",
)
REQUEST = RequestFields(
    title="Boodschappen",
    description="Melk en brood",
    category=Category.GROCERIES,
    flexible_days=7,
)


@pytest.fixture
def outbox(monkeypatch):
    """Every notification and account mail, as (to, subject, body)."""
    sent = []

    def keep(*, to, subject, body):
        sent.append((to, subject, body))

    monkeypatch.setattr("buurthulp.matching.notify.send_mail", keep)
    monkeypatch.setattr("buurthulp.residents.takeover.send_mail", keep)
    return sent


@dataclass
class World:
    a: object
    b: object
    street_x: int
    street_y: int
    contact_x: object
    contact_y: object
    connector: object
    coordinator: object
    connector_b: object
    resident_x: object
    resident_y: object
    volunteers: list
    admin: object


def _street(app, initiative_id: int, name: str) -> int:
    with app.app_context():
        street = db.session.execute(
            db.select(Street).filter_by(initiative_id=initiative_id, name=name)
        ).scalar_one_or_none()
        if street is None:
            street = Street(initiative_id=initiative_id, name=name, pc4="8011")
            db.session.add(street)
            db.session.commit()
        return street.id


def assign(app, user, street_id: int) -> None:
    with app.app_context():
        db.session.add(StreetAssignment(street_id=street_id, user_id=user.id))
        db.session.commit()


@pytest.fixture
def world(app, make) -> World:
    a = make.initiative(name="Burenhulp A", pc4s=("8011", "8012"))
    b = make.initiative(name="Burenhulp B", pc4s=("8011",))
    resident_x = make.user(initiative=a, email="x@example.nl", first_name="Kees")
    resident_y = make.user(
        initiative=a, email="y@example.nl", street_name="Sassenstraat", first_name="Riet"
    )
    street_x, street_y = _street(app, a.id, "Diezerstraat"), _street(app, a.id, "Sassenstraat")
    contact_x = make.user(
        initiative=a, role=Role.STREET_CONTACT, email="cx@example.nl", first_name="Carla"
    )
    contact_y = make.user(
        initiative=a,
        role=Role.STREET_CONTACT,
        email="cy@example.nl",
        street_name="Sassenstraat",
        first_name="Cor",
    )
    assign(app, contact_x, street_x)
    assign(app, contact_y, street_y)
    volunteers = []
    for n in range(3):
        volunteer = make.user(initiative=a, email=f"v{n}@example.nl", first_name=f"Vrijwilliger{n}")
        make.help_offer(volunteer=volunteer, initiative=a, availability=(1 << 21) - 1)
        volunteers.append(volunteer)
    return World(
        a=a,
        b=b,
        street_x=street_x,
        street_y=street_y,
        contact_x=contact_x,
        contact_y=contact_y,
        connector=make.user(initiative=a, role=Role.CONNECTOR, email="con@example.nl"),
        coordinator=make.user(initiative=a, role=Role.COORDINATOR, email="coo@example.nl"),
        connector_b=make.user(initiative=b, role=Role.CONNECTOR, email="conb@example.nl"),
        resident_x=resident_x,
        resident_y=resident_y,
        volunteers=volunteers,
        admin=make.user(email="admin@example.nl", is_platform_admin=True),
    )


def get_user(user) -> User:
    """The user in the current app context (services take attached objects)."""
    return db.session.get(User, user.id)
