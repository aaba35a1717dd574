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

**Then by capability, at a timed model's cost stage.** The whole neighbourhood is a MIP of
some 4k columns whose root HiGHS may not leave in its time: for the example's `italy_leaves`
scenario it kept its first plan (feasibility jump's, 7.99e8) for 20 s of cut rounds, and the
cost stage ended at 1.007e8 (gap 51%). The capabilities nearly separate, so after it each
capability b whose plan costs more than its part of the relaxation,

    excess_b = sum_{j in J_b} c_j (z_j - z^LP_j) > 0,

gets the same neighbourhood restricted to it (b's disagreeing whole columns, b's other columns
and the ungrouped columns sharing their rows free; every other column fixed at z), most excess
first, in rounds while one improves, within BY_CAPABILITY_SHARE of the stage's time left
(solve/highs.py `_search`): some twenty small MIPs that HiGHS solves in 2-4 s in all
(`italy_leaves`: 7.99e8 -> 1.55e8), taken from fix-and-optimise's time. Cost stage of the
example and its seven scenarios, one run each under the example's work limit (deterministic),
before / after: base 4.991e7 / 4.782e7, italy_leaves 10.07e7 / 9.58e7, italy_out 10.53e7 /
9.74e7, surge_p1 10.16e7 / 7.82e7; mandate_raise 4.583e7, us_late 4.855e7 and monitoring
3.066e7 (proven) the same. By capability *before* the whole neighbourhood did better on three
of them but lost 4% on mandate_raise under the work limit and, on the 60 s time-limited base
run, left the whole neighbourhood nothing to find in its time: 5.92e7 against 4.78e7 (this
order: 4.78e7, and 9.31e7 against 10.04e7 for italy_leaves). Measured on timed models only, so
only there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from ..model.portable import dot
from ..model.stage_names import is_shortfall
from .instance import start_misread, valid_plan
from .polish import MIN_GROUP_SECONDS, improves
from .submodel import free_columns, solve_neighbourhood

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")

AGREE = (0.1,)  # a column agrees when its relaxed value is this close to the plan's
BY_CAPABILITY_STAGES = ("cost",)  # of a timed model: see the module's docstring
BY_CAPABILITY_SHARE = 0.3  # of the stage's time left after the whole neighbourhood, at most
EXCESS_TOLERANCE = 1e-6  # a capability whose excess is within this of the plan's cost is left


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
    return not (replan and is_shortfall(mm.stages[i].name))


MIN_SECONDS = 1.0  # a pass with less time left is not started (HiGHS overran shorter limits)


def improve_near_relaxation(
    solver: LexicographicSolver, run: Progress, i: int, relaxed: np.ndarray, end: float
) -> None:
    """Improve `run.x` for stage i by passes over the neighbourhoods of AGREE, until `end`;
    a pass whose start HiGHS misread (instance.start_misread) runs again without it."""
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
            began = solver.clock.now()
            solver.run_search(limit)
            found = None if solver.abandoned else valid_plan(solver)
            left = limit - (solver.clock.now() - began)
            if misread_again(solver, cost, left):
                h.clearSolver()  # run again without the start HiGHS misread
                h.setOptionValue("time_limit", float(left))
                solver.run_search(left)
                again = None if solver.abandoned else valid_plan(solver)
                if again is not None and (
                    found is None or improves(dot(cost, again), dot(cost, found))
                ):
                    found = again
        finally:
            if not solver.abandoned:  # the fixed columns get their bounds back, whatever came
                h.changeColsBounds(
                    len(fixed), fixed, solver.col_lower[fixed], solver.col_upper[fixed]
                )
        if solver.abandoned:
            return
        if found is not None and improves(dot(cost, found), dot(cost, run.x)):
            run.x = found
        log.info(
            "stage %-14s near the relaxation (%d of %d whole columns free): %g",
            mm.stages[i].name,
            int(whole.sum()) - len(fixed),
            int(whole.sum()),
            mm.stages[i].scale * (dot(cost, run.x) + mm.offsets[i]),
        )
    h.clearSolver()


def misread_again(solver: LexicographicSolver, cost: np.ndarray, left: float) -> bool:
    """The pass just run misread its start (instance.start_misread) and has time for a second
    run without it: at least MIN_SECONDS, and not after a stop."""
    if solver.abandoned or solver.cancelled.is_set() or left <= MIN_SECONDS:
        return False
    if not start_misread(solver.h, cost):
        return False
    log.debug("near the relaxation: HiGHS misread the start; run again without it")
    return True


def by_capability_wanted(mm: MatrixModel, i: int) -> bool:
    """Stage i searches the neighbourhood by capability after the whole one: a timed model's
    cost stage (the module's docstring)."""
    return mm.timed and mm.stages[i].name in BY_CAPABILITY_STAGES and mm.col_group is not None


def by_capability(
    solver: LexicographicSolver, run: Progress, i: int, relaxed: np.ndarray, end: float
) -> None:
    """The relaxation's neighbourhood one capability at a time (the module's docstring), most
    excess first, each with time in proportion to its excess among those still to come (at
    least MIN_GROUP_SECONDS), in rounds while one improves, until `end`; run.x changes only to
    a valid plan, strictly better in stage i."""
    mm = solver.mm
    if mm.col_group is None or run.x is None:
        return None
    groups, cost = mm.col_group, mm.costs[i]
    grouped = groups >= 0
    whole = mm.integrality.astype(bool) & grouped
    names = np.unique(groups[grouped])
    if not len(names):  # no allocation column in any capability: nothing to free
        return None
    fixed_label = int(names.max()) + 1  # an agreeing column: in no group freed, not ungrouped
    freed = rounds = 0
    improved = True
    while improved:
        improved, rounds = False, rounds + 1
        excess = np.bincount(
            groups[grouped], weights=(cost * (run.x - relaxed))[grouped], minlength=fixed_label
        )[names]
        order = np.lexsort((names, -excess))
        order = order[excess[order] > EXCESS_TOLERANCE * max(1.0, abs(dot(cost, run.x)))]
        to_come = np.cumsum(excess[order][::-1])[::-1]  # this one's excess and those after it
        for position, k in enumerate(order):
            left = end - solver.clock.now()
            if left <= MIN_GROUP_SECONDS or solver.cancelled.is_set() or solver.abandoned:
                return _said(mm, run, i, freed, rounds)
            agree = whole & (np.abs(relaxed - run.x) < AGREE[0])
            labels = np.where(agree, fixed_label, groups)
            share = excess[k] / to_come[position]
            found = solve_neighbourhood(
                solver,
                run.x,
                cost,
                free_columns(solver, labels, int(names[k])),
                max(left * share, MIN_GROUP_SECONDS),
            )
            freed += 1
            if solver.abandoned:
                return None
            if found is not None and improves(dot(cost, found), dot(cost, run.x)):
                run.x, improved = found, True
    return _said(mm, run, i, freed, rounds)


def _said(mm: MatrixModel, run: Progress, i: int, freed: int, rounds: int) -> None:
    assert run.x is not None
    log.info(
        "stage %-14s near the relaxation by capability (%d neighbourhoods, %d rounds): %g",
        mm.stages[i].name,
        freed,
        rounds,
        mm.stages[i].scale * (dot(mm.costs[i], run.x) + mm.offsets[i]),
    )
