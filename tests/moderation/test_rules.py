"""Moderation rules without Flask or a database."""

from datetime import UTC, datetime, timedelta

import pytest

from buurthulp.moderation import rules
from buurthulp.moderation.models import ModerationMode, ReviewState

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "mode,earlier,expected",
    [
        (ModerationMode.PRE, 0, ReviewState.PENDING),
        (ModerationMode.PRE, 5, ReviewState.PENDING),
        (ModerationMode.FIRST_POST, 0, ReviewState.PENDING),
        (ModerationMode.FIRST_POST, 1, ReviewState.APPROVED),
        (ModerationMode.POST, 0, ReviewState.UNREVIEWED),
        (ModerationMode.PEER, 0, ReviewState.APPROVED),
    ],
)
def test_review_state_for_new_post(mode, earlier, expected):
    assert rules.review_state_for_new_post(mode=mode, earlier_posts=earlier) == expected


def test_only_a_rejected_post_goes_back_to_the_queue_after_an_edit():
    assert rules.review_state_after_author_edit(ReviewState.REJECTED) == ReviewState.PENDING
    for state in (ReviewState.APPROVED, ReviewState.PENDING, ReviewState.HIDDEN):
        assert rules.review_state_after_author_edit(state) == state


def test_three_different_reporters_hide_a_visible_post():
    assert not rules.hidden_by_reports(state=ReviewState.APPROVED, reporters=2)
    assert rules.hidden_by_reports(state=ReviewState.APPROVED, reporters=3)
    assert rules.hidden_by_reports(state=ReviewState.UNREVIEWED, reporters=4)
    assert not rules.hidden_by_reports(state=ReviewState.PENDING, reporters=3)
    assert not rules.hidden_by_reports(state=ReviewState.REMOVED, reporters=9)


def test_reason_and_end_date_rules():
    assert rules.reason_error("  ") is not None
    assert rules.reason_error("x" * 1001) is not None
    assert rules.reason_error("Reclame") is None
    assert rules.suspension_end_error(ends_at=NOW, now=NOW) is not None
    assert rules.suspension_end_error(ends_at=NOW + timedelta(days=3000), now=NOW) is not None
    assert rules.suspension_end_error(ends_at=NOW + timedelta(days=7), now=NOW) is None


def test_a_suspension_ends_by_itself():
    ends = NOW + timedelta(days=7)
    kwargs = {"starts_at": NOW, "ends_at": ends, "lifted_at": None}
    assert rules.is_suspended(now=NOW, **kwargs)
    assert rules.is_suspended(now=ends - timedelta(seconds=1), **kwargs)
    assert not rules.is_suspended(now=ends, **kwargs)
    assert not rules.is_suspended(now=NOW, starts_at=NOW, ends_at=ends, lifted_at=NOW)
