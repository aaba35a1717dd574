"""Fix-and-optimise (a large-neighbourhood search): one group of columns at a time (solve/groups.py).

A timed model's later stages (cost over tours, presence) start from the plan of the shortfall
stages, whose tours churn freely (every plan with the same weighted shortfall is optimal there),
and their relaxation is large and slow to solve with the dense rows that hold earlier stages.
At scale the same holds for every stage: on a generated 100 x 300 x 20 snapshot (64k columns)
HiGHS's MIP spent 51 s at the root of priority 2 and left it at 1216.5 (gap 81%), where one pass
over the capabilities took it to 310.5 in 7 s. So every stage of a model from LNS_MIN_COLUMNS
columns on, and the cost and presence stages of every timed model, are polished before the
stage's own MIP runs on the whole model (instead of it where `on_whole_model` says no: above
LARGE_LP_COLUMNS in a solve under WHOLE_MODEL_SECONDS, above LNS_MAX_COLUMNS always).

The plan is improved one capability group g at a time: every x (and arrival) column of the other
capabilities is fixed at the plan's value,

    minimise  stage cost @ z   subject to every row (holds included),  z_j = x_j for group(j) != g

solved as a model of its own (solve/submodel.py: g's columns, the ungrouped columns sharing a row
with them, the rows they touch and the holds), and the stage's own solve then starts from the
improved plan. Groups are capabilities first (so that two nations' units can swap lines), then
pledges (one nation's one capability: a small problem each, for what a capability too large to
finish in its share leaves). Each step keeps every row, so the plan stays valid and the earlier
stages keep their values; the stage is reported optimal only if its own solve proves it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..model.matrix import MatrixModel
from ..model.portable import dot
from ..model.stage_names import is_shortfall
from .clock import counted
from .gain import group_gains
from .instance import MS
from .submodel import free_columns, solve_neighbourhood
from .tidy import lowered

if TYPE_CHECKING:
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")

POLISH_SHARE = 0.8  # of the time left when the stage starts
# a neighbourhood gets at least this long: on the 40 x 40 x 20 case over 36 months the stages
# after the first shared their 5 s by gain among some hundred windows, 0.05 s each, and HiGHS
# ended nearly every one in its presolve. At 0.25 s fewer are freed, those with most to gain
# (one run each at 60 s: priority 2 2,797-2,830 -> 2,695 there, 5,372-5,550 -> 5,039 on 50 x 100
# x 30 over 12 quarters; 0.5 s and 1 s no better; 100 x 300 x 20 and the example unchanged)
MIN_GROUP_SECONDS = 0.25
GAIN_TOLERANCE = 1e-9  # a group that can gain no more than this (relative) is not freed
POLISHED_STAGES = ("cost", "presence")  # of every timed model
# The windows over every capability (solve/groups.py's `shortfall_levels`) only in a polish of
# at least this long: they hold 10-12k columns on 50 x 100 x 30 over 12 quarters, where the
# improving ones took 2-7 s (priority 1 336 -> 334.5 with 15-20 s of polish), and under a work
# limit of 16 units the example's priority 1 (a polish of a few units) stopped at 114 with them
# where the capabilities' windows alone reach 111 (proven optimal by its relaxation).
WIDE_MIN_SECONDS = 10.0
IPM_MIN_ITERATIONS = 25  # fewer than any relaxation measured took to finish (35-44)
# From this many columns on, a snapshot is polished too, and so is every stage (shortfall
# included) of any model. Below it HiGHS's MIP proves every stage of the cases measured within
# seconds, and the reference pins hold the plans it finds.
LNS_MIN_COLUMNS = 20_000
# Above this size the steps on the whole model do not pay: on the generated 300 x 1000 x 30
# snapshot (963k columns) the relaxation did not finish in half of priority 1's share, and
# HiGHS's MIP kept the heuristic's 362 for the whole 60 s (still in its root; cancelled, it took
# 15 s to return). One pass of fix-and-optimise took it to 194.5 in 28 s. So above it a stage
# is fix-and-optimise alone, for its whole share: no relaxation, no neighbourhood of it, no MIP.
LNS_MAX_COLUMNS = 400_000
# Above this size the interior point needs more than LARGE_LP_SECONDS for a relaxation: on the
# generated 40 x 40 x 20 case over 36 months (202k columns, 306k rows) priority 1's was not
# solved in 70 s. Tried with half of priority 1's share of a 60 s solve (19 s), it ended with
# nothing and left fix-and-optimise 11 s: priority 1 reached 309, and 258.5 with it skipped. So
# there a stage tries its relaxation only with at least that much time for it (a solve of some
# minutes), and its gap stays unknown otherwise.
LARGE_LP_COLUMNS = 150_000
LARGE_LP_SECONDS = 100.0
# Between LARGE_LP_COLUMNS and LNS_MAX_COLUMNS a solve of less than this is fix-and-optimise
# alone too: on the 40 x 40 x 20 case over 36 months (202k columns) HiGHS's MIP on the whole
# model improved no stage in the fifth of each stage's share it had at 60 s, and without it
# (one run) priority 1 reached 72 (77.5-85.5 with it), priority 2 2,622 (2,654-2,830),
# priority 3 1,742 (1,836-2,006). The 1,200 s runs that found the best known values had the
# relaxation and the MIP; between 60 s and 1,200 s nothing was measured.
WHOLE_MODEL_SECONDS = 600.0


def polishes(mm: MatrixModel, i: int) -> bool:
    """Stage i of this model is polished before its own MIP: see the module's docstring."""
    if mm.col_group is None:
        return False
    return mm.stages[i].name in POLISHED_STAGES or mm.n_cols >= LNS_MIN_COLUMNS


def improves(value: float, best: float) -> bool:
    """`value` is strictly better than `best` (beyond rounding: 1e-9 of it, at least 1e-9)."""
    return value < best - 1e-9 * max(1.0, abs(best))


def reaches(value: float, bound: float, offset: float) -> bool:
    """A plan's `value` (cost @ x) is at a relaxation's `bound`, both without the stage's
    `offset`: within 1e-6 of it (relative, and at least absolute) as the stage counts it, with
    the offset, so the plan is optimal. A shortfall stage's cost row is minus the weighted
    units allocated and its offset the whole weighted requirement: measured without it, the
    tolerance grew with the requirement (2 light units where it was 2e6)."""
    plan, floor = value + offset, bound + offset
    return plan <= floor + 1e-6 * max(1.0, abs(floor))


def plan_at_bound(mm: MatrixModel, x: np.ndarray | None, i: int, bound: float | None) -> bool:
    """Plan `x` reaches stage i's relaxation `bound` (`reaches`), or 0 for a stage that never
    counts below it (`Stage.at_least_zero`: shortfall, changes, cost and presence are amounts,
    c @ x + offset >= 0 over the model's rows): it is optimal. So a plan at 0 is proven
    whatever stopped the search: a re-plan's `changes` stage of 0 cut short by its share was
    said `not proven optimal, gap 0%` and `not proven the fewest`."""
    if x is None:
        return False
    if mm.stages[i].at_least_zero:
        nothing = -mm.offsets[i]  # the stage's value 0, as c @ x counts it (without its offset)
        bound = nothing if bound is None else max(bound, nothing)
    if bound is None:
        return False
    return reaches(dot(mm.costs[i], x), bound, mm.offsets[i])


def on_whole_model(mm: MatrixModel, total: float) -> bool:
    """The relaxation, its neighbourhood and HiGHS's MIP run on the whole model, in a solve of
    `total` (its budget, solve/budget.py): up to LARGE_LP_COLUMNS columns, and up to
    LNS_MAX_COLUMNS with at least WHOLE_MODEL_SECONDS."""
    if mm.n_cols > LNS_MAX_COLUMNS:
        return False
    return mm.n_cols <= LARGE_LP_COLUMNS or total >= WHOLE_MODEL_SECONDS


def polish_share(mm: MatrixModel, total: float) -> float:
    """The part of a stage's time left that fix-and-optimise may use (the rest: the MIP)."""
    return POLISH_SHARE if on_whole_model(mm, total) else 1.0


def polish(
    solver: LexicographicSolver,
    run: Progress,
    i: int,
    end: float | None = None,
    floor: float | None = None,
) -> None:
    """Improve `run.x` for stage i one group at a time (solve/groups.py's levels), within
    `polish_share` of the time left until `end` (the stage's, else the solve's deadline), and
    until it reaches `floor` (a bound: the plan is then optimal); run.x changes only to a
    valid plan, strictly better in stage i."""
    mm = solver.mm
    groups = mm.col_group
    stage, cost = mm.stages[i], mm.costs[i]
    if groups is None or run.x is None or not polishes(mm, i):
        return
    began, now = time.perf_counter(), solver.clock.now()
    budget_end = now + polish_share(mm, run.total) * max((end or run.deadline) - now, 0.0)
    best = dot(cost, run.x)
    # the windows over every capability (solve/groups.py): at a shortfall stage with the time
    # for them
    wide = is_shortfall(stage.name) and budget_end - now >= WIDE_MIN_SECONDS

    def optimal(value: float) -> bool:
        return floor is not None and reaches(value, floor, mm.offsets[i])

    # each level (solve/groups.py) until a pass over it improves nothing, then the next; all
    # again while a round improves and time is left. The first level may use the whole budget:
    # on the 963k-column snapshot one pass over the capabilities takes about 28 s, and with half
    # the budget each was cut short in its root (priority 1: 358.5 against 194.5).
    improved = True
    at_floor = optimal(best)
    while improved and not at_floor and solver.clock.now() < budget_end:
        if solver.cancelled.is_set():
            break
        before = best
        for n, level_groups in enumerate(mm.col_levels):
            if n in mm.shortfall_levels and not wide:
                continue
            best = _passes(solver, run, cost, level_groups, budget_end, best, optimal)
            if solver.abandoned:
                return
            at_floor = optimal(best)
            if at_floor:
                break
        improved = improves(best, before)
    # what this stage left at no cost to it but a later stage pays for (solve/tidy.py)
    run.x = lowered(solver, run.x, i)
    best = dot(cost, run.x)
    log.info(
        "stage %-14s fix-and-optimise (%d levels) in %.3f s: %g",
        stage.name,
        len(mm.col_levels) - (0 if wide else len(mm.shortfall_levels)),
        time.perf_counter() - began,
        stage.scale * (best + mm.offsets[i]),
    )


def _passes(
    solver: LexicographicSolver,
    run: Progress,
    cost: np.ndarray,
    groups: np.ndarray,
    end: float,
    best: float,
    optimal: Callable[[float], bool],
) -> float:
    """Passes over the groups while one still improves, time is left and the plan is not
    `optimal` (at the relaxation's bound). Each pass frees the groups with most to gain first
    and skips those with nothing to gain (solve/gain.py, as the pass starts); each group gets
    the time left in proportion to its gain among the groups still to come in the pass (to its
    columns where a gain is unbounded), at least MIN_GROUP_SECONDS, and time a group does not
    use goes to the rest. On the 40 x 40 x 20 case over 36 months, priority 1 of a 60 s solve
    went from 1,095.5 (largest group first, time by columns) to 309 this way. Returns the best
    value."""
    names, sizes = np.unique(groups[groups >= 0], return_counts=True)
    improved = True
    while improved:
        improved = False
        assert run.x is not None
        gains = group_gains(solver.mm, cost, run.x, groups, names)
        order = np.lexsort((names, -sizes, -gains))
        order = order[gains[order] > GAIN_TOLERANCE * max(1.0, abs(best))]
        weight = gains[order] if np.isfinite(gains[order]).all() else sizes[order]
        to_come = np.cumsum(weight[::-1])[::-1]  # this group's weight and those after it
        for position, k in enumerate(order):
            g = names[k]
            left = end - solver.clock.now()
            if left <= 0.05 or solver.cancelled.is_set() or solver.abandoned:
                return best
            share = weight[position] / to_come[position]
            found = _improve_group(
                solver, run.x, cost, groups, int(g), max(left * share, MIN_GROUP_SECONDS)
            )
            if solver.abandoned:
                return best
            if found is not None and improves(dot(cost, found), best):
                run.x, best, improved = found, dot(cost, found), True
            log.debug("polish group %d (%d columns): %g", g, sizes[k], best)
            if optimal(best):
                return best
    return best


def _improve_group(
    solver: LexicographicSolver,
    x: np.ndarray | None,
    cost: np.ndarray,
    groups: np.ndarray,
    g: int,
    limit: float,
) -> np.ndarray | None:
    """The stage re-solved over group g's neighbourhood, every other column fixed at x, within
    `limit` seconds (solve/submodel.py): a valid plan (every row and hold kept), or None."""
    assert x is not None
    return solve_neighbourhood(solver, x, cost, free_columns(solver, groups, g), limit)


def lp_in_time(mm: MatrixModel, limit: float) -> bool:
    """A relaxation of this model can be solved within `limit`: always up to LARGE_LP_COLUMNS
    columns, above only with at least LARGE_LP_SECONDS."""
    return mm.n_cols <= LARGE_LP_COLUMNS or limit >= LARGE_LP_SECONDS


def lp_method(mm: MatrixModel, i: int) -> str:
    """HiGHS's LP solver for stage i's relaxation: the simplex for a snapshot's cost stage,
    the interior-point solver otherwise. Measured with every earlier stage held:

    | relaxation                          | simplex        | interior point |
    |---|---|---|
    | timed example (33k columns), cost   | 97 s           | 5-7 s          |
    | 100 x 300 x 20 snapshot (64k), p3   | 32 s           | 11 s           |
    | 100 x 300 x 20 snapshot, cost       | 1.3-1.9 s      | 11 s           |
    | 100 x 300 x 20 snapshot, presence   | 106 s          | 27 s           |

    The snapshot's cost stage is a transportation problem once the shortfall is held; the
    timed one's tour rows and the presence links are where the simplex stalls. Starting the
    simplex from the previous stage's basis did not help (priority 3 of the snapshot: not
    solved in 120 s from priority 2's basis)."""
    if not mm.timed and mm.stages[i].name == "cost":
        return "simplex"
    return "ipm"


@dataclass
class Relaxation:
    """A stage's LP relaxation: its value (a lower bound, in the stage's scaled units without
    its offset) and its solution (an interior point, or a vertex for the simplex)."""

    bound: float
    x: np.ndarray
    searched: bool = False  # its neighbourhood (solve/rins.py) was searched already


def relaxation_bound(
    solver: LexicographicSolver, run: Progress, i: int, end: float | None = None
) -> Relaxation | None:
    """A lower bound on stage i: its LP relaxation (every hold kept) by `lp_method(mm, i)`,
    within half the time left until `end`; None if it does not finish. Its solution guides
    `rins.improve_near_relaxation`. Not tried with no more time than an earlier stage's
    relaxation by the same method ran out of (`run.lp_ran_out`): the holds only add rows, and
    on 50 x 100 x 30 over 12 quarters priorities 2, 3 and the cost each spent half their share
    (3.2-3.4 s of about 7 s) on a relaxation that did not finish. Nor by the interior point
    with time for fewer than IPM_MIN_ITERATIONS iterations (`clock.ipm_iterations`): on
    that case priority 2's, the first, still spent 3 s of its 6 s on one (it needs over 15 s)."""
    mm, h = solver.mm, solver.h
    if run.x is None or not polishes(mm, i) or not on_whole_model(mm, run.total):
        return None
    limit = 0.5 * ((end or run.deadline) - solver.clock.now())
    if limit < 1.0 or solver.cancelled.is_set() or not lp_in_time(mm, limit):
        return None
    method, stage = lp_method(mm, i), mm.stages[i]
    if limit <= run.lp_ran_out.get(method, 0.0):
        log.info("stage %-14s no relaxation: an earlier one ran out of more time", stage.name)
        return None
    nnz = counted(h, solver.stop)[1]
    if method == "ipm" and solver.clock.ipm_iterations(limit, nnz) < IPM_MIN_ITERATIONS:
        log.info(
            "stage %-14s no relaxation: too large for %.1f %s", stage.name, limit, solver.clock.unit
        )
        return None
    h.clearSolver()  # presolved from nothing, not from a face's basis (face._relaxation)
    columns = np.arange(mm.n_cols, dtype=np.int32)
    h.changeColsCost(mm.n_cols, columns, mm.costs[i])
    h.changeObjectiveOffset(0.0)
    h.changeColsIntegrality(mm.n_cols, columns, np.zeros(mm.n_cols, dtype=np.uint8))
    h.setOptionValue("solver", method)
    # an LP's time limit counts HiGHS's run time since the instance was made
    h.setOptionValue("time_limit", float(h.getRunTime() + limit))
    try:
        status = solver.run_search(limit)
    finally:
        if not solver.abandoned:
            h.setOptionValue("solver", "choose")
            h.changeColsIntegrality(mm.n_cols, columns, mm.integrality.astype(np.uint8))
    if status == MS.kTimeLimit and not solver.cancelled.is_set():
        run.lp_ran_out[method] = max(run.lp_ran_out.get(method, 0.0), limit)
        log.info(
            "stage %-14s relaxation not solved in %.1f %s", stage.name, limit, solver.clock.unit
        )
    if solver.abandoned or status != MS.kOptimal:
        return None
    bound = float(h.getInfo().objective_function_value)
    x = np.asarray(h.getSolution().col_value, dtype=float)[: mm.n_cols].copy()
    h.clearSolver()
    log.info("stage %-14s relaxation bound %g", stage.name, stage.scale * (bound + mm.offsets[i]))
    return Relaxation(bound, x)
