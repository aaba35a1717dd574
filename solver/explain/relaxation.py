"""The feasibility relaxation behind "the smallest change that gives a plan" (give_way.py), and
the relaxation in fractions behind "the conflict lies in whole units", each within the search's
budget (search_budget.py) and saying whether it was proven.

The elastic model of the explain model, every rule row r in R with its own excess columns:

    min  sum_{r in R} (u[r] + v[r])
    s.t. row_lower[r] <= A[r] x + u[r] - v[r] <= row_upper[r]     (r in R)
         row_lower[r] <= A[r] x <= row_upper[r]                   (links, bounds: r not in R)
         u[r] >= 0 where row_lower[r] is finite, else u[r] = 0 (no column)
         v[r] >= 0 where row_upper[r] is finite, else v[r] = 0 (no column)
         x as the explain model has it (whole where it is whole)

    R      the rows of the rules of the conflict search (`rules.rules_of`)
    u, v   what row r lacks below its lower bound, and exceeds above its upper bound
    excess[r] = u[r] + v[r]

Written out rather than HiGHS's `feasibilityRelaxation` (the same model) because that call
reports no status of its own search: a relaxation stopped at its limit with a plan was said to
be "the smallest change" (the model status reads `Not Set` afterwards), and one stopped without
a plan left the section out in silence. Here HiGHS's own status says which it was.

The budget: under a time limit RELAX_SECONDS of wall clock, as before. Under a work limit a
count of HiGHS's MIP interrupt-callback calls (made at the same points of its search on every
run with one thread: solve/clock.py), RELAX_CALLS_PER_CHECK for each feasibility check the
search may make, with what is left of the search's safety stop as a hard stop: the same change,
proven or not, on any machine and under any load (a 30 s wall limit gave a change on an idle
machine and none on a loaded one).
"""

from __future__ import annotations

from typing import NamedTuple

import highspy
import numpy as np
import scipy.sparse as sp

from ..model.matrix import MatrixModel
from ..solve.instance import MS, apply_options, load, new_highs
from .rules import Rule
from .search_budget import SearchBudget

RELAX_SECONDS = 30.0  # under a time limit (and at most the limit itself)
# under a work limit: interrupt-callback calls of the relaxation's MIP per check of the search's
# budget (600 checks at the timed example's work limit of 60: 6,000 calls)
RELAX_CALLS_PER_CHECK = 10
RELAX_GAP = 1e-4  # relative: amounts are whole units or people, and below 10,000 exact


class Relaxed(NamedTuple):
    """Each row's excess in the relaxation (0 on rows that are not rules'), None without a
    relaxed plan; `proven`: HiGHS proved it the least (within RELAX_GAP), or, without a plan,
    proved that none exists (no change of the rules gives one)."""

    excess: np.ndarray | None
    proven: bool


def relax(mm: MatrixModel, rules: list[Rule], budget: SearchBudget | None = None) -> Relaxed:
    """The elastic model (module docstring) solved within `budget` (None: RELAX_SECONDS)."""
    rows = np.unique(np.array([r for rule in rules for r in rule.rows], dtype=np.int64))
    below = rows[np.isfinite(mm.row_lower[rows])]  # u: what the row lacks
    above = rows[np.isfinite(mm.row_upper[rows])]  # v: what it exceeds by
    n_excess = len(below) + len(above)
    excess_cols = sp.csr_array(
        (
            np.concatenate([np.ones(len(below)), -np.ones(len(above))]),
            (np.concatenate([below, above]), np.arange(n_excess)),
        ),
        shape=(mm.n_rows, n_excess),
    )
    elastic = MatrixModel(
        sp.csr_array(sp.hstack([mm.a, excess_cols], format="csr")),
        mm.row_lower,
        mm.row_upper,
        np.concatenate([mm.col_lower, np.zeros(n_excess)]),
        np.concatenate([mm.col_upper, np.full(n_excess, np.inf)]),
        np.concatenate([mm.integrality, np.zeros(n_excess, dtype=mm.integrality.dtype)]),
        [],
        [],
        [],
    )
    h = new_highs()
    calls = _arm(h, budget)
    load(h, elastic)
    cols = np.arange(mm.n_cols, mm.n_cols + n_excess, dtype=np.int32)
    h.changeColsCost(n_excess, cols, np.ones(n_excess))
    run = h.run()
    if run != highspy.HighsStatus.kError and h.getModelStatus() == MS.kInfeasible:
        return Relaxed(None, True)  # no change of these rules gives a plan: proven
    if run == highspy.HighsStatus.kError or h.getInfo().primal_solution_status != 2:
        return Relaxed(None, False)
    # from the rows' activity, not u + v: a stopped plan may hold both on an equality row
    activity = mm.a @ np.asarray(h.getSolution().col_value)[: mm.n_cols]
    excess = np.zeros(mm.n_rows)
    excess[rows] = np.maximum(mm.row_lower[rows] - activity[rows], 0.0) + np.maximum(
        activity[rows] - mm.row_upper[rows], 0.0
    )
    proven = h.getModelStatus() == MS.kOptimal and not calls.stopped
    return Relaxed(np.where(excess > 1e-9, excess, 0.0), proven)


def lp_feasible(mm: MatrixModel, budget: SearchBudget | None = None) -> bool:
    """Whether the explain model has a plan in fractions (False also when HiGHS could not say
    within its limit: no claim is made then)."""
    h = new_highs()
    _arm(h, budget)
    fractions = MatrixModel(
        mm.a,
        mm.row_lower,
        mm.row_upper,
        mm.col_lower,
        mm.col_upper,
        np.zeros_like(mm.integrality),
        mm.costs,
        mm.offsets,
        mm.stages,
    )
    load(h, fractions)
    h.run()
    return h.getModelStatus() == MS.kOptimal


class _Calls:
    """Counts a MIP's interrupt-callback calls and stops it past `limit` (None: never)."""

    def __init__(self, h: highspy.Highs, limit: int | None) -> None:
        self.limit = limit
        self.made = 0
        self.stopped = False
        h.cbMipInterrupt += self._answer

    def _answer(self, event: object) -> None:
        self.made += 1
        stop = self.limit is not None and self.made > self.limit
        self.stopped |= stop
        event.interrupt(stop)  # type: ignore[attr-defined]


def _arm(h: highspy.Highs, budget: SearchBudget | None) -> _Calls:
    """Set a run's limits from the search's budget (module docstring)."""
    if budget is None or budget.checks is None:
        seconds = RELAX_SECONDS if budget is None else min(RELAX_SECONDS, budget.seconds)
        apply_options(h, {"time_limit": seconds, "threads": 1, "mip_rel_gap": RELAX_GAP})
        return _Calls(h, None)
    apply_options(h, {"time_limit": budget.per_check(), "threads": 1, "mip_rel_gap": RELAX_GAP})
    return _Calls(h, RELAX_CALLS_PER_CHECK * budget.checks)
