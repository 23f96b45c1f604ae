"""Remind participants, the day before, of an activity they signed up for.

Every confirmed participant with an account gets a reminder (mail and in-app). For a
sign-up by phone (a phone-intake resident, or a member a contact person signed up) the
contact person who did it gets one reminder per activity date listing their residents, so
they can phone them. Once per person, activity and date: a delivery key is claimed before
sending (buurthulp.scheduler.deliveries), so a second run, or a run after a kill halfway,
sends only what was not sent yet. `reminded_at` marks a sign-up whose reminders are done.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select, update

from buurthulp.accounts.models import User
from buurthulp.activities.links import activity_link
from buurthulp.activities.models import Activity, ActivitySignup, ActivityStatus, SignupStatus
from buurthulp.activities.occurrences import is_occurrence
from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.matching import notify
from buurthulp.moderation.models import ReviewState
from buurthulp.residents.models import ProxyResident
from buurthulp.scheduler.deliveries import delivery

JOB_ID = "remind_activities"


def signups_tomorrow(now: datetime) -> list[tuple[ActivitySignup, Activity]]:
    """Confirmed sign-ups not yet reminded for tomorrow's (Dutch date) planned activities."""
    tomorrow = now.astimezone(TIMEZONE).date() + timedelta(days=1)
    query = (
        select(ActivitySignup, Activity)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(
            ActivitySignup.occurs_on == tomorrow,
            ActivitySignup.status == SignupStatus.CONFIRMED,
            ActivitySignup.reminded_at.is_(None),
            Activity.status == ActivityStatus.PLANNED,
            Activity.review_state == ReviewState.APPROVED,
        )
        .order_by(Activity.id, ActivitySignup.id)
    )
    rows = [(row[0], row[1]) for row in db.session.execute(query)]
    return [
        (signup, activity)
        for signup, activity in rows
        if is_occurrence(
            starts_on=activity.starts_on,
            weekly=activity.weekly,
            ends_on=activity.ends_on,
            day=signup.occurs_on,
        )
    ]


def _when(activity: Activity, day: date) -> str:
    return _(
        "%(day)s om %(time)s uur",
        day=format_date(day, "EEEE d MMMM"),
        time=activity.start_time.strftime("%H:%M"),
    )


def _compose_participant(activity: Activity, day: date) -> tuple[str, str]:
    return (
        _("Morgen: %(title)s", title=activity.title),
        _(
            "Dit is een herinnering: u bent aangemeld voor %(title)s, morgen, %(when)s, in "
            "%(venue)s (%(street)s, %(place)s). Kunt u toch niet? Meld u dan af, dan krijgt "
            "iemand van de wachtlijst uw plaats: %(link)s",
            title=activity.title,
            when=_when(activity, day),
            venue=activity.venue_name,
            street=activity.venue_street,
            place=activity.place,
            link=activity_link(activity),
        ),
    )


def _compose_contact(activity: Activity, day: date, names: list[str]) -> tuple[str, str]:
    return (
        _("Morgen: %(title)s (telefonisch aangemeld)", title=activity.title),
        _(
            "U hebt %(names)s telefonisch aangemeld voor %(title)s, morgen, %(when)s, in "
            "%(venue)s. Wilt u hen even bellen om eraan te herinneren? %(link)s",
            names=", ".join(names),
            title=activity.title,
            when=_when(activity, day),
            venue=activity.venue_name,
            link=activity_link(activity),
        ),
    )


def _contact_person(signup: ActivitySignup) -> tuple[User | None, str]:
    """Who signed this participant up by phone, and the participant's name for them."""
    contact_id = signup.signed_up_by_id
    name = ""
    if signup.proxy_resident_id is not None:
        resident = db.session.get(ProxyResident, signup.proxy_resident_id)
        if resident is not None:
            name = resident.full_name
            contact_id = contact_id or resident.consent_by_id
    elif signup.user is not None:
        name = signup.user.full_name
    if contact_id is None or contact_id == signup.user_id:
        return None, name
    return db.session.get(User, contact_id), name


def _remind(user: User, key: str, activity_id: int, compose) -> int:
    with delivery(job_id=JOB_ID, key=key, user_id=user.id) as ours:
        if ours:
            notify.notify_in_locale(
                user, compose, "activity_reminder", {"activity_id": activity_id}
            )
    return int(ours)


def job(now: datetime) -> dict:
    """One reminder per participant and per contact person, activity and date, ever."""
    sent = 0
    contacts: dict[tuple[int, date, int], list] = defaultdict(list)
    done: list[int] = []
    found = signups_tomorrow(now)
    for signup, activity in found:
        base = f"activity-{activity.id}-{signup.occurs_on.isoformat()}"
        if signup.user is not None:
            sent += _remind(
                signup.user,
                f"{base}-user-{signup.user_id}",
                activity.id,
                lambda a=activity, d=signup.occurs_on: _compose_participant(a, d),
            )
        contact, name = _contact_person(signup)
        if contact is not None:
            contacts[(activity.id, signup.occurs_on, contact.id)].append((signup, name))
        else:
            done.append(signup.id)
    activities = {activity.id: activity for _signup, activity in found}
    for (activity_id, day, contact_id), entries in contacts.items():
        names = sorted(name for _signup, name in entries if name)
        base = f"activity-{activity_id}-{day.isoformat()}-contact-{contact_id}"
        contact = db.session.get(User, contact_id)
        activity = activities[activity_id]
        sent += _remind(
            contact, base, activity_id, lambda a=activity, d=day, n=names: _compose_contact(a, d, n)
        )
        done += [signup.id for signup, _name in entries]
    _mark_reminded(done, now)
    return {"reminders": sent, "sign_ups": len(found)}


def _mark_reminded(signup_ids: list[int], now: datetime) -> None:
    if signup_ids:
        db.session.execute(
            update(ActivitySignup)
            .where(ActivitySignup.id.in_(signup_ids), ActivitySignup.reminded_at.is_(None))
            .values(reminded_at=now)
        )
        db.session.commit()
