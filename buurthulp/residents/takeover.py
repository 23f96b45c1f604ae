"""A phone-intake resident gets a real account that takes over their history.

Set up in person (the resident chooses a password with the contact person at their
side) or by an emailed link (the account starts with an unusable random password; the
link is a password-reset link, so it works once and for PASSWORD_RESET_MAX_AGE).
"""

import logging
import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts import queries as account_queries
from buurthulp.accounts import tokens
from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import PasswordError, check_password_rules, hash_password
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.i18n import translated
from buurthulp.initiatives.models import Membership, Role
from buurthulp.listings.models import HelpRequest
from buurthulp.mail.sending import send_mail
from buurthulp.outreach.services import outreach_move_to_user
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.notes import notes_move_to_user

log = logging.getLogger(__name__)
EMAIL_TAKEN = _l(
    "Er is al een account met dit e-mailadres. Kies een ander adres, of laat de bewoner "
    "inloggen met dat account."
)


class TakeoverError(Exception):
    def __init__(self, message, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


def _password_hash(password: str | None, resident: ProxyResident, email: str) -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if not password:
        return hash_password(secrets.token_urlsafe(24), method)
    try:
        check_password_rules(password, personal=(email, resident.first_name, resident.last_name))
    except PasswordError as error:
        raise TakeoverError(translated(error), field="password") from error
    return hash_password(password, method)


def _user_from(resident: ProxyResident, email: str, password_hash: str) -> User:
    return User(
        email=email,
        password_hash=password_hash,
        first_name=resident.first_name,
        last_name=resident.last_name,
        phone=resident.phone,
        street_name=resident.street_name,
        house_number=resident.house_number,
        postcode=resident.postcode,
        place=resident.place,
        latitude=resident.latitude,
        longitude=resident.longitude,
        memberships=[
            Membership(
                initiative_id=resident.initiative_id,
                role=Role.RESIDENT,
                street_id=resident.street_id,
            )
        ],
    )


def proxy_account_create(
    *,
    resident: ProxyResident,
    email: str,
    password: str | None,
    by_user: User,
    now: datetime,
    link_for: Callable[[str], str] | None = None,
) -> User:
    """Give the resident an account: a member of the initiative in their street, owner of
    their requests (and the notes move along). Without a password, mail `link_for(token)`."""
    if resident.user_id is not None:
        raise TakeoverError(_l("Deze bewoner heeft al een account."))
    email = (email or "").strip().lower()
    if not email:
        raise TakeoverError(_l("Vul het e-mailadres van de bewoner in."), field="email")
    if account_queries.email_taken(email):
        raise TakeoverError(EMAIL_TAKEN, field="email")
    user = _user_from(resident, email, _password_hash(password, resident, email))
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise TakeoverError(EMAIL_TAKEN, field="email") from None
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.proxy_resident_id == resident.id)
        .values(requester_id=user.id)
        .execution_options(synchronize_session=False)
    )
    notes_move_to_user(proxy_resident_id=resident.id, user_id=user.id)
    outreach_move_to_user(proxy_resident_id=resident.id, user_id=user.id)
    resident.user_id = user.id
    record(
        actor=by_user,
        action="proxy_account_created",
        initiative_id=resident.initiative_id,
        subject_type="proxy_resident",
        subject_id=resident.id,
        details={"user_id": user.id, "by": "link" if not password else "in_person"},
        now=now,
    )
    db.session.commit()
    if not password and link_for is not None:
        _send_invitation(user, link_for(tokens.reset_token_make(user=user)))
    return user


def _send_invitation(user: User, link: str) -> None:
    with force_locale(user.locale or "nl"):
        subject = _("Uw eigen account bij Buurthulp")
        body = _(
            "Beste %(name)s,\n\nUw contactpersoon heeft een account voor u gemaakt bij "
            "Buurthulp. Daarin staan ook de hulpvragen die u telefonisch deed. Kies via deze "
            "link een wachtwoord:\n\n%(link)s\n\nWerkt de link niet meer? Vraag dan een nieuw "
            "wachtwoord aan op de inlogpagina.",
            name=user.first_name,
            link=link,
        )
    try:
        send_mail(to=user.email, subject=subject, body=body)
    except (smtplib.SMTPException, OSError):
        log.exception("account invitation to user %s could not be sent", user.id)
