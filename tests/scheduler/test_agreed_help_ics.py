"""The confirmation of agreed help carries a valid calendar file, without the address."""

import re
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.mail.ics import CalendarEvent, calendar_file, escape_text, fold
from buurthulp.matching import services
from buurthulp.matching.models import Invitation
from tests.scheduler.conftest import (
    ANNA_HOUSE,
    ANNA_PHONE,
    ANNA_POSTCODE,
    ANNA_STREET,
    NOW,
    body_of,
    wait_for_mail,
)


def accept(app, make, people, **when):
    request = make.help_request(
        requester=people.anna, initiative=people.initiative, title="Naar de huisarts", **when
    )
    with app.app_context():
        invitation = Invitation(request_id=request.id, volunteer_id=people.bert.id)
        db.session.add(invitation)
        db.session.commit()
        services.invitation_accept(
            invitation_id=invitation.id, volunteer_id=people.bert.id, now=NOW
        )
    return request


def calendar_parts(message) -> list:
    return [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]


def unfolded(ics: str) -> dict:
    lines = ics.replace("\r\n ", "").split("\r\n")
    return {line.split(":", 1)[0]: line.split(":", 1)[1] for line in lines if ":" in line}


def test_matched_mail_has_a_valid_ics(app, make, people, smtp_server):
    request = accept(
        app, make, people, on_date=date(2026, 7, 14), time_from=time(10, 0), time_until=time(11, 30)
    )
    (message,) = wait_for_mail(smtp_server, 1)
    assert message["To"] == "anna@example.nl"
    assert "Bert J." in body_of(message)
    (part,) = calendar_parts(message)
    assert part.get_filename() == "buurthulp-afspraak.ics"
    raw = part.get_payload(decode=True)
    ics = raw.decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith(
        "END:VCALENDAR\r\n"
    )
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert "\n" not in ics.replace("\r\n", "")
    fields = unfolded(ics)
    # Summer time: 10:00 local is 08:00 UTC, and the file says local time with its zone.
    assert fields["DTSTART;TZID=Europe/Amsterdam"] == "20260714T100000"
    assert fields["DTEND;TZID=Europe/Amsterdam"] == "20260714T113000"
    assert "TZID" in fields and fields["TZID"] == "Europe/Amsterdam"
    assert fields["UID"] == f"request-{request.id}-volunteer-{people.bert.id}@buurthulp"
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])
    assert fields["SUMMARY"] == "Buurthulp: Naar de huisarts"
    assert fields["URL"].endswith(f"/hulpvragen/{request.id}")
    assert "LOCATION" not in ics
    for private in (ANNA_STREET, ANNA_HOUSE, ANNA_POSTCODE, ANNA_PHONE, "Verhoeven", "Jansen"):
        assert private not in ics
    assert ics.count("BEGIN:VEVENT") == 1 and ics.count("END:VEVENT") == 1
    assert ics.count("BEGIN:") == ics.count("END:")
    # An independent RFC 5545 parser reads the same moment, in Dutch summer time.
    calendar = icalendar.Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.astimezone(UTC) == datetime(2026, 7, 14, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(event["UID"]) == fields["UID"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_uid_is_stable_and_dtstamp_is_the_only_difference(ctx, people):
    from buurthulp.mail.agreed_help import agreed_help_attachment

    request = HelpRequest(
        id=41, title="Tuin", on_date=date(2026, 12, 1), time_from=time(9), time_until=time(10)
    )
    bert = db.session.get(type(people.bert), people.bert.id)
    first = agreed_help_attachment(request, bert).data.decode()
    second = agreed_help_attachment(request, bert).data.decode()
    strip = lambda ics: re.sub(r"DTSTAMP:\S+", "", ics)  # noqa: E731
    assert strip(first) == strip(second)
    assert "UID:request-41-volunteer-" in first
    assert "DTSTART;TZID=Europe/Amsterdam:20261201T090000" in first  # winter time


def test_flexible_request_gets_no_calendar_file(app, make, people, smtp_server):
    accept(app, make, people, flexible_days=5)
    (message,) = wait_for_mail(smtp_server, 1)
    assert calendar_parts(message) == []


def test_text_is_escaped_and_long_lines_folded():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    event = CalendarEvent(
        uid="u@x",
        day=date(2026, 1, 2),
        start=time(8),
        end=time(9),
        summary="Hulp, bij; tuin",
        description="x",
        url="http://localhost/",
        stamp=NOW,
    )
    assert b"SUMMARY:Hulp\\, bij\\; tuin\r\n" in calendar_file(event)
