"""Renewing an expired request: it opens again and the matcher invites volunteers anew."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import can_edit
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.listings.rules import request_when_errors
from buurthulp.matching.services import MatchingError, invitations_send
from buurthulp.scheduler.models import RequestExpiry


class RenewalError(ValueError):
    """A request that cannot be renewed; `errors` maps form fields to Dutch messages."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(str(m) for m in errors.values()))


def needs_new_date(help_request: HelpRequest, today: date) -> bool:
    """A one-off request whose day has passed needs a new day to be renewed."""
    return (
        help_request.recurrence == Recurrence.ONCE
        and help_request.on_date is not None
        and help_request.on_date < today
    )


def request_renew(
    *,
    help_request: HelpRequest,
    by_user: User,
    now: datetime,
    today: date,
    new_date: date | None = None,
) -> HelpRequest:
    """Open an expired request again (its requester, or a buurtverbinder or coördinator);
    a one-off whose day passed takes `new_date`. Renewing twice does nothing more."""
    if not can_edit(by_user, help_request):
        raise RenewalError({"": _l("U mag deze hulpvraag niet opnieuw openzetten.")})
    if help_request.status != RequestStatus.EXPIRED:
        raise RenewalError({"": _l("Deze hulpvraag is niet verlopen.")})
    values = {"status": RequestStatus.OPEN, "needs_attention": False}
    if needs_new_date(help_request, today):
        errors = request_when_errors(
            on_date=new_date,
            time_from=help_request.time_from,
            time_until=help_request.time_until,
            flexible_days=None,
            today=today,
        )
        if errors:
            raise RenewalError(errors)
        values["on_date"] = new_date
    reopened = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.EXPIRED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if reopened.rowcount != 1:
        db.session.rollback()
        raise RenewalError({"": _l("Deze hulpvraag is niet verlopen.")})
    expiry = db.session.get(RequestExpiry, help_request.id)
    if expiry is not None:
        expiry.renewed_at = now
    else:  # expired some other way: still counts as fresh from now
        db.session.add(RequestExpiry(request_id=help_request.id, expired_at=now, renewed_at=now))
    db.session.commit()
    db.session.expire_all()
    help_request = db.session.get(HelpRequest, help_request.id)
    try:
        invitations_send(help_request=help_request, now=now)
    except MatchingError:  # taken or changed meanwhile: it is open, that is what counts
        db.session.rollback()
    return help_request
