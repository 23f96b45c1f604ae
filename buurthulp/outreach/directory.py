"""The sociale kaart: an initiative's directory of local services (public information),
kept by its coordinators and buurtverbinders (rules.DIRECTORY_ROLES). Changes are audited.

Contact details are checked so that the members' page can link them safely: a phone
number becomes a tel: link (digits only), a website must be http(s).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.outreach.models import Service, ServiceKind
from buurthulp.outreach.services import OutreachError
from buurthulp.text import CONTROL_CHARACTERS

LIMITS = {
    "name": 120,
    "phone": 20,
    "email": 254,
    "website": 254,
    "address": 200,
    "opening_hours": 500,
    "notes": 2000,
}
# Service numbers come in many shapes: 038 498 9898, 0800-1234, 14 038, +31 20 1234567.
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{2,18}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# "javascript:...", "mailto:...": a scheme without "//" is not a website.
SCHEME = re.compile(r"^[a-z][a-z0-9+-]*:(?!//)(?![0-9])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ServiceFields:
    kind: str
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    opening_hours: str = ""
    notes: str = ""


def tel_href(phone: str) -> str:
    """'038 498 9898' -> 'tel:0384989898'."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _website(value: str) -> str:
    if not value:
        return ""
    if "://" not in value and not SCHEME.match(value):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
        raise OutreachError(
            _l("Vul een webadres in, bijvoorbeeld https://www.gemeente.nl."), field="website"
        )
    return value


def _checked(fields: ServiceFields) -> dict:
    values = {name: (getattr(fields, name) or "").strip() for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise OutreachError(
                _l("Dit is te lang: gebruik hoogstens %(max)d tekens.", max=limit), field=name
            )
        if CONTROL_CHARACTERS.search(values[name]):
            raise OutreachError(
                _l("Deze tekst bevat tekens die we niet kunnen opslaan."), field=name
            )
    try:
        kind = ServiceKind(fields.kind)
    except ValueError:
        raise OutreachError(_l("Kies een soort dienst."), field="kind") from None
    if not values["name"]:
        raise OutreachError(_l("Vul de naam van de dienst in."), field="name")
    if values["phone"] and not PHONE.match(values["phone"]):
        raise OutreachError(
            _l("Vul een telefoonnummer in, bijvoorbeeld 038 498 9898 of 14 038."), field="phone"
        )
    if values["email"] and not EMAIL.match(values["email"]):
        raise OutreachError(
            _l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."), field="email"
        )
    values["website"] = _website(values["website"])
    return {**values, "kind": kind}


def _audit(by_user: User, action: str, service: Service, now: datetime) -> None:
    record(
        actor=by_user,
        action=action,
        initiative_id=service.initiative_id,
        subject_type="service",
        subject_id=service.id,
        now=now,
    )


def service_create(
    *, initiative_id: int, fields: ServiceFields, by_user: User, now: datetime
) -> Service:
    """Add a service to the initiative's sociale kaart."""
    service = Service(initiative_id=initiative_id, created_at=now, updated_at=now)
    for name, value in _checked(fields).items():
        setattr(service, name, value)
    db.session.add(service)
    db.session.flush()
    _audit(by_user, "service_added", service, now)
    db.session.commit()
    return service


def service_update(
    *, service: Service, fields: ServiceFields, by_user: User, now: datetime
) -> Service:
    """Change a service's details (referrals keep the kind they were made with)."""
    values = _checked(fields)
    for name, value in values.items():
        setattr(service, name, value)
    service.updated_at = now
    _audit(by_user, "service_changed", service, now)
    db.session.commit()
    return service


def service_archive(*, service: Service, archived: bool, by_user: User, now: datetime) -> Service:
    """Take a service off the sociale kaart (or put it back); its referrals stay."""
    service.archived = archived
    service.updated_at = now
    _audit(by_user, "service_archived" if archived else "service_restored", service, now)
    db.session.commit()
    return service
