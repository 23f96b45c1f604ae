"""The initiatives registry (Initiatievenkaart): checking an entry, adding it, approving it.

`check_entry` is pure: the self-registration form and the CSV import both call it. An entry
must meet the definition of a zorgzame gemeenschap (Monitor Zorgzame Gemeenschappen, NLZVE
2020): residents own and run it, it is local, it is meant to last, and it is open to all.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from buurthulp.geo.postcodes import PostcodeError, lookup_pc4
from buurthulp.initiatives.models import Domain, InitiativeKind, LegalForm, Phase
from buurthulp.text import CONTROL_CHARACTERS
from buurthulp.translatable import N_

# The four parts of the definition; every entry must confirm all of them.
DEFINITION = {
    "residents_own": N_("Bewoners nemen zelf het initiatief, hebben de regie en zijn eigenaar."),
    "local": N_(
        "Het initiatief werkt aan een vitale gemeenschap in de eigen buurt, wijk, dorp of "
        "stadsdeel, op basis van wederkerigheid."
    ),
    "structural": N_("Het initiatief wil langdurig actief zijn, niet eenmalig."),
    "accessible": N_("Wat het initiatief doet, staat open voor iedereen uit de doelgroep."),
}
# Dutch names accepted in an imported inventory besides the code values.
DUTCH = {
    "zorgcoöperatie": "care_cooperative", "zorgcooperatie": "care_cooperative",
    "stadsdorp": "city_village", "noaberzorgpunt": "noaber", "burenhulp": "neighbour_help",
    "buurtcollectief": "neighbourhood_collective", "zorgzaam dorp": "caring_village",
    "dorpsondersteuning": "village_support", "anders": "other",
    "stichting": "foundation", "vereniging": "association", "coöperatie": "cooperative",
    "cooperatie": "cooperative", "geen rechtsvorm": "none", "geen": "none",
    "verkennend": "exploring", "in oprichting": "founding", "actief": "active",
    "zorg": "care", "welzijn": "welfare", "wonen": "housing", "participatie": "participation",
    "armoedebestrijding": "poverty", "integratie": "integration", "opvang": "shelter",
}  # fmt: skip
YES = {"ja", "j", "yes", "y", "1", "true", "waar"}
NAME_MAX, DESCRIPTION_MAX = 120, 2000
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass
class Entry:
    name: str
    pc4: str
    municipality: str
    province: str
    kind: InitiativeKind
    domains: list[Domain]
    legal_form: LegalForm
    phase: Phase
    founding_year: int | None
    contact_email: str | None
    website: str | None
    description: str
    uses_platform: bool = False


@dataclass
class EntryProblems(Exception):
    """What is wrong, per field: Dutch msgids with their values."""

    problems: dict[str, tuple[str, dict]] = field(default_factory=dict)

    def add(self, name: str, msgid: str, **params) -> None:
        self.problems.setdefault(name, (msgid, params))

    def texts(self) -> list[str]:
        return [msgid % params if params else msgid for msgid, params in self.problems.values()]


def _text(raw, limit: int) -> str:
    return CONTROL_CHARACTERS.sub("", str(raw or "")).strip()[: limit + 1]


def _choice(raw: str, enum, problems: EntryProblems, name: str):
    value = DUTCH.get(raw.strip().lower(), raw.strip().lower())
    try:
        return enum(value)
    except ValueError:
        problems.add(name, N_("Onbekende waarde: %(value)s."), value=raw.strip()[:40])
        return None


def _domains(raw: str, problems: EntryProblems) -> list[Domain]:
    parts = [p for p in re.split(r"[;,]", raw or "") if p.strip()]
    domains = [_choice(p, Domain, problems, "domains") for p in parts]
    if not parts:
        problems.add("domains", N_("Kies minstens één domein."))
    return sorted({d for d in domains if d}, key=list(Domain).index)


def _place(pc4: str, problems: EntryProblems):
    pc4 = (pc4 or "").strip()[:4]
    if not re.fullmatch(r"[1-9][0-9]{3}", pc4):
        problems.add("pc4", N_("Vul de 4 cijfers van de postcode in, bijvoorbeeld 8011."))
        return pc4, None
    try:
        return pc4, lookup_pc4(pc4)
    except PostcodeError as error:
        problems.add("pc4", error.msgid, **error.params)
        return pc4, None


def _email(raw: str, problems: EntryProblems) -> str | None:
    raw = _text(raw, 254)
    if not raw:
        problems.add("contact_email", N_("Vul een e-mailadres in waarop we u kunnen bereiken."))
        return None
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        problems.add("contact_email", N_("Dit e-mailadres klopt niet."))
        return None


def _year(raw, problems: EntryProblems) -> int | None:
    raw = str(raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        problems.add("founding_year", N_("Vul een jaartal in, bijvoorbeeld 2019."))
        return None
    return int(raw)


def check_entry(raw: dict) -> Entry:
    """An Entry from form or CSV values (strings), or EntryProblems saying what is wrong."""
    problems = EntryProblems()
    name = _text(raw.get("name"), NAME_MAX)
    if not name:
        problems.add("name", N_("Vul de naam van het initiatief in."))
    elif len(name) > NAME_MAX:
        problems.add("name", N_("Maak de naam korter: hoogstens %(max)s tekens."), max=NAME_MAX)
    description = _text(raw.get("description"), DESCRIPTION_MAX)[:DESCRIPTION_MAX]
    pc4, area = _place(raw.get("pc4", ""), problems)
    website = _text(raw.get("website"), 254)
    if website and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", website):
        problems.add("website", N_("Een website begint met https://"))
    missing = [key for key in DEFINITION if str(raw.get(key, "")).strip().lower() not in YES]
    if missing:
        problems.add("definition", N_("Een zorgzame gemeenschap voldoet aan alle vier de punten."))
    entry = Entry(
        name=name,
        pc4=pc4,
        municipality=area.municipality if area else "",
        province=area.province if area else "",
        kind=_choice(raw.get("kind", ""), InitiativeKind, problems, "kind"),
        domains=_domains(raw.get("domains", ""), problems),
        legal_form=_choice(raw.get("legal_form", ""), LegalForm, problems, "legal_form"),
        phase=_choice(raw.get("phase", ""), Phase, problems, "phase"),
        founding_year=_year(raw.get("founding_year"), problems),
        contact_email=_email(raw.get("contact_email", ""), problems),
        website=website or None,
        description=description,
        uses_platform=str(raw.get("uses_platform", "")).strip().lower() in YES,
    )
    if problems.problems:
        raise problems
    return entry


def slugify(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:70] or "initiatief"
