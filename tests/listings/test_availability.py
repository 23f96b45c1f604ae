from datetime import time

import pytest

from buurthulp.listings.availability import (
    FULL_WEEK,
    mask_from_slots,
    parse_slot_key,
    parts_overlapping,
    slot_key,
    slots_from_mask,
    window_mask,
)


def test_mask_round_trip():
    slots = [(0, 0), (2, 1), (6, 2)]
    assert slots_from_mask(mask_from_slots(slots)) == slots
    assert len(slots_from_mask(FULL_WEEK)) == 21


def test_slot_key_round_trip():
    assert slot_key(4, 2) == "vr-avond"
    assert parse_slot_key("vr-avond") == (4, 2)


@pytest.mark.parametrize(
    ("start", "end", "parts"),
    [
        (time(9), time(11), [0]),
        (time(11), time(13), [0, 1]),
        (time(12), time(17), [1]),
        (time(16, 30), time(19), [1, 2]),
        (time(21), time(22), []),
    ],
)
def test_parts_overlapping(start, end, parts):
    assert parts_overlapping(start, end) == parts


def test_window_mask_overlaps_availability():
    wednesday_afternoon = window_mask(2, time(14), time(15))
    assert wednesday_afternoon & mask_from_slots([(2, 1)])
    assert not wednesday_afternoon & mask_from_slots([(2, 0), (3, 1)])


def test_invalid_slot_is_refused():
    with pytest.raises(ValueError):
        mask_from_slots([(7, 0)])
