"""Reading the agenda: which activities take place on which dates, with places left.

The agenda shows counts, never who signed up. A date is shown when its activity is approved
and planned; a cancelled activity stays on the agenda as "gaat niet door" for its dates in
the coming week (CANCELLED_NOTICE_DAYS), so people who meant to go see it is off, and then
disappears.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from buurthulp.activities.models import Activity, ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.activities.occurrences import occurrences
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, RegistryStatus
from buurthulp.moderation.models import ReviewState

CANCELLED_NOTICE_DAYS = 7
LIST_WEEKS = 8


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One date of an activity as the agenda shows it."""

    activity: Activity
    day: date
    confirmed: int = 0
    waiting: int = 0

    @property
    def cancelled(self) -> bool:
        return self.activity.status == ActivityStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        """Free places; None when the activity has no limit."""
        if self.activity.capacity is None:
            return None
        return max(0, self.activity.capacity - self.confirmed)

    @property
    def full(self) -> bool:
        return self.places_left == 0


def agenda_initiative(slug: str) -> Initiative | None:
    """An initiative that runs on the platform (approved in the registry), by its slug."""
    if not slug or len(slug) > 80:
        return None
    return db.session.execute(
        select(Initiative).where(
            Initiative.slug == slug,
            Initiative.uses_platform.is_(True),
            Initiative.registry_status == RegistryStatus.APPROVED,
        )
    ).scalar_one_or_none()


def _has_date_from(start: date):
    """SQL: the activity has a date on or after `start`."""
    return or_(
        and_(Activity.weekly.is_(False), Activity.starts_on >= start),
        and_(Activity.weekly.is_(True), or_(Activity.ends_on.is_(None), Activity.ends_on >= start)),
    )


def _activities_between(initiative_id: int, start: date, end: date) -> list[Activity]:
    """Approved activities of the initiative that may have a date from start to end."""
    query = select(Activity).where(
        Activity.initiative_id == initiative_id,
        Activity.review_state == ReviewState.APPROVED,
        Activity.starts_on <= end,
        _has_date_from(start),
    )
    return list(db.session.execute(query).scalars())


def signup_counts(activity_ids: list[int], start: date, end: date) -> Counter:
    """(activity id, date, status) -> number of sign-ups, for confirmed and waiting ones."""
    if not activity_ids:
        return Counter()
    rows = db.session.execute(
        select(
            ActivitySignup.activity_id,
            ActivitySignup.occurs_on,
            ActivitySignup.status,
            func.count(),
        )
        .where(
            ActivitySignup.activity_id.in_(activity_ids),
            ActivitySignup.occurs_on.between(start, end),
            ActivitySignup.status.in_((SignupStatus.CONFIRMED, SignupStatus.WAITING)),
        )
        .group_by(ActivitySignup.activity_id, ActivitySignup.occurs_on, ActivitySignup.status)
    )
    return Counter({(a, d, SignupStatus(s)): n for a, d, s, n in rows})


def _shown(activity: Activity, day: date, today: date) -> bool:
    if activity.status == ActivityStatus.PLANNED:
        return True
    return today <= day < today + timedelta(days=CANCELLED_NOTICE_DAYS)


def agenda(initiative_id: int, *, start: date, end: date, today: date) -> list[Occurrence]:
    """The dates from start to end inclusive, in order of day, time and title."""
    activities = _activities_between(initiative_id, start, end)
    counts = signup_counts([a.id for a in activities], start, end)
    found = []
    for activity in activities:
        days = occurrences(
            starts_on=activity.starts_on,
            weekly=activity.weekly,
            ends_on=activity.ends_on,
            start=start,
            end=end,
        )
        for day in days:
            if not _shown(activity, day, today):
                continue
            key = (activity.id, day)
            found.append(
                Occurrence(
                    activity,
                    day,
                    confirmed=counts[(*key, SignupStatus.CONFIRMED)],
                    waiting=counts[(*key, SignupStatus.WAITING)],
                )
            )
    found.sort(key=lambda o: (o.day, o.activity.start_time, o.activity.title, o.activity.id))
    return found


def by_day(items: list[Occurrence]) -> list[tuple[date, list[Occurrence]]]:
    """The occurrences grouped per day, days in order."""
    days: dict[date, list[Occurrence]] = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    return list(days.items())


def feed_activities(initiative_id: int, *, since: date) -> list[Activity]:
    """Approved activities with a date on or after `since`, planned or cancelled, for the
    calendar feed: a cancelled one stays in it (STATUS:CANCELLED) so calendars drop it."""
    query = (
        select(Activity)
        .where(
            Activity.initiative_id == initiative_id,
            Activity.review_state == ReviewState.APPROVED,
            _has_date_from(since),
        )
        .order_by(Activity.starts_on, Activity.id)
    )
    return list(db.session.execute(query).scalars())
