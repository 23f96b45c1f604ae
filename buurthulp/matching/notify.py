"""Telling people what the matcher did: a mail and an in-app notification (Mededelingen),
pushed live to their open pages.

Messages never carry anyone's address or phone number: before a match nobody may see
them, and after one the match page shows them to the two people involved.
"""

import logging
from collections.abc import Callable, Sequence

from flask_babel import force_locale
from flask_babel import gettext as _

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.mail.agreed_help import agreed_help_attachment
from buurthulp.mail.sending import Attachment, send_mail
from buurthulp.matching import queries
from buurthulp.realtime import stream

log = logging.getLogger(__name__)


def notify_user(
    user: User, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    """Send one notification to `user`. A mail failure is logged, never raised: the
    change it reports has already been committed and must stand."""
    try:
        if attachments:
            send_mail(to=user.email, subject=subject, body=body, attachments=attachments)
        else:
            send_mail(to=user.email, subject=subject, body=body)
    except Exception:  # noqa: BLE001 - SMTP and socket errors alike
        log.exception("notification to user %s failed", user.id)


def notify_in_app(user: User, kind: str, data: dict, subject: str, body: str) -> None:
    """Store and push the same notice as an in-app notification; like mail, a failure
    is logged and never undoes the change it reports."""
    try:
        stream.push(user.id, kind, data, title=subject, body=body)
    except Exception:  # noqa: BLE001 - database or queue errors alike
        db.session.rollback()
        log.exception("in-app notification to user %s failed", user.id)


def notify_in_locale(
    user: User,
    compose: Callable[[], tuple[str, str]],
    kind: str = "notice",
    data=None,
    attach: Callable[[], list[Attachment]] | None = None,
) -> None:
    """Compose (subject, body), and any attachments, in the user's own language, then mail
    it and show it in the app (`kind` and `data` tell the page what it is about)."""
    with force_locale(user.locale or "nl"):
        subject, body = compose()
        attachments = attach() if attach else []
    notify_user(user, str(subject), str(body), attachments)
    notify_in_app(user, kind, data or {}, str(subject), str(body))


def _live_match_id(help_request: HelpRequest) -> int | None:
    match = queries.live_match(help_request.id)
    return match.id if match else None


def _compose_invited(title: str, place: str) -> tuple[str, str]:
    return (
        _("Kunt u helpen: %(title)s?", title=title),
        _(
            "Een buur in %(place)s vraagt hulp: %(title)s. U bent een van de buren die het "
            "best kunnen helpen. Neem de vraag aan of sla hem af onder Uitnodigingen op "
            "Buurthulp. Wie het eerst aanneemt, helpt.",
            place=place,
            title=title,
        ),
    )


def invited(user: User, help_request: HelpRequest) -> None:
    """A volunteer is asked to take a request."""
    notify_in_locale(
        user,
        lambda: _compose_invited(help_request.title, help_request.place),
        "invitation",
        {"request_id": help_request.id},
    )


def taken_by_other(user: User, help_request: HelpRequest) -> None:
    """A volunteer's invitation closed because someone else accepted first."""
    notify_in_locale(
        user,
        lambda: (
            _("Al vergeven: %(title)s", title=help_request.title),
            _(
                "Een andere buur heeft deze hulpvraag al aangenomen. Bedankt dat u wilde "
                "helpen! U hoeft niets te doen."
            ),
        ),
        "invitation_closed",
        {"request_id": help_request.id},
    )


def request_withdrawn(user: User, help_request: HelpRequest) -> None:
    """A volunteer's invitation closed because the request was withdrawn."""
    notify_in_locale(
        user,
        lambda: (
            _("Ingetrokken: %(title)s", title=help_request.title),
            _("Deze hulpvraag is ingetrokken. U hoeft niets te doen."),
        ),
        "invitation_closed",
        {"request_id": help_request.id},
    )


def _agreed_help_files(help_request: HelpRequest, volunteer: User) -> list[Attachment]:
    attachment = agreed_help_attachment(help_request, volunteer)
    return [attachment] if attachment else []


def matched(requester: User, help_request: HelpRequest, volunteer: User) -> None:
    """The requester hears who will help; details are on the match page, not in the mail.
    A request on a fixed day gets a calendar file (.ics) of the appointment."""
    notify_in_locale(
        requester,
        lambda: (
            _("Er helpt iemand: %(title)s", title=help_request.title),
            _(
                "%(name)s heeft uw hulpvraag aangenomen. Op Buurthulp ziet u nu elkaars "
                "naam, adres en telefoonnummer.",
                name=volunteer.public_name,
            ),
        ),
        "request_accepted",
        {"request_id": help_request.id, "match_id": _live_match_id(help_request)},
        lambda: _agreed_help_files(help_request, volunteer),
    )


def match_ended(user: User, help_request: HelpRequest) -> None:
    """The other side cancelled or reported a no-show; the request is open again."""
    notify_in_locale(
        user,
        lambda: (
            _("Gaat niet door: %(title)s", title=help_request.title),
            _(
                "De afspraak voor deze hulpvraag gaat niet door. De hulpvraag staat weer "
                "open en we zoeken een andere buur."
            ),
        ),
        "match_closed",
        {"request_id": help_request.id},
    )


def match_done(match, by_user: User) -> None:
    """The other side marked the help as given: in the app only (no mail, as before)."""
    help_request = match.request
    is_requester = by_user.id == help_request.requester_id
    other_id = match.volunteer_id if is_requester else help_request.requester_id
    other = db.session.get(User, other_id) if other_id is not None else None
    if other is None:
        return
    with force_locale(other.locale or "nl"):
        subject = _("Afgerond: %(title)s", title=help_request.title)
        body = _(
            "%(name)s heeft deze hulp als afgerond gemeld. Wilt u ook laten weten hoe het "
            "ging? Dat kan op de pagina van de koppeling.",
            name=by_user.public_name,
        )
    data = {"request_id": help_request.id, "match_id": match.id}
    notify_in_app(other, "match_closed", data, str(subject), str(body))
