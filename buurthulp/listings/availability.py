"""Weekly availability as a 21-bit mask: 7 days x 3 parts of the day.

Bit `day * 3 + part` is set when the volunteer is free in that part of that
day (day 0 = Monday, part 0 = ochtend). A mask makes the overlap test one AND.
"""

from datetime import time

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
PARTS = ("ochtend", "middag", "avond")
# Hours covered by each part of the day: [start, end).
PART_HOURS = ((8, 12), (12, 17), (17, 21))
FULL_WEEK = (1 << (len(DAYS) * len(PARTS))) - 1


def slot_bit(day: int, part: int) -> int:
    if not (0 <= day < len(DAYS) and 0 <= part < len(PARTS)):
        raise ValueError(f"no such slot: day {day}, part {part}")
    return 1 << (day * len(PARTS) + part)


def mask_from_slots(slots: list[tuple[int, int]]) -> int:
    mask = 0
    for day, part in slots:
        mask |= slot_bit(day, part)
    return mask


def slots_from_mask(mask: int) -> list[tuple[int, int]]:
    return [
        (day, part)
        for day in range(len(DAYS))
        for part in range(len(PARTS))
        if mask & slot_bit(day, part)
    ]


def slot_key(day: int, part: int) -> str:
    """Form field value of one slot, e.g. 'ma-ochtend'."""
    return f"{DAYS[day]}-{PARTS[part]}"


def parse_slot_key(key: str) -> tuple[int, int]:
    day_code, _, part_name = key.partition("-")
    return DAYS.index(day_code), PARTS.index(part_name)


def parts_overlapping(start: time, end: time) -> list[int]:
    """The parts of the day that a time window [start, end) touches."""
    start_h = start.hour + start.minute / 60
    end_h = end.hour + end.minute / 60
    return [i for i, (a, b) in enumerate(PART_HOURS) if start_h < b and end_h > a]


def window_mask(weekday: int, start: time, end: time) -> int:
    """The mask of the slots a time window on one weekday touches."""
    return mask_from_slots([(weekday, part) for part in parts_overlapping(start, end)])
