"""The relaxation's neighbourhood of the plan: a timed later stage's first improvement.

Where the stage's LP relaxation z^LP (solve/polish.py, `relaxation_bound`) and the plan so far
z agree, the optimum is likely to agree too (Danna, Rothberg and Le Pape's RINS, 2005). Each pass
fixes the whole columns j of the allocation (x and arrivals) with

    |z^LP_j - z_j| < agree,   agree in AGREE

at z_j and re-solves the stage over the rest, started from z: a smaller MIP that HiGHS solves or
improves within the pass's share of the time. A pass keeps every row and hold, so the plan stays
valid and the earlier stages keep their values; run.x changes only to a strictly better plan.

Measured on the bundled timed example (cost stage, shortfall held; docs/performance.md "Time"):
the shortfall stages' plan costs 3.3e9; agreement 0.1 leaves 3.8k of 14.7k whole columns free
and reaches 7.3e7 in 12 s, fix-and-optimise then 5.0e7; agreement 0.3 first (fewer columns free)
reached only 8.0e8, and fix-and-optimise alone in the same time 1.7e8. So one pass, at 0.1.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from .instance import valid_plan
from .polish import improves

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")

AGREE = (0.1,)  # a column agrees when its relaxed value is this close to the plan's


def wanted(mm: MatrixModel, i: int) -> bool:
    """Whether stage i searches its relaxation's neighbourhood: not a re-plan's shortfall stage
    (a `changes` stage follows it, contract `replanning.md`). The relaxation by the interior
    point spreads units over many options, and its neighbourhood moves the plan far from the
    baseline: on the bundled timed example re-planned for `italy_leaves` against a baseline
    (work limits 25, 30 and 40; docs/performance.md, "Re-plans") priority 2 reached its optimum
    80 either way, but from the neighbourhood's plan priority 3 ended at 138, 138 and 129 with
    929, 691 and 596 unit-months of changes (27-29 nations asked); by fix-and-optimise alone, at
    116 with 133 (10-12 nations), as at 15 and 20 units where the relaxation was not ready.

    A face's own search (solve/face.py, `_near_vertex`) keeps it: there it proves the stage at
    once (priority 1 of the example in under a second, against 6.7 s for a whole point on the
    face), and it did so for priority 1 in every run above."""
    replan = any(stage.name == "changes" for stage in mm.stages)
    return not (replan and mm.stages[i].name.startswith("shortfall"))


MIN_SECONDS = 1.0  # a pass with less time left is not started (HiGHS overran shorter limits)


def improve_near_relaxation(
    solver: LexicographicSolver, run: Progress, i: int, relaxed: np.ndarray, end: float
) -> None:
    """Improve `run.x` for stage i by passes over the neighbourhoods of AGREE, until `end`."""
    mm, h = solver.mm, solver.h
    if mm.col_group is None or run.x is None:
        return
    cost = mm.costs[i]
    columns = np.arange(mm.n_cols, dtype=np.int32)
    whole = mm.integrality.astype(bool) & (mm.col_group >= 0)
    for n, agree in enumerate(AGREE):
        left = end - solver.clock.now()
        if left <= MIN_SECONDS or solver.cancelled.is_set() or solver.abandoned:
            break
        fixed = np.flatnonzero(whole & (np.abs(relaxed - run.x) < agree)).astype(np.int32)
        h.changeColsCost(mm.n_cols, columns, cost)
        h.changeObjectiveOffset(0.0)
        h.changeColsBounds(len(fixed), fixed, run.x[fixed], run.x[fixed])
        h.setSolution(mm.n_cols, columns, run.x.astype(float))
        limit = left / (len(AGREE) - n)
        h.setOptionValue("time_limit", float(limit))
        try:
            solver._run(limit)
            found = None if solver.abandoned else valid_plan(solver)
        finally:
            if not solver.abandoned:  # the fixed columns get their bounds back, whatever came
                h.changeColsBounds(
                    len(fixed), fixed, solver.col_lower[fixed], solver.col_upper[fixed]
                )
        if solver.abandoned:
            return
        if found is not None and improves(float(cost @ found), float(cost @ run.x)):
            run.x = found
        log.info(
            "stage %-14s near the relaxation (%d of %d whole columns free): %g",
            mm.stages[i].name,
            int(whole.sum()) - len(fixed),
            int(whole.sum()),
            mm.stages[i].scale * (float(cost @ run.x) + mm.offsets[i]),
        )
    h.clearSolver()
