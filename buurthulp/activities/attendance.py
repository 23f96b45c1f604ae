"""Attendance, recorded afterwards by the organisers (buurtverbinders and coordinators).

Who came is stored per sign-up (`ActivitySignup.attended`: True, False, or None while not
recorded) for the confirmed participants of one date. The monitor counts a date as held
when at least one participant attended (docs/activities.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from buurthulp.activities.models import Activity, ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.activities.occurrences import is_occurrence
from buurthulp.audit import log as audit_log
from buurthulp.audit.labels import ACTION_LABELS
from buurthulp.extensions import db
from buurthulp.moderation.models import ReviewState
from buurthulp.translatable import N_, UserMessageError

ACTION = "activity_attendance"
ACTION_LABELS.setdefault(ACTION, N_("aanwezigheid bij een activiteit vastgelegd"))
# How far back the panel lists dates; older ones can still be opened from their URL.
LOOKBACK_DAYS = 92


class AttendanceError(UserMessageError):
    pass


@dataclass(frozen=True, slots=True)
class PastDate:
    activity: Activity
    day: date
    confirmed: int
    recorded: int  # confirmed sign-ups whose attendance was recorded
    attended: int

    @property
    def complete(self) -> bool:
        return self.recorded == self.confirmed


def activity_in(initiative_id: int, activity_id: int) -> Activity | None:
    """An approved activity of this initiative; another initiative's id gives None."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.initiative_id != initiative_id:
        return None
    return activity if activity.review_state == ReviewState.APPROVED else None


def can_record(activity: Activity, day: date, *, today: date) -> bool:
    """A past (or today's) date of a planned activity."""
    return (
        activity.status == ActivityStatus.PLANNED
        and day <= today
        and is_occurrence(
            starts_on=activity.starts_on, weekly=activity.weekly, ends_on=activity.ends_on, day=day
        )
    )


def past_dates(initiative_id: int, *, today: date) -> list[PastDate]:
    """Dates in the last LOOKBACK_DAYS with confirmed participants, newest first."""
    confirmed = ActivitySignup.status == SignupStatus.CONFIRMED
    query = (
        select(
            Activity,
            ActivitySignup.occurs_on,
            func.count(),
            func.sum(case((ActivitySignup.attended.is_not(None), 1), else_=0)),
            func.sum(case((ActivitySignup.attended.is_(True), 1), else_=0)),
        )
        .join(ActivitySignup, ActivitySignup.activity_id == Activity.id)
        .where(
            Activity.initiative_id == initiative_id,
            Activity.status == ActivityStatus.PLANNED,
            Activity.review_state == ReviewState.APPROVED,
            confirmed,
            ActivitySignup.occurs_on <= today,
            ActivitySignup.occurs_on >= today - timedelta(days=LOOKBACK_DAYS),
        )
        .group_by(Activity.id, ActivitySignup.occurs_on)
        .order_by(ActivitySignup.occurs_on.desc(), Activity.id)
    )
    return [
        PastDate(activity, day, int(total), int(recorded or 0), int(came or 0))
        for activity, day, total, recorded, came in db.session.execute(query)
    ]


def participants(activity_id: int, day: date) -> list[ActivitySignup]:
    """The confirmed participants of one date, in the order they signed up."""
    query = (
        select(ActivitySignup)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.occurs_on == day,
            ActivitySignup.status == SignupStatus.CONFIRMED,
        )
        .order_by(ActivitySignup.signed_up_at, ActivitySignup.id)
    )
    return list(db.session.execute(query).scalars())


def attendance_record(
    *, activity: Activity, day: date, present_ids: set[int], actor, today: date, now: datetime
) -> int:
    """Store who came: every confirmed participant of the date is marked present (their
    sign-up id in `present_ids`) or absent. Ids of other sign-ups are ignored. Returns how
    many came."""
    if not can_record(activity, day, today=today):
        raise AttendanceError(N_("Voor deze datum kunt u (nog) geen aanwezigheid invullen."))
    came = 0
    for signup in participants(activity.id, day):
        signup.attended = signup.id in present_ids
        came += signup.attended
    audit_log.record(
        actor=actor,
        action=ACTION,
        initiative_id=activity.initiative_id,
        subject_type="activity",
        subject_id=activity.id,
        details={"date": day.isoformat(), "attended": came},
        now=now,
    )
    db.session.commit()
    return came
