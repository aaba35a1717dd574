"""What freeing one group can gain at a stage: a bound, so that fix-and-optimise frees the
groups with most to gain first and skips those with nothing (solve/polish.py).

For stage cost c, plan x and group g (its columns J_g; every other column fixed at x), the
stage's value c @ x can drop by at most

    gain_g = sum_{j in J_g, c_j > 0} c_j (x_j - l_j)
           + sum_{r in Q touched by J_g} w_r (u_r - (A x)_r)
           + sum_{j in J_g, c_j < 0, j valued by no row of Q} -c_j (u_j - x_j)

    J_g    g's columns, and the ungrouped columns freed with them (submodel.free_columns)
    Q      the requirement rows (one per line, and per period in time): sum_o a_ro x_o <= u_r
    w_r    the most a unit of row r is worth at the stage: max over j in row r with c_j < 0,
           a_rj > 0 of -c_j / a_rj
    l, u   the columns' bounds

Why: a column of positive cost can at best fall to its lower bound; the columns of negative
cost (a shortfall stage's, minus the weight of a unit allocated) lie in requirement rows, whose
free part can grow by at most the row's slack, each unit worth at most w_r, or else (a line
with one option has its limit as the column's bound u_j, not as a row) can at best rise to
their upper bound (infinite if it is).

Measured on the generated 40 x 40 x 20 case over 36 months (202k columns, 20 capabilities), one
pass at priority 1 from the repaired start (solve/repair.py): largest group first, the pass took
108 s to go from 1,214 to 180, and 93% of the gain came from the nine smallest capabilities,
the last in the pass (571.5 -> 180 in 0.85 s by one of them); a 60 s solve never reached them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..model.matrix import MatrixModel


def group_gains(
    mm: MatrixModel, cost: np.ndarray, x: np.ndarray, groups: np.ndarray, names: np.ndarray
) -> np.ndarray:
    """gain_g (above) of each group in `names` (group labels of `groups`, -1: ungrouped). An
    ungrouped column counts for every group it is freed with (submodel.free_columns: the
    groups it shares a row with)."""
    index = np.searchsorted(names, groups)
    grouped = groups >= 0
    membership = sp.csr_array(
        (np.ones(int(grouped.sum())), (np.flatnonzero(grouped), index[grouped])),
        shape=(mm.n_cols, len(names)),
    )
    touching = (abs(mm.a) @ membership) > 0  # rows x groups: a column of the group in the row
    worth, covered = _unit_worth(mm, cost)
    own = np.zeros(mm.n_cols)
    above = cost > 0
    own[above] = cost[above] * (x[above] - mm.col_lower[above])
    alone = (cost < 0) & ~covered  # valued by no requirement row: by its own upper bound
    own[alone] = -cost[alone] * (mm.col_upper[alone] - x[alone])
    gains = own[grouped] @ membership[grouped] if grouped.any() else np.zeros(len(names))
    loose = np.flatnonzero(~grouped & (own > 0))
    if len(loose):  # an ungrouped column's part, for each group it is freed with
        with_group = (abs(mm.a[:, loose]).T @ touching) > 0
        gains = gains + own[loose] @ with_group
    if mm.requirement_rows is not None and worth.any():
        rows = np.flatnonzero(mm.requirement_rows)
        slack = np.zeros(len(rows))
        valued = worth > 0
        act = mm.a[rows[valued]] @ x
        slack[valued] = np.maximum(mm.row_upper[rows[valued]] - act, 0.0) * worth[valued]
        gains = gains + slack @ touching[rows]
    return np.asarray(gains, dtype=float)


def _unit_worth(mm: MatrixModel, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """w_r of each requirement row (in their order), and which columns of negative cost lie
    in a requirement row that values them."""
    covered = np.zeros(mm.n_cols, dtype=bool)
    if mm.requirement_rows is None:
        return np.zeros(0), covered
    q = mm.a[np.flatnonzero(mm.requirement_rows)]
    entry_row = np.repeat(np.arange(q.shape[0]), np.diff(q.indptr))
    cols, coef = q.indices, q.data
    values = (cost[cols] < 0) & (coef > 0)
    per_unit = np.zeros(len(cols))
    per_unit[values] = -cost[cols[values]] / coef[values]
    worth = np.zeros(q.shape[0])
    np.maximum.at(worth, entry_row, per_unit)
    covered[cols[values]] = True
    return worth, covered
