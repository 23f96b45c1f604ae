"""An initiative's agenda as an iCalendar (RFC 5545) feed that calendars can subscribe to.

One VEVENT per activity: a weekly one carries RRULE:FREQ=WEEKLY (with UNTIL in UTC when it
has a last date, as RFC 5545 requires for a DTSTART with TZID). Times are Dutch wall-clock
times with TZID=Europe/Amsterdam and its VTIMEZONE (shared with buurthulp/mail/ics.py).
The UID is the activity's, so a calendar keeps one event however often it refreshes; a
cancelled activity stays in the feed with STATUS:CANCELLED so calendars drop it. The venue
is public (a buurthuis, never a private address); participants never appear.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from buurthulp.activities.models import Activity, ActivityStatus
from buurthulp.listings.clock import TIMEZONE
from buurthulp.mail.ics import PRODID, TZID, VTIMEZONE, escape_text, fold


@dataclass(frozen=True, slots=True)
class FeedTexts:
    """What the feed says, already in the reader's language (the views translate it)."""

    calendar_name: str
    describe: Callable[[Activity], str]  # the DESCRIPTION of one activity
    link: Callable[[Activity], str]  # an absolute URL for the activity


def _local(day: date, moment: time) -> str:
    return datetime.combine(day, moment).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def activity_uid(activity: Activity, host: str) -> str:
    return f"activity-{activity.id}@{host}"


def _recurrence(activity: Activity) -> list[str]:
    if not activity.weekly:
        return []
    if activity.ends_on is None:
        return ["RRULE:FREQ=WEEKLY"]
    last_start = datetime.combine(activity.ends_on, activity.start_time, tzinfo=TIMEZONE)
    return [f"RRULE:FREQ=WEEKLY;UNTIL={_utc(last_start)}"]


def _location(activity: Activity) -> str:
    parts = [activity.venue_name, activity.venue_street, activity.place]
    return ", ".join(p for p in parts if p)


def event_lines(activity: Activity, texts: FeedTexts, *, host: str, stamp: datetime) -> list:
    """The VEVENT of one activity, as unfolded content lines."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{activity_uid(activity, host)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(activity.updated_at)}",
        f"DTSTART;TZID={TZID}:{_local(activity.starts_on, activity.start_time)}",
    ]
    if activity.end_time is not None and activity.end_time > activity.start_time:
        lines.append(f"DTEND;TZID={TZID}:{_local(activity.starts_on, activity.end_time)}")
    lines += _recurrence(activity)
    lines += [
        f"SUMMARY:{escape_text(activity.title)}",
        f"LOCATION:{escape_text(_location(activity))}",
        f"DESCRIPTION:{escape_text(texts.describe(activity))}",
        f"URL:{texts.link(activity)}",
    ]
    if activity.status == ActivityStatus.CANCELLED:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return lines


def agenda_feed(activities: list[Activity], texts: FeedTexts, *, host: str, stamp: datetime):
    """The whole feed as bytes: CRLF line endings, lines folded at 75 octets, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(texts.calendar_name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for activity in activities:
        lines += event_lines(activity, texts, host=host, stamp=stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
