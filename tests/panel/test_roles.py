"""Coordinators manage streets, roles and invitations; a change counts from the next request."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from buurthulp.moderation.services import ModerationError
from buurthulp.panel import roles, scope
from buurthulp.panel.models import StreetAssignment
from tests.factories import Auth
from tests.moderation.conftest import load


@pytest.fixture
def app_settings(mail_settings):
    return mail_settings


def client_of(app, make, user):
    client = app.test_client()
    Auth(client, make).login_direct(user)
    return client


def role_of(user_id, initiative_id):
    db.session.expire_all()
    return db.session.execute(
        select(Membership.role).filter_by(user_id=user_id, initiative_id=initiative_id)
    ).scalar_one()


def test_revoked_role_stops_on_the_very_next_request(app, make, initiative, people):
    connector = client_of(app, make, people["connector"])
    assert connector.get(f"/paneel/{initiative.id}/wachtrij").status_code == 200
    coordinator = client_of(app, make, people["coordinator"])
    response = coordinator.post(
        f"/paneel/{initiative.id}/leden/{people['connector'].id}/rol", data={"role": "resident"}
    )
    assert response.status_code == 303
    assert connector.get(f"/paneel/{initiative.id}/wachtrij").status_code == 404
    assert "Paneel" not in connector.get("/dichtbij").get_data(as_text=True)
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).filter_by(action="role_revoke")).scalar_one()
        assert entry.details == {"from": "connector", "to": "resident"}


def test_streets_and_contact_persons(ctx, initiative, people):
    coordinator = load(people["coordinator"])
    street = roles.street_create(
        initiative_id=initiative.id,
        name="Sassenstraat",
        pc4="8011",
        actor=coordinator,
        now=utcnow(),
    )
    with pytest.raises(ModerationError):
        roles.street_create(
            initiative_id=initiative.id,
            name="Sassenstraat",
            pc4="",
            actor=coordinator,
            now=utcnow(),
        )
    with pytest.raises(ModerationError):  # a resident is no contact person yet
        roles.street_assign(
            initiative_id=initiative.id,
            street_id=street.id,
            user_id=people["anna"].id,
            actor=coordinator,
            now=utcnow(),
        )
    roles.role_set(
        initiative_id=initiative.id,
        user_id=people["anna"].id,
        role=Role.STREET_CONTACT,
        actor=coordinator,
        now=utcnow(),
    )
    roles.street_assign(
        initiative_id=initiative.id,
        street_id=street.id,
        user_id=people["anna"].id,
        actor=coordinator,
        now=utcnow(),
    )
    assert scope.street_ids_in_scope(load(people["anna"]), initiative.id) == {street.id}
    # Losing the role also loses the streets.
    roles.role_set(
        initiative_id=initiative.id,
        user_id=people["anna"].id,
        role=Role.RESIDENT,
        actor=coordinator,
        now=utcnow(),
    )
    assert db.session.execute(select(StreetAssignment)).scalars().all() == []
    with pytest.raises(ModerationError):
        roles.role_set(
            initiative_id=initiative.id,
            user_id=coordinator.id,
            role=Role.RESIDENT,
            actor=coordinator,
            now=utcnow(),
        )


def wait_for_mail(smtp_server, count=1):
    deadline = time.monotonic() + 5
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return smtp_server.messages


def test_invitation_by_mail_works_once(app, make, initiative, people, smtp_server):
    with app.app_context():
        street = Street(initiative_id=initiative.id, name="Walstraat")
        db.session.add(street)
        db.session.commit()
        street_id = street.id
    coordinator = client_of(app, make, people["coordinator"])
    response = coordinator.post(
        f"/paneel/{initiative.id}/leden/uitnodigen",
        data={"email": people["bert"].email, "role": "street_contact", "street_id": str(street_id)},
    )
    assert response.status_code == 303
    [mail] = wait_for_mail(smtp_server)
    assert mail["To"] == people["bert"].email
    path = re.search(r"http://localhost(/rol-uitnodiging/\S+)", mail.get_content()).group(1)

    stranger = client_of(app, make, people["carla"])  # another address: refused
    assert stranger.get(path).status_code == 200
    assert stranger.post(path).status_code == 422
    bert = client_of(app, make, people["bert"])
    assert bert.post(path).status_code == 303
    with app.app_context():
        assert role_of(people["bert"].id, initiative.id) == Role.STREET_CONTACT
        assert scope.street_ids_in_scope(load(people["bert"]), initiative.id) == {street_id}
    assert bert.get(path).status_code == 404  # used: the link works once
    assert bert.get(f"/paneel/{initiative.id}/wachtrij").status_code == 403
    assert bert.get("/paneel/").status_code == 200


def test_an_expired_invitation_does_not_work(ctx, initiative, people):
    token = roles.role_invite(
        initiative_id=initiative.id,
        email=people["anna"].email,
        role=Role.CONNECTOR,
        street_id=None,
        actor=load(people["coordinator"]),
        now=utcnow() - timedelta(days=8),
    )
    assert roles.invitation_for(token, utcnow()) is None
    with pytest.raises(ModerationError):
        roles.role_invitation_accept(token=token, user=load(people["anna"]), now=utcnow())
    assert roles.invitation_for("x" * 500, utcnow()) is None


def test_panel_link_and_index_show_the_sections_of_the_role(app, make, initiative, people):
    resident = client_of(app, make, people["anna"])
    assert "/paneel/" not in resident.get("/dichtbij").get_data(as_text=True)
    assert resident.get("/paneel/").status_code == 404
    connector = client_of(app, make, people["connector"])
    page = connector.get("/paneel/").get_data(as_text=True)
    assert f"/paneel/{initiative.id}/wachtrij" in page
    assert f"/paneel/{initiative.id}/auditlog" not in page
    coordinator = client_of(app, make, people["coordinator"])
    page = coordinator.get("/paneel/").get_data(as_text=True)
    assert f"/paneel/{initiative.id}/auditlog" in page
    assert 'href="/paneel/"' in coordinator.get("/dichtbij").get_data(as_text=True)
