"""Alternatives of a large timed model, searched one neighbourhood of the plan at a time.

HiGHS's MIP on the whole model (solve/alternatives.py's `_next_plan`) found no alternative of the
bundled timed example (33k columns) in 120 s, and its cancel took another 15 s: a planner who
asked for two got none after four minutes. Yet equally good plans are plentiful there (the
shortfall stages' faces hold many). So from NEAR_MIN_COLUMNS columns a timed model's
alternatives are searched as fix-and-optimise improves a plan (solve/polish.py): one group of
columns at a time, the groups of solve/groups.py's levels in their order (one capability over
half a year first; then every capability over half a year, one capability over the horizon,
one pledge), so that a plan which only a change of two capabilities at once reaches (the same
nation for both, where presence is held) is found too.

The search runs on HiGHS's model as the whole-model search would (the model's rows, the holds
of solve/alternatives.py `_hold_all` or near_optimal.py `hold_within`, the period presences y
and their links, one no-good row per plan found). Write M for that model, P_1..P_m for the
patterns found (the plan's first), and for a group g:

    minimise    w_F @ z                       w_j = sum_p (1 if y_j in P_p else -1), y_j only
    subject to  rl_R - A_{R,~F} x_~F <= A_{R,F} z <= ru_R - A_{R,~F} x_~F
                l_F <= z <= u_F,   z_j whole where M's column j is

    F    g's columns, the model's ungrouped columns sharing a row with them (submodel.py's
         `free_columns`), and the y of every (contributor, site, period) one of them is in
    R    M's rows with a nonzero in F: the holds and the no-good rows among them

Every alternative starts from the plan itself and visits the groups in turn, each level's from
its own first group (a k-th of the way round for the k-th), keeping each neighbourhood's plan that keeps
every row of M (the no-good rows: it differs from every plan found) and, once one does, only a
plan more different (a lower w @ x). Until it keeps a plan it may use all the budget left; once it has
one, it stops when its share of the budget (what is left over the alternatives still to find)
ends, or a round over every group changes nothing. One that never kept a plan ends the search:
`not_found` where it saw every group (no neighbourhood holds one, which does not prove that none
exists), `time_limit` where the budget ran out first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np
import scipy.sparse as sp

from ..model.portable import dot
from .instance import rounded
from .polish import LNS_MIN_COLUMNS, MIN_GROUP_SECONDS
from .submodel import free_columns, run_model

if TYPE_CHECKING:
    from .highs import LexicographicSolver

log = logging.getLogger("forcegen.alternatives")

NEAR_MIN_COLUMNS = LNS_MIN_COLUMNS
ROW_TOLERANCE = 1e-6  # relative to the bound (absolute below 1), as HiGHS's own feasibility


def searched_near(solver: LexicographicSolver) -> bool:
    """A timed model of NEAR_MIN_COLUMNS columns or more, with its groups: see above."""
    mm = solver.mm
    return bool(mm.timed and mm.col_levels and mm.n_cols >= NEAR_MIN_COLUMNS)


@dataclass
class WholeModel:
    """HiGHS's model as the search left it: its rows by row and by column, bounds, kinds."""

    a_rows: sp.csr_matrix  # by row
    a_cols: sp.csc_matrix  # by column
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    whole: np.ndarray

    @classmethod
    def of(cls, h: highspy.Highs) -> WholeModel:
        lp = h.getLp()
        a = lp.a_matrix_
        shape = (lp.num_row_, lp.num_col_)
        parts = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
        if a.format_ == highspy.MatrixFormat.kRowwise:
            rows = sp.csr_matrix(parts, shape=shape)
        else:
            rows = sp.csc_matrix(parts, shape=shape).tocsr()
        kinds = list(lp.integrality_)
        whole = np.array(
            [k != highspy.HighsVarType.kContinuous for k in kinds] or [False] * lp.num_col_
        )
        return cls(
            rows,
            rows.tocsc(),
            np.asarray(lp.row_lower_, dtype=float),
            np.asarray(lp.row_upper_, dtype=float),
            np.asarray(lp.col_lower_, dtype=float),
            np.asarray(lp.col_upper_, dtype=float),
            whole,
        )

    def keeps(self, x: np.ndarray) -> bool:
        """x keeps every row and column bound (within ROW_TOLERANCE)."""
        act = self.a_rows @ x
        slack_lo = ROW_TOLERANCE * np.maximum(1.0, np.abs(self.row_lower))
        slack_hi = ROW_TOLERANCE * np.maximum(1.0, np.abs(self.row_upper))
        return bool(
            np.all(act >= self.row_lower - slack_lo)
            and np.all(act <= self.row_upper + slack_hi)
            and np.all(x >= self.col_lower - ROW_TOLERANCE)
            and np.all(x <= self.col_upper + ROW_TOLERANCE)
        )


@dataclass
class Presences:
    """The period presences: y column `ycols[t]` for triple t, and `triple[i]` of x column
    `xcols[i]`."""

    xcols: np.ndarray
    triple: np.ndarray
    ycols: np.ndarray

    def full(self, x: np.ndarray, n_cols: int) -> np.ndarray:
        """The model's plan x with HiGHS's further columns: the y of its pattern (0 else)."""
        full = np.zeros(n_cols)
        full[: len(x)] = x
        present = np.bincount(
            self.triple, weights=np.round(x[self.xcols]), minlength=len(self.ycols)
        )
        full[self.ycols] = present > 0.5
        return full


class NearSearch:
    """`_search`'s next plan (solve/alternatives.py), found neighbourhood by neighbourhood,
    once the no-good row of the last plan found is in HiGHS's model."""

    def __init__(self, base_x: np.ndarray, presences: Presences, k: int) -> None:
        self.base_x = base_x
        self.presences = presences
        self.k = k
        self.found = 0

    def __call__(
        self,
        solver: LexicographicSolver,
        pattern_cols: np.ndarray,
        patterns: list[np.ndarray],
        deadline: float,
    ) -> tuple[np.ndarray | None, str]:
        h = solver.h
        model = WholeModel.of(h)
        weight = np.zeros(h.getNumCol())
        for pattern in patterns:
            weight[pattern_cols] += np.where(pattern, 1.0, -1.0)
        share_end = solver.clock.now() + (deadline - solver.clock.now()) / (self.k - self.found)
        order = self._order(solver)
        x = self.presences.full(self.base_x, h.getNumCol())
        kept, changed, whole_round = False, True, False
        # until a plan is kept the search may use what is left of the whole budget (a share
        # cut short before every group was seen said `not_found`: a review); once one is, it
        # is made more different until its own share ends
        while changed and solver.clock.now() < (share_end if kept else deadline):
            changed, whole_round = False, False
            for position, (level, g) in enumerate(order):
                left = (share_end if kept else deadline) - solver.clock.now()
                if left <= 0.05 or solver.cancelled.is_set() or solver.abandoned:
                    break
                limit = max(left / (len(order) - position), MIN_GROUP_SECONDS)
                better = self._neighbourhood(solver, model, weight, x, (level, g), limit)
                if better is not None and (not kept or dot(weight, better) < dot(weight, x)):
                    x, kept, changed = better, True, True
                    log.debug("alternative %d: level %d group %d kept", self.found + 1, level, g)
            else:
                whole_round = True
            if not kept:
                break
        if solver.cancelled.is_set():
            return None, "interrupted"
        if not kept:  # every group seen and none holds one, else the budget ran out first
            return None, "not_found" if whole_round else "time_limit"
        self.found += 1
        return x, "found"

    def _order(self, solver: LexicographicSolver) -> list[tuple[int, int]]:
        """(level, group) of every group, level by level (solve/groups.py's order), each
        level's groups starting a k-th of the way round for the k-th alternative."""
        order: list[tuple[int, int]] = []
        for level, groups in enumerate(solver.mm.col_levels):
            names = np.unique(groups[groups >= 0])
            first = (self.found * len(names)) // self.k
            order += [(level, int(g)) for g in np.roll(names, -first)]
        return order

    def _neighbourhood(
        self,
        solver: LexicographicSolver,
        model: WholeModel,
        weight: np.ndarray,
        x: np.ndarray,
        group: tuple[int, int],
        limit: float,
    ) -> np.ndarray | None:
        """The most different plan HiGHS finds within `limit` with every column but the
        neighbourhood F (the module's docstring) of `group` (level, group) fixed at x: a plan
        keeping every row of the model, or None."""
        n_model = solver.mm.n_cols
        free = np.zeros(len(x), dtype=bool)
        level, g = group
        in_model = free_columns(solver, solver.mm.col_levels[level], g)
        free[:n_model] = in_model
        p = self.presences
        free[p.ycols[np.unique(p.triple[in_model[p.xcols]])]] = True
        columns = np.flatnonzero(free)
        rows = np.unique(model.a_cols[:, columns].indices)
        a_rows = model.a_rows[rows]
        constant = a_rows @ np.where(free, 0.0, x)
        values = run_model(
            solver,
            sp.csr_matrix(a_rows[:, columns]),
            weight[columns],
            (model.col_lower[columns], model.col_upper[columns], model.whole[columns]),
            (model.row_lower[rows] - constant, model.row_upper[rows] - constant),
            x[columns],
            limit,
        )
        if values is None or solver.abandoned:
            return None
        found = x.copy()
        found[columns] = rounded(values[: len(columns)], model.whole[columns])
        return found if model.keeps(found) else None
