"""A stage solved on the optimal face of its relaxation, when the relaxation is tight.

Stage i minimises c @ z over the model's rows and bounds (the earlier stages held), z_I whole:

    min  c @ z   s.t.  rl <= A z <= ru,   l <= z <= u,   z_j whole for j in I

Let L be the optimum of its LP relaxation and (y, d) an optimal dual solution: y the row duals,
d = c - A^T y the reduced costs. By complementary slackness an LP-feasible z is LP-optimal if
and only if

    z_j = l_j where d_j > 0,     z_j = u_j where d_j < 0,
    (A z)_r = rl_r where y_r > 0,   (A z)_r = ru_r where y_r < 0

(the optimal face F). If F holds a whole point z*, then c @ z* = L, so z* is optimal for the
stage and L proves it (gap 0). Every optimal plan of the stage then lies in F (its value is L,
so it is LP-optimal), and the bounds of F can replace the stage's holding row for every later
stage: the set of plans is the same, without the dense row that makes the later relaxations slow
(docs/performance.md "Time").

So: solve the relaxation; search its neighbourhood first (solve/rins.py: the plan so far with
the whole columns where the vertex agrees with it fixed), and if that plan reaches L the stage
is proven; else restrict the bounds to F and look for a whole point in F (a feasibility problem
HiGHS ends at its first plan, since its bound is L). If there is none within the stage's share
of time, the bounds are restored and the stage is solved as usual, with the plan found so far
as its start (a face proven to hold no whole point turns faces off for the solve; one whose
search ran out of time does not). Duals within TOLERANCE of 0 are read as 0: that only widens F (a few
more plans kept), and the stage's value is still held by `LexicographicSolver.keeps_rows`.

Measured on the bundled timed example (33k columns): the three shortfall stages' relaxations
take 0.4-1 s each and their whole points in F 1.4-8 s, against 26-33 s for the three MIPs. The
neighbourhood first proves priorities 1 and 2 in 1.0 and 2.1 s (the whole point in F took 7.8 s
for priority 1, in cut rounds at a root already at L) and leaves priority 3 at 103 against 101,
which F then gives: 4.6 s. The three stages: 7.7 s against 12.7 s.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import highspy
import numpy as np

from ..model.matrix import within
from ..model.portable import dot
from ..model.stage_names import is_shortfall
from . import endings, polish
from .instance import MS, valid_plan
from .outcome import StageResult
from .rins import improve_near_relaxation

if TYPE_CHECKING:
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")

TOLERANCE = 1e-7  # a reduced cost or row dual smaller than this is read as 0 (HiGHS's own
# dual feasibility tolerance)
FACE_SHARE = 0.5  # of the stage's share of the time left (solve/budget.py)
FACE_LP_SHARE = 0.5  # of that, for the relaxation
NEAR_SHARE = 0.5  # of the stage's time left, at most, for the relaxation's neighbourhood
# Above this size the relaxation alone outlasts the time a 60 s solve can give it: the generated
# 40x40x20 case over 36 months (202k columns) did not solve its first one in 20 s, where the
# 50x100x30 case over 12 quarters (92k columns) proved priority 1 on its face in 22 s.
FACE_MAX_COLUMNS = 150_000


@dataclass
class Face:
    """Bounds of the optimal face: every column and row, as HiGHS holds them now."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray


def tries_face(solver: LexicographicSolver, i: int) -> bool:
    """Stage i of this model is tried on its face: the shortfall stages of a timed model, or of
    a snapshot from polish.LNS_MIN_COLUMNS columns on, up to FACE_MAX_COLUMNS. On a generated
    100 x 300 x 20 snapshot (64k columns) priority 1 was proven on its face in 2.9 s, against
    9.4 s for HiGHS's MIP from the heuristic's start; small snapshots keep the MIP, which proves
    them in moments and whose plans the reference pins hold."""
    mm = solver.mm
    if not is_shortfall(mm.stages[i].name) or mm.n_cols > FACE_MAX_COLUMNS:
        return False
    # with no time at all: within LNS_MAX_COLUMNS and LARGE_LP_COLUMNS (FACE_MAX_COLUMNS is
    # below both; said for clarity)
    if not polish.on_whole_model(mm, 0.0):
        return False
    return mm.timed or mm.n_cols >= polish.LNS_MIN_COLUMNS


def solve_on_face(
    solver: LexicographicSolver, run: Progress, i: int, end: float
) -> StageResult | None:
    """Stage i solved on the optimal face of its relaxation: its result (optimal, gap 0) with
    the face's bounds left in place, or None (relaxation not solved, no whole point in the face
    in time) with every bound as it was; `run.x` gains any better valid plan found."""
    mm, h = solver.mm, solver.h
    stage, cost, offset = mm.stages[i], mm.costs[i], mm.offsets[i]
    began = time.perf_counter()
    limit = FACE_SHARE * (end - solver.clock.now())
    if limit < 0.5 or solver.cancelled.is_set() or solver.faces_off:
        return None
    bound = _relaxation(solver, cost, FACE_LP_SHARE * limit)
    if bound is None:
        # the later stages' relaxations are no smaller: their time goes to the MIP
        solver.faces_off = True
        why = "interrupted" if solver.cancelled.is_set() else "not solved in time"
        log.info("stage %-14s relaxation %s: no faces in this solve", stage.name, why)
        return None
    # kept for the stage's own search should the face hold no whole point (a bound, and the
    # vertex for the relaxation's neighbourhood): the LP is not solved twice
    relaxed = polish.Relaxation(bound, _vertex(solver))
    solver.face_relaxation = relaxed
    before = _current(solver)
    face = _face_bounds(solver, before)
    now = solver.clock.now()
    # as much time as the stage's own search would give the neighbourhood (highs.RINS_SHARE):
    # where the face holds no whole point (not tight) its plan is the stage's start
    near = _near_vertex(solver, run, i, relaxed, now + NEAR_SHARE * (end - now))
    if solver.abandoned:  # HiGHS still runs the neighbourhood: nothing more on it (highs._stage)
        return None
    if near:
        solver.unheld_face = (before, face)
        return endings.proven(solver, run, i, time.perf_counter() - began)
    if solver.cancelled.is_set():
        return None
    apply_bounds(solver, face)
    try:
        left = FACE_SHARE * (end - solver.clock.now())
        found = _whole_point(solver, run, max(left, 0.1))
        none_there = not solver.abandoned and h.getModelStatus() == MS.kInfeasible
    except BaseException:  # Ctrl-C between HiGHS runs, out of memory: the face is not held,
        apply_bounds(solver, before)  # so not kept (the solve may go on with the plan so far)
        raise
    if solver.abandoned:  # HiGHS still runs on the face: nothing more on its instance
        return None
    if found is None or not polish.reaches(dot(cost, found), bound, offset):
        apply_bounds(solver, before)
        h.clearSolver()
        # kept should the stage's own search reach the bound (`endings.proven`)
        solver.unheld_face = (before, face)
        if none_there:
            # the later stages' relaxations were no tighter wherever this was measured
            # (priorities 2 and 3 of 100 x 300 x 20; 1 and 2 of 50 x 100 x 30 over 12 quarters):
            # their time goes to the bound, the neighbourhoods and the MIP instead. A search
            # stopped by its time proves nothing: on a loaded machine priority 1 of the timed
            # example ran out of it, and the faces of priorities 2 and 3 still take 2 s each.
            solver.faces_off = True
        log.info(
            "stage %-14s %s on the relaxation's optimal face",
            stage.name,
            "no whole point" if none_there else "no whole point found in time",
        )
        return None
    run.x = found
    value = dot(cost, found)
    hold_proven(solver, i, found, before, face)
    seconds = time.perf_counter() - began
    log.info("stage %-14s optimal on the relaxation's face %.3f s", stage.name, seconds)
    return StageResult(stage.name, "optimal", stage.scale * (value + offset), 0.0, seconds, 1)


def _near_vertex(
    solver: LexicographicSolver, run: Progress, i: int, relaxed: polish.Relaxation, end: float
) -> bool:
    """The relaxation's neighbourhood (solve/rins.py: the plan so far, or the start, with the
    whole columns where the vertex agrees with it fixed) searched before the face's whole
    point; True when its plan reaches the bound. On the timed example it proves priorities 1
    and 2 in 0.6-1 s, where HiGHS's search for a whole point on the face took 6.7 s for
    priority 1 (cut rounds at a root already at the optimum); priority 3 is left at 103 against
    101, and its face gives the whole point in 1.6 s."""
    seeded = run.seed()
    if not polish.plan_at_bound(solver.mm, run.x, i, relaxed.bound):  # else: optimal already
        improve_near_relaxation(solver, run, i, relaxed.x, end)
        relaxed.searched = True
    proven = polish.plan_at_bound(solver.mm, run.x, i, relaxed.bound)
    run.unseed(seeded, proven)
    return proven


def narrows_holds(solver: LexicographicSolver, before: Face, face: Face) -> bool:
    """The face narrows a row that holds an earlier stage (its dual was not 0): then the stage
    is held by a row of its own instead, every bound as before. A face would fix that row at
    its value plus its slack, which no whole plan meets exactly, and the searches that check
    plans by the holds as rows (LexicographicSolver.keeps_rows, the neighbourhoods) would no
    longer agree with the model in HiGHS (their plans refused as HiGHS's starts)."""
    n = solver.mm.n_rows
    return bool(
        np.any(face.row_lower[n:] != before.row_lower[n:])
        or np.any(face.row_upper[n:] != before.row_upper[n:])
    )


def hold_proven(
    solver: LexicographicSolver, i: int, x: np.ndarray, before: Face, face: Face
) -> None:
    """Stage i, proven optimal at plan x, held on its face (its bounds set in HiGHS) when the
    face leaves the earlier holding rows as they are and x lies in it; else by a row, every
    bound as `before`. The hold is recorded before HiGHS gets the face's bounds, so a Ctrl-C
    between the two still leaves `reset` what it needs to restore them."""
    stage, cost = solver.mm.stages[i], solver.mm.costs[i]
    value = dot(cost, x)
    if not narrows_holds(solver, before, face) and _within(solver, x, face):
        solver.hold_on_face(cost, value, before, face)
        apply_bounds(solver, face)
    else:
        apply_bounds(solver, before)
        solver.hold(cost, value, stage.hold_abs, stage.hold_rel)


def _within(solver: LexicographicSolver, x: np.ndarray, face: Face) -> bool:
    """x lies within the face's bounds on the columns and the model's rows (the holding rows
    are left as they were: `narrows_holds`)."""
    n = solver.mm.n_rows
    lower, upper = face.row_lower[:n], face.row_upper[:n]
    return within(solver.mm.a, x, face.col_lower, face.col_upper, lower, upper)


def _relaxation(solver: LexicographicSolver, cost: np.ndarray, limit: float) -> float | None:
    """Stage i's LP relaxation (objective `cost`, offset 0) by the simplex, which leaves the
    basis and duals for `_face_bounds`; its value, or None if not optimal within `limit`."""
    mm, h = solver.mm, solver.h
    # from scratch, presolved: from the basis an earlier stage's relaxation left (its plan at
    # that bound already, so no search ran in between) a re-plan's priority 2 did not finish in
    # 290 s; presolved from nothing, 0.7 s
    h.clearSolver()
    columns = np.arange(mm.n_cols, dtype=np.int32)
    h.changeColsCost(mm.n_cols, columns, cost)
    h.changeObjectiveOffset(0.0)
    h.changeColsIntegrality(mm.n_cols, columns, np.zeros(mm.n_cols, dtype=np.uint8))
    # an LP's time limit counts HiGHS's run time since the instance was made
    h.setOptionValue("time_limit", float(h.getRunTime() + limit))
    try:
        status = solver.run_search(limit)
    finally:
        if not solver.abandoned:
            h.changeColsIntegrality(mm.n_cols, columns, mm.integrality.astype(np.uint8))
    if solver.abandoned or status != MS.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)


def _vertex(solver: LexicographicSolver) -> np.ndarray:
    """The relaxation's solution now in HiGHS."""
    return np.asarray(solver.h.getSolution().col_value, dtype=float)[: solver.mm.n_cols].copy()


def _current(solver: LexicographicSolver) -> Face:
    lp = solver.h.getLp()
    return Face(
        np.asarray(lp.col_lower_, dtype=float),
        np.asarray(lp.col_upper_, dtype=float),
        np.asarray(lp.row_lower_, dtype=float),
        np.asarray(lp.row_upper_, dtype=float),
    )


def _face_bounds(solver: LexicographicSolver, now: Face) -> Face:
    """The bounds of F from the relaxation's duals (HiGHS's sign convention: a positive dual
    pushes against the lower bound)."""
    solution = solver.h.getSolution()
    d = np.asarray(solution.col_dual, dtype=float)
    y = np.asarray(solution.row_dual, dtype=float)
    face = Face(
        now.col_lower.copy(), now.col_upper.copy(), now.row_lower.copy(), now.row_upper.copy()
    )
    at_lower, at_upper = d > TOLERANCE, d < -TOLERANCE
    face.col_upper[at_lower] = now.col_lower[at_lower]
    face.col_lower[at_upper] = now.col_upper[at_upper]
    on_lower = (y > TOLERANCE) & np.isfinite(now.row_lower)
    on_upper = (y < -TOLERANCE) & np.isfinite(now.row_upper)
    face.row_upper[on_lower] = now.row_lower[on_lower]
    face.row_lower[on_upper] = now.row_upper[on_upper]
    return face


class WithHighs(Protocol):
    """A solver's HiGHS instance: what `apply_bounds` changes."""

    h: highspy.Highs


def apply_bounds(solver: WithHighs, bounds: Face) -> None:
    """Every column's and row's bounds in HiGHS set to `bounds`."""
    h = solver.h
    n_cols, n_rows = len(bounds.col_lower), len(bounds.row_lower)
    h.changeColsBounds(
        n_cols, np.arange(n_cols, dtype=np.int32), bounds.col_lower, bounds.col_upper
    )
    # highspy's stubs lack changeRowsBounds (the binding has it)
    h.changeRowsBounds(  # type: ignore[attr-defined]
        n_rows, np.arange(n_rows, dtype=np.int32), bounds.row_lower, bounds.row_upper
    )


def _whole_point(solver: LexicographicSolver, run: Progress, limit: float) -> np.ndarray | None:
    """A whole point of the bounds now in HiGHS (the face), started from the plan so far;
    None if HiGHS finds none within `limit`. The objective is the stage's (constant on F)."""
    mm, h = solver.mm, solver.h
    if run.x is not None:
        h.setSolution(mm.n_cols, np.arange(mm.n_cols, dtype=np.int32), run.x.astype(float))
    elif run.start is not None and len(run.start[0]):
        cols, vals = run.start
        h.setSolution(len(cols), cols.astype(np.int32), vals.astype(float))
    h.setOptionValue("time_limit", float(limit))
    solver.run_search(limit)
    return None if solver.abandoned else valid_plan(solver)
