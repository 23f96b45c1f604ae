"""Disclosure control: no 1-4 shown, counts rounded to 5, and no suppressed cell can be
recovered from the totals, checked by an attacker who knows every published cell exactly."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurthulp.monitor.disclosure import (
    PRIMARY,
    SECONDARY,
    Cell,
    protect_counts,
    protect_table,
    round5,
    with_margins,
)

small_counts = st.one_of(st.integers(0, 4), st.integers(0, 12))
tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(small_counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


def published_grid(table) -> list[list[Cell]]:
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.total]]


def lines(n_rows, n_cols):
    """Each equation of a table with margins: (cells that add up, the total cell)."""
    for i in range(n_rows):
        yield [(i, j) for j in range(n_cols - 1)], (i, n_cols - 1)
    for j in range(n_cols):
        yield [(i, j) for i in range(n_rows - 1)], (n_rows - 1, j)


def consistent_table_exists(grid, shown, fixed: dict, limit: int) -> bool:
    """Is there a table that agrees with every shown cell, keeps "<5" cells in 1-4, and has the
    `fixed` values? Depth-first search with propagation of the row and column equations."""
    n_rows, n_cols = len(grid), len(grid[0])
    bounds = {}
    for i in range(n_rows):
        for j in range(n_cols):
            mark = shown[i][j].mark
            if mark == PRIMARY:
                bounds[(i, j)] = (1, 4)
            elif mark == SECONDARY:
                bounds[(i, j)] = (0, limit)
    known = {
        (i, j): grid[i][j] for i in range(n_rows) for j in range(n_cols) if not shown[i][j].mark
    }
    equations = list(lines(n_rows, n_cols))

    def solve(values: dict) -> bool:
        values = dict(values)
        changed = True
        while changed:
            changed = False
            for parts, total in equations:
                cells = [*parts, total]
                missing = [c for c in cells if c not in values]
                if len(missing) == 0:
                    if sum(values[c] for c in parts) != values[total]:
                        return False
                elif len(missing) == 1:
                    (cell,) = missing
                    rest = sum(values[c] for c in parts if c != cell)
                    value = values[total] - rest if cell != total else rest
                    if not bounds[cell][0] <= value <= bounds[cell][1]:
                        return False
                    values[cell] = value
                    changed = True
        free = [c for c in bounds if c not in values]
        if not free:
            return True
        cell = free[0]
        low, high = bounds[cell]
        return any(solve({**values, cell: v}) for v in range(low, min(high, limit) + 1))

    for cell, value in fixed.items():
        low, high = bounds[cell]
        if not low <= value <= high:
            return False
    return solve({**known, **fixed})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_suppressed_cell_follows_from_the_totals(values):
    table = protect_table(values)
    grid = with_margins(values)
    shown = published_grid(table)
    limit = max(max(row) for row in grid) + 2
    for i, row in enumerate(shown):
        for j, cell in enumerate(row):
            if cell.mark:
                true = grid[i][j]
                assert consistent_table_exists(grid, shown, {(i, j): true}, limit)  # sanity
                assert any(
                    consistent_table_exists(grid, shown, {(i, j): other}, limit)
                    for other in (true - 1, true + 1)
                    if other >= 0
                ), (values, i, j)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 400), min_size=4, max_size=4), min_size=1, max_size=6))
def test_no_published_count_is_one_to_four_and_all_are_rounded(values):
    table = protect_table(values)
    grid = with_margins(values)
    for true_row, shown_row in zip(grid, published_grid(table), strict=True):
        for true, cell in zip(true_row, shown_row, strict=True):
            if cell.mark == PRIMARY:
                assert 1 <= true <= 4
            elif cell.mark == SECONDARY:
                assert cell.value is None
            else:
                assert not 1 <= true <= 4, f"{true} shown as {cell}"
                assert cell.value % 5 == 0 and not 1 <= cell.value <= 4
                assert abs(cell.value - true) <= 2


@settings(max_examples=200, deadline=None)
@given(tables)
def test_each_line_with_a_suppressed_cell_has_another(values):
    shown = published_grid(protect_table(values))
    for parts, total in lines(len(shown), len(shown[0])):
        marked = [c for c in (*parts, total) if shown[c[0]][c[1]].mark]
        assert len(marked) != 1


def test_rounding_to_five():
    assert [round5(n) for n in (0, 5, 7, 8, 12, 13, 102)] == [0, 5, 5, 10, 10, 15, 100]


def test_a_single_small_count_gets_a_partner():
    counts, total = protect_counts({"Utrecht": 40, "Zeeland": 3, "Drenthe": 12})
    assert str(counts["Zeeland"]) == "<5"
    # Otherwise 55 - 40 - 12 would give Zeeland away; Drenthe, the smallest, hides instead.
    assert str(counts["Drenthe"]) == "x" and counts["Utrecht"].value == 40
    assert total.value == 55


def test_zero_and_large_counts_are_shown():
    counts, total = protect_counts({"a": 0, "b": 23})
    assert (counts["a"].value, counts["b"].value, total.value) == (0, 25, 25)


def test_a_table_that_cannot_move_is_hidden_whole():
    table = protect_table([[1], [1], [1], [1]])
    assert {str(c) for c in published_grid(table)[0] + published_grid(table)[-1]} == {"x"}
