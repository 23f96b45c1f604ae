"""The local date: "today" for a resident is the date in the Netherlands, not in UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(TIMEZONE).date()
