from datetime import date

import pytest

from buurthulp.activities.occurrences import is_occurrence, next_occurrence, occurrences

TUESDAY = date(2026, 12, 1)


def test_one_off_activity_has_its_date_only_inside_the_range():
    kwargs = {"starts_on": TUESDAY, "weekly": False, "ends_on": None}
    assert occurrences(**kwargs, start=date(2026, 11, 30), end=date(2026, 12, 6)) == [TUESDAY]
    assert occurrences(**kwargs, start=date(2026, 12, 2), end=date(2026, 12, 9)) == []


def test_weekly_activity_repeats_on_its_weekday_until_it_ends():
    dates = occurrences(
        starts_on=TUESDAY,
        weekly=True,
        ends_on=date(2026, 12, 22),
        start=date(2026, 12, 3),
        end=date(2027, 1, 31),
    )
    assert dates == [date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22)]
    assert all(day.weekday() == TUESDAY.weekday() for day in dates)


def test_weekly_activity_does_not_happen_before_it_starts():
    dates = occurrences(
        starts_on=TUESDAY, weekly=True, ends_on=None, start=date(2026, 11, 1), end=TUESDAY
    )
    assert dates == [TUESDAY]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 12, 8), True), (date(2026, 12, 9), False), (date(2026, 11, 24), False)],
)
def test_is_occurrence(day, expected):
    assert is_occurrence(starts_on=TUESDAY, weekly=True, ends_on=None, day=day) is expected


def test_next_occurrence_of_weekly_and_finished_activities():
    assert next_occurrence(
        starts_on=TUESDAY, weekly=True, ends_on=None, today=date(2026, 12, 2)
    ) == date(2026, 12, 8)
    assert (
        next_occurrence(starts_on=TUESDAY, weekly=True, ends_on=TUESDAY, today=date(2026, 12, 2))
        is None
    )
    assert (
        next_occurrence(starts_on=TUESDAY, weekly=False, ends_on=None, today=date(2026, 11, 2))
        == TUESDAY
    )
