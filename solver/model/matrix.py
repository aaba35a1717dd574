"""The model as HiGHS takes it: one sparse matrix, bounds, integrality and one cost row per stage."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .linear import LinearModel, Stage
from .portable import dot


@dataclass
class MatrixModel:
    """Everything the solver needs, in the column and row order of the `LinearModel`."""

    a: sp.csr_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    costs: list[np.ndarray]  # one dense cost vector per stage
    offsets: list[float]
    stages: list[Stage]
    # every level of groups fix-and-optimise frees (solve/groups.py), in the order it tries
    # them: a timed model's always, a snapshot's only from polish.LNS_MIN_COLUMNS columns on
    col_levels: list[np.ndarray] = field(default_factory=list)
    # the levels (indexes into col_levels) freed at the shortfall stages only
    shortfall_levels: frozenset[int] = frozenset()
    # the capability level among them: the capability group of each allocation column, -1
    # where none; None when the model is not polished (no levels)
    col_group: np.ndarray | None = None
    timed: bool = False  # a timed workbook's model (set with the groups)
    # which rows are requirement rows (one per line, and per period in time): set with the
    # groups, for what a group can gain at a stage (solve/gain.py)
    requirement_rows: np.ndarray | None = None
    # rows the solver holds back until a later stage, by its name (LinearModel.held_back)
    held_back: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_linear(cls, lm: LinearModel) -> MatrixModel:
        """The direct route: blocks to matrices with numpy, no Pyomo (`--backend highs`)."""
        row_lower, row_upper = lm.row_bounds()
        col_lower, col_upper = lm.col_bounds()
        return cls(
            lm.matrix(),
            row_lower,
            row_upper,
            col_lower,
            col_upper,
            lm.integrality(),
            [lm.stage_vector(s) for s in lm.stages],
            [s.offset for s in lm.stages],
            list(lm.stages),
            held_back=lm.held_back(),
        )

    @classmethod
    def assemble(
        cls,
        a_nonempty: sp.csr_array,
        lower: np.ndarray,
        upper: np.ndarray,
        col_lower: np.ndarray,
        col_upper: np.ndarray,
        integrality: np.ndarray,
        costs: list[np.ndarray],
        offsets: list[float],
        lm: LinearModel,
        empty_rows: np.ndarray,
    ) -> MatrixModel:
        """Re-insert the constant rows (no variables) that a compiler leaves out, in place."""
        n_rows = lm.n_rows
        all_lower, all_upper = lm.row_bounds()
        present = np.setdiff1d(np.arange(n_rows), empty_rows)
        if len(present) != a_nonempty.shape[0]:
            raise AssertionError("compiled rows do not match the model's rows")
        coo = sp.coo_array(a_nonempty)
        a = sp.csr_array(
            (coo.data, (present[coo.row], coo.col)), shape=(n_rows, a_nonempty.shape[1])
        )
        a.sort_indices()
        row_lower = all_lower.copy()
        row_upper = all_upper.copy()
        row_lower[present] = lower
        row_upper[present] = upper
        return cls(
            a,
            row_lower,
            row_upper,
            col_lower,
            col_upper,
            integrality,
            costs,
            [float(o) for o in offsets],
            list(lm.stages),
            held_back=lm.held_back(),
        )

    @property
    def n_cols(self) -> int:
        return self.a.shape[1]

    @property
    def n_rows(self) -> int:
        return self.a.shape[0]

    def better(self, a: np.ndarray, b: np.ndarray, stage: int = 0) -> bool:
        """Plan a is lexicographically better than plan b over the stages from `stage` on: at
        the first of them where the two differ by more than its hold's tolerance (what a held
        stage lets a later one give up), a's value is the lower."""
        for st, cost in zip(self.stages[stage:], self.costs[stage:], strict=True):
            va, vb = dot(cost, a), dot(cost, b)
            tol = max(st.hold_abs, st.hold_rel * abs(vb), 1e-9)
            if va < vb - tol:
                return True
            if va > vb + tol:
                return False
        return False

    def full_start(self, start: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray | None:
        """`start` (columns, values) as a full column vector if it sets every column and keeps
        every bound, integrality and row; else None (a partial start only guides HiGHS)."""
        if start is None or len(np.unique(start[0])) != self.n_cols:
            return None
        x = np.zeros(self.n_cols)
        x[start[0]] = start[1]
        integer = self.integrality.astype(bool)
        whole = bool(np.all(np.abs(x[integer] - np.round(x[integer])) <= 1e-6))
        return x if whole and self.keeps_bounds(x) else None

    def keeps_bounds(self, x: np.ndarray, tol: float = 1e-6) -> bool:
        """x keeps every column's and row's bounds of the model, within `tol`."""
        return within(
            self.a, x, self.col_lower, self.col_upper, self.row_lower, self.row_upper, tol
        )


def within(
    a: sp.csr_array,
    x: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    tol: float = 1e-6,
) -> bool:
    """col_lower - tol <= x <= col_upper + tol and row_lower - tol <= a @ x <= row_upper + tol."""
    act = a @ x
    return bool(
        np.all(x >= col_lower - tol)
        and np.all(x <= col_upper + tol)
        and np.all(act >= row_lower - tol)
        and np.all(act <= row_upper + tol)
    )
