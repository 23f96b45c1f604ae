"""Signing up for one date of an activity, cancelling, and the waiting list.

The rule: a sign-up gets a place while the date has free places (capacity None: always),
otherwise a place on the waiting list; when someone with a place cancels, the first on
the waiting list (by signed_up_at, then id) gets it and is told.

Capacity is never exceeded, however many sign up at once: every change first bumps
Activity.signup_version with an UPDATE. That takes SQLite's database write lock and
PostgreSQL's row lock on the activity, so sign-ups and cancels of one activity run one
after the other; the count and the insert then happen in the same transaction.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from buurthulp.accounts.models import User
from buurthulp.activities import access, lifts, notices
from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.activities.occurrences import is_occurrence
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import is_member
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.scope import member_in_scope, proxy_in_scope

BUSY = _l("Het is nu erg druk. Probeer het over een minuut opnieuw.")
LIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITING)


class SignupError(Exception):
    """A broken rule, with a Dutch message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def _lock(activity_id: int) -> Activity:
    """Start the transaction with the write that serialises this activity's sign-ups."""
    db.session.execute(
        update(Activity)
        .where(Activity.id == activity_id)
        .values(signup_version=Activity.signup_version + 1)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(
        select(Activity).where(Activity.id == activity_id).execution_options(populate_existing=True)
    ).scalar_one()


def confirmed_count(activity_id: int, day: date) -> int:
    return db.session.execute(
        select(func.count(ActivitySignup.id)).where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.occurs_on == day,
            ActivitySignup.status == SignupStatus.CONFIRMED,
        )
    ).scalar_one()


def check_date(activity: Activity, day: date, today: date) -> None:
    """The activity is open for sign-up, and `day` is one of its dates, today or later."""
    if not access.is_open_for_signup(activity):
        raise SignupError(_l("Voor deze activiteit kunt u zich niet (meer) aanmelden."))
    if day < today:
        raise SignupError(_l("Deze datum is al voorbij."))
    if not is_occurrence(
        starts_on=activity.starts_on, weekly=activity.weekly, ends_on=activity.ends_on, day=day
    ):
        raise SignupError(_l("Op deze datum is de activiteit er niet. Kies een andere datum."))


def _existing(activity_id: int, day: date, user_id, proxy_id) -> ActivitySignup | None:
    who = (
        ActivitySignup.user_id == user_id
        if user_id is not None
        else ActivitySignup.proxy_resident_id == proxy_id
    )
    return db.session.execute(
        select(ActivitySignup)
        .where(ActivitySignup.activity_id == activity_id, ActivitySignup.occurs_on == day, who)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _place(activity: Activity, day: date) -> SignupStatus:
    if activity.capacity is None or confirmed_count(activity.id, day) < activity.capacity:
        return SignupStatus.CONFIRMED
    return SignupStatus.WAITING


def _write_signup(activity_id, day, user_id, proxy_id, by_user, now) -> ActivitySignup:
    """Inside the lock: reuse a cancelled row (one row per person per date) or add one."""
    activity = _lock(activity_id)
    if not access.is_open_for_signup(activity):
        raise SignupError(_l("Voor deze activiteit kunt u zich niet (meer) aanmelden."))
    signup = _existing(activity_id, day, user_id, proxy_id)
    if signup is not None and signup.status in LIVE:
        raise SignupError(
            _l("U staat al aangemeld voor deze datum.")
            if signup.status == SignupStatus.CONFIRMED
            else _l("U staat al op de wachtlijst voor deze datum.")
        )
    status = _place(activity, day)  # counted before the new row can be flushed
    if signup is None:
        signup = ActivitySignup(
            activity_id=activity_id, occurs_on=day, user_id=user_id, proxy_resident_id=proxy_id
        )
        db.session.add(signup)
    signup.status = status
    signup.signed_up_at = now
    signup.signed_up_by_id = by_user.id if by_user is not None else None
    signup.cancelled_at = None
    signup.lift_request_id = None
    signup.reminded_at = None
    signup.attended = None
    return signup


def _save(write, *args) -> ActivitySignup:
    try:
        result = write(*args)
        db.session.commit()
    except SignupError:
        db.session.rollback()
        raise
    except (IntegrityError, DBAPIError):
        # A double click that raced (the unique constraint decides) or a lock wait that ran
        # out: nothing was saved, and the person can try again.
        db.session.rollback()
        raise SignupError(BUSY) from None
    return result


def signup_create(
    *, activity: Activity, occurs_on: date, user: User, today: date, now: datetime
) -> ActivitySignup:
    """A member signs themselves up for one date: a place, or the waiting list."""
    check_date(activity, occurs_on, today)
    if not is_member(user, activity.initiative_id):
        raise SignupError(_l("Alleen leden van dit bewonersinitiatief kunnen zich aanmelden."))
    return _save(_write_signup, activity.id, occurs_on, user.id, None, None, now)


def signup_by_phone(
    *,
    activity: Activity,
    occurs_on: date,
    by_user: User,
    street_ids: set[int] | None,
    user: User | None = None,
    proxy_resident: ProxyResident | None = None,
    today: date,
    now: datetime,
) -> ActivitySignup:
    """A contact person signs up a resident of their streets (`street_ids`, None for the whole
    initiative): a member, or a phone-intake resident without an account. Logged."""
    check_date(activity, occurs_on, today)
    initiative_id = activity.initiative_id
    if user is not None:
        in_scope = member_in_scope(user.id, initiative_id, street_ids) is not None
    else:
        in_scope = proxy_in_scope(proxy_resident.id, initiative_id, street_ids) is not None
    if not in_scope:
        raise SignupError(_l("Deze bewoner hoort niet bij de straten die u bijhoudt."))
    user_id = user.id if user is not None else None
    proxy_id = proxy_resident.id if proxy_resident is not None else None

    def write():
        signup = _write_signup(activity.id, occurs_on, user_id, proxy_id, by_user, now)
        db.session.flush()
        _audit(by_user, "activity_signup_by_phone", signup, now)
        return signup

    return _save(write)


def _audit(actor: User, action: str, signup: ActivitySignup, now: datetime) -> None:
    record(
        actor=actor,
        action=action,
        initiative_id=signup.activity.initiative_id,
        subject_type="activity_signup",
        subject_id=signup.id,
        details={
            "activity_id": signup.activity_id,
            "occurs_on": signup.occurs_on.isoformat(),
            "user_id": signup.user_id,
            "proxy_resident_id": signup.proxy_resident_id,
        },
        now=now,
    )


def _promote(activity: Activity, day: date) -> list[ActivitySignup]:
    """Inside the lock: give free places to the waiting list, first come first served."""
    free = (
        None if activity.capacity is None else activity.capacity - confirmed_count(activity.id, day)
    )
    if free is not None and free <= 0:
        return []
    query = (
        select(ActivitySignup)
        .where(
            ActivitySignup.activity_id == activity.id,
            ActivitySignup.occurs_on == day,
            ActivitySignup.status == SignupStatus.WAITING,
        )
        .order_by(ActivitySignup.signed_up_at, ActivitySignup.id)
        .execution_options(populate_existing=True)
    )
    if free is not None:
        query = query.limit(free)
    moved = list(db.session.execute(query).scalars())
    for signup in moved:
        signup.status = SignupStatus.CONFIRMED
    return moved


def signup_cancel(
    *, signup: ActivitySignup, actor: User, today: date, now: datetime
) -> list[ActivitySignup]:
    """Cancel a sign-up (by the resident, or the contact person who may act for them: the
    views check that). A freed place goes to the first on the waiting list, who is told;
    an open lift request for the date is withdrawn. Returns who moved up."""
    if signup.occurs_on < today:
        raise SignupError(_l("Deze datum is al voorbij."))
    signup_id, activity_id = signup.id, signup.activity_id

    def write():
        activity = _lock(activity_id)
        row = db.session.execute(
            select(ActivitySignup)
            .where(ActivitySignup.id == signup_id)
            .execution_options(populate_existing=True)
        ).scalar_one()
        if row.status == SignupStatus.CANCELLED:
            raise SignupError(_l("Deze aanmelding is al afgemeld."))
        had_place = row.status == SignupStatus.CONFIRMED
        row.status = SignupStatus.CANCELLED
        row.cancelled_at = now
        db.session.flush()
        if actor.id != row.user_id:
            _audit(actor, "activity_signup_cancel_for", row, now)
        return row, (_promote(activity, row.occurs_on) if had_place else [])

    try:
        row, moved = write()
        db.session.commit()
    except SignupError:
        db.session.rollback()
        raise
    except DBAPIError:
        db.session.rollback()
        raise SignupError(BUSY) from None
    lifts.lift_withdraw(signup=row)
    for promoted in moved:
        notices.promoted(promoted)
    return moved


def waiting_list_refill(*, activity_id: int, today: date) -> list[ActivitySignup]:
    """After the capacity went up: waiting people of coming dates get the new places."""
    days = db.session.execute(
        select(ActivitySignup.occurs_on)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.status == SignupStatus.WAITING,
            ActivitySignup.occurs_on >= today,
        )
        .distinct()
        .order_by(ActivitySignup.occurs_on)
    ).scalars()
    moved = []
    for day in list(days):
        moved += _promote(_lock(activity_id), day)
        db.session.commit()
    for signup in moved:
        notices.promoted(signup)
    return moved


def signups_after_cancel(*, activity: Activity, reason: str, today: date) -> None:
    """The whole activity is off: tell everyone signed up for a coming date, and withdraw
    the lifts asked for it."""
    coming = db.session.execute(
        select(ActivitySignup).where(
            ActivitySignup.activity_id == activity.id,
            ActivitySignup.occurs_on >= today,
            ActivitySignup.status.in_(LIVE),
        )
    ).scalars()
    for signup in list(coming):
        lifts.lift_withdraw(signup=signup)
        notices.activity_cancelled(signup, reason)
