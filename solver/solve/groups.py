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
337.5 either way), and took time from the MIP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from . import polish
from .greedy import requirement_rows

WINDOW_MONTHS = 6


def set_polish_groups(ctx: BuildContext, mm: MatrixModel) -> None:
    """Give the matrix its levels (none for a snapshot below LNS_MIN_COLUMNS: not polished)
    and, as `mm.col_group`, the capability level among them."""
    mm.timed = ctx.timed
    mm.col_levels = group_levels(ctx, mm.n_cols)
    # the capabilities are the last level but one, before the pledges (the table above)
    mm.col_group = mm.col_levels[-2] if mm.col_levels else None
    mm.requirement_rows = requirement_rows(ctx, mm.n_rows)


def group_levels(ctx: BuildContext, n_cols: int) -> list[np.ndarray]:
    """Each level's group of every column (see above), in the order they are tried."""
    x = ctx.x
    if x is None or not len(x) or not (ctx.timed or n_cols >= polish.LNS_MIN_COLUMNS):
        return []
    capabilities = pd.Index(ctx.data.capabilities["capability"])
    capability = capabilities.get_indexer(x["capability"]).astype(np.int64)
    codes = []
    if ctx.timed and ctx.data.periods is not None:
        month = ctx.data.periods["offset"].to_numpy()[x["t"].to_numpy()]
        for shift in (0, WINDOW_MONTHS // 2):
            window = (month + shift) // WINDOW_MONTHS
            codes.append(capability * (int(window.max()) + 1) + window)
    codes += [capability, x["pledge_idx"].to_numpy()]
    return [_spread(ctx, n_cols, code) for code in codes]


def _spread(ctx: BuildContext, n_cols: int, code: np.ndarray) -> np.ndarray:
    """A code per x row onto the columns: its x column and, in a timed model, its arrival."""
    assert ctx.x is not None
    groups = np.full(n_cols, -1, dtype=np.int64)
    groups[ctx.x["col"].to_numpy()] = code
    if "arrive" in ctx.x:
        groups[ctx.x["arrive"].to_numpy()] = code
    return groups
