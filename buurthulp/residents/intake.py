"""Phone intake: a contact person posts a request for a resident without an account.

The request goes through the same path as a resident's own (listings rules, then the
matcher's first round of invitations). Its requester is empty; the contact person who
posted it gets the requester's notices and may withdraw or close it
(permissions.author_id). Volunteers see the resident's name, address and phone only
after a match, like any requester's.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.accounts.services import street_for
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.geo.postcodes import PostcodeError, locate, normalise_house_number
from buurthulp.i18n import translated
from buurthulp.initiatives.models import Street
from buurthulp.listings import submissions
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import HelpRequest
from buurthulp.listings.rules import RequestFields, request_errors
from buurthulp.listings.services import _request_columns, first_round_when_resent
from buurthulp.matching import services as matching
from buurthulp.residents.models import ProxyResident
from buurthulp.text import CONTROL_CHARACTERS

LIMITS = {"first_name": 60, "last_name": 80, "phone": 20, "street_name": 120}


class IntakeError(Exception):
    """Broken rules: {form field ("" for none): Dutch message}."""

    def __init__(self, errors):
        self.errors = dict(errors) if isinstance(errors, dict) else {"": errors}
        super().__init__(self.errors)

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.errors.values())


@dataclass(frozen=True, slots=True)
class ResidentFields:
    first_name: str
    last_name: str
    phone: str
    postcode: str
    house_number: str
    street_name: str


def _text_errors(fields: ResidentFields) -> dict:
    errors = {}
    for name in ("first_name", "last_name", "phone", "street_name"):
        value = getattr(fields, name).strip()
        if not value:
            errors[name] = _l("Vul dit in.")
        elif len(value) > LIMITS[name]:
            errors[name] = _l("Dit is te lang: gebruik hoogstens %(max)d tekens.", max=LIMITS[name])
        elif CONTROL_CHARACTERS.search(value):
            errors[name] = _l("Deze tekst bevat tekens die we niet kunnen opslaan.")
    return errors


def _address(fields: ResidentFields, errors: dict):
    located = number = None
    try:
        located = locate(fields.postcode)
    except PostcodeError as error:
        errors["postcode"] = translated(error)
    try:
        number = normalise_house_number(fields.house_number)
    except PostcodeError as error:
        errors["house_number"] = translated(error)
    return located, number


def _street(initiative_id: int, name: str, pc4: str, street_ids: set[int] | None, errors: dict):
    if street_ids is None:
        return street_for(initiative_id=initiative_id, name=name, pc4=pc4)
    street = db.session.execute(
        select(Street).where(
            Street.initiative_id == initiative_id,
            func.lower(Street.name) == name.lower(),
            Street.id.in_(sorted(street_ids) or [0]),
        )
    ).scalar_one_or_none()
    if street is None:
        errors["street_name"] = _l("Deze straat hoort niet bij de straten die u bijhoudt.")
    return street


def _new_resident(
    *, initiative_id, fields, consent, by_user, street_ids, now, errors
) -> ProxyResident | None:
    errors.update(_text_errors(fields))
    if not consent:
        errors["consent"] = _l("Vraag eerst of de bewoner het goed vindt.")
    located, number = _address(fields, errors)
    street = None
    if "street_name" not in errors and located is not None:
        street = _street(
            initiative_id, fields.street_name.strip(), located[0][:4], street_ids, errors
        )
    if errors:
        return None
    postcode, area = located
    return ProxyResident(
        initiative_id=initiative_id,
        street=street,
        first_name=fields.first_name.strip(),
        last_name=fields.last_name.strip(),
        phone=fields.phone.strip(),
        street_name=street.name,
        house_number=number,
        postcode=postcode,
        place=area.place,
        latitude=area.latitude,
        longitude=area.longitude,
        consent_at=now,
        consent_by_id=by_user.id,
        created_at=now,
    )


def _publish(
    resident: ProxyResident, request: RequestFields, by_user: User, token: str | None
) -> HelpRequest:
    return HelpRequest(
        initiative_id=resident.initiative_id,
        requester_id=None,
        proxy_resident=resident,
        created_by_id=by_user.id,
        submission_token=token,
        # Like a resident's own request: street, place and 4-digit-area location only.
        street_name=resident.street_name,
        place=resident.place,
        latitude=resident.latitude,
        longitude=resident.longitude,
        **_request_columns(request),
    )


def _commit_and_invite(help_request: HelpRequest, by_user: User, now: datetime) -> HelpRequest:
    # A new resident is in the same transaction: an identical post that won leaves neither.
    token = help_request.submission_token
    with submissions.stored_once(HelpRequest, token=token, poster_id=by_user.id):
        db.session.add(help_request)
        db.session.flush()
        record(
            actor=by_user,
            action="proxy_request_created",
            initiative_id=help_request.initiative_id,
            subject_type="help_request",
            subject_id=help_request.id,
            details={"proxy_resident_id": help_request.proxy_resident_id},
            now=now,
        )
        db.session.commit()
    matching.invitations_for_new_request(help_request=help_request, now=now)
    return help_request


@first_round_when_resent
def phone_intake(
    *,
    initiative_id: int,
    resident: ResidentFields,
    consent: bool,
    request: RequestFields,
    by_user: User,
    street_ids: set[int] | None,
    now: datetime,
    today: date | None = None,
    submission_token: str | None = None,
) -> HelpRequest:
    """Record a new phone-intake resident (with their consent: when, by whom) and publish
    their request. `street_ids` is the poster's scope: a straatcontactpersoon only posts
    for their own streets. Raises IntakeError with every broken rule at once, and
    submissions.AlreadyPosted when `submission_token` was posted before (after running a
    first round that post missed: first_round_when_resent)."""
    token = submissions.claim(HelpRequest, token=submission_token, poster_id=by_user.id)
    errors = dict(request_errors(fields=request, today=today or local_today()))
    new = _new_resident(
        initiative_id=initiative_id,
        fields=resident,
        consent=consent,
        by_user=by_user,
        street_ids=street_ids,
        now=now,
        errors=errors,
    )
    if errors:
        db.session.rollback()  # a street created by street_for must not stay behind
        raise IntakeError(errors)
    db.session.add(new)
    return _commit_and_invite(_publish(new, request, by_user, token), by_user, now)


@first_round_when_resent
def proxy_request_create(
    *,
    resident: ProxyResident,
    request: RequestFields,
    by_user: User,
    now: datetime,
    today: date | None = None,
    submission_token: str | None = None,
) -> HelpRequest:
    """Another request for a phone-intake resident who has no account (yet). Raises
    submissions.AlreadyPosted when `submission_token` was posted before (after running a
    first round that post missed: first_round_when_resent)."""
    token = submissions.claim(HelpRequest, token=submission_token, poster_id=by_user.id)
    if resident.user_id is not None:
        raise IntakeError(_l("Deze bewoner heeft nu een eigen account en vraagt zelf hulp."))
    errors = request_errors(fields=request, today=today or local_today())
    if errors:
        raise IntakeError(errors)
    return _commit_and_invite(_publish(resident, request, by_user, token), by_user, now)
