"""The groups of columns fix-and-optimise frees one at a time (solve/polish.py), in levels.

Each level labels every allocation column (x, and a timed model's arrivals) with a group, -1 for
the rest (shortfall, presence and caveat columns: freed with any group whose rows they share,
solve/submodel.py). The levels, in the order they are tried:

| level              | one group                                 | what it can change             |
|---|---|---|
| capability         | every option of one capability            | two nations' units swap lines  |
| pledge             | one nation's one capability               | what a capability too large    |
|                    |                                           | to finish in its share leaves  |
| capability, window | one capability within WINDOW_MONTHS       | a year of rotations re-planned |
|                    | (timed models; a second partition is      | across the nations, windows    |
|                    | staggered by half a window)               | overlapping                    |

Measured at 60 s (docs/performance.md "Good plans at scale"): the timed example's cost stage
reached 4.76e7 (gap 4.0%) with the windows against 5.01e7 (9.0%) without; windows of 6 months
reached 4.86e7, and windows of every capability together 4.86e7. A level by contributor and
one by site gave nothing at 60 s on 100 x 300 x 20 (priority 2 232.5 either way) and on
50 x 100 x 30 over 12 quarters (priority 1 337.5 either way), and took time from the MIP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from . import polish
from .greedy import requirement_rows

WINDOW_MONTHS = 12


def set_polish_groups(ctx: BuildContext, mm: MatrixModel) -> None:
    """Give the matrix its levels (none for a snapshot below LNS_MIN_COLUMNS: not polished);
    `mm.col_group` is the first, the capabilities."""
    mm.timed = ctx.timed
    mm.col_levels = group_levels(ctx, mm.n_cols)
    mm.requirement_rows = requirement_rows(ctx, mm.n_rows)


def group_levels(ctx: BuildContext, n_cols: int) -> list[np.ndarray]:
    """Each level's group of every column (see above), in order."""
    x = ctx.x
    if x is None or not len(x) or not (ctx.timed or n_cols >= polish.LNS_MIN_COLUMNS):
        return []
    capabilities = pd.Index(ctx.data.capabilities["capability"])
    capability = capabilities.get_indexer(x["capability"]).astype(np.int64)
    codes = [capability, x["pledge_idx"].to_numpy()]
    if ctx.timed and ctx.data.periods is not None:
        month = ctx.data.periods["offset"].to_numpy()[x["t"].to_numpy()]
        for shift in (0, WINDOW_MONTHS // 2):
            window = (month + shift) // WINDOW_MONTHS
            codes.append(capability * (int(window.max()) + 1) + window)
    return [_spread(ctx, n_cols, code) for code in codes]


def _spread(ctx: BuildContext, n_cols: int, code: np.ndarray) -> np.ndarray:
    """A code per x row onto the columns: its x column and, in a timed model, its arrival."""
    assert ctx.x is not None
    groups = np.full(n_cols, -1, dtype=np.int64)
    groups[ctx.x["col"].to_numpy()] = code
    if "arrive" in ctx.x:
        groups[ctx.x["arrive"].to_numpy()] = code
    return groups
