"""The construction heuristic's near-plan made valid: its short rows met by HiGHS, one group at
a time (an elastic fix-and-optimise).

The heuristic (solve/greedy.py, solve/greedy_time.py) keeps every row within its upper bound
but may leave rows below their lower bound: hard lines, `min_units`, minimum contingents. On
the generated 40 x 40 x 20 case over 36 months it left one hard line short in 10 of its months:
a pool of three units (six-month tours, twelve months of dwell) sent two at once, so it had one
to send six months later and none six months after that. Without a plan, the solve fell back to HiGHS's
feasibility run (solve/feasible.py), whose plan has no objective at all: priority 1 was 8,229
at 60 s where the best known is 66.5.

So the near-plan x is repaired. With S the rows below their lower bound and g a group of
columns touching S (solve/groups.py, the first level: one capability), every column outside g's
free columns F is fixed at x, and each short row of R gets an elastic column:

    minimise    sum_{r in S ∩ R} e_r  +  eps c1_F @ z
    subject to  rl_R - A_{R,~F} x_~F  <=  A_{R,F} z + E e  <=  ru_R - A_{R,~F} x_~F
                l_F <= z <= u_F,   e >= 0,   z_j whole for j in F ∩ I

    F      g's columns and the ungrouped columns sharing a row with them (submodel.py)
    R      the rows with a nonzero in a column of F
    E      one column per short row of R: 1 in that row
    rl,ru  the rows' bounds; l, u the columns'
    c1     the first stage's cost (priority 1's shortfall), eps such that eps |c1_F| u_F is
           at most TIE_BREAK: among repairs as short, the one that keeps priority 1's lines
           (with no other aim, the repair of a re-plan's near-plan for a nation leaving the
           timed example under `--work-limit 5` gave up AD_BTY's cover: priority 1 164 and the
           heuristic's plan the start, 40% coverage after the solve; with it 132, 88.6%; the
           40 x 40 x 20 case over 36 months, `--work-limit 60`: priority 1 88.5 -> 83.5);
           in a re-plan, plus the changes stage's cost scaled to half of c1's least step in
           all, so that among repairs as good at priority 1 the one keeping the baseline wins
           (ITA leaving the timed example, `--work-limit 5`: p2 93 -> 90, 220 -> 209
           unit-months changed)

started from (x_F, e = what each row lacks). z is taken when the rows' total shortness below
their lower bounds drops and no row leaves its bounds; the groups touching S are repaired in
turn (most short rows first), for at most PASSES passes. The repaired plan is the start only if
it keeps every row (`keeps_rows`). On that case: one capability of 6,117 columns, 0.2-0.5 s.

HiGHS's presolve is on in these runs, as in every neighbourhood. It was off (with it and the
start, HiGHS 1.16 returned the start unchanged while reporting the objective 0 as optimal:
the misread `instance.start_misread` tells, and `run_model` then runs the model again without
the start). Without presolve the work clock charges a MIP for every row of its model
(solve/clock.py: HiGHS's presolve says what it searches), 16k rows on that case, most of them
slack: 3.1 units for a run of 0.12 s. Under `--work-limit 6` the repair was stopped after two
calls of HiGHS's callback with no plan, HiGHS's feasibility run found none in what was left,
and the solve ended without a plan (`--work-limit 3`: the same, after 35 s in the first stage's
presolve). With presolve the run takes 0.25-1 s and is charged 0.3-1.2 units: a plan at work
limits 3, 6, 10 and 60 (priority 1 at 60: 70.5, 74.5 before; docs/performance.md).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ..model.portable import dot
from .submodel import free_columns, placed, run_model

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel
    from .highs import LexicographicSolver

log = logging.getLogger("forcegen.solve")

PASSES = 2  # over the groups touching short rows
TIE_BREAK = 0.5  # of a unit short: what the first stage's cost may count in a repair at most


def shortness(lower: np.ndarray, act: np.ndarray) -> np.ndarray:
    """Per row, how far its activity is below its lower bound (0 where it is not)."""
    return np.maximum(lower - act, 0.0)


def repaired(solver: LexicographicSolver, x: np.ndarray, limit: float) -> np.ndarray | None:
    """The near-plan x (every row within its upper bound) with its short rows met, within
    `limit` (on the solve's clock); None when a row stays short or the plan breaks a row."""
    mm, clock = solver.mm, solver.clock
    groups = mm.col_group
    if groups is None:
        return None
    deadline = clock.deadline(limit)
    for _ in range(PASSES):
        short = np.flatnonzero(shortness(solver.row_bounds()[0], mm.a @ x) > 1e-6)
        if not len(short):
            break
        improved = False
        for g in _groups_touching(mm.a, short, groups):
            left = deadline - clock.now()
            if left <= 0 or solver.cancelled.is_set() or solver.abandoned:
                return None
            found = _elastic(solver, x, free_columns(solver, groups, g), left)
            if found is not None:
                x, improved = found, True
        if not improved:
            break
    return x if solver.keeps_rows(x) else None


def _groups_touching(a: sp.csr_matrix, short: np.ndarray, groups: np.ndarray) -> list[int]:
    """The groups with a column in a short row, the one in most short rows first (then by
    number)."""
    rows_of: dict[int, int] = {}
    for r in short:
        for g in np.unique(groups[a.indices[a.indptr[r] : a.indptr[r + 1]]]):
            if g >= 0:
                rows_of[int(g)] = rows_of.get(int(g), 0) + 1
    return sorted(rows_of, key=lambda g: (-rows_of[g], g))


def _tie_break(mm: MatrixModel, columns: np.ndarray) -> np.ndarray:
    """The first stage's cost on the free columns, scaled to count less than TIE_BREAK units
    short in all: among repairs as short, the one that keeps the lines of the stage solved next
    (a re-plan's near-plan repaired with no other aim dropped a whole capability's cover)."""
    if not mm.costs:
        return np.zeros(len(columns))
    first = mm.costs[0][columns]
    reach = np.where(np.isfinite(mm.col_upper[columns]), mm.col_upper[columns], 1.0)
    first = first * (TIE_BREAK / (dot(np.abs(first), reach) + 1.0))
    names = [stage.name for stage in mm.stages]
    if "changes" not in names:
        return first
    # a re-plan's: then the changes stage's, counting less in all than the least step of the
    # first's, so that among repairs as short and as good at priority 1 the one that keeps
    # the baseline's units wins (a trial: filling one month of one line re-planned every
    # tour of the capability, and the baseline tours dropped with it stayed dropped)
    changes = mm.costs[names.index("changes")][columns]
    steps = np.abs(first[first != 0])
    room = 0.5 * float(steps.min()) if len(steps) else TIE_BREAK
    return first + changes * (room / (dot(np.abs(changes), reach) + 1.0))


def _elastic(
    solver: LexicographicSolver, x: np.ndarray, free: np.ndarray, limit: float
) -> np.ndarray | None:
    """x with the free columns re-planned to lessen the short rows (the model above): the
    new plan, or None when HiGHS found nothing less short."""
    mm = solver.mm
    lower, upper = solver.row_bounds()
    columns = np.flatnonzero(free)
    rows = np.unique(solver.by_column()[:, columns].indices)
    a_rows = mm.a[rows]
    lacking = shortness(lower[rows], a_rows @ x)
    elastic = np.flatnonzero(lacking > 1e-6)
    if not len(elastic):
        return None
    constant = a_rows @ np.where(free, 0.0, x)
    k = len(elastic)
    e = sp.csr_matrix((np.ones(k), (elastic, np.arange(k))), shape=(len(rows), k))
    matrix = sp.hstack([a_rows[:, columns], e]).tocsr()
    bounds = (
        np.concatenate([solver.col_lower[columns], np.zeros(k)]),
        np.concatenate([solver.col_upper[columns], np.full(k, np.inf)]),
        np.concatenate([mm.integrality[columns], np.zeros(k, dtype=mm.integrality.dtype)]),
    )
    cost = np.concatenate([_tie_break(mm, columns), np.ones(k)])
    row_bounds = (lower[rows] - constant, upper[rows] - constant)
    start = np.concatenate([x[columns], lacking[elastic]])
    began = time.perf_counter()
    values = run_model(solver, matrix, cost, bounds, row_bounds, start, limit)
    found = None if values is None else placed(solver, x, columns, values)
    if found is None:
        return None
    act = mm.a @ found
    before = shortness(lower, mm.a @ x)
    after = shortness(lower, act)
    kept = np.all(act <= upper + 1e-6)
    newly_short = np.any((after > 1e-6) & (before <= 1e-6))
    if not kept or newly_short or after.sum() >= before.sum() - 1e-6:
        return None
    log.info(
        "repair: %d columns re-planned, rows short by %g -> %g (%.2f s)",
        len(columns),
        before.sum(),
        after.sum(),
        time.perf_counter() - began,
    )
    return found
