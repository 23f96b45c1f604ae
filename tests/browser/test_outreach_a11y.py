"""Accessibility of the outreach pages (axe-core, WCAG 2.1 A/AA), with something in them."""

import pytest

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role, Street
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
from buurthulp.panel.models import StreetAssignment
from buurthulp.residents.models import ProxyResident
from tests.browser.actions import log_in
from tests.browser.test_a11y import (  # noqa: F401  (fixtures)
    axe_path,
    check_form_with_errors,
    check_pages,
    context_options,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def outreach(live_server):
    app, make = live_server.app, live_server.make
    initiative = make.initiative()
    resident = make.user(initiative=initiative, email="kees@example.nl", first_name="Kees")
    contact = make.user(initiative=initiative, role=Role.STREET_CONTACT, email="h@example.nl")
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR, email="c@example.nl")
    with app.app_context():
        street = db.session.execute(
            db.select(Street).filter_by(initiative_id=initiative.id)
        ).scalar_one()
        proxy = ProxyResident(
            initiative_id=initiative.id,
            street_id=street.id,
            first_name="Mien",
            last_name="Bakker",
            phone="0384211234",
            street_name=street.name,
            house_number="7",
            postcode="8011PX",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=utcnow(),
        )
        service = Service(
            initiative_id=initiative.id,
            kind=ServiceKind.MEAL_SERVICE,
            name="Maaltijdservice De Tafel",
            phone="038 421 0000",
            website="https://example.nl",
            opening_hours="Werkdagen 9-17",
        )
        db.session.add_all(
            [proxy, service, StreetAssignment(street_id=street.id, user_id=contact.id)]
        )
        db.session.flush()
        today = local_today()
        db.session.add_all(
            [
                CheckIn(
                    initiative_id=initiative.id,
                    user_id=resident.id,
                    kind=CheckInKind.VISIT,
                    on_date=today,
                    outcome=CheckInOutcome.DOING_WELL,
                    by_id=contact.id,
                ),
                LivingSituation(
                    initiative_id=initiative.id,
                    proxy_resident_id=proxy.id,
                    lives_alone=True,
                    consent_at=utcnow(),
                ),
                Referral(
                    initiative_id=initiative.id,
                    service_id=service.id,
                    kind=service.kind,
                    proxy_resident_id=proxy.id,
                    referred_on=today,
                    follow_up_on=today,
                    by_id=contact.id,
                ),
            ]
        )
        db.session.commit()
        ids = {"initiative": initiative.id, "resident": resident.id, "proxy": proxy.id}
        db.session.remove()
    return {"contact": contact, "coordinator": coordinator, **ids}


def test_street_contact_pages(page, axe_path, outreach):  # noqa: F811
    log_in(page, outreach["contact"].email)
    base = f"/paneel/{outreach['initiative']}"
    paths = [
        f"{base}/contactmomenten",
        f"{base}/bewoners/{outreach['resident']}/contact",
        f"{base}/telefoonbewoners/{outreach['proxy']}/contact",
        f"{base}/doorverwijzingen",
        f"{base}/sociale-kaart",
        f"/sociale-kaart/{outreach['initiative']}",
    ]
    check_pages(page, axe_path, [(p, 200) for p in paths])


def test_check_in_form_with_errors(page, axe_path, outreach):  # noqa: F811
    log_in(page, outreach["contact"].email)
    path = f"/paneel/{outreach['initiative']}/bewoners/{outreach['resident']}/contact"
    check_form_with_errors(page, axe_path, path, "main form:has([name=outcome])")


def test_coordinator_keeps_the_sociale_kaart(page, axe_path, outreach):  # noqa: F811
    log_in(page, outreach["coordinator"].email)
    base = f"/paneel/{outreach['initiative']}"
    check_pages(page, axe_path, [(f"{base}/sociale-kaart", 200), (f"{base}/contactmomenten", 200)])
    check_form_with_errors(page, axe_path, f"{base}/sociale-kaart/nieuw", "main form")
