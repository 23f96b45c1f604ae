"""One-click lift to an activity: a "vervoer/lift" help request for the date.

The request is posted exactly as the resident's own request would be (listings.services,
or for a phone-intake resident residents.intake): the same rules, moderation and matcher.
It is at the resident's own location (street, place, area), never the venue's; the venue
is public and goes in the description with the time.
"""

from datetime import date, datetime, time, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from buurthulp.accounts.models import User
from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id
from buurthulp.listings import services as listings
from buurthulp.listings.models import Category, HelpRequest, Recurrence, RequestStatus
from buurthulp.listings.rules import TITLE_MAX, RequestFields
from buurthulp.residents import intake

PICK_UP_BEFORE = timedelta(minutes=30)
STILL_ON = (RequestStatus.OPEN, RequestStatus.MATCHED)


class LiftError(Exception):
    """A broken rule, with a Dutch message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def pick_up_window(start: time) -> tuple[time, time]:
    """From about half an hour before the start until the start (not before midnight)."""
    day = date(2000, 1, 1)  # any day: only the time of day matters
    begin = datetime.combine(day, start)
    earliest = max(begin - PICK_UP_BEFORE, datetime.combine(day, time(0, 0)))
    if earliest == begin:  # an activity at midnight: pick up in the half hour after
        return start, (begin + PICK_UP_BEFORE).time()
    return earliest.time(), start


def lift_fields(activity: Activity, day: date) -> RequestFields:
    """The request's what and when, in Dutch: what others read is the same for everyone."""
    time_from, time_until = pick_up_window(activity.start_time)
    with force_locale("nl"):
        title = _("Lift naar %(title)s", title=activity.title)[:TITLE_MAX]
        description = _(
            "Ik wil graag naar %(title)s op %(day)s, om %(start)s. Het is bij %(venue)s, "
            "%(street)s, %(postcode)s %(place)s. Wie kan mij brengen? Ophalen tussen "
            "%(from)s en %(until)s.",
            title=activity.title,
            day=format_date(day, "EEEE d MMMM"),
            start=activity.start_time.strftime("%H:%M"),
            venue=activity.venue_name,
            street=activity.venue_street,
            postcode=activity.venue_postcode,
            place=activity.place,
            **{"from": time_from.strftime("%H:%M"), "until": time_until.strftime("%H:%M")},
        )
    return RequestFields(
        title=title,
        description=description,
        category=Category.TRANSPORT,
        on_date=day,
        time_from=time_from,
        time_until=time_until,
        recurrence=Recurrence.ONCE,
        needs_car=True,
    )


def _live_lift(signup: ActivitySignup) -> HelpRequest | None:
    if signup.lift_request_id is None:
        return None
    help_request = db.session.get(HelpRequest, signup.lift_request_id)
    return help_request if help_request is not None and help_request.status in STILL_ON else None


def _post(signup: ActivitySignup, actor: User, fields: RequestFields, today, now):
    try:
        if signup.user_id is not None:
            if actor.id != signup.user_id:
                raise LiftError(_l("Alleen de bewoner zelf kan hier vervoer vragen."))
            return listings.help_request_create(
                requester=actor,
                initiative_id=signup.activity.initiative_id,
                fields=fields,
                today=today,
            )
        return intake.proxy_request_create(
            resident=signup.proxy_resident, request=fields, by_user=actor, now=now, today=today
        )
    except (listings.ListingError, intake.IntakeError) as error:
        db.session.rollback()
        raise LiftError(str(error)) from None


def lift_request_create(
    *, signup: ActivitySignup, actor: User, today: date, now: datetime
) -> HelpRequest:
    """Ask a lift for a confirmed sign-up: the resident themselves, or for a phone-intake
    resident a contact person (the views check their streets). A second click returns the
    request made the first time."""
    activity = signup.activity
    if not activity.transport_available:
        raise LiftError(_l("Bij deze activiteit kan geen vervoer worden geregeld."))
    if signup.status != SignupStatus.CONFIRMED:
        raise LiftError(_l("Vervoer vragen kan als u een plek heeft."))
    if signup.occurs_on < today:
        raise LiftError(_l("Deze datum is al voorbij."))
    existing = _live_lift(signup)
    if existing is not None:
        return existing
    help_request = _post(signup, actor, lift_fields(activity, signup.occurs_on), today, now)
    claimed = db.session.execute(
        update(ActivitySignup)
        .where(
            ActivitySignup.id == signup.id,
            (ActivitySignup.lift_request_id.is_(None))
            | (ActivitySignup.lift_request_id == signup.lift_request_id),
        )
        .values(lift_request_id=help_request.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        # A double click that raced past the check above: keep the first request only.
        _withdraw(help_request)
        db.session.refresh(signup)
        return db.session.get(HelpRequest, signup.lift_request_id)
    db.session.refresh(signup)
    return help_request


def _withdraw(help_request: HelpRequest) -> None:
    editor_id = author_id(help_request)
    editor = db.session.get(User, editor_id) if editor_id is not None else None
    if editor is None or help_request.status not in STILL_ON:
        return
    try:
        listings.help_request_withdraw(help_request=help_request, editor=editor)
    except listings.ListingError:
        db.session.rollback()


def lift_withdraw(*, signup: ActivitySignup) -> None:
    """The resident no longer goes: withdraw the lift request, on their behalf. A volunteer
    who already agreed to drive hears it through the usual withdrawal notice."""
    help_request = _live_lift(signup)
    if help_request is not None:
        _withdraw(help_request)
