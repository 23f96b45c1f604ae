"""Demo data for the panel: the street contact's streets, a verified neighbour, and a request
taken by phone for a resident without an account, so each panel page has something to show."""

from datetime import timedelta

from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import Category, HelpRequest
from buurthulp.panel.models import StreetAssignment
from buurthulp.residents.models import ProxyResident, Verification

CONTACT = "straatcontact@example.nl"
VERIFIED = "bewoner@example.nl"
PHONED_IN = dict(first_name="Mien", last_name="Bakker", phone="038-4213344")


def ensure_panel_demo(users: dict[str, User]) -> int:
    """Create what is missing; returns how many records are new."""
    contact = users[CONTACT]
    membership = db.session.execute(
        select(Membership).where(Membership.user_id == contact.id)
    ).scalar_one()
    created = 0
    if membership.street_id is not None and not db.session.get(
        StreetAssignment, (membership.street_id, contact.id)
    ):
        db.session.add(StreetAssignment(street_id=membership.street_id, user_id=contact.id))
        created += 1
    resident = users[VERIFIED]
    if db.session.get(Verification, (membership.initiative_id, resident.id)) is None:
        db.session.add(
            Verification(
                initiative_id=membership.initiative_id,
                user_id=resident.id,
                verified_by_id=contact.id,
                verified_at=utcnow() - timedelta(days=20),
            )
        )
        created += 1
    return created + _phoned_in_request(contact, membership)


def _phoned_in_request(contact: User, membership: Membership) -> int:
    exists = db.session.execute(
        select(ProxyResident.id).where(
            ProxyResident.initiative_id == membership.initiative_id,
            ProxyResident.first_name == PHONED_IN["first_name"],
            ProxyResident.last_name == PHONED_IN["last_name"],
        )
    ).first()
    if exists:
        return 0
    postcode, area = locate(contact.postcode)
    asked = utcnow() - timedelta(days=1)
    resident = ProxyResident(
        initiative_id=membership.initiative_id,
        street_id=membership.street_id,
        street_name=contact.street_name,
        house_number="3",
        postcode=postcode,
        place=area.place,
        latitude=area.latitude,
        longitude=area.longitude,
        consent_at=asked,
        consent_by_id=contact.id,
        **PHONED_IN,
    )
    db.session.add(resident)
    db.session.flush()
    db.session.add(
        HelpRequest(
            initiative_id=membership.initiative_id,
            requester_id=None,
            created_by_id=contact.id,
            proxy_resident_id=resident.id,
            category=Category.COMPANY,
            title="Iemand om mee te praten op donderdag",
            description="Mevrouw Bakker woont alleen en belde: ze wil graag af en toe bezoek.",
            flexible_days=6,
            street_name=contact.street_name,
            place=area.place,
            latitude=area.latitude,
            longitude=area.longitude,
            created_at=asked,
        )
    )
    return 2
