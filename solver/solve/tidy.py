"""Drop what no stage needs: columns lowered to their lower bound where that costs nothing.

A neighbourhood solved for stage i leaves every column that costs nothing in stage i wherever
HiGHS's search happened to put it: a presence indicator z[c,s] set to 1 for a site where the
nation has no unit keeps every row (x <= ub * z), and only the presence stage minimises it. On the
963k-column snapshot the shortfall stages' neighbourhoods left 98,835 presences where the plan
used about 9,000, and the presence stage's share (2 s) could not clean them up.

Lowering column j from x_j to its lower bound l_j changes stage k's value by c_kj (l_j - x_j), so
where

    c_kj >= 0 for every stage k     and     c_kj > 0 for some stage k >= i

it never worsens a stage (the earlier stages' holds keep) and improves stage i or a later one.
It is done wherever every row still holds: all candidates are lowered at once, and every
candidate in a row that then fails is put back, until no row fails. Only rows whose activity
changed count (a row the plan already breaks by a hair, within HiGHS's tolerance, is not the
lowering's doing), so each round puts back at least one candidate and it ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .highs import LexicographicSolver

TOLERANCE = 1e-6  # of a row, as `LexicographicSolver.keeps_rows` reads it


def lowered(solver: LexicographicSolver, x: np.ndarray, i: int) -> np.ndarray:
    """x with every column lowered that costs nothing to lower from stage i on (see above)."""
    mm = solver.mm
    costs = np.vstack(mm.costs)
    down = (
        np.all(costs >= 0, axis=0)
        & np.any(costs[i:] > 0, axis=0)
        & (x > solver.col_lower + TOLERANCE)
    )
    if not down.any():
        return x
    lower, upper = solver.row_bounds()
    activity = mm.a @ x
    while down.any():
        change = mm.a @ np.where(down, solver.col_lower - x, 0.0)
        after = activity + change
        breaks = (after < lower - TOLERANCE) | (after > upper + TOLERANCE)
        failing = np.flatnonzero(breaks & (change != 0))
        if not len(failing):
            break
        down[mm.a[failing].indices] = False
    if not down.any():
        return x
    tidied = np.where(down, solver.col_lower, x)
    return tidied if solver.keeps_rows(tidied) else x
