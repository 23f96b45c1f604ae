"""Panel roles and street scope, read from the database on every call."""

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from buurthulp.moderation.services import ModerationError
from buurthulp.panel import scope
from buurthulp.panel.models import StreetAssignment

NOW = utcnow()


def _load(user):
    return db.session.get(User, user.id)


def test_panel_role_per_initiative(make, ctx):
    a, b = make.initiative(), make.initiative()
    resident = make.user(initiative=a)
    contact = make.user(initiative=a, role=Role.STREET_CONTACT)
    connector = make.user(initiative=a, role=Role.CONNECTOR)
    admin = make.user(is_platform_admin=True)
    assert scope.panel_role(_load(resident), a.id) is None
    assert scope.panel_role(_load(contact), a.id) == Role.STREET_CONTACT
    assert scope.panel_role(_load(connector), a.id) == Role.CONNECTOR
    assert scope.panel_role(_load(connector), b.id) is None
    assert scope.panel_role(_load(admin), b.id) == Role.COORDINATOR
    assert scope.panel_role(_load(admin), 999_999) is None
    assert scope.panel_role(None, a.id) is None


def test_require_panel_role_404_outside_403_when_insufficient(make, ctx):
    a, b = make.initiative(), make.initiative()
    contact = _load(make.user(initiative=a, role=Role.STREET_CONTACT))
    assert scope.require_panel_role(contact, a.id) == Role.STREET_CONTACT
    with pytest.raises(Forbidden):
        scope.require_panel_role(contact, a.id, *scope.MODERATORS)
    with pytest.raises(NotFound):
        scope.require_panel_role(contact, b.id)


def test_revoked_role_stops_at_once(make, ctx):
    a = make.initiative()
    connector = _load(make.user(initiative=a, role=Role.CONNECTOR))
    assert scope.panel_role(connector, a.id) == Role.CONNECTOR
    membership = db.session.execute(db.select(Membership).filter_by(user_id=connector.id)).scalar()
    membership.role = Role.RESIDENT
    db.session.commit()
    assert scope.panel_role(connector, a.id) is None


def test_street_scope(make, ctx):
    a, b = make.initiative(), make.initiative()
    contact = _load(make.user(initiative=a, role=Role.STREET_CONTACT))
    connector = _load(make.user(initiative=a, role=Role.CONNECTOR))
    mine = Street(initiative_id=a.id, name="Sassenstraat")
    other_initiative = Street(initiative_id=b.id, name="Luttekestraat")
    db.session.add_all([mine, other_initiative])
    db.session.flush()
    db.session.add_all(
        [
            StreetAssignment(street_id=mine.id, user_id=contact.id),
            StreetAssignment(street_id=other_initiative.id, user_id=contact.id),
        ]
    )
    db.session.commit()
    assert scope.street_ids_in_scope(contact, a.id) == {mine.id}
    assert scope.street_ids_in_scope(contact, b.id) == set()
    assert scope.street_ids_in_scope(connector, a.id) is None


def test_a_connector_given_a_neighbourhood_is_scoped_to_it(make, ctx):
    from buurthulp.panel import roles

    initiative = make.initiative()
    coordinator = _load(make.user(initiative=initiative, role=Role.COORDINATOR))
    connector = _load(make.user(initiative=initiative, role=Role.CONNECTOR))
    resident = _load(make.user(initiative=initiative))
    streets = [Street(initiative_id=initiative.id, name=n) for n in ("Assendorp", "Diezerpoort")]
    db.session.add_all(streets)
    db.session.commit()
    assert scope.street_ids_in_scope(connector, initiative.id) is None
    roles.street_assign(
        initiative_id=initiative.id,
        street_id=streets[0].id,
        user_id=connector.id,
        actor=coordinator,
        now=NOW,
    )
    assert scope.street_ids_in_scope(connector, initiative.id) == {streets[0].id}
    assert scope.street_ids_in_scope(coordinator, initiative.id) is None
    with pytest.raises(ModerationError):
        roles.street_assign(
            initiative_id=initiative.id,
            street_id=streets[1].id,
            user_id=resident.id,
            actor=coordinator,
            now=NOW,
        )
    # A new role starts without streets: back to the whole initiative.
    roles.role_set(
        initiative_id=initiative.id,
        user_id=connector.id,
        role=Role.STREET_CONTACT,
        actor=coordinator,
        now=NOW,
    )
    roles.role_set(
        initiative_id=initiative.id,
        user_id=connector.id,
        role=Role.CONNECTOR,
        actor=coordinator,
        now=NOW,
    )
    assert scope.street_ids_in_scope(connector, initiative.id) is None
