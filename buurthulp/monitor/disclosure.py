"""Disclosure control for every published count (national monitor, open data). Pure.

The rules:
1. Primary suppression: a count from 1 to 4, a cell or a total, is not shown; it reads "<5".
2. Rounding: every other count is rounded to the nearest multiple of 5 (5-7 -> 5, 8-12 -> 10);
   totals are rounded from the true total, not summed from rounded cells.
3. Secondary suppression: a suppressed cell must not follow from the totals. We work on the
   table with its margins (row totals, column totals, grand total) and make sure that every
   suppressed cell lies on a rectangle of suppressed cells along which the values can shift
   by one while every row and column still adds up and every "<5" stays within 1-4. Then a
   second table exists that agrees with everything published, and the cell differs in it:
   nobody can recover it, even knowing the published cells exactly (before rounding).
   Extra cells are chosen as cheaply as possible (small inner cells before totals) and read
   "x" (CBS's sign for "geheim"). When no rectangle can move, the whole table reads "x".
"""

from dataclasses import dataclass
from itertools import product

PRIMARY = "<5"
SECONDARY = "x"
_SHOWN, _PRIMARY, _SECONDARY = 0, 1, 2
_MARGIN_COST = 10_000  # suppress a total only when no inner cell will do


def round5(count: int) -> int:
    return 5 * ((count + 2) // 5)


@dataclass(frozen=True, slots=True)
class Cell:
    """A published count: `value` (rounded) or, when suppressed, `mark` ("<5" or "x")."""

    value: int | None
    mark: str = ""

    def __str__(self) -> str:
        return self.mark or str(self.value)

    def json(self) -> int | str:
        return self.mark or self.value


@dataclass(frozen=True, slots=True)
class Table:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def _bounds(state: int) -> tuple[int, float]:
    """What someone who sees the table knows about a suppressed cell's true value."""
    return (1, 4) if state == _PRIMARY else (0, float("inf"))


def _shift_ok(grid, states, corners, signs) -> bool:
    for delta in (1, -1):
        if all(
            _bounds(states[i][j] or _SECONDARY)[0] <= grid[i][j] + delta * s
            and grid[i][j] + delta * s <= _bounds(states[i][j] or _SECONDARY)[1]
            for (i, j), s in zip(corners, signs, strict=True)
        ):
            return True
    return False


def _rectangle(i, j, k, m, last_row, last_col):
    """Corners of the rectangle rows i,k x columns j,m and the sign each moves with.

    Inner cells alternate; a margin cell moves with the cells it adds up, which flips the
    sign once for each margin index (a total row, a total column)."""
    corners = ((i, j), (i, m), (k, j), (k, m))
    base = (1, -1, -1, 1)
    signs = tuple(
        b * (-1 if r == last_row else 1) * (-1 if c == last_col else 1)
        for (r, c), b in zip(corners, base, strict=True)
    )
    return corners, signs


def _is_protected(grid, states, i, j) -> bool:
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    for k, m in product(range(len(grid)), range(len(grid[0]))):
        if k == i or m == j:
            continue
        corners, signs = _rectangle(i, j, k, m, last_row, last_col)
        if all(states[r][c] for r, c in corners) and _shift_ok(grid, states, corners, signs):
            return True
    return False


def _cost(grid, states, corners) -> int:
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    cost = 0
    for r, c in corners:
        if not states[r][c]:
            cost += grid[r][c] + 1 + _MARGIN_COST * ((r == last_row) + (c == last_col))
    return cost


def _protect(grid, states, i, j) -> bool:
    """Suppress the cheapest rectangle that protects cell (i, j); False if none exists."""
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    best = None
    for k, m in product(range(len(grid)), range(len(grid[0]))):
        if k == i or m == j:
            continue
        corners, signs = _rectangle(i, j, k, m, last_row, last_col)
        trial = [row[:] for row in states]
        for r, c in corners:
            trial[r][c] = trial[r][c] or _SECONDARY
        if _shift_ok(grid, trial, corners, signs):
            cost = _cost(grid, states, corners)
            if best is None or cost < best[0]:
                best = (cost, corners)
    if best is None:
        return False
    for r, c in best[1]:
        states[r][c] = states[r][c] or _SECONDARY
    return True


def suppression(grid: list[list[int]]) -> list[list[int]]:
    """States (0 shown, 1 primary, 2 secondary) for a table that includes its margins."""
    states = [[_PRIMARY if 1 <= v <= 4 else _SHOWN for v in row] for row in grid]
    # Protection only grows as cells are suppressed (nothing shown moves), so each cell is
    # checked until it is protected and then left alone.
    protected: set[tuple[int, int]] = set()
    while True:
        todo = None
        for i, row in enumerate(states):
            for j, state in enumerate(row):
                if not state or (i, j) in protected:
                    continue
                if _is_protected(grid, states, i, j):
                    protected.add((i, j))
                elif todo is None:
                    todo = (i, j)
        if todo is None:
            return states
        if not _protect(grid, states, *todo):
            # Nothing can move (say four 1s adding up to a "<5" total): hide the whole table;
            # with no bounds known, any cell can grow along with its totals.
            return [[_SECONDARY for _ in row] for row in states]


def _cell(value: int, state: int) -> Cell:
    if state == _PRIMARY:
        return Cell(None, PRIMARY)
    if state == _SECONDARY:
        return Cell(None, SECONDARY)
    return Cell(round5(value))


def with_margins(values: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in values]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


def protect_table(values: list[list[int]]) -> Table:
    """A table of counts (rows x columns, at least 1 x 1) made fit to publish, with totals."""
    if any(v < 0 for row in values for v in row):
        raise ValueError("counts cannot be negative")
    grid = with_margins(values)
    states = suppression(grid)
    cells = [
        [_cell(v, s) for v, s in zip(g, st, strict=True)]
        for g, st in zip(grid, states, strict=True)
    ]
    return Table(
        cells=[row[:-1] for row in cells[:-1]],
        row_totals=[row[-1] for row in cells[:-1]],
        column_totals=cells[-1][:-1],
        total=cells[-1][-1],
    )


def protect_counts(counts: dict) -> tuple[dict, Cell]:
    """A list of counts by key (a one-column table): the published cells and their total."""
    keys = list(counts)
    if not keys:
        return {}, Cell(0)
    table = protect_table([[counts[k]] for k in keys])
    return {k: row[0] for k, row in zip(keys, table.cells, strict=True)}, table.total
