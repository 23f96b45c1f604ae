"""Who should a contact person call first: a pure ranking, no Flask, no database."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Candidate:
    """A resident as the ranking sees them.

    `key` identifies them for the caller (("member", id) or ("proxy", id)); `lives_alone`
    is None when nobody noted it; `asked` means an open request, or one posted recently;
    `signed_up` a sign-up for a recent or coming activity; `last_contact` the date of the
    latest check-in (None: never).
    """

    key: tuple[str, int]
    name: str
    lives_alone: bool | None = None
    asked: bool = False
    signed_up: bool = False
    last_contact: date | None = None


def not_contacted_since(candidate: Candidate, *, today: date, weeks: int) -> bool:
    """No check-in in the last `weeks` weeks (today included)."""
    if candidate.last_contact is None:
        return True
    return candidate.last_contact <= today - timedelta(weeks=weeks)


def isolation_key(candidate: Candidate, *, today: date) -> tuple:
    """The sort key: most isolated first.

    In this order, each rule deciding only between residents equal on the ones before:
    1. lives alone (noted) before not noted or not alone;
    2. no open or recent request before someone who asked;
    3. no activity sign-up before someone who signed up;
    4. the longest since the last contact first; never contacted counts as longest;
    5. tie-break: name, then key, so the list is stable from one load to the next.
    """
    days = (today - candidate.last_contact).days if candidate.last_contact else None
    never = days is None
    return (
        candidate.lives_alone is not True,
        candidate.asked,
        candidate.signed_up,
        not never,
        -(days or 0),
        candidate.name.casefold(),
        candidate.key,
    )


def rank_not_contacted(candidates: list[Candidate], *, today: date, weeks: int) -> list[Candidate]:
    """The residents without a check-in for `weeks` weeks, most isolated first
    (see isolation_key)."""
    due = [c for c in candidates if not_contacted_since(c, today=today, weeks=weeks)]
    return sorted(due, key=lambda c: isolation_key(c, today=today))
