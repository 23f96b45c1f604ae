"""Dutch labels (msgids) of the outreach enums, translated at render time."""

from flask_babel import lazy_gettext as _l

from buurthulp.outreach.models import CheckInKind, CheckInOutcome, FollowUpOutcome, ServiceKind

CHECK_IN_KINDS = {
    CheckInKind.VISIT: _l("bezoek"),
    CheckInKind.PHONE: _l("telefoontje"),
    CheckInKind.DOORSTEP: _l("aan de deur"),
}
CHECK_IN_OUTCOMES = {
    CheckInOutcome.DOING_WELL: _l("gaat goed"),
    CheckInOutcome.WANTS_HELP: _l("wil graag hulp"),
    CheckInOutcome.NOT_HOME: _l("niet thuis"),
    CheckInOutcome.REFERRED: _l("doorverwezen"),
    CheckInOutcome.OTHER: _l("anders"),
}
SERVICE_KINDS = {
    ServiceKind.GP: _l("huisarts"),
    ServiceKind.DISTRICT_TEAM: _l("wijkteam"),
    ServiceKind.WMO_DESK: _l("WMO-loket"),
    ServiceKind.HOME_CARE: _l("thuiszorg"),
    ServiceKind.DAY_CARE: _l("dagbesteding"),
    ServiceKind.MEAL_SERVICE: _l("maaltijdservice"),
    ServiceKind.TRANSPORT: _l("vervoersdienst"),
    ServiceKind.DEBT_HELP: _l("schuldhulp"),
    ServiceKind.OTHER: _l("anders"),
}
FOLLOW_UP_OUTCOMES = {
    FollowUpOutcome.HELPED: _l("geholpen"),
    FollowUpOutcome.ONGOING: _l("loopt nog"),
    FollowUpOutcome.NOT_HELPED: _l("niet gelukt"),
    FollowUpOutcome.DECLINED: _l("wilde toch niet"),
}
