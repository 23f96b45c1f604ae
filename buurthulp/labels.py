"""Dutch labels (msgids) of the domain's enums, translated at render time."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from buurthulp.activities.models import ActivityKind
from buurthulp.initiatives.models import Domain, InitiativeKind, LegalForm, Phase, Role
from buurthulp.listings.models import Category, OfferStatus, Recurrence, RequestStatus, Urgency

INITIATIVE_KINDS = {
    InitiativeKind.CARE_COOPERATIVE: _l("zorgcoöperatie"),
    InitiativeKind.CITY_VILLAGE: _l("stadsdorp"),
    InitiativeKind.NOABER: _l("noaberzorgpunt"),
    InitiativeKind.NEIGHBOUR_HELP: _l("burenhulp"),
    InitiativeKind.NEIGHBOURHOOD_COLLECTIVE: _l("buurtcollectief"),
    InitiativeKind.CARING_VILLAGE: _l("zorgzaam dorp"),
    InitiativeKind.VILLAGE_SUPPORT: _l("dorpsondersteuning"),
    InitiativeKind.OTHER: _l("anders"),
}
LEGAL_FORMS = {
    LegalForm.FOUNDATION: _l("stichting"),
    LegalForm.ASSOCIATION: _l("vereniging"),
    LegalForm.COOPERATIVE: _l("coöperatie"),
    LegalForm.NONE: _l("geen rechtsvorm"),
}
PHASES = {
    Phase.EXPLORING: _l("verkennend"),
    Phase.FOUNDING: _l("in oprichting"),
    Phase.ACTIVE: _l("actief"),
}
DOMAINS = {
    Domain.CARE: _l("zorg"),
    Domain.WELFARE: _l("welzijn"),
    Domain.HOUSING: _l("wonen"),
    Domain.PARTICIPATION: _l("participatie"),
    Domain.POVERTY: _l("armoedebestrijding"),
    Domain.INTEGRATION: _l("integratie"),
    Domain.SHELTER: _l("opvang"),
}
ROLES = {
    Role.RESIDENT: _l("bewoner"),
    Role.STREET_CONTACT: _l("straatcontactpersoon"),
    Role.CONNECTOR: _l("buurtverbinder"),
    Role.COORDINATOR: _l("coördinator"),
}
CATEGORIES = {
    Category.GROCERIES: _l("boodschappen"),
    Category.DOG_WALKING: _l("hond uitlaten"),
    Category.TRANSPORT: _l("vervoer/lift"),
    Category.ODD_JOBS: _l("klusjes"),
    Category.GARDEN: _l("tuin"),
    Category.COMPANY: _l("gezelschap/bezoek"),
    Category.PAPERWORK: _l("administratie"),
    Category.COMPUTER_HELP: _l("computerhulp"),
    Category.MEAL: _l("maaltijd"),
    Category.OTHER: _l("anders"),
}
URGENCIES = {
    Urgency.LOW: _l("geen haast"),
    Urgency.NORMAL: _l("binnen een paar dagen"),
    Urgency.HIGH: _l("dringend"),
}
RECURRENCES = {
    Recurrence.ONCE: _l("eenmalig"),
    Recurrence.WEEKLY: _l("elke week"),
}
REQUEST_STATUSES = {
    RequestStatus.OPEN: _l("open"),
    RequestStatus.MATCHED: _l("er helpt iemand"),
    RequestStatus.DONE: _l("geholpen"),
    RequestStatus.WITHDRAWN: _l("ingetrokken"),
    RequestStatus.EXPIRED: _l("verlopen"),
}
OFFER_STATUSES = {
    OfferStatus.ACTIVE: _l("actief"),
    OfferStatus.WITHDRAWN: _l("ingetrokken"),
}


ACTIVITY_KINDS = {
    ActivityKind.MEAL_CLUB: _l("eetclub"),
    ActivityKind.GAMES: _l("spelletjesmiddag"),
    ActivityKind.LANGUAGE_CAFE: _l("taalcafé"),
    ActivityKind.COFFEE_MORNING: _l("koffieochtend"),
    ActivityKind.WALKING_GROUP: _l("wandelgroep"),
    ActivityKind.DAY_ACTIVITIES: _l("dagbesteding"),
    ActivityKind.OTHER: _l("anders"),
}


def choices(labels: dict) -> list[SelectChoice]:
    """Choices for a WTForms select or radio field, in the enum's order."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]
