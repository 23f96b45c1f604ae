"""ISO weeks in URLs (?week=2026-W49): parsing never fails, it falls back to this week."""

import re
from datetime import date, timedelta

WEEK_PATTERN = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
# How far the week view can be moved from this week, either way.
MAX_WEEKS_AWAY = 104


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(text: str | None, *, today: date) -> date:
    """The Monday of an ISO week written as 2026-W49; this week's Monday for anything else
    (garbage, week 53 of a year without one, or more than MAX_WEEKS_AWAY from today)."""
    this_week = monday_of(today)
    found = WEEK_PATTERN.fullmatch((text or "").strip()[:20])
    if found is None:
        return this_week
    try:
        monday = date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
    except ValueError:
        return this_week
    if abs((monday - this_week).days) > MAX_WEEKS_AWAY * 7:
        return this_week
    return monday


def week_label(monday: date) -> str:
    """2026-W49: the week's value for a URL."""
    year, week, _ = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"
