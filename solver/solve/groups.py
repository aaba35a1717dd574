"""The groups of columns fix-and-optimise frees one at a time (solve/polish.py), in levels.

Each level labels every allocation column (x, and a timed model's arrivals) with a group, -1 for
the rest (shortfall, presence and caveat columns: freed with any group whose rows they share,
solve/submodel.py). The levels, in the order they are tried (a timed model's windows first; a
snapshot has the last two only):

| level              | one group                                 | what it can change             |
|---|---|---|
| capability, window | one capability within WINDOW_MONTHS       | half a year of rotations       |
|                    | (timed models; a second partition is      | re-planned across the nations, |
|                    | staggered by half a window)               | windows overlapping            |
| window             | every capability within WINDOW_MONTHS     | several capabilities' tours    |
|                    | (timed models; windows of at most         | re-timed together              |
|                    | WIDE_MAX_COLUMNS; staggered as above;     |                                |
|                    | freed at the shortfall stages only (from  |                                |
|                    | polish.LNS_MIN_COLUMNS), in a polish of   |                                |
|                    | polish.WIDE_MIN_SECONDS)                  |                                |
| capability         | every option of one capability            | two nations' units swap lines  |
| pledge             | one nation's one capability               | what a capability too large    |
|                    |                                           | to finish in its share leaves  |

Why windows of 6 months, and first. A polish stays in its first level while a pass over it
improves (polish.polish), and on the generated 40 x 40 x 20 case over 36 months a capability's
neighbourhood (9-18k columns with its shortfall and indicators) stops at its root in the
1-6 s it gets: priority 1 of a 60 s solve reached 258.5 with capabilities first, never getting
to the windows. Windows first (one run each at 60 s, docs/performance.md "Good plans at scale"):

| windows            | 40 x 40 x 20, p1 | 50 x 100 x 30 over 12 quarters, p2 | timed example, cost |
|---|---|---|---|
| capabilities first | 258.5            | 9,313.5                            | 4.734e7             |
| 24 months, first   | 136              |                                    |                     |
| 12 months, first   | 80               | 6,412.5                            | 4.755e7             |
| 6 months, first    | **74**           | **5,550**                          | 4.734e7             |
| 3 months, first    | 103.5            |                                    |                     |

(priority 1 of the 12-quarter case is 336 in every row: there the relaxation's neighbourhood
finds it before any polish). A level by contributor and one by site gave nothing at 60 s on
100 x 300 x 20 (priority 2 232.5 either way) and on 50 x 100 x 30 over 12 quarters (priority 1
337.5 either way, and 336 again in session 13), and took time from the MIP.

Why windows over every capability, and only where small, and only at the shortfall stages
(session 13, one run each at 60 s unless said). Priority 1 of 50 x 100 x 30 over 12 quarters
stopped at 336 in every run (4 of 4) against an optimum of 330: the optimal plan (a 700 s run)
differs in the tours of several capabilities at once (N026's, N041's and N042's in CAP06,
CAP09, CAP13 and CAP23), which no window of one capability found. With every capability's
window freed together after the capabilities' windows it reached 334.5 (7 of 7: windows of 3,
4 or 6 months, placed first or third; 6-month windows of 10-12k columns, the improving ones
taking 2-7 s; 334.5 again with 120 s, so a local optimum for these levels too; the 12-month
windows: 336). On
40 x 40 x 20 over 36 months the same windows hold 25k columns and priority 1 went from 71-72 to
80 (3-month windows: 85.5, 2-month: 76.5): there each group's time is better spent on the
capabilities' windows, hence the size limit. At the example's cost stage they gave 4.745e7
against 4.734e7 (its priorities are proven before any polish), hence the shortfall stages only.
Placed after the capabilities instead, they left the 12-quarter case at 336 (their turn came too
late); placed before them, under a work limit of 16 units the example's priority 1 stopped at 114
where it was proven (111): hence before the capabilities, but only in a polish with time for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from . import polish
from .greedy import requirement_rows

WINDOW_MONTHS = 6
WIDE_MAX_COLUMNS = 15_000  # the largest window over every capability that is freed (above)


def set_polish_groups(ctx: BuildContext, mm: MatrixModel) -> None:
    """Give the matrix its levels (none for a snapshot below LNS_MIN_COLUMNS: not polished),
    which of them serve the shortfall stages only, and, as `mm.col_group`, the capability
    level among them."""
    mm.timed = ctx.timed
    mm.col_levels, mm.shortfall_levels = [], frozenset()
    mm.col_group = None
    for name, groups in group_levels(ctx, mm.n_cols):
        if name == WINDOW:
            mm.shortfall_levels |= {len(mm.col_levels)}
        if name == CAPABILITY:
            mm.col_group = groups
        mm.col_levels.append(groups)
    mm.requirement_rows = requirement_rows(ctx, mm.n_rows)


# the levels' names (the table above)
CAPABILITY_WINDOW = "capability window"
WINDOW = "window"
CAPABILITY = "capability"
PLEDGE = "pledge"


def group_levels(ctx: BuildContext, n_cols: int) -> list[tuple[str, np.ndarray]]:
    """Each level's name and group of every column (see above), in the order they are tried."""
    x = ctx.x
    if x is None or not len(x) or not (ctx.timed or n_cols >= polish.LNS_MIN_COLUMNS):
        return []
    capabilities = pd.Index(ctx.data.capabilities["capability"])
    capability = capabilities.get_indexer(x["capability"]).astype(np.int64)
    codes: list[tuple[str, np.ndarray]] = []
    if ctx.timed and ctx.data.periods is not None:
        month = ctx.data.periods["offset"].to_numpy()[x["t"].to_numpy()]
        windows = [(month + shift) // WINDOW_MONTHS for shift in (0, WINDOW_MONTHS // 2)]
        for window in windows:
            code = capability * (int(window.max()) + 1) + window
            codes.append((CAPABILITY_WINDOW, code))
        codes += [
            (WINDOW, window) for window in windows if _largest(ctx, window) <= WIDE_MAX_COLUMNS
        ]
    codes += [(CAPABILITY, capability), (PLEDGE, x["pledge_idx"].to_numpy())]
    return [(name, _spread(ctx, n_cols, code)) for name, code in codes]


def _largest(ctx: BuildContext, code: np.ndarray) -> int:
    """The columns of the largest group of `code` (per x row; with its arrival, two each)."""
    assert ctx.x is not None
    per_row = 2 if "arrive" in ctx.x else 1
    return per_row * int(np.bincount(code - code.min()).max()) if len(code) else 0


def _spread(ctx: BuildContext, n_cols: int, code: np.ndarray) -> np.ndarray:
    """A code per x row onto the columns: its x column and, in a timed model, its arrival."""
    assert ctx.x is not None
    groups = np.full(n_cols, -1, dtype=np.int64)
    groups[ctx.x["col"].to_numpy()] = code
    if "arrive" in ctx.x:
        groups[ctx.x["arrive"].to_numpy()] = code
    return groups
