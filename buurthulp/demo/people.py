"""About two hundred demo residents, generated the same way on every run.

A fixed seed makes the names, addresses and roles identical each time, so the
email address identifies a resident and a second run finds everyone present.
"""

import random
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from buurthulp.accounts.models import User
from buurthulp.demo.initiatives import SPECS, InitiativeSpec
from buurthulp.demo.names import LAST_NAMES, OLDER_FIRST_NAMES, YOUNGER_FIRST_NAMES
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate, normalise_house_number
from buurthulp.initiatives.models import Initiative, Membership, Role, Street

SEED = 20240901
EMAIL_DOMAIN = "example.nl"
# Letters for the last two characters of a postcode (the PostNL-unused pairs cannot occur).
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"
HOUSE_NUMBER_ADDITIONS = ("a", "b", "-1", "-2", "-II")
# Staff among the generated residents, per initiative: coordinators, connectors, contacts.
# Zwolle's coordinator, one connector and one contact are the fixed demo accounts.
STAFF = {
    "zorgcooperatie-de-zwolse-hoven": (0, 1, 3),
    "stadsdorp-de-eemkant": (1, 1, 3),
    "noaberzorgpunt-de-slingebeek": (1, 1, 2),
}


@dataclass(frozen=True)
class Resident:
    """A demo resident as plain data: what `ensure_users` turns into a User and a Membership."""

    email: str
    first_name: str
    last_name: str
    phone: str
    street_name: str
    house_number: str
    postcode: str
    initiative_slug: str
    role: Role = Role.RESIDENT
    daytime_free: bool = False  # retired or otherwise free in the daytime
    is_platform_admin: bool = False


def ascii_slug(text: str) -> str:
    """'van 't Hof' -> 'vanthof', 'Ayşe' -> 'ayse': for email addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _staff_roles(slug: str) -> list[Role]:
    coordinators, connectors, contacts = STAFF.get(slug, (0, 0, 0))
    return (
        [Role.COORDINATOR] * coordinators
        + [Role.CONNECTOR] * connectors
        + [Role.STREET_CONTACT] * contacts
    )


def _phone(rng: random.Random, area_code: str, older: bool) -> str:
    if older and rng.random() < 0.6:
        digits = 10 - len(area_code)  # Dutch numbers have ten digits in all
        return f"{area_code}-{rng.randrange(2 * 10 ** (digits - 1), 10**digits)}"
    return f"06-{rng.randrange(10**7, 10**8)}"


def _house_number(rng: random.Random) -> str:
    number = str(rng.randint(1, 160))
    if rng.random() < 0.12:
        number += rng.choice(HOUSE_NUMBER_ADDITIONS)
    return normalise_house_number(number)


def _street_letters(rng: random.Random, spec: InitiativeSpec) -> dict[str, list[str]]:
    """One or two postcode letter pairs per street, as a real street has."""
    return {
        name: [rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS) for _ in range(2)]
        for name, _ in spec.streets
    }


def _residents_of(rng: random.Random, spec: InitiativeSpec, start: int) -> list[Resident]:
    letters = _street_letters(rng, spec)
    roles = _staff_roles(spec.slug)
    residents = []
    for i in range(spec.resident_count):
        older = rng.random() < 0.55
        first = rng.choice(OLDER_FIRST_NAMES if older else YOUNGER_FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        street, pc4 = rng.choice(spec.streets)
        residents.append(
            Resident(
                email=f"{ascii_slug(first)}.{ascii_slug(last)}{start + i:03d}@{EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                phone=_phone(rng, spec.area_code, older),
                street_name=street,
                house_number=_house_number(rng),
                postcode=pc4 + rng.choice(letters[street]),
                initiative_slug=spec.slug,
                role=roles[i] if i < len(roles) else Role.RESIDENT,
                daytime_free=older or rng.random() < 0.15,
            )
        )
    return residents


def generate_residents(seed: int = SEED, specs=SPECS) -> list[Resident]:
    """The generated residents of every initiative; the same list for the same seed."""
    rng = random.Random(seed)  # seeded: the same residents every run  # nosec B311
    residents: list[Resident] = []
    for spec in specs:
        residents += _residents_of(rng, spec, start=len(residents) + 1)
    return residents


def _new_user(resident: Resident, password_hash: str) -> User:
    postcode, area = locate(resident.postcode)
    return User(
        email=resident.email,
        password_hash=password_hash,
        first_name=resident.first_name,
        last_name=resident.last_name,
        phone=resident.phone,
        street_name=resident.street_name,
        house_number=resident.house_number,
        postcode=postcode,
        place=area.place,
        latitude=area.latitude,
        longitude=area.longitude,
        is_platform_admin=resident.is_platform_admin,
    )


def ensure_users(
    residents: list[Resident],
    *,
    initiatives: dict[str, Initiative],
    streets: dict[tuple[str, str], Street],
    password_hash: str,
) -> tuple[dict[str, User], int]:
    """Users by email, creating missing users and memberships; and how many users are new."""
    emails = [r.email for r in residents]
    users = {
        u.email: u
        for u in db.session.execute(
            db.select(User).where(User.email.in_(emails)).options(selectinload(User.memberships))
        ).scalars()
    }
    created = 0
    for resident in residents:
        if resident.email not in users:
            users[resident.email] = _new_user(resident, password_hash)
            db.session.add(users[resident.email])
            created += 1
        initiative = initiatives[resident.initiative_slug]
        user = users[resident.email]
        if not any(m.initiative is initiative for m in user.memberships):
            street = streets[(resident.initiative_slug, resident.street_name)]
            user.memberships.append(
                Membership(initiative=initiative, role=resident.role, street=street)
            )
    db.session.flush()
    return users, created
