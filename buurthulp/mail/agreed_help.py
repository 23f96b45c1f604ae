"""The calendar file attached to the confirmation of agreed help on a fixed day."""

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.listings.models import HelpRequest
from buurthulp.mail.ics import CalendarEvent, calendar_file
from buurthulp.mail.links import absolute_link
from buurthulp.mail.sending import Attachment


def agreed_help_uid(help_request: HelpRequest, volunteer: User) -> str:
    """The same request and volunteer always give the same UID, so a calendar that gets
    the file twice keeps one event."""
    host = urlsplit(current_app.config.get("SERVER_BASE_URL") or "").hostname or "buurthulp"
    return f"request-{help_request.id}-volunteer-{volunteer.id}@{host}"


def agreed_help_attachment(help_request: HelpRequest, volunteer: User) -> Attachment | None:
    """An .ics for the request's day and time window; None for a flexible request.
    Call it in the recipient's locale: its text is translated."""
    if not (help_request.on_date and help_request.time_from and help_request.time_until):
        return None
    event = CalendarEvent(
        uid=agreed_help_uid(help_request, volunteer),
        day=help_request.on_date,
        start=help_request.time_from,
        end=help_request.time_until,
        summary=_("Buurthulp: %(title)s", title=help_request.title),
        description=_(
            "%(name)s komt helpen. Naam, adres en telefoonnummer staan op Buurthulp: %(link)s",
            name=volunteer.public_name,
            link=absolute_link("listings.request_detail", request_id=help_request.id),
        ),
        url=absolute_link("listings.request_detail", request_id=help_request.id),
        stamp=utcnow(),
    )
    return Attachment("buurthulp-afspraak.ics", "text/calendar", calendar_file(event))
