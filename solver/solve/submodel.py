"""A neighbourhood of the plan solved as a model of its own (fix-and-optimise, solve/polish.py).

For the plan x, a set F of free columns and the stage's cost row c, every other column is fixed
at x and what is left is handed to a HiGHS instance of its own:

    minimise    c_F @ z
    subject to  rl_R - A_{R,~F} x_~F  <=  A_{R,F} z  <=  ru_R - A_{R,~F} x_~F
                h_k,F @ z  <=  v_k + tol_k - h_k,~F @ x_~F          for every held stage k
                l_F <= z <= u_F,   z_j whole for j in F ∩ I

    F       the free columns: one group's (a capability's or a pledge's x and arrival columns)
            and the ungrouped columns (shortfall, presence, caveat indicators) that share a
            row with them
    R       the rows with a nonzero in a column of F (every other row is constant)
    rl, ru  the rows' bounds as the solve holds them now (`LexicographicSolver.row_bounds`:
            a re-solve may have relaxed some, an optimal face narrowed some)
    l, u    the columns' bounds as the solve holds them now (narrowed by an optimal face)
    h_k     the cost row of held stage k, v_k its held value, tol_k its hold's own slack
            (`LexicographicSolver.held_stages`; 0 for a stage held on its face)

The plan z (with x on ~F) keeps every row, bound and hold of the whole model, which
`keeps_rows` checks again before it is taken.

Why not fix the other columns' bounds in the solve's own instance and run it: HiGHS presolves
the whole model each time. On the generated 100 x 300 x 20 snapshot (64k columns) a step took
0.07-0.15 s before any search; on 300 x 1000 x 30 (963k columns) a pass over the 30
capabilities did not fit in a stage's share. Extracted, a capability of that case (39-54k
columns, 60-95k rows) took 0.05-0.1 s to build and 0.5-1.8 s to solve, and one pass took
priority 1 from the construction heuristic's 362 to 194.5 in 28 s, where HiGHS's MIP on the
whole model kept 362 for the whole 60 s.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np
import scipy.sparse as sp

from ..model.portable import dot
from .instance import MS, StopFlag, apply_options, new_highs, rounded, start_misread
from .options import SolveOptions
from .watchdog import run_watched

if TYPE_CHECKING:
    from .highs import LexicographicSolver

log = logging.getLogger("forcegen.solve")


# a second run (after HiGHS misread the start) needs this much left. Under a work limit a run
# with less than its set-up's charge (clock.RUN + clock.BASE per nonzero) stops before it
# searches, but the neighbourhoods are small: with 0.25 (a neighbourhood's least time,
# polish.MIN_GROUP_SECONDS) 40 x 40 x 20 over 36 months stayed at p2 2,008.5 and 50 x 100 x 30
# over 12 quarters at p3 5,395.5, where second runs with less left found 2,006.5 and 5,389.5
MIN_SECONDS = 0.05
# a neighbourhood's model: matrix, cost, columns (lower, upper, integrality), rows (lower, upper)
Model = tuple[
    sp.csr_matrix,
    np.ndarray,
    tuple[np.ndarray, np.ndarray, np.ndarray],
    tuple[np.ndarray, np.ndarray],
]


def free_columns(solver: LexicographicSolver, groups: np.ndarray, g: int) -> np.ndarray:
    """F for group g: its columns and the ungrouped columns sharing a row with them."""
    mine = groups == g
    rows = np.unique(solver.by_column()[:, np.flatnonzero(mine)].indices)
    touched = np.zeros(len(groups), dtype=bool)
    touched[np.unique(solver.mm.a[rows].indices)] = True
    return mine | (touched & (groups < 0))


def solve_neighbourhood(
    solver: LexicographicSolver, x: np.ndarray, cost: np.ndarray, free: np.ndarray, limit: float
) -> np.ndarray | None:
    """The best plan HiGHS finds within `limit` seconds with every column outside `free` fixed
    at x, started from x: a full column vector keeping every row, bound and hold, or None."""
    mm = solver.mm
    columns = np.flatnonzero(free)
    fixed_part = np.where(free, 0.0, x)
    rows = solver.binding(np.unique(solver.by_column()[:, columns].indices))
    a_rows = mm.a[rows]
    constant = a_rows @ fixed_part
    held = solver.held_stages()
    row_lower, row_upper = solver.row_bounds()
    matrix = sp.vstack([a_rows[:, columns]] + [sp.csr_matrix(c[columns]) for c, _, _ in held])
    lower = np.concatenate([row_lower[rows] - constant, np.full(len(held), -np.inf)])
    upper = np.concatenate(
        [row_upper[rows] - constant, [v + slack - dot(c, fixed_part) for c, v, slack in held]]
    )
    bounds = (solver.col_lower[columns], solver.col_upper[columns], mm.integrality[columns])
    values = run_model(
        solver, sp.csr_matrix(matrix), cost[columns], bounds, (lower, upper), x[columns], limit
    )
    found = None if values is None else placed(solver, x, columns, values)
    return found if found is not None and solver.keeps_rows(found) else None


def run_model(
    solver: LexicographicSolver,
    matrix: sp.csr_matrix,
    cost: np.ndarray,
    columns: tuple[np.ndarray, np.ndarray, np.ndarray],
    rows: tuple[np.ndarray, np.ndarray],
    start: np.ndarray,
    limit: float,
    options: dict[str, Any] | None = None,
) -> np.ndarray | None:
    """A model of its own (`pass_model`) run by HiGHS from `start` within `limit`, under the
    solve's clock, watchdog and Ctrl-C, with the solve's options as a neighbourhood takes them
    (and `options`): its solution's values, or None (no plan, or the run was abandoned).

    Where HiGHS misread the start (instance.start_misread: it took the start for better than it
    is, so it never looked for plans between the two values), whatever the run's status, the
    model is run again without it in the time left (at least MIN_SECONDS), and the better of
    the two solutions is returned. Measured on the bundled timed example and its seven
    scenarios under the example's work limit: 0 to 6 neighbourhoods a solve, each time a
    better plan the second time."""
    began = solver.clock.now()
    model = (matrix, cost, columns, rows)
    values, misread = _run(solver, model, start, limit, options)
    left = limit - (solver.clock.now() - began)
    if not misread or values is None or left <= MIN_SECONDS or solver.cancelled.is_set():
        return values
    log.debug("a neighbourhood: HiGHS misread the start; run again without it")
    again, _ = _run(solver, model, None, left, options)
    if again is not None and dot(cost, again[: len(cost)]) < dot(cost, values[: len(cost)]):
        return again
    return values


def _run(
    solver: LexicographicSolver,
    model: Model,
    start: np.ndarray | None,
    limit: float,
    options: dict[str, Any] | None,
) -> tuple[np.ndarray | None, bool]:
    """One run of `run_model`'s: the solution's values (or None) and whether HiGHS misread
    the start."""
    matrix, cost, columns, rows = model
    h = new_highs()
    stop = StopFlag(h)
    apply_options(h, {**neighbourhood_options(solver.options), **(options or {})})
    pass_model(h, matrix, cost, columns, rows)
    if start is not None:
        h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
    h.setOptionValue("time_limit", float(limit))
    status = run_watched(solver, limit, h, stop)
    if status == MS.kMemoryLimit:  # as in the stage's own run: the stage ends there, plan kept
        raise MemoryError("HiGHS ran out of memory in a neighbourhood of the plan")
    if solver.abandoned or h.getInfo().primal_solution_status != 2:
        return None, False
    return np.asarray(h.getSolution().col_value), start is not None and start_misread(h, cost)


def placed(
    solver: LexicographicSolver, x: np.ndarray, columns: np.ndarray, values: np.ndarray
) -> np.ndarray | None:
    """x with `columns` set to the first values (whole columns rounded); None if a column
    leaves its bounds as the solve holds them."""
    found = x.copy()
    found[columns] = rounded(values[: len(columns)], solver.mm.integrality[columns])
    return found if solver.within_columns(found) else None


# HiGHS options that belong to a run on the whole model: a neighbourhood's objective has no
# fixed part (a bound or target on it would mean something else) and its log and files would
# repeat for every one of hundreds of neighbourhoods
WHOLE_MODEL_ONLY = (
    "objective_bound",
    "objective_target",
    "log_file",
    "solution_file",
    "write_solution_to_file",
    "write_model_to_file",
    "output_flag",
    "log_to_console",
)


def neighbourhood_options(options: SolveOptions) -> dict[str, Any]:
    """The solve's HiGHS options as a neighbourhood's run takes them: quiet, and without
    WHOLE_MODEL_ONLY."""
    kept = {k: v for k, v in options.highs_options().items() if k not in WHOLE_MODEL_ONLY}
    return {**kept, "output_flag": False}


def pass_model(
    h: highspy.Highs,
    matrix: sp.csr_matrix,
    cost: np.ndarray,
    columns: tuple[np.ndarray, np.ndarray, np.ndarray],
    rows: tuple[np.ndarray, np.ndarray],
) -> None:
    """A model of its own into h: `columns` (lower, upper, integrality 0/1), `rows` (lower,
    upper)."""
    n_cols, n_rows = matrix.shape[1], matrix.shape[0]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = cost.astype(float)
    lp.col_lower_, lp.col_upper_ = columns[0], columns[1]
    lp.row_lower_, lp.row_upper_ = rows
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_cols, n_rows
    kinds = [highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger]
    lp.integrality_ = [kinds[int(i)] for i in columns[2]]
    h.passModel(lp)
