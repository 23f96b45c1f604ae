"""The dates an activity takes place: pure, no database."""

from datetime import date, timedelta

WEEK = timedelta(days=7)


def occurrences(
    *, starts_on: date, weekly: bool, ends_on: date | None, start: date, end: date
) -> list[date]:
    """The activity's dates from `start` to `end` inclusive, in order.

    A one-off activity happens on `starts_on`; a weekly one on the same weekday every week
    from `starts_on` up to and including `ends_on` (open-ended when None).
    """
    if end < start:
        return []
    if not weekly:
        return [starts_on] if start <= starts_on <= end else []
    last = end if ends_on is None else min(end, ends_on)
    first = starts_on
    if start > starts_on:
        weeks_ahead = -(-(start - starts_on).days // 7)  # ceil: the first date on or after start
        first = starts_on + weeks_ahead * WEEK
    dates = []
    day = first
    while day <= last:
        dates.append(day)
        day += WEEK
    return dates


def is_occurrence(*, starts_on: date, weekly: bool, ends_on: date | None, day: date) -> bool:
    """Whether the activity takes place on `day` (a sign-up for another day is refused)."""
    return occurrences(starts_on=starts_on, weekly=weekly, ends_on=ends_on, start=day, end=day) == [
        day
    ]


def next_occurrence(
    *, starts_on: date, weekly: bool, ends_on: date | None, today: date
) -> date | None:
    """The first date on or after `today`, or None when the activity is over."""
    horizon = today + WEEK if weekly else max(today, starts_on)
    dates = occurrences(
        starts_on=starts_on, weekly=weekly, ends_on=ends_on, start=today, end=horizon
    )
    return dates[0] if dates else None
