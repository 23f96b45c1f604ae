"""The rules behind the request and offer forms, as pure functions."""

from datetime import date, time, timedelta

import pytest

from buurthulp.listings.availability import FULL_WEEK, slot_bit
from buurthulp.listings.models import Category
from buurthulp.listings.rules import OfferFields, offer_errors, request_when_errors, text_errors

TODAY = date(2026, 3, 10)


def when(**given):
    values = {"on_date": None, "time_from": None, "time_until": None, "flexible_days": None}
    values.update(given)
    return request_when_errors(today=TODAY, **values)


def test_fixed_day_ok():
    assert when(on_date=TODAY, time_from=time(10), time_until=time(12)) == {}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"on_date": None, "time_from": time(10), "time_until": time(12)}, "on_date"),
        (
            {"on_date": TODAY - timedelta(days=1), "time_from": time(10), "time_until": time(12)},
            "on_date",
        ),
        (
            {"on_date": TODAY + timedelta(days=366), "time_from": time(10), "time_until": time(12)},
            "on_date",
        ),
        ({"on_date": TODAY, "time_from": None, "time_until": time(12)}, "time_from"),
        ({"on_date": TODAY, "time_from": time(10), "time_until": None}, "time_until"),
        ({"on_date": TODAY, "time_from": time(12), "time_until": time(12)}, "time_until"),
        ({"on_date": TODAY, "time_from": time(14), "time_until": time(9)}, "time_until"),
    ],
)
def test_fixed_day_errors(given, field):
    assert list(when(**given)) == [field]


@pytest.mark.parametrize("days", [1, 7, 60])
def test_flexible_ok(days):
    assert when(flexible_days=days) == {}


@pytest.mark.parametrize("days", [0, -3, 61, 10**9])
def test_flexible_out_of_range(days):
    assert list(when(flexible_days=days)) == ["flexible_days"]


def test_both_fixed_and_flexible_is_refused():
    assert list(when(on_date=TODAY, flexible_days=3)) == [""]


def test_an_edit_may_keep_a_date_that_has_passed():
    old = TODAY - timedelta(days=3)
    errors = request_when_errors(
        on_date=old,
        time_from=time(9),
        time_until=time(10),
        flexible_days=None,
        today=TODAY,
        previous_date=old,
    )
    assert errors == {}


@pytest.mark.parametrize(
    ("title", "description", "fields"),
    [
        ("", "", ["title"]),
        ("   ", "", ["title"]),
        ("x" * 121, "", ["title"]),
        ("ok", "y" * 2001, ["description"]),
        ("a\x00b", "c\x07", ["title", "description"]),
        ("Zoë 🚲 中文", "regel 1\nregel 2\ttab", []),
    ],
)
def test_text_errors(title, description, fields):
    assert sorted(text_errors(title=title, description=description)) == sorted(fields)


def offer(**changes):
    values = {
        "title": "Boodschappen",
        "description": "",
        "categories": (Category.GROCERIES,),
        "availability": slot_bit(0, 0),
        "max_distance_km": 2.0,
        "paused_until": None,
    }
    values.update(changes)
    return OfferFields(**values)


def test_offer_ok():
    assert offer_errors(fields=offer(), today=TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": ()}, "categories"),
        ({"availability": 0}, "availability"),
        ({"availability": FULL_WEEK + 1}, "availability"),
        ({"max_distance_km": 3.0}, "max_distance_km"),
        ({"max_distance_km": 0.0}, "max_distance_km"),
        ({"paused_until": TODAY - timedelta(days=1)}, "paused_until"),
        ({"paused_until": TODAY + timedelta(days=400)}, "paused_until"),
    ],
)
def test_offer_errors(changes, field):
    assert list(offer_errors(fields=offer(**changes), today=TODAY)) == [field]


def test_offer_edit_may_keep_old_pause_and_distance():
    old = TODAY - timedelta(days=2)
    fields = offer(paused_until=old, max_distance_km=3.0)
    errors = offer_errors(fields=fields, today=TODAY, previous_paused=old, previous_distance=3.0)
    assert errors == {}


def test_messages_are_dutch(rctx):
    errors = when(on_date=TODAY - timedelta(days=1), time_from=time(12), time_until=time(11))
    assert str(errors["on_date"]) == "Deze datum is al voorbij. Kies vandaag of een latere dag."
    assert str(errors["time_until"]) == "De eindtijd moet na de begintijd liggen."
    assert "60" in str(when(flexible_days=0)["flexible_days"])
