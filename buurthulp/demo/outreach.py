"""Demo data for outreach: a small sociale kaart for the street contact's initiative, his
check-ins, Mien Bakker living alone, and one referral to follow up next week."""

from datetime import timedelta

from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.demo.panel import CONTACT, PHONED_IN, VERIFIED
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.clock import local_today
from buurthulp.outreach.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    LivingSituation,
    Referral,
    Service,
    ServiceKind,
)
from buurthulp.residents.models import ProxyResident

SERVICES = (
    dict(
        kind=ServiceKind.DISTRICT_TEAM,
        name="Wijkteam Zwolle-Centrum (voorbeeld)",
        phone="038 498 9898",
        website="https://www.zwolle.nl",
        opening_hours="Maandag tot en met vrijdag 8.30-17.00 uur",
    ),
    dict(
        kind=ServiceKind.WMO_DESK,
        name="WMO-loket gemeente (voorbeeld)",
        phone="14 038",
        opening_hours="Werkdagen 9.00-12.00 uur telefonisch",
    ),
    dict(
        kind=ServiceKind.MEAL_SERVICE,
        name="Maaltijdservice De Tafel (voorbeeld)",
        phone="038 421 0000",
        notes="Bezorgt ook op zaterdag; vraag naar de proefweek.",
    ),
    dict(
        kind=ServiceKind.DEBT_HELP,
        name="Schuldhulp Zwolle (voorbeeld)",
        email="info@example.nl",
        address="Stationsplein 1, Zwolle",
    ),
)


def ensure_outreach_demo(users: dict[str, User]) -> int:
    """Create what is missing; returns how many records are new."""
    contact = users[CONTACT]
    initiative_id = db.session.execute(
        select(Membership.initiative_id).where(Membership.user_id == contact.id)
    ).scalar_one()
    known = set(
        db.session.execute(select(Service.name).where(Service.initiative_id == initiative_id))
        .scalars()
        .all()
    )
    services = [
        Service(initiative_id=initiative_id, **s) for s in SERVICES if s["name"] not in known
    ]
    db.session.add_all(services)
    created = len(services)
    done = db.session.execute(select(CheckIn.id).where(CheckIn.by_id == contact.id)).first()
    if done is None:
        created += _contacts(contact, users[VERIFIED], initiative_id)
    return created


def _contacts(contact: User, neighbour: User, initiative_id: int) -> int:
    mien = db.session.execute(
        select(ProxyResident).where(
            ProxyResident.initiative_id == initiative_id,
            ProxyResident.first_name == PHONED_IN["first_name"],
        )
    ).scalar_one_or_none()
    today, now = local_today(), utcnow()
    rows = [
        CheckIn(
            initiative_id=initiative_id,
            user_id=neighbour.id,
            kind=CheckInKind.DOORSTEP,
            on_date=today - timedelta(days=5),
            outcome=CheckInOutcome.DOING_WELL,
            by_id=contact.id,
        )
    ]
    if mien is not None:
        db.session.flush()
        meals = (
            db.session.execute(
                select(Service).where(
                    Service.initiative_id == initiative_id, Service.kind == ServiceKind.MEAL_SERVICE
                )
            )
            .scalars()
            .first()
        )
        rows += [
            CheckIn(
                initiative_id=initiative_id,
                proxy_resident_id=mien.id,
                kind=CheckInKind.PHONE,
                on_date=today - timedelta(days=1),
                outcome=CheckInOutcome.REFERRED,
                by_id=contact.id,
            ),
            LivingSituation(
                initiative_id=initiative_id,
                proxy_resident_id=mien.id,
                lives_alone=True,
                consent_at=now,
                consent_by_id=contact.id,
            ),
        ]
        if meals is not None:
            rows.append(
                Referral(
                    initiative_id=initiative_id,
                    service_id=meals.id,
                    kind=meals.kind,
                    proxy_resident_id=mien.id,
                    referred_on=today - timedelta(days=1),
                    follow_up_on=today + timedelta(days=7),
                    by_id=contact.id,
                )
            )
    db.session.add_all(rows)
    return len(rows)
