"""A first plan from HiGHS when the construction heuristic finds none, on a large model.

The construction heuristic is greedy: on the generated 40 x 40 x 20 case over 36 months
(202k columns) it left 10 hard lines short in some months, so no start was handed on, and HiGHS's
MIP found no plan in 60 s: its presolve alone ran for more than 40 s there (not finished), for
every stage. Any valid plan is what a time-limited solve must return, so the model is handed to
HiGHS as a feasibility problem,

    find z   s.t.   rl <= A z <= ru,   l <= z <= u,   z_j whole for j in I   (objective 0)

with its presolve off: on that case a plan came in 10.5 s, found at the root by HiGHS's
randomized rounding. The plan is the start of every stage, exactly as the heuristic's would be
(`LexicographicSolver.solve`'s `start`), and the Summary's `heuristic` says where it came from.
Only from polish.LNS_MIN_COLUMNS columns on: a smaller model's MIP finds its first plan itself
in moments.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np

from .instance import valid_plan

if TYPE_CHECKING:
    from .highs import LexicographicSolver

log = logging.getLogger("forcegen.solve")


def feasible_plan(solver: LexicographicSolver, limit: float) -> np.ndarray | None:
    """A valid plan (every row, bound and integrality) within `limit` seconds, or None."""
    mm, h = solver.mm, solver.h
    if limit <= 0 or mm.n_cols == 0 or solver.cancelled.is_set():
        return None
    began = time.perf_counter()
    columns = np.arange(mm.n_cols, dtype=np.int32)
    h.changeColsCost(mm.n_cols, columns, np.zeros(mm.n_cols))
    h.changeObjectiveOffset(0.0)
    _, presolve = h.getOptionValue("presolve")
    h.setOptionValue("presolve", "off")
    h.setOptionValue("time_limit", float(limit))
    try:  # its memory limit is no plan: a start, not a stage (the stage then says it)
        solver.run_highs(limit)
    finally:
        if not solver.abandoned:
            h.setOptionValue("presolve", presolve)
    found = None if solver.abandoned else valid_plan(solver)
    if found is None:
        log.info("no plan from HiGHS's feasibility run in %.1f s", time.perf_counter() - began)
        return None
    h.clearSolver()
    log.info("a plan from HiGHS's feasibility run in %.1f s", time.perf_counter() - began)
    return found


FALLBACK_SHARE = 0.2  # of the time limit at least, whatever the heuristic spent
FALLBACK_FLOOR = 5.0  # seconds (work units) at least, half the limit at most: `repair_limit`
REPAIRED = "HiGHS then met them, re-planning one capability at a time"  # the Summary says
REPAIR_SHARE = 0.5  # of the fallback's time at most: the feasibility run keeps the rest


REPAIR_FLOOR = 2.0  # seconds (work units) the repair may take at least (a baseline's too)


def repair_limit(budget: float, fallback: float) -> float:
    """The time (or work) the repair of a near-plan may take: REPAIR_SHARE of the fallback's
    `fallback`, and at least REPAIR_FLOOR (half the solve's `budget` at most). Why the floor:
    the generated 40 x 40 x 20 case over 36 months under `--work-limit 10` left one hard line
    short; its repair (one capability) needs more than the share's 1 unit, so the solve fell
    back to HiGHS without a start, which found no plan at all in 34 s (a scale trial; at
    `--work-limit 30` the repair ran and every stage was reached). The repair of a
    baseline's near-plan has the same floor (solve/start.py)."""
    return max(REPAIR_SHARE * fallback, min(REPAIR_FLOOR, 0.5 * budget))


def fallback_start(
    solver: LexicographicSolver,
    time_limit: float,
    spent: float,
    why: str,
    partial: np.ndarray | None = None,
) -> tuple[np.ndarray | None, str]:
    """After the construction heuristic found no plan (`why`: what it could not meet), on a
    large model, within the heuristic's share of the limit left (at least FALLBACK_SHARE of
    it): its near-plan `partial` repaired (solve/repair.py), else HiGHS's feasibility run's
    plan; the plan or None, and what happened in words."""
    from .greedy import BUDGET_SHARE
    from .polish import LNS_MIN_COLUMNS
    from .repair import repaired

    without = f"{why}; HiGHS searches without a start"
    if solver.mm.n_cols < LNS_MIN_COLUMNS:
        return None, without
    limit = max(
        BUDGET_SHARE * time_limit - spent,
        FALLBACK_SHARE * time_limit,
        min(FALLBACK_FLOOR, 0.5 * time_limit),
    )
    if partial is not None:
        began = solver.clock.now()
        found = repaired(solver, partial, repair_limit(time_limit, limit))
        if found is not None:
            return found, f"{why}; {REPAIRED}"
        limit -= solver.clock.now() - began
    found = feasible_plan(solver, limit)
    if found is None:
        return None, without
    return found, f"{why}; a start from HiGHS's feasibility run instead"
