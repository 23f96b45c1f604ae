"""People for the outreach tests: initiative A with streets X (Diezerstraat) and Y
(Sassenstraat), a member and a phone-intake resident in X, a member in Y, every panel role
of A, a connector of initiative B, and a service on A's sociale kaart."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
from buurthulp.outreach.models import Service, ServiceKind
from buurthulp.panel.models import StreetAssignment
from buurthulp.residents.models import ProxyResident

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in the Netherlands
TODAY = date(2026, 11, 23)


@dataclass
class World:
    a: object
    b: object
    street_x: int
    street_y: int
    resident_x: object
    resident_y: object
    proxy_x: int
    contact_x: object
    contact_y: object
    connector: object
    coordinator: object
    connector_b: object
    admin: object
    service: int
    b_service: int


def street_id(app, initiative_id: int, name: str) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(Street.id).filter_by(initiative_id=initiative_id, name=name)
        ).scalar_one()


def assign(app, user, street: int) -> None:
    with app.app_context():
        db.session.add(StreetAssignment(street_id=street, user_id=user.id))
        db.session.commit()


def proxy(app, initiative_id: int, street: int, first_name: str = "Mien") -> int:
    with app.app_context():
        resident = ProxyResident(
            initiative_id=initiative_id,
            street_id=street,
            first_name=first_name,
            last_name="Bakker",
            phone="0384211234",
            street_name="Diezerstraat",
            house_number="7",
            postcode="8011PX",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=NOW,
        )
        db.session.add(resident)
        db.session.commit()
        return resident.id


def service(app, initiative_id: int, **fields) -> int:
    with app.app_context():
        row = Service(
            initiative_id=initiative_id,
            kind=fields.pop("kind", ServiceKind.DISTRICT_TEAM),
            name=fields.pop("name", "Wijkteam Zwolle-Centrum"),
            phone=fields.pop("phone", "038 498 9898"),
            notes=fields.pop("notes", "Vraag naar Marja"),
            **fields,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def world(app, make) -> World:
    a = make.initiative(name="Burenhulp A", pc4s=("8011", "8012"))
    b = make.initiative(name="Burenhulp B", pc4s=("8011",))
    resident_x = make.user(initiative=a, email="x@example.nl", first_name="Kees")
    resident_y = make.user(
        initiative=a, email="y@example.nl", street_name="Sassenstraat", first_name="Riet"
    )
    contact_x = make.user(initiative=a, role=Role.STREET_CONTACT, email="cx@example.nl")
    contact_y = make.user(
        initiative=a, role=Role.STREET_CONTACT, email="cy@example.nl", street_name="Sassenstraat"
    )
    street_x, street_y = street_id(app, a.id, "Diezerstraat"), street_id(app, a.id, "Sassenstraat")
    assign(app, contact_x, street_x)
    assign(app, contact_y, street_y)
    return World(
        a=a,
        b=b,
        street_x=street_x,
        street_y=street_y,
        resident_x=resident_x,
        resident_y=resident_y,
        proxy_x=proxy(app, a.id, street_x),
        contact_x=contact_x,
        contact_y=contact_y,
        connector=make.user(initiative=a, role=Role.CONNECTOR, email="con@example.nl"),
        coordinator=make.user(initiative=a, role=Role.COORDINATOR, email="coo@example.nl"),
        connector_b=make.user(initiative=b, role=Role.CONNECTOR, email="conb@example.nl"),
        admin=make.user(email="admin@example.nl", is_platform_admin=True),
        service=service(app, a.id),
        b_service=service(app, b.id, name="Wijkteam B"),
    )


def get_user(user) -> User:
    return db.session.get(User, user.id)


@pytest.fixture
def outbox(monkeypatch):
    """Every mail the notifications send, as (to, subject, body)."""
    sent = []

    def keep(*, to, subject, body, **_more):
        sent.append((to, subject, body))

    monkeypatch.setattr("buurthulp.matching.notify.send_mail", keep)
    return sent
