"""Three invented bewonersinitiatieven in three provinces, with their streets.

The names are made up; the 4-digit postcodes are real residential areas from
the postcode table, so residents' locations come out where they belong.
"""

from dataclasses import dataclass

from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate, lookup_pc4
from buurthulp.initiatives.models import (
    Domain,
    Initiative,
    InitiativeDomain,
    InitiativeKind,
    InitiativePostcode,
    LegalForm,
    Phase,
    Street,
)


@dataclass(frozen=True)
class InitiativeSpec:
    slug: str
    name: str
    kind: InitiativeKind
    legal_form: LegalForm
    phase: Phase
    founding_year: int
    domains: tuple[Domain, ...]
    pc4s: tuple[str, ...]
    description: str
    streets: tuple[tuple[str, str], ...]  # (street name, pc4)
    resident_count: int
    area_code: str  # netnummer, for landline numbers


ZWOLLE = InitiativeSpec(
    slug="zorgcooperatie-de-zwolse-hoven",
    name="Zorgcoöperatie De Zwolse Hoven",
    kind=InitiativeKind.CARE_COOPERATIVE,
    legal_form=LegalForm.COOPERATIVE,
    phase=Phase.ACTIVE,
    founding_year=2016,
    domains=(Domain.CARE, Domain.WELFARE, Domain.HOUSING),
    pc4s=("8011", "8012", "8013", "8014", "8015", "8016", "8017"),
    description=(
        "Bewoners van de binnenstad en Zwolle-Zuid die zorg en ondersteuning dichtbij huis "
        "zelf organiseren. Leden helpen elkaar met boodschappen, vervoer naar het ziekenhuis, "
        "klusjes en een kop koffie; de coöperatie koopt daarnaast huishoudelijke hulp in."
    ),
    streets=(
        ("Diezerstraat", "8011"),
        ("Sassenstraat", "8011"),
        ("Thorbeckegracht", "8011"),
        ("Bloemendalstraat", "8011"),
        ("Assendorperstraat", "8012"),
        ("Dijkstraat", "8012"),
        ("Pannekoekendijk", "8012"),
        ("Esdoornstraat", "8013"),
        ("Hortensiastraat", "8013"),
        ("Meeuwenlaan", "8014"),
        ("Kievitstraat", "8014"),
        ("Vondellaan", "8015"),
        ("Bilderdijkstraat", "8016"),
        ("Rembrandtlaan", "8017"),
    ),  # fmt: skip
    resident_count=80,
    area_code="038",
)

AMERSFOORT = InitiativeSpec(
    slug="stadsdorp-de-eemkant",
    name="Stadsdorp De Eemkant",
    kind=InitiativeKind.CITY_VILLAGE,
    legal_form=LegalForm.ASSOCIATION,
    phase=Phase.ACTIVE,
    founding_year=2019,
    domains=(Domain.WELFARE, Domain.PARTICIPATION, Domain.INTEGRATION),
    pc4s=("3811", "3812", "3813", "3814", "3815", "3816", "3817", "3818"),
    description=(
        "Een vereniging van buren in Amersfoort die samen oud willen worden in hun eigen wijk. "
        "Naast burenhulp zijn er een wekelijkse koffieochtend, een eetclub en een taalcafé."
    ),
    streets=(
        ("Langestraat", "3811"),
        ("Lieve Vrouwestraat", "3811"),
        ("Zuidsingel", "3811"),
        ("Soesterweg", "3812"),
        ("Vlasakkerweg", "3812"),
        ("Kersenbaan", "3813"),
        ("Appelbaan", "3813"),
        ("Bisschopsweg", "3814"),
        ("Hogeweg", "3815"),
        ("Kruiskamp", "3815"),
        ("Leusderweg", "3816"),
        ("Utrechtseweg", "3818"),
    ),  # fmt: skip
    resident_count=70,
    area_code="033",
)

WINTERSWIJK = InitiativeSpec(
    slug="noaberzorgpunt-de-slingebeek",
    name="Noaberzorgpunt De Slingebeek",
    kind=InitiativeKind.NOABER,
    legal_form=LegalForm.FOUNDATION,
    phase=Phase.ACTIVE,
    founding_year=2021,
    domains=(Domain.CARE, Domain.WELFARE, Domain.PARTICIPATION),
    pc4s=("7101", "7102", "7103", "7104", "7105", "7106", "7107"),
    description=(
        "Noaberschap in Winterswijk en de buurtschappen eromheen: Meddo, Huppel, Ratum en "
        "Kotten. Een vast aanspreekpunt per buurtschap, vervoer naar de huisarts en hulp "
        "in huis en tuin, zodat ouderen langer thuis kunnen blijven wonen."
    ),
    streets=(
        ("Markt", "7101"),
        ("Weurden", "7101"),
        ("Misterweg", "7102"),
        ("Groenloseweg", "7102"),
        ("Laan van Hilbelink", "7103"),
        ("Burgemeester Bosstraat", "7103"),
        ("Meddosestraat", "7104"),
        ("Huppelseweg", "7105"),
        ("Ratumseweg", "7106"),
        ("Kottenseweg", "7107"),
        ("Wooldseweg", "7107"),
    ),  # fmt: skip
    resident_count=45,
    area_code="0543",
)

SPECS = (ZWOLLE, AMERSFOORT, WINTERSWIJK)


def _new_initiative(spec: InitiativeSpec) -> Initiative:
    area = locate(spec.pc4s[0] + "AA")[1]
    for pc4 in spec.pc4s:
        lookup_pc4(pc4)  # raises for an unknown or PO-box-only area: never seed a guess
    initiative = Initiative(
        slug=spec.slug,
        name=spec.name,
        kind=spec.kind,
        municipality=area.municipality,
        province=area.province,
        legal_form=spec.legal_form,
        phase=spec.phase,
        founding_year=spec.founding_year,
        description=spec.description,
    )
    initiative.domains = [InitiativeDomain(domain=d) for d in spec.domains]
    initiative.postcodes = [InitiativePostcode(pc4=pc4) for pc4 in spec.pc4s]
    return initiative


def ensure_initiatives(specs=SPECS) -> tuple[dict[str, Initiative], int]:
    """The initiatives by slug, creating missing ones; returns them and how many are new."""
    slugs = [spec.slug for spec in specs]
    existing = {
        i.slug: i
        for i in db.session.execute(db.select(Initiative).where(Initiative.slug.in_(slugs)))
        .scalars()
        .all()
    }
    created = 0
    for spec in specs:
        if spec.slug not in existing:
            existing[spec.slug] = _new_initiative(spec)
            db.session.add(existing[spec.slug])
            created += 1
    db.session.flush()
    return existing, created


def ensure_streets(
    initiatives: dict[str, Initiative], specs=SPECS
) -> tuple[dict[tuple[str, str], Street], int]:
    """Streets by (initiative slug, name), creating missing ones; and how many are new."""
    streets: dict[tuple[str, str], Street] = {}
    created = 0
    for spec in specs:
        initiative = initiatives[spec.slug]
        by_name = {s.name: s for s in initiative.streets}
        for name, pc4 in spec.streets:
            if name not in by_name:
                by_name[name] = Street(name=name, pc4=pc4)
                initiative.streets.append(by_name[name])
                created += 1
            streets[(spec.slug, name)] = by_name[name]
    db.session.flush()
    return streets, created
