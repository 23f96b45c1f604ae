"""Plain rules of outreach (no Flask, no database): who may, which dates, which words.

Roles: the resident's straatcontactpersoon (their own streets), the initiative's
buurtverbinders (their neighbourhood, or the whole initiative) and coordinators log and read
check-ins and referrals; panel.scope.street_ids_in_scope gives the streets. The sociale kaart
is kept by coordinators and buurtverbinders: connectors support the contact persons and
know the local professionals as well as the coordinator does.
"""

import re
from datetime import date, timedelta

from buurthulp.initiatives.models import Role

OUTREACH_ROLES = (Role.STREET_CONTACT, Role.CONNECTOR, Role.COORDINATOR)
DIRECTORY_ROLES = (Role.CONNECTOR, Role.COORDINATOR)
SETTING_ROLES = (Role.COORDINATOR,)

NOTE_MAX = 300
# A check-in may be logged up to this many days late: within the monitor's nightly
# look-back (31 days), so every contact is counted without a rebuild.
LATE_DAYS_MAX = 30
FOLLOW_UP_DAYS_MAX = 366
WEEKS_DEFAULT, WEEKS_MIN, WEEKS_MAX = 6, 1, 104

# A light safety net, not a filter: when an initiative allows a free-text note with a
# check-in, a note that names an obvious illness, treatment or care setting is refused
# with a message that points to the private note (residents.notes) for what a contact
# person really needs to know. Stems, matched at the start of a word, case-insensitive.
HEALTH_STEMS = (
    "alzheimer",
    "astma",
    "beroerte",
    "chemo",
    "copd",
    "dement",
    "depress",
    "diabet",
    "diagnos",
    "epilep",
    "hartaanval",
    "herseninfarct",
    "incontinen",
    "kanker",
    "medicatie",
    "medicijn",
    "operatie",
    "parkinson",
    "psych",
    "suïcid",
    "verslav",
    "ziek",
    "zelfmoord",
)
_HEALTH = re.compile(r"\b(" + "|".join(HEALTH_STEMS) + r")\w*", re.IGNORECASE)


def health_word(text: str) -> str | None:
    """The first obvious health word in `text`, or None."""
    found = _HEALTH.search(text or "")
    return found.group(0) if found else None


def contact_date_ok(on_date: date, today: date) -> bool:
    return today - timedelta(days=LATE_DAYS_MAX) <= on_date <= today


def follow_up_date_ok(on_date: date, today: date) -> bool:
    return today <= on_date <= today + timedelta(days=FOLLOW_UP_DAYS_MAX)
