"""What the timed construction heuristic (solve/greedy_time.py) knows of the model's rows
before it tries a move, built once per solve and shared by the orders it tries: the matrix by
column, the indicator each link row switches on, the link rows that only enable, and which rows
a tour from each x position must find room in (`FirstUnit`)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.context import BuildContext
from ..model.linear import ranges
from ..model.matrix import MatrixModel
from .greedy import link_indicators, link_rows, rows_without_negative


class TourRules:
    """The rows as the heuristic's moves read them (see the module's docstring)."""

    def __init__(self, mm: MatrixModel, ctx: BuildContext) -> None:
        csc = sp.csc_array(mm.a)
        self.cptr, self.crow, self.cval = csc.indptr, csc.indices, csc.data
        self.indicator = link_indicators(mm, ctx)
        self.enabling = enabling_rows(mm, ctx, self.indicator)
        self.first = FirstUnit(mm, ctx, self.indicator, csc)


def enabling_rows(mm: MatrixModel, ctx: BuildContext, indicator: np.ndarray) -> np.ndarray:
    """Per row: it `allows` its indicator (u <= sum x) and that indicator has no positive entry
    in any other row, so switching it on where x > 0 only loosens rows (a `requires` partner's
    `deploys` indicator: x[c] - M u <= 0). Without switching these on, no nation with a
    `requires` caveat deployed in the heuristic's plan (none of the seven on the 40 x 40 x 20
    case over 36 months)."""
    _, allowed = link_rows(ctx, mm.n_rows)
    a = sp.coo_array(mm.a)
    own = indicator[a.row] == a.col  # the entry of a link row's own indicator
    tightens = (a.data > 0) & ~(own & allowed[a.row])
    tightening = np.zeros(mm.n_cols, dtype=bool)
    tightening[a.col[tightens]] = True
    return allowed & (indicator >= 0) & ~tightening[np.maximum(indicator, 0)]


class FirstUnit:
    """What a tour of one unit for one period from each x position raises, x[o,t] + a[o,t]
    and the indicators x[o,t] forces on, among the rows that only grow as the heuristic adds
    tours: rows without a negative entry (lines, caveats' caps, single-source and site counts)
    and rotation rows (a tour adds to them in every period it covers and in its dwell after;
    tours.py). Every tour from there, of any length and number of units, raises those rows at
    least as much and switches on at least the same indicators, so where one of them has no
    room for it no tour can start there, now or after any later move (the heuristic only adds
    tours; greedy_time.py's `_Moves.cannot_start`). On the 40 x 40 x 20 case over 36 months
    nine of ten tours the heuristic tried failed so (the pledge's units all deployed or in
    dwell, a single-source line held by another nation, a cap reached); checked by a move
    each, they spent its whole budget.

    Per position p, entries start[p]..start[p+1]: `rows`, their `rise`, and the `indicator`
    whose switching on raises them (-1: x[o,t] + a[o,t] itself; an indicator already on
    raises nothing)."""

    def __init__(
        self, mm: MatrixModel, ctx: BuildContext, indicator: np.ndarray, csc: sp.csc_array
    ) -> None:
        assert ctx.x is not None
        grows = rows_without_negative(mm)
        for block in ctx.lm.row_blocks:
            if block.kind == "pledge":
                grows[block.rows] = True
        xcol, acol = ctx.x["col"].to_numpy(), ctx.x["arrive"].to_numpy()
        own = sp.coo_array(_positive(grows, csc[:, xcol] + csc[:, acol]))
        # the link rows x[o,t] is positive in force their indicator on (greedy.link_indicators)
        links = sp.coo_array(csc[:, xcol])
        forcing = (links.data > 0) & (indicator[links.row] >= 0)
        pairs = np.unique(
            np.stack([links.col[forcing], indicator[links.row[forcing]]], axis=1), axis=0
        ).reshape(-1, 2)
        switched = _positive(grows, csc)
        count = np.diff(switched.indptr)[pairs[:, 1]]
        entries = ranges(switched.indptr[pairs[:, 1]], count)
        position = np.concatenate([own.col, np.repeat(pairs[:, 0], count)])
        order = np.argsort(position, kind="stable")
        self.rows = np.concatenate([own.row, switched.indices[entries]])[order]
        self.rise = np.concatenate([own.data, switched.data[entries]])[order]
        self.indicator = np.concatenate(
            [np.full(len(own.data), -1, dtype=np.int64), np.repeat(pairs[:, 1], count)]
        )[order]
        self.start = np.concatenate([[0], np.cumsum(np.bincount(position, minlength=len(xcol)))])


def _positive(rows: np.ndarray, matrix: sp.csc_array) -> sp.csc_array:
    """matrix's positive entries in the rows marked `rows`, as a CSC array (a row where an
    entry is negative is left out: no check there)."""
    kept = sp.csc_array(sp.diags_array(rows.astype(float)) @ matrix)
    kept.data[kept.data < 0] = 0.0
    kept.eliminate_zeros()
    kept.sort_indices()
    return kept
