"""The isolation ranking: a pure function, its rules one by one."""

from datetime import date, timedelta

from buurthulp.outreach.ranking import Candidate, isolation_key, rank_not_contacted

TODAY = date(2026, 11, 23)


def c(n: int, name: str = "", **fields) -> Candidate:
    return Candidate(key=("member", n), name=name or f"Bewoner {n:03d}", **fields)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def ranked(*candidates, weeks: int = 6) -> list[int]:
    return [x.key[1] for x in rank_not_contacted(list(candidates), today=TODAY, weeks=weeks)]


def test_only_residents_not_contacted_for_the_chosen_weeks():
    recent, edge, old, never = (
        c(1, last_contact=ago(41)),
        c(2, last_contact=ago(42)),
        c(3, last_contact=ago(100)),
        c(4),
    )
    assert sorted(ranked(recent, edge, old, never)) == [2, 3, 4]
    assert sorted(ranked(recent, edge, old, never, weeks=1)) == [1, 2, 3, 4]
    assert ranked(recent, edge, old, weeks=52) == []


def test_lives_alone_comes_first_whatever_the_rest():
    alone = c(1, lives_alone=True, asked=True, signed_up=True, last_contact=ago(50))
    together = c(2, lives_alone=False, last_contact=ago(400))
    unknown = c(3)
    assert ranked(together, unknown, alone)[0] == 1


def test_then_no_request_then_no_sign_up():
    asked = c(1, asked=True)
    signed = c(2, signed_up=True)
    both = c(3, asked=True, signed_up=True)
    neither = c(4, last_contact=ago(60))
    assert ranked(both, signed, asked, neither) == [4, 2, 1, 3]


def test_then_longest_since_last_contact_and_never_is_longest():
    assert ranked(c(1, last_contact=ago(50)), c(2, last_contact=ago(300)), c(3)) == [3, 2, 1]


def test_ties_are_broken_by_name_then_key():
    assert ranked(c(2, "Bep"), c(1, "bep"), c(3, "Anna")) == [3, 1, 2]
    # The key is stable: the same input in another order gives the same list.
    people = [c(n, lives_alone=n % 2 == 0, asked=n % 3 == 0) for n in range(30)]
    assert ranked(*people) == ranked(*reversed(people))


def test_key_orders_lives_alone_unknown_like_not_alone():
    assert isolation_key(c(1, lives_alone=None), today=TODAY)[0] is True
    assert isolation_key(c(1, lives_alone=False), today=TODAY)[0] is True
    assert isolation_key(c(1, lives_alone=True), today=TODAY)[0] is False
