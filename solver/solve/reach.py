"""Rows no plan can meet, found before any search: a model infeasible on its face.

For row r of the model (rl_r <= sum_j a_rj z_j <= ru_r) and the columns' bounds l <= z <= u,
the activities a plan can give the row lie in [lo_r, hi_r]:

    lo_r  =  sum_j min(a_rj l_j, a_rj u_j)        hi_r  =  sum_j max(a_rj l_j, a_rj u_j)

    r is beyond reach   when   lo_r > ru_r + tol_r   or   hi_r < rl_r - tol_r,
    tol_r = 1e-6 max(1, |bound|)

A row beyond reach proves the model infeasible, whatever the budget: a locked baseline row on
an option the model has no column for (`0 >= 1`), a hard line no pledge can reach. Without
this a work limit spent by the construction heuristic left the first stage no part to run
HiGHS's presolve in, and a planner read `no feasible allocation found within the limit; raise
--work-limit` of a workbook a larger limit showed infeasible in 0.1 s (a trial).
"""

from __future__ import annotations

import numpy as np

from ..model.matrix import MatrixModel

RELATIVE_TOLERANCE = 1e-6
BLOCK_NONZEROS = 1_000_000  # the nonzeros of the rows worked on at once


def rows_beyond_reach(
    mm: MatrixModel, bounds: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """The rows (their positions) no plan within the columns' bounds can meet, sorted.
    `bounds`: (col_lower, col_upper, row_lower, row_upper) as a solver holds them now (a
    caveat's price lifts some rows: `Holds.set_row_bounds`), else the model's."""
    col_lower, col_upper, row_lower, row_upper = bounds or (
        mm.col_lower,
        mm.col_upper,
        mm.row_lower,
        mm.row_upper,
    )
    lo, hi = np.empty(mm.n_rows), np.empty(mm.n_rows)
    for first, last in _row_blocks(mm.a.indptr):
        lo[first:last], hi[first:last] = _activity_range(mm, first, last, col_lower, col_upper)
    above = lo > row_upper + RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(row_upper))
    below = hi < row_lower - RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(row_lower))
    return np.flatnonzero(above | below)


def _row_blocks(indptr: np.ndarray) -> list[tuple[int, int]]:
    """Rows first..last-1 in blocks of about BLOCK_NONZEROS nonzeros: the products of a whole
    model at once took 920 MB on a 14M-nonzero one (a review)."""
    n_rows = len(indptr) - 1
    cuts = np.searchsorted(indptr, np.arange(BLOCK_NONZEROS, indptr[-1], BLOCK_NONZEROS))
    edges = np.unique(np.concatenate([[0], np.clip(cuts, 0, n_rows), [n_rows]]))
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


def _activity_range(
    mm: MatrixModel, first: int, last: int, col_lower: np.ndarray, col_upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """lo_r and hi_r of rows first..last-1."""
    a = mm.a
    begin, end = int(a.indptr[first]), int(a.indptr[last])
    values = np.asarray(a.data[begin:end], dtype=float)
    columns = np.asarray(a.indices[begin:end])
    with np.errstate(invalid="ignore"):  # a stored 0 times an infinite bound
        at_lower, at_upper = values * col_lower[columns], values * col_upper[columns]
    least = np.where(values == 0, 0.0, np.minimum(at_lower, at_upper))
    most = np.where(values == 0, 0.0, np.maximum(at_lower, at_upper))
    row_of = np.repeat(np.arange(last - first), np.diff(a.indptr[first : last + 1]))
    lo = np.bincount(row_of, weights=least, minlength=last - first)
    hi = np.bincount(row_of, weights=most, minlength=last - first)
    return lo, hi
