"""An iCalendar (RFC 5545) file for agreed help, to attach to the confirmation mail.

Times are local Dutch times (TZID=Europe/Amsterdam, with its VTIMEZONE), because the
request's day and window are Dutch wall-clock times. The event carries no location:
the address is on the match page for the two people involved, not in a file that gets
forwarded and synced to other services.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

TZID = "Europe/Amsterdam"
PRODID = "-//Buurthulp//Buurthulp//NL"
# Central European Time with summer time from the last Sunday of March to the last Sunday
# of October (EU rules since 1996).
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str  # stable: the same agreement always gives the same UID
    day: date
    start: time
    end: time
    summary: str
    description: str
    url: str
    stamp: datetime  # aware UTC: when the file was made


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, continuing lines with one space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    parts, limit = [], 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # the leading space counts
    parts.append(data.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(day: date, moment: time) -> str:
    return datetime.combine(day, moment).strftime("%Y%m%dT%H%M%S")


def calendar_file(event: CalendarEvent) -> bytes:
    """The .ics file for one event, CRLF line endings, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{event.stamp.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;TZID={TZID}:{_local(event.day, event.start)}",
        f"DTEND;TZID={TZID}:{_local(event.day, event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"URL:{event.url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
