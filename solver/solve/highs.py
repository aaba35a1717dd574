"""Lexicographic solve on one persistent HiGHS instance.

Each stage minimises its own cost row; once solved, a *holding row* keeps the stage within a small
tolerance of the value found before the next stage starts, warm-started from the previous
solution. The time limit covers the whole solve: each stage gets what is left, and a watchdog
cancels a stage that overruns it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Any

import highspy
import numpy as np

from ..errors import SolverFailure
from ..model.matrix import MatrixModel
from .instance import MS, apply_options, load, new_highs, run_masked
from .options import SolveOptions
from .outcome import SolveOutcome, StageResult, kept_start, stage_gap

log = logging.getLogger("forcegen.solve")

# seconds past a stage's limit before the watchdog cancels it: HiGHS does not check its own
# time_limit during presolve or a long root LP (at a million columns it overran by 9 s), and a
# cancel takes a few seconds to return there too
WATCHDOG_GRACE = 0.5


def abandon_after(limit: float) -> float:
    """Seconds a cancelled stage may take to return before it is abandoned (a hard stop)."""
    return max(15.0, 0.1 * limit)


class LexicographicSolver:
    """One HiGHS instance that solves the stages in order; reusable for re-solves."""

    def __init__(self, mm: MatrixModel, options: SolveOptions) -> None:
        self.mm = mm
        self.options = options
        self.h = new_highs()
        self.h.HandleUserInterrupt = True  # cancelSolve() only works with this set
        apply_options(self.h, options.highs_options())
        load(self.h, mm)
        self.cancelled = threading.Event()
        self.overran = False
        self.abandoned = False  # a stage did not return after its cancel (see _run)
        self.holds: list[tuple[int, float]] = []  # (row, value) of each held stage, in order

    def solve(
        self, start: tuple[np.ndarray, np.ndarray] | None = None, *, spent: float = 0.0
    ) -> SolveOutcome:
        """Solve every stage in order. `start`: (columns, values), a possibly partial MIP start
        (e.g. the x of an earlier plan) that HiGHS completes and uses if it is feasible.
        `spent`: seconds of the time limit already used (by the construction heuristic)."""
        mm, h = self.mm, self.h
        if self.abandoned:
            raise SolverFailure("HiGHS is still running a stage it was told to stop")
        if mm.n_cols == 0:
            return self._solve_empty()
        began = time.perf_counter()
        deadline = began + max(self.options.time_limit - spent, 0.0)
        fallback = self._valid_full_start(start)  # the plan to keep if HiGHS finds none in time
        x = None
        stages: list[StageResult] = []
        status = "optimal"
        integer = mm.integrality.astype(bool)
        all_cols = np.arange(mm.n_cols, dtype=np.int32)
        for i, stage in enumerate(mm.stages):
            cost = mm.costs[i]
            offset = mm.offsets[i]
            if status == "optimal" and self.cancelled.is_set():
                status = "interrupted"  # Ctrl-C as a stage finished: the next ones are not solved
            if status != "optimal" or self.cancelled.is_set():
                stages.append(StageResult(stage.name, "not_solved"))
                continue
            if x is not None and not cost.any():
                stages.append(StageResult(stage.name, "skipped", offset))
                continue
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                if x is None and fallback is not None:
                    x, status = fallback, "feasible"
                    stages.append(kept_start(stage.name, cost @ x + offset, 0.0))
                    continue
                stages.append(StageResult(stage.name, "not_solved"))
                status = "feasible" if x is not None else "no_solution"
                continue
            h.changeColsCost(mm.n_cols, all_cols, cost)
            h.changeObjectiveOffset(offset)
            h.setOptionValue("time_limit", float(remaining))
            log.info("stage %-14s solving (%.1f s left)", stage.name, remaining)
            if x is not None:
                h.setSolution(mm.n_cols, all_cols, x.astype(float))
            elif start is not None and len(start[0]):
                cols, vals = start
                h.setSolution(len(cols), cols.astype(np.int32), vals.astype(float))
            t0 = time.perf_counter()
            model_status = self._run(remaining)
            if self.abandoned:  # HiGHS is still busy in its thread: nothing can be read from it
                seconds = time.perf_counter() - t0
                if x is None and fallback is not None:
                    x = fallback
                    stages.append(kept_start(stage.name, cost @ x + offset, seconds))
                else:
                    stages.append(StageResult(stage.name, "no_solution", seconds=seconds))
                status = "feasible" if x is not None else "no_solution"
                continue
            if self._start_misread(cost, offset) and not self.cancelled.is_set():
                # HiGHS 1.16's presolve can value a MIP start wrongly in its reduced space and
                # return the start as "optimal": solve the stage again without it.
                log.info(
                    "stage %s: HiGHS misjudged the warm start; solving again without it", stage.name
                )
                h.clearSolver()
                model_status = self._run(max(deadline - time.perf_counter(), 0.01))
            info = h.getInfo()
            seconds = time.perf_counter() - t0
            has_solution = info.primal_solution_status == 2
            log.info(
                "stage %-14s %-12s %.3f s", stage.name, h.modelStatusToString(model_status), seconds
            )
            if model_status == MS.kOptimal:
                stage_status = "optimal"
            elif model_status in (MS.kInfeasible, MS.kUnboundedOrInfeasible) and x is None:
                stages.append(StageResult(stage.name, "infeasible", seconds=seconds))
                status = "infeasible"
                continue
            elif model_status in _LIMITS:
                by_user = self.cancelled.is_set()  # else a limit (or the watchdog) stopped it
                if has_solution:
                    stage_status = "feasible"
                    status = "interrupted" if by_user else "feasible"
                elif x is None and fallback is not None:  # keep the construction heuristic's plan
                    x = fallback
                    stages.append(kept_start(stage.name, cost @ x + offset, seconds))
                    status = "interrupted" if by_user else "feasible"
                    log.info("stage %s: no plan from HiGHS in time; keeping the start", stage.name)
                    continue
                else:
                    stages.append(StageResult(stage.name, "no_solution", seconds=seconds))
                    if by_user:
                        status = "interrupted"
                    else:
                        status = "feasible" if x is not None else "no_solution"
                    continue
            else:
                if x is None:
                    raise SolverFailure(
                        f"HiGHS stopped with status '{h.modelStatusToString(model_status)}' "
                        f"in stage {stage.name}"
                    )
                stages.append(StageResult(stage.name, "not_solved", seconds=seconds))
                status = "feasible"
                continue
            found = np.asarray(h.getSolution().col_value, dtype=float)
            found[integer] = np.round(found[integer])
            x = found
            value = float(cost @ x + offset)
            gap = stage_gap(value, float(info.mip_dual_bound))
            stages.append(
                StageResult(stage.name, stage_status, value, gap, seconds, int(info.mip_node_count))
            )
            if i + 1 < len(mm.stages):
                self._hold(cost, value - offset, stage.hold_abs, stage.hold_rel)
        outcome = SolveOutcome(status, x, stages, time.perf_counter() - began)
        outcome.abandoned = self.abandoned
        return outcome

    def _solve_empty(self) -> SolveOutcome:
        """No allocation option at all: feasible iff every constant row admits 0 (HiGHS calls
        such a model 'empty' rather than solving it)."""
        mm = self.mm
        ok = bool(np.all(mm.row_lower <= 1e-9) and np.all(mm.row_upper >= -1e-9))
        if not ok:
            return SolveOutcome(
                "infeasible", None, [StageResult(s.name, "infeasible") for s in mm.stages[:1]]
            )
        stages = [
            StageResult(s.name, "optimal", float(o))
            for s, o in zip(mm.stages, mm.offsets, strict=True)
        ]
        return SolveOutcome("optimal", np.zeros(0), stages)

    def _valid_full_start(self, start: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray | None:
        """The start as a full column vector if it sets every column and keeps every bound,
        integrality and row; else None (a partial start only guides HiGHS)."""
        mm = self.mm
        if start is None or len(np.unique(start[0])) != mm.n_cols:
            return None
        x = np.zeros(mm.n_cols)
        x[start[0]] = start[1]
        tol = 1e-6
        integer = mm.integrality.astype(bool)
        act = mm.a @ x
        ok = (
            np.all(x >= mm.col_lower - tol)
            and np.all(x <= mm.col_upper + tol)
            and np.all(np.abs(x[integer] - np.round(x[integer])) <= tol)
            and np.all(act >= mm.row_lower - tol)
            and np.all(act <= mm.row_upper + tol)
        )
        return x if ok else None

    def _start_misread(self, cost: np.ndarray, offset: float) -> bool:
        """True when the objective HiGHS reports is not the value of the solution it returns."""
        info = self.h.getInfo()
        if info.primal_solution_status != 2:
            return False
        x = np.asarray(self.h.getSolution().col_value, dtype=float)
        value = float(cost @ x + offset)
        reported = float(info.objective_function_value)
        return abs(reported - value) > 1e-6 * max(1.0, abs(value))

    def reset(self) -> None:
        """Drop the rows added by a solve (stage holds) and clear the solution, so that the
        same loaded model can be solved again after its bounds are changed."""
        extra = self.h.getNumRow() - self.mm.n_rows
        if extra > 0:
            rows = np.arange(self.mm.n_rows, self.mm.n_rows + extra, dtype=np.int32)
            self.h.deleteRows(len(rows), rows)
        self.holds = []
        self.h.clearSolver()

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        if len(rows):
            self.h.changeRowsBounds(len(rows), rows.astype(np.int32), lower, upper)

    def _hold(self, cost: np.ndarray, value: float, hold_abs: float, hold_rel: float) -> None:
        """Keep a solved stage at its value (cost @ x <= value + tolerance) from now on."""
        nz = np.flatnonzero(cost)
        tol = max(hold_abs, hold_rel * abs(value))
        self.holds.append((self.h.getNumRow(), value))
        self.h.addRow(-highspy.kHighsInf, value + tol, len(nz), nz.astype(np.int32), cost[nz])

    def _run(self, limit: float) -> Any:
        """Run HiGHS in a worker thread while this (main) thread waits, so that Ctrl-C reaches
        Python at once and a watchdog can cancel a stage that overruns its time limit (HiGHS does
        not always honour time_limit promptly on large models). A first Ctrl-C cancels the solve
        and keeps the best plan found; a second one, while cancelling, propagates at once.

        The wait is on an Event, not Thread.join: a join interrupted by Ctrl-C can report a
        thread that is still running as finished."""
        h = self.h
        done = threading.Event()
        worker = threading.Thread(target=run_masked, args=(h, done), name="highs", daemon=True)
        hard_stop = time.perf_counter() + limit + WATCHDOG_GRACE
        try:
            worker.start()  # inside: a Ctrl-C while the thread starts is handled like any other
            while not done.wait(0.05):
                now = time.perf_counter()
                if now > hard_stop and not self.overran:
                    log.warning("stage overran its time limit: cancelling")
                    self.overran = True
                    h.cancelSolve()
                elif self.overran and now > hard_stop + abandon_after(limit):
                    log.warning(
                        "HiGHS did not return %.0f s after the cancel: stopped waiting for it",
                        now - hard_stop,
                    )
                    self.abandoned = True
                    return MS.kInterrupt
        except KeyboardInterrupt:
            log.warning("interrupted: stopping HiGHS and keeping the best plan found so far")
            self.cancel()
            if worker.ident is None:  # the thread never started: HiGHS did not run
                return MS.kInterrupt
            try:
                while not done.wait(0.05):
                    pass
            except KeyboardInterrupt:
                # a second Ctrl-C: leave at once. Exiting normally with HiGHS's threads still
                # running aborts the process; no output file is being written at this point.
                sys.stderr.write("interrupted twice: stopped without writing\n")
                sys.stderr.flush()
                os._exit(130)
        return h.getModelStatus()

    def cancel(self) -> None:
        self.cancelled.set()
        self.h.cancelSolve()


_INTERRUPTS = (MS.kInterrupt, MS.kHighsInterrupt)
_LIMITS = (
    MS.kTimeLimit,
    MS.kIterationLimit,
    MS.kSolutionLimit,
    MS.kObjectiveBound,
    MS.kObjectiveTarget,
    MS.kMemoryLimit,
    *_INTERRUPTS,
)
