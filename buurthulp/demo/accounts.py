"""The fixed demo accounts: one per role, all with the same password.

The README lists them; keep the two in step.
"""

from datetime import date, time, timedelta

from buurthulp.demo.listing_plan import OfferPlan, RequestPlan, ResponsePlan
from buurthulp.demo.people import Resident
from buurthulp.initiatives.models import Role
from buurthulp.listings.availability import mask_from_slots
from buurthulp.listings.models import Category, Recurrence, RequestStatus, Urgency

# Published on purpose, for demo data only: `flask demo-data` refuses a production database.
DEMO_PASSWORD = "Buurthulp-demo-1"  # noqa: S105  # nosec B105

ZWOLLE = "zorgcooperatie-de-zwolse-hoven"
AMERSFOORT = "stadsdorp-de-eemkant"

# (label shown in the summary and the README, resident)
DEMO_ACCOUNTS: tuple[tuple[str, Resident], ...] = (
    (
        "bewoner",
        Resident(
            email="bewoner@example.nl",
            first_name="Riet",
            last_name="Jansen",
            phone="038-4218765",
            street_name="Assendorperstraat",
            house_number="41",
            postcode="8012DH",
            initiative_slug=ZWOLLE,
            daytime_free=True,
        ),
    ),
    (
        "straatcontactpersoon",
        Resident(
            email="straatcontact@example.nl",
            first_name="Henk",
            last_name="de Boer",
            phone="06-21436587",
            street_name="Assendorperstraat",
            house_number="18a",
            postcode="8012DG",
            initiative_slug=ZWOLLE,
            role=Role.STREET_CONTACT,
            daytime_free=True,
        ),
    ),
    (
        "buurtverbinder",
        Resident(
            email="buurtverbinder@example.nl",
            first_name="Samira",
            last_name="El Idrissi",
            phone="06-38291047",
            street_name="Thorbeckegracht",
            house_number="7",
            postcode="8011VM",
            initiative_slug=ZWOLLE,
            role=Role.CONNECTOR,
        ),
    ),
    (
        "coördinator",
        Resident(
            email="coordinator@example.nl",
            first_name="Marieke",
            last_name="van der Laan",
            phone="06-51902736",
            street_name="Esdoornstraat",
            house_number="23",
            postcode="8013RK",
            initiative_slug=ZWOLLE,
            role=Role.COORDINATOR,
        ),
    ),
    (
        "platformbeheerder",
        Resident(
            email="beheerder@example.nl",
            first_name="Pieter",
            last_name="Kuipers",
            phone="06-47120398",
            street_name="Langestraat",
            house_number="102",
            postcode="3811AJ",
            initiative_slug=AMERSFOORT,
            is_platform_admin=True,
        ),
    ),
)


def demo_residents() -> list[Resident]:
    return [resident for _, resident in DEMO_ACCOUNTS]


def _emails() -> tuple[str, str, str]:
    bewoner, contact, connector = (r.email for _, r in DEMO_ACCOUNTS[:3])
    return bewoner, contact, connector


def _demo_requests(today: date) -> list[RequestPlan]:
    bewoner = _emails()[0]
    return [
        RequestPlan(
            bewoner, ZWOLLE, Category.GROCERIES, "Boodschappen doen",
            "Ik loop slecht en de supermarkt is net te ver. Het lijstje ligt klaar.",
            on_date=today + timedelta(days=2), time_from=time(10), time_until=time(12),
            recurrence=Recurrence.WEEKLY, age_days=1,
        ),
        RequestPlan(
            bewoner, ZWOLLE, Category.COMPUTER_HELP, "Hulp met de DigiD-app",
            "Ik krijg de app niet aan de praat op mijn nieuwe telefoon.",
            flexible_days=7, urgency=Urgency.LOW, age_days=3,
        ),
        RequestPlan(
            bewoner, ZWOLLE, Category.ODD_JOBS, "Lamp ophangen in de gang",
            "Ik durf zelf niet meer op de trap te staan.",
            on_date=today - timedelta(days=6), time_from=time(14), time_until=time(15),
            status=RequestStatus.DONE, age_days=12,
        ),
    ]  # fmt: skip


def _demo_offers() -> list[OfferPlan]:
    _, contact, connector = _emails()
    return [
        OfferPlan(
            contact, ZWOLLE, "Klussen, boodschappen en een lift",
            "Ik ben met pensioen en heb een auto. Bel gerust.",
            (Category.ODD_JOBS, Category.GROCERIES, Category.TRANSPORT),
            availability=mask_from_slots([(d, p) for d in range(5) for p in (0, 1)]),
            max_distance_km=3.0, has_car=True, age_days=60,
        ),
        OfferPlan(
            connector, ZWOLLE, "Computerhulp in de avond",
            "Telefoon, tablet, DigiD en formulieren. Na het werk of in het weekend.",
            (Category.COMPUTER_HELP, Category.PAPERWORK),
            availability=mask_from_slots([(d, 2) for d in range(5)] + [(5, 0), (6, 1)]),
            max_distance_km=2.0, age_days=30,
        ),
    ]  # fmt: skip


def demo_listings(today: date) -> tuple[list[RequestPlan], list[OfferPlan], list[ResponsePlan]]:
    """What the demo accounts have posted, so each role finds something to look at."""
    bewoner, contact, connector = _emails()
    responses = [
        ResponsePlan(bewoner, "Boodschappen doen", contact, "Ik kom toch langs de supermarkt."),
        ResponsePlan(bewoner, "Hulp met de DigiD-app", connector, "Dat lukt vast samen."),
        ResponsePlan(bewoner, "Lamp ophangen in de gang", contact, "Trapje neem ik mee."),
    ]
    return _demo_requests(today), _demo_offers(), responses
