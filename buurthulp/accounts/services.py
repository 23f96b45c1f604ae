"""Writes about accounts: register, profile, passwords, and deleting an account."""

import logging
import secrets
import smtplib
from collections.abc import Callable
from functools import cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts import login_sessions, queries, tokens
from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import (
    PasswordError,
    check_password_rules,
    hash_password,
    verify_password,
)
from buurthulp.extensions import db
from buurthulp.geo.postcodes import (
    PostcodeArea,
    PostcodeError,
    locate,
    normalise_house_number,
)
from buurthulp.i18n import translated
from buurthulp.initiatives.models import Initiative, Membership, Role, Street
from buurthulp.labels import CATEGORIES
from buurthulp.listings.models import HelpOffer, HelpRequest, HelpResponse, RequestStatus
from buurthulp.mail.sending import send_mail

log = logging.getLogger(__name__)

EMAIL_TAKEN = _l(
    "Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord als u het "
    "kwijt bent."
)
# The keyword arguments of user_update besides `user`: what a person may change themselves.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "house_number",
    "street_name",
    "locale",
)


class AccountError(ValueError):
    """A rule was broken; the message is for the user, `field` names the form field."""

    def __init__(self, message, *, field: str | None = None):
        # `message` may be a lazy string: it is translated when shown, not when raised.
        super().__init__(message)
        self.field = field


def _hash(password: str) -> str:
    return hash_password(password, current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _unknown_user_hash(method: str) -> str:
    # Checked when the email is unknown, so a miss takes as long as a wrong password.
    return hash_password(secrets.token_urlsafe(16), method)


def _check_password(password: str, *, email: str, first_name: str, last_name: str) -> None:
    try:
        check_password_rules(password, personal=(email, first_name, last_name))
    except PasswordError as error:
        raise AccountError(translated(error), field="password") from error


def _check_email_free(email: str, *, except_user_id: int | None = None) -> None:
    if queries.email_taken(email, except_user_id=except_user_id):
        raise AccountError(EMAIL_TAKEN, field="email")


def _locate(*, postcode: str, house_number: str) -> tuple[str, PostcodeArea, str]:
    """Normalised postcode, its 4-digit area and the normalised house number."""
    try:
        postcode, area = locate(postcode)
    except PostcodeError as error:
        raise AccountError(translated(error), field="postcode") from error
    try:
        house_number = normalise_house_number(house_number)
    except PostcodeError as error:
        raise AccountError(translated(error), field="house_number") from error
    return postcode, area, house_number


def _set_address(user: User, address: tuple[str, PostcodeArea, str], street_name: str) -> None:
    # The location is the 4-digit area's centroid, never anything finer.
    user.postcode, area, user.house_number = address
    user.place, user.latitude, user.longitude = area.place, area.latitude, area.longitude
    user.street_name = street_name


def street_for(*, initiative_id: int, name: str, pc4: str) -> Street:
    """The initiative's street of that name (any letter case), created when it is new."""
    street = db.session.scalars(
        select(Street)
        .where(Street.initiative_id == initiative_id, func.lower(Street.name) == name.lower())
        .order_by(Street.id)
    ).first()
    if street is None:
        street = Street(initiative_id=initiative_id, name=name, pc4=pc4)
        db.session.add(street)
    return street


def _commit_or_email_taken() -> None:
    # Two sign-ups with one address at the same moment: the unique index decides.
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AccountError(EMAIL_TAKEN, field="email") from error


def user_register(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str | None,
    postcode: str,
    house_number: str,
    street_name: str,
    password: str,
    initiative_id: int,
    locale: str = "nl",
) -> User:
    """Create an account and make it a resident of `initiative_id`, in the street of that name.

    The email is stored in lower case and must be unused; the password must
    pass the rules. The location is the postcode's 4-digit centroid.
    """
    email = email.strip().lower()
    _check_email_free(email)
    _check_password(password, email=email, first_name=first_name, last_name=last_name)
    address = _locate(postcode=postcode, house_number=house_number)
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        raise AccountError(_l("Kies een bewonersinitiatief."), field="initiative")
    user = User(
        email=email,
        password_hash=_hash(password),
        first_name=first_name,
        last_name=last_name,
        phone=phone or None,
        locale=locale,
    )
    _set_address(user, address, street_name)
    street = street_for(initiative_id=initiative.id, name=street_name, pc4=user.postcode[:4])
    user.memberships = [Membership(initiative=initiative, role=Role.RESIDENT, street=street)]
    db.session.add(user)
    _commit_or_email_taken()
    return user


def user_authenticate(*, email: str, password: str) -> User:
    """The user with this email and password; one AccountError for any mismatch."""
    user = queries.user_by_email(email)
    # Verify even when nobody has this address, so timing does not tell which it was.
    stored = (
        user.password_hash
        if user
        else _unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"])
    )
    valid = verify_password(stored, password)
    if user is None or not valid:
        raise AccountError(_l("Dit e-mailadres en wachtwoord horen niet bij elkaar."))
    return user


def user_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str | None,
    postcode: str,
    house_number: str,
    street_name: str,
    locale: str,
) -> None:
    """Change the profile. A new address is located again, and the memberships move
    to the street of that name in their initiative (the street is where one lives)."""
    email = email.strip().lower()
    _check_email_free(email, except_user_id=user.id)
    if locale not in current_app.config["LANGUAGES"]:
        raise AccountError(_l("Kies een taal."), field="locale")
    address = _locate(postcode=postcode, house_number=house_number)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.phone, user.locale = phone or None, locale
    _set_address(user, address, street_name)
    for membership in user.memberships:
        if membership.street is None or membership.street.name.lower() != street_name.lower():
            membership.street = street_for(
                initiative_id=membership.initiative_id, name=street_name, pc4=user.postcode[:4]
            )
    _commit_or_email_taken()


def password_change(
    *, user: User, current_password: str, new_password: str, keep_token: str | None
) -> None:
    """Set a new password after checking the current one; other sessions end, this one stays."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("Uw huidige wachtwoord klopt niet."), field="current_password")
    _check_password(
        new_password, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    user.password_hash = _hash(new_password)
    login_sessions.sessions_end_all(user_id=user.id, keep_token=keep_token)
    db.session.commit()


def password_reset(*, user: User, new_password: str) -> None:
    """Set a new password from a reset link; every session of the user ends.

    The new hash also makes the link (and any other reset link) unusable.
    """
    _check_password(
        new_password, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    user.password_hash = _hash(new_password)
    login_sessions.sessions_end_all(user_id=user.id)
    db.session.commit()


def password_reset_send(*, email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link when `email` has an account; otherwise do nothing.

    The caller answers the same either way, so nobody learns which addresses
    have an account. A failing mail server is logged, not shown, for the same reason.
    """
    user = queries.user_by_email(email)
    if user is None:
        log.info("password reset asked for an unknown address")
        return
    link = link_for(tokens.reset_token_make(user=user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.locale or "nl"):
        subject = _("Een nieuw wachtwoord voor Buurthulp")
        body = _(
            "Beste %(name)s,\n\nU vroeg om een nieuw wachtwoord voor Buurthulp. Kies het via deze "
            "link (hij werkt %(minutes)s minuten en één keer):\n\n%(link)s\n\n"
            "Vroeg u dit niet? Dan kunt u deze e-mail negeren; uw wachtwoord blijft hetzelfde.",
            name=user.first_name,
            minutes=minutes,
            link=link,
        )
    try:
        send_mail(to=user.email, subject=subject, body=body)
    except (smtplib.SMTPException, OSError):
        log.exception("password reset mail to user %s could not be sent", user.id)


def user_delete(*, user: User, password: str) -> None:
    """Delete an account after checking its password: personal data goes, counts stay.

    Requests stay as anonymous records (no requester, the category as title,
    no description or street; open ones withdrawn); offers are deleted; the
    user's "Ik wil helpen" responses stay without volunteer or message. The
    user row goes, and with it memberships and login sessions.
    """
    if not verify_password(user.password_hash, password):
        raise AccountError(_l("Het wachtwoord klopt niet."), field="password")
    requests = select(HelpRequest).where(HelpRequest.requester_id == user.id)
    for help_request in db.session.scalars(requests).all():
        with force_locale("nl"):
            help_request.title = str(CATEGORIES[help_request.category])
        help_request.requester_id = None
        help_request.description = ""
        help_request.street_name = ""
        if help_request.status == RequestStatus.OPEN:
            help_request.status = RequestStatus.WITHDRAWN
    offers = select(HelpOffer).where(HelpOffer.volunteer_id == user.id)
    for offer in db.session.scalars(offers).all():
        db.session.delete(offer)
    db.session.execute(
        update(HelpResponse)
        .where(HelpResponse.volunteer_id == user.id)
        .values(volunteer_id=None, message="")
    )
    db.session.flush()
    db.session.delete(user)
    db.session.commit()
