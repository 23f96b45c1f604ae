"""Writes for activities: publish, propose, edit, cancel, approve or reject a proposal, and
the initiative's setting. Each service checks its rule, commits, and raises ActivityError
with Dutch messages keyed by form field ("" for none).
"""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.activities import access, notices, signups
from buurthulp.activities.fields import ActivityFields, activity_errors
from buurthulp.activities.models import Activity, ActivitySettings, ActivityStatus
from buurthulp.audit.log import initiative_setting_change, record
from buurthulp.extensions import db
from buurthulp.geo.postcodes import PostcodeError, locate, normalise_house_number
from buurthulp.i18n import translated
from buurthulp.initiatives.models import Membership
from buurthulp.listings.clock import local_today
from buurthulp.moderation import live
from buurthulp.moderation.models import ReviewState
from buurthulp.moderation.rules import reason_error
from buurthulp.residents.models import ProxyResident

STREET_AND_NUMBER = re.compile(r"^(?P<street>.*?[^\d\s].*?)\s+(?P<number>\d+\s*[-\w ]{0,8})$")


class ActivityError(Exception):
    """Broken rules: {form field ("" for none): Dutch message}."""

    def __init__(self, errors):
        self.errors = dict(errors) if isinstance(errors, dict) else {"": errors}
        super().__init__(self.errors)

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.errors.values())


def _split_address(text: str) -> tuple[str, str] | None:
    """'Kerkstraat 12a' -> ('kerkstraat', '12a'); None when there is no house number."""
    found = STREET_AND_NUMBER.match(" ".join(text.split()))
    if not found:
        return None
    try:
        return found["street"].lower(), normalise_house_number(found["number"])
    except PostcodeError:
        return None


def is_private_address(*, initiative_id: int, venue_street: str) -> bool:
    """Whether street and number are the home of a member or phone-intake resident."""
    parts = _split_address(venue_street)
    if parts is None:
        return False
    street, number = parts
    member = (
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.initiative_id == initiative_id,
            func.lower(User.street_name) == street,
            func.lower(User.house_number) == number.lower(),
        )
    )
    proxy = select(ProxyResident.id).where(
        ProxyResident.initiative_id == initiative_id,
        func.lower(ProxyResident.street_name) == street,
        func.lower(ProxyResident.house_number) == number.lower(),
    )
    return any(db.session.execute(query.limit(1)).first() for query in (member, proxy))


def _checked_columns(
    initiative_id: int, fields: ActivityFields, today: date, previous_start: date | None
) -> dict:
    errors = activity_errors(fields=fields, today=today, previous_start=previous_start)
    area = postcode = None
    try:
        postcode, area = locate(fields.venue_postcode)
    except PostcodeError as error:
        errors["venue_postcode"] = translated(error)
    if "venue_street" not in errors and is_private_address(
        initiative_id=initiative_id, venue_street=fields.venue_street
    ):
        errors["venue_street"] = _l(
            "Dit is het adres van een bewoner. Kies een openbare plek, zoals het buurthuis."
        )
    if errors:
        raise ActivityError(errors)
    return {
        "title": fields.title.strip(),
        "kind": fields.kind,
        "description": fields.description.strip(),
        "venue_name": fields.venue_name.strip(),
        "venue_street": " ".join(fields.venue_street.split()),
        "venue_postcode": postcode,
        "place": fields.place.strip() or area.place,
        "latitude": area.latitude,
        "longitude": area.longitude,
        "starts_on": fields.starts_on,
        "start_time": fields.start_time,
        "end_time": fields.end_time,
        "weekly": fields.weekly,
        "ends_on": fields.ends_on if fields.weekly else None,
        "capacity": fields.capacity,
        "cost_cents": fields.cost_cents,
        "wheelchair_accessible": fields.wheelchair_accessible,
        "hearing_loop": fields.hearing_loop,
        "accessibility_notes": fields.accessibility_notes.strip(),
        "transport_available": fields.transport_available,
    }


def activity_create(
    *, author: User, initiative_id: int, fields: ActivityFields, today: date | None = None
) -> Activity:
    """Publish an activity (organisers), or propose one (members, when the initiative allows
    it): a proposal waits for approval and nobody else sees it until then."""
    organiser = access.may_organise(author, initiative_id)
    if not organiser and not access.may_propose(author, initiative_id):
        raise ActivityError(_l("U mag in dit bewonersinitiatief geen activiteit plaatsen."))
    columns = _checked_columns(initiative_id, fields, today or local_today(), None)
    activity = Activity(
        initiative_id=initiative_id,
        created_by_id=author.id,
        review_state=ReviewState.APPROVED if organiser else ReviewState.PENDING,
        **columns,
    )
    db.session.add(activity)
    db.session.commit()
    if not organiser:
        live.queue_changed(initiative_id)
    return activity


def activity_update(
    *, activity: Activity, editor: User, fields: ActivityFields, now: datetime, today=None
) -> Activity:
    """Change an activity. An organiser's change to someone else's activity is logged; a
    proposer's change to a rejected proposal sends it back for approval. A larger capacity
    gives waiting people a place at once."""
    if not access.can_edit(editor, activity):
        raise ActivityError(_l("U mag deze activiteit niet wijzigen."))
    if activity.status == ActivityStatus.CANCELLED:
        raise ActivityError(_l("Deze activiteit is afgelast en kan niet meer veranderen."))
    columns = _checked_columns(
        activity.initiative_id, fields, today or local_today(), activity.starts_on
    )
    for name, value in columns.items():
        setattr(activity, name, value)
    resubmitted = False
    if access.is_proposer(editor, activity) and activity.review_state == ReviewState.REJECTED:
        activity.review_state = ReviewState.PENDING
        resubmitted = True
    if editor.id != activity.created_by_id:
        _log(editor, "activity_edit", activity, now)
    db.session.commit()
    if resubmitted:
        live.queue_changed(activity.initiative_id)
    signups.waiting_list_refill(activity_id=activity.id, today=today or local_today())
    return activity


def _log(actor: User, action: str, activity: Activity, now: datetime, reason: str = "") -> None:
    record(
        actor=actor,
        action=action,
        initiative_id=activity.initiative_id,
        subject_type="activity",
        subject_id=activity.id,
        reason=reason,
        now=now,
    )


def activity_cancel(*, activity: Activity, actor: User, reason: str, now: datetime) -> Activity:
    """Call off the whole activity (every date). Everyone signed up for a coming date hears
    it, and lifts arranged for it are withdrawn."""
    if not access.may_organise(actor, activity.initiative_id):
        raise ActivityError(_l("Alleen de organisatie kan een activiteit afgelasten."))
    if activity.status == ActivityStatus.CANCELLED:
        raise ActivityError(_l("Deze activiteit is al afgelast."))
    if len(reason.strip()) > 500:
        raise ActivityError({"reason": _l("Maak de tekst korter: hoogstens 500 tekens.")})
    activity.status = ActivityStatus.CANCELLED
    _log(actor, "activity_cancel", activity, now, reason.strip())
    db.session.commit()
    signups.signups_after_cancel(activity=activity, reason=reason.strip(), today=local_today())
    return activity


def _pending(activity: Activity) -> None:
    if activity.review_state != ReviewState.PENDING:
        raise ActivityError(_l("Dit voorstel wacht niet op beoordeling."))


def proposal_approve(*, activity: Activity, actor: User, now: datetime) -> Activity:
    """An organiser approves a resident's proposal: from now on residents see it."""
    if not access.may_organise(actor, activity.initiative_id):
        raise ActivityError(_l("U mag dit voorstel niet beoordelen."))
    _pending(activity)
    activity.review_state = ReviewState.APPROVED
    activity.rejection_reason = ""
    _log(actor, "activity_approve", activity, now)
    db.session.commit()
    live.queue_changed(activity.initiative_id)
    notices.proposal_approved(activity)
    return activity


def proposal_reject(*, activity: Activity, actor: User, reason: str, now: datetime) -> Activity:
    """Send a proposal back with a reason; the proposer can change it and send it again."""
    if not access.may_organise(actor, activity.initiative_id):
        raise ActivityError(_l("U mag dit voorstel niet beoordelen."))
    error = reason_error(reason)
    if error:
        raise ActivityError({"reason": _l(error)})
    _pending(activity)
    activity.review_state = ReviewState.REJECTED
    activity.rejection_reason = reason.strip()
    _log(actor, "activity_reject", activity, now, reason.strip())
    db.session.commit()
    live.queue_changed(activity.initiative_id)
    notices.proposal_rejected(activity, reason.strip())
    return activity


def settings_set(*, initiative_id: int, residents_may_propose: bool, actor: User, now) -> None:
    """The coordinator chooses whether residents may propose activities."""
    initiative_setting_change(
        model=ActivitySettings,
        initiative_id=initiative_id,
        name="residents_may_propose",
        value=residents_may_propose,
        action="activity_settings_set",
        actor=actor,
        now=now,
    )
