"""Reads for an activity's page: its coming dates with places left, a person's own status
and place on the waiting list, who signed up (for organisers), and proposals to review."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from buurthulp.activities.models import Activity, ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.activities.occurrences import occurrences
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.moderation.models import ReviewState
from buurthulp.residents.models import ProxyResident

DATES_SHOWN = 6
HORIZON = timedelta(days=7 * DATES_SHOWN)


@dataclass
class DateRow:
    day: date
    confirmed: int
    waiting: int
    places_left: int | None  # None: no limit
    mine: ActivitySignup | None = None
    position: int | None = None  # my place on the waiting list, from 1
    participants: list[ActivitySignup] = field(default_factory=list)  # for organisers
    waiting_list: list[ActivitySignup] = field(default_factory=list)


def get_activity(activity_id: int) -> Activity | None:
    return db.session.get(Activity, activity_id)


def coming_dates(activity: Activity, today: date, count: int = DATES_SHOWN) -> list[date]:
    end = max(today, activity.starts_on) + HORIZON
    dates = occurrences(
        starts_on=activity.starts_on,
        weekly=activity.weekly,
        ends_on=activity.ends_on,
        start=today,
        end=end,
    )
    return dates[:count]


def _counts(activity_id: int, days: list[date]) -> dict[tuple[date, SignupStatus], int]:
    rows = db.session.execute(
        select(ActivitySignup.occurs_on, ActivitySignup.status, func.count(ActivitySignup.id))
        .where(ActivitySignup.activity_id == activity_id, ActivitySignup.occurs_on.in_(days))
        .group_by(ActivitySignup.occurs_on, ActivitySignup.status)
    ).all()
    return {(day, status): n for day, status, n in rows}


def waiting_position(signup: ActivitySignup) -> int:
    """1 for the first on the waiting list: the order in which places are given."""
    earlier = db.session.execute(
        select(func.count(ActivitySignup.id)).where(
            ActivitySignup.activity_id == signup.activity_id,
            ActivitySignup.occurs_on == signup.occurs_on,
            ActivitySignup.status == SignupStatus.WAITING,
            or_(
                ActivitySignup.signed_up_at < signup.signed_up_at,
                and_(
                    ActivitySignup.signed_up_at == signup.signed_up_at,
                    ActivitySignup.id < signup.id,
                ),
            ),
        )
    ).scalar_one()
    return earlier + 1


def _mine(activity_id: int, days: list[date], user) -> dict[date, ActivitySignup]:
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.execute(
        select(ActivitySignup).where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.occurs_on.in_(days),
            ActivitySignup.user_id == user.id,
        )
    ).scalars()
    return {row.occurs_on: row for row in rows}


def date_rows(activity: Activity, user, today: date) -> list[DateRow]:
    """The coming dates, each with how many have a place, places left and the user's status."""
    days = coming_dates(activity, today)
    counts = _counts(activity.id, days)
    mine = _mine(activity.id, days, user)
    rows = []
    for day in days:
        confirmed = counts.get((day, SignupStatus.CONFIRMED), 0)
        left = None if activity.capacity is None else max(activity.capacity - confirmed, 0)
        row = DateRow(day, confirmed, counts.get((day, SignupStatus.WAITING), 0), left)
        row.mine = mine.get(day)
        if row.mine is not None and row.mine.status == SignupStatus.WAITING:
            row.position = waiting_position(row.mine)
        rows.append(row)
    return rows


def _in_streets(street_ids: set[int] | None):
    """Sign-ups of residents in these streets (None: everyone)."""
    if street_ids is None:
        return True
    ids = sorted(street_ids)
    member = (
        select(Membership.id)
        .where(
            Membership.user_id == ActivitySignup.user_id,
            Membership.initiative_id == Activity.initiative_id,
            Membership.street_id.in_(ids),
        )
        .exists()
    )
    proxy = (
        select(ProxyResident.id)
        .where(
            ProxyResident.id == ActivitySignup.proxy_resident_id,
            ProxyResident.street_id.in_(ids),
        )
        .exists()
    )
    return or_(member, proxy)


def add_participants(activity: Activity, rows: list[DateRow], street_ids) -> None:
    """Fill in who has a place and who waits, per date, within `street_ids` (None: all)."""
    days = [row.day for row in rows]
    signups = db.session.execute(
        select(ActivitySignup)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(
            ActivitySignup.activity_id == activity.id,
            ActivitySignup.occurs_on.in_(days),
            ActivitySignup.status.in_([SignupStatus.CONFIRMED, SignupStatus.WAITING]),
            _in_streets(street_ids),
        )
        .order_by(ActivitySignup.signed_up_at, ActivitySignup.id)
    ).scalars()
    by_day = {row.day: row for row in rows}
    for signup in signups:
        row = by_day[signup.occurs_on]
        target = row.participants if signup.status == SignupStatus.CONFIRMED else row.waiting_list
        target.append(signup)


def signup_of(activity_id: int, signup_id: int) -> ActivitySignup | None:
    signup = db.session.get(ActivitySignup, signup_id)
    return signup if signup is not None and signup.activity_id == activity_id else None


def signup_for(activity_id: int, day: date, user_id: int) -> ActivitySignup | None:
    """A member's own sign-up row for the date, in whatever state."""
    return db.session.execute(
        select(ActivitySignup).where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.occurs_on == day,
            ActivitySignup.user_id == user_id,
        )
    ).scalar_one_or_none()


def pending_proposals(initiative_id: int) -> list[Activity]:
    """Residents' proposals waiting for approval, oldest first (for the moderation queue)."""
    return list(
        db.session.execute(
            select(Activity)
            .where(
                Activity.initiative_id == initiative_id,
                Activity.review_state == ReviewState.PENDING,
                Activity.status == ActivityStatus.PLANNED,
            )
            .order_by(Activity.created_at, Activity.id)
        ).scalars()
    )


def proposal_in(initiative_id: int, activity_id: int) -> Activity | None:
    activity = db.session.get(Activity, activity_id)
    return activity if activity is not None and activity.initiative_id == initiative_id else None
