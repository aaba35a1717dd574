"""Lexicographic solve on one persistent HiGHS instance.

Each stage minimises its own cost row; once solved, a *holding row* keeps the stage within a small
tolerance of the value found before the next stage starts, warm-started from the previous
solution. The time limit covers the whole solve: each stage gets its share of what is left
(solve/budget.py), and a watchdog cancels a stage that overruns the limit. Before a stage's MIP
come its face (solve/face.py) or its search (relaxation, neighbourhoods: solve/polish.py,
solve/rins.py); how the stage ends, from HiGHS's status, is solve/endings.py.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import SolverFailure
from ..model.matrix import MatrixModel
from . import endings, rins
from .budget import stage_end
from .clock import make_clock
from .face import Face, solve_on_face, tries_face
from .holds import Holds
from .instance import (
    MS,
    StopFlag,
    apply_options,
    load,
    new_highs,
    raise_if_out_of_memory,
)
from .options import SolveOptions
from .outcome import SolveOutcome, StageResult
from .polish import (
    LNS_MIN_COLUMNS,
    Relaxation,
    lp_method,
    on_whole_model,
    plan_at_bound,
    polish,
    polishes,
    relaxation_bound,
)
from .progress import Progress
from .second_opinion import INFEASIBLE, second_opinion
from .watchdog import run_watched

log = logging.getLogger("forcegen.solve")

RINS_SHARE = 0.5  # of a polished stage's time after its bound: the relaxation's neighbourhood


KEEPS_BEST_PLAN = "keeping the best plan found so far"


class LexicographicSolver(Holds):
    """One HiGHS instance that solves the stages in order; reusable for re-solves."""

    def __init__(self, mm: MatrixModel, options: SolveOptions) -> None:
        self.mm = mm
        self.options = options
        self.h = new_highs()
        self.stop = StopFlag(self.h)  # how the watchdog and Ctrl-C stop a run
        apply_options(self.h, options.highs_options())
        load(self.h, mm)
        self.clock = make_clock(options.work_limit, options.time_limit)
        self.cancelled = threading.Event()
        self.overran = False
        self.abandoned = False  # a stage did not return after its cancel (see run_highs)
        self.progress: Progress | None = None  # the solve under way (or done): its plan
        self.outcome: SolveOutcome | None = None  # the last solve's, once it returned
        self.init_holds(mm)
        # a relaxation not solved in time, or a face without a whole point: no more faces
        self.faces_off = False
        # the relaxation of the stage being solved, and its face's bounds (before, on the face),
        # when the face's search found no whole point
        self.face_relaxation: Relaxation | None = None
        self.unheld_face: tuple[Face, Face] | None = None
        self._by_column: sp.csc_matrix | None = None
        # what a Ctrl-C keeps, as the warning says it (a re-solve for a caveat's price keeps
        # nothing of its own: explain/pricing_inplace.py says so)
        self.on_interrupt = KEEPS_BEST_PLAN
        # out of memory in a stage keeps the plan so far (`endings.out_of_memory`): the planner's
        # solve only (solve_steps.solved_and_held); a re-solve for a price or an alternative
        # raises, as its partial plan is no price and no alternative
        self.keeps_plan_out_of_memory = False

    def solve(
        self,
        start: tuple[np.ndarray, np.ndarray] | None = None,
        *,
        spent: float = 0.0,
        plans: list[np.ndarray] | tuple[()] = (),
        stopped: bool = False,
    ) -> SolveOutcome:
        """Solve every stage in order. `start`: (columns, values), a possibly partial MIP start
        (e.g. the x of an earlier plan) that HiGHS completes and uses if it is feasible.
        `plans`: other full plans in hand (solve/start.py), each adopted by the first stage it
        is better at while keeping the stages before (`_adopt`); invalid ones are dropped.
        `spent`: the part of the budget already used (by the construction heuristic), in the
        clock's units (solve/clock.py: seconds, or work units with a work limit).
        `stopped`: a Ctrl-C or SIGTERM came before the solve (during the heuristic): the start,
        if it is a valid plan, is the plan so far, and no stage is solved."""
        if self.abandoned:
            raise SolverFailure("HiGHS is still running a stage it was told to stop")
        self.outcome = None
        try:  # a row no plan can meet: decided whatever the budget
            beyond_reach = self.beyond_reach()
        except KeyboardInterrupt:  # the start in hand is the plan so far (a fault trial lost it)
            if self.valid_full_start(start) is None:
                raise
            stopped, beyond_reach = True, self.beyond_reach()
        if self.mm.n_cols == 0 or beyond_reach:
            self.outcome = endings.without_search(self.mm, beyond_reach)
            return self.outcome
        began = time.perf_counter()
        stages: list[StageResult] = []
        try:
            run = self._begin(start, spent, plans)
        except KeyboardInterrupt:  # as the solve began: the start in hand is the plan so far
            run = self._begin(start, spent, plans)  # (a second Ctrl-C here: stop now)
            stopped = True
        # a stop the heuristic's HiGHS run took as a cancel (a review: the start was dropped)
        if stopped or self.cancelled.is_set():
            log.warning("interrupted: %s", self.on_interrupt)
            self.cancel()
            stages.append(endings.interrupted(self, run, 0, 0.0))
        stages += [self._stage_kept(run, i) for i in range(len(stages), len(self.mm.stages))]
        if run.status == "cut":  # a stage was stopped by its share: the plan is not proven
            run.status = "feasible"
        outcome = SolveOutcome(run.status, run.x, stages, time.perf_counter() - began)
        outcome.abandoned = self.abandoned
        self.outcome = outcome
        return outcome

    def _begin(
        self,
        start: tuple[np.ndarray, np.ndarray] | None,
        spent: float,
        plans: list[np.ndarray] | tuple[()],
    ) -> Progress:
        """The solve's clock started and its progress before its first stage, held as
        `self.progress`."""
        self.clock.start(self.options.time_limit)
        self.hold_back_rows()
        total = max(self.options.budget - spent, 0.0)
        run = Progress(
            deadline=self.clock.deadline(total),
            total=total,
            start=start,
            fallback=self.valid_full_start(start),
            plans=[p for p in plans if self.mm.keeps_bounds(p)],
        )
        self.progress = run
        return run

    def _stage_kept(self, run: Progress, i: int) -> StageResult:
        """Stage i; a Ctrl-C around its HiGHS runs stops the solve as one in them does, and
        running out of memory keeps the plan so far (`endings.out_of_memory`)."""
        try:
            return self._stage(run, i)
        except KeyboardInterrupt:
            log.warning("interrupted: %s", self.on_interrupt)
            self.cancel()
            return endings.interrupted(self, run, i, 0.0)
        except MemoryError:
            if not self.keeps_plan_out_of_memory:
                raise
            return endings.out_of_memory(self, run, i)

    def _stage(self, run: Progress, i: int) -> StageResult:
        """Stage i: solved, or why not; `run` carries the plan and status to the next stage."""
        stage, cost, offset = self.mm.stages[i], self.mm.costs[i], self.mm.offsets[i]
        if run.status in ("optimal", "cut") and self.cancelled.is_set():
            run.status = "interrupted"  # Ctrl-C as a stage finished: the next ones are not solved
        if run.status not in ("optimal", "cut") or self.cancelled.is_set():
            return StageResult(stage.name, "not_solved")
        if run.x is not None and not cost.any():
            return StageResult(stage.name, "skipped", stage.scale * offset)
        self.release_rows(i)
        self._adopt(run, i)
        t0 = time.perf_counter()
        end = run.deadline  # without any plan yet, a stage may not stop early
        if run.x is not None or run.fallback is not None:
            now = self.clock.now()
            end = stage_end(self.mm.stages, self.mm.costs, i, now, run.deadline, run.total)
        self.face_relaxation, self.unheld_face = None, None
        try:
            if tries_face(self, i):
                on_face = solve_on_face(self, run, i, end)
                if on_face is not None or self.abandoned:
                    return on_face or endings.abandoned(self, run, i, 0.0)
            bound = self._search(run, i, end)
        except KeyboardInterrupt:  # between its HiGHS runs: as in a run, keep the plan so far
            log.warning("interrupted: %s", self.on_interrupt)
            self.cancel()
            bound = None
        if self.abandoned:  # a neighbourhood did not return after its cancel
            return endings.abandoned(self, run, i, time.perf_counter() - t0)
        if plan_at_bound(self.mm, run.x, i, bound):
            return endings.proven(self, run, i, time.perf_counter() - t0)
        if self.cancelled.is_set():
            stopped = endings.interrupted(self, run, i, time.perf_counter() - t0)
            if bound is None:
                return stopped
            return endings.with_bound(stopped, bound, stage.scale, offset)
        result = self._solve_stage(run, i, t0, end, bound)
        if self._carry_on(run, i, end):
            result.stopped = "share"
        elif result.status in ("feasible", "heuristic") and run.status != "cut":
            # a limit or Ctrl-C stopped this stage ("cut": its plan was kept by endings.keep_face)
            result.stopped = "interrupted" if self.cancelled.is_set() else self.limit_name()
        return result

    def _adopt(self, run: Progress, i: int) -> None:
        """A plan in hand (`run.plans`) becomes the plan so far where it keeps every stage held
        before stage i (their holds, and the bounds of their faces) and is lexicographically
        better from stage i on: a re-plan's start from its baseline, set aside at the first
        stage for a better shortfall, may have given up none of it by the `changes` stage."""
        best = run.x if run.x is not None else run.fallback
        for plan in run.plans:
            if best is not None and not self.mm.better(plan, best, i):
                continue
            if self.within_columns(plan) and self.keeps_rows(plan):
                best = plan
        if best is not None and best is not run.x and best is not run.fallback:
            log.info(
                "stage %-14s starts from another plan in hand, better from here on",
                self.mm.stages[i].name,
            )
            run.x = best

    def _search(self, run: Progress, i: int, end: float) -> float | None:
        """Before stage i's MIP on a polished model (polish.polishes): its relaxation, the
        relaxation's neighbourhood and fix-and-optimise, from the plan so far (the heuristic's
        before any stage has one); `run.x` only improves. The relaxation's bound, if any."""
        seeded = polishes(self.mm, i) and run.seed()
        reuse = self.face_relaxation if polishes(self.mm, i) else None
        relaxed = reuse or relaxation_bound(self, run, i, end)
        if relaxed is not None and not relaxed.searched and rins.wanted(self.mm, i):
            now = self.clock.now()
            rins.improve_near_relaxation(self, run, i, relaxed.x, now + RINS_SHARE * (end - now))
            if rins.by_capability_wanted(self.mm, i) and not self.abandoned:
                now = self.clock.now()
                share = rins.BY_CAPABILITY_SHARE
                rins.by_capability(self, run, i, relaxed.x, now + share * (end - now))
        bound = None if relaxed is None else relaxed.bound
        polish(self, run, i, end, floor=bound)
        run.unseed(seeded, plan_at_bound(self.mm, run.x, i, bound))
        return bound

    def _carry_on(self, run: Progress, i: int, end: float) -> bool:
        """A stage stopped by its own share (not the time limit, not the user) with a plan:
        hold it at that plan's value and go on to the next stage (True). Past a work limit's
        hard stop (its time limit) the share did not stop it, and no later stage can run."""
        if run.status != "feasible" or run.x is None or self.cancelled.is_set():
            return False
        if end >= run.deadline or self.abandoned or self.clock.past_hard_stop():
            return False
        self.hold_plan(i, run.x)
        run.status = "cut"
        return True

    def _solve_stage(
        self, run: Progress, i: int, t0: float, end: float, bound: float | None
    ) -> StageResult:
        """Stage i by HiGHS's MIP until `end`, from the plan so far; its result."""
        stage, offset = self.mm.stages[i], self.mm.offsets[i]
        remaining = end - self.clock.now()
        has_plan = run.x is not None or run.fallback is not None
        if remaining <= 0 or (has_plan and self._search_alone(i, run.total)):
            # the stage's share went to its relaxation and polish (all of it where the solve
            # does not work on the whole model: there HiGHS's MIP stays in its root)
            return endings.out_of_time(self, run, i, time.perf_counter() - t0, bound)
        model_status = self._run_stage(run, i, remaining)
        seconds = time.perf_counter() - t0
        if self.abandoned:  # HiGHS is still busy in its thread: nothing can be read from it
            kept = endings.abandoned(self, run, i, seconds)
            return kept if bound is None else endings.with_bound(kept, bound, stage.scale, offset)
        log.info(
            "stage %-14s %-12s %.3f s",
            stage.name,
            self.h.modelStatusToString(model_status),
            seconds,
        )
        if model_status == MS.kOptimal:
            return endings.take_solution(self, run, i, "optimal", seconds)
        if model_status in _LIMITS:
            return endings.stopped(self, run, i, seconds, bound)
        if model_status in INFEASIBLE and run.x is None:
            start = endings.keep_start(self, run, i, seconds)  # a valid start: HiGHS is wrong
            run.status = "infeasible" if start is None else "feasible"
            return start or StageResult(stage.name, "infeasible", seconds=seconds)
        return endings.failed(self, run, i, model_status, seconds)

    def _search_alone(self, i: int, total: float) -> bool:
        """Stage i is its search only, without HiGHS's MIP on the whole model after it: where
        the solve of this `total` budget does not work on the whole model
        (polish.on_whole_model), and under a work limit where the relaxation needed the
        interior point (counts cannot stop HiGHS's root LP, slow there: solve/clock.py)."""
        mm = self.mm
        if not polishes(mm, i):
            return False
        counted = self.clock.deterministic and mm.n_cols >= LNS_MIN_COLUMNS
        return not on_whole_model(mm, total) or (counted and lp_method(mm, i) == "ipm")

    def _run_stage(self, run: Progress, i: int, remaining: float) -> Any:
        """Set stage i's objective, limit and start, and run HiGHS; its model status."""
        mm, h = self.mm, self.h
        stage, cost, offset = mm.stages[i], mm.costs[i], mm.offsets[i]
        h.changeColsCost(mm.n_cols, np.arange(mm.n_cols, dtype=np.int32), cost)
        h.changeObjectiveOffset(offset)
        h.setOptionValue("time_limit", float(remaining))
        log.info(
            "stage %-14s solving (its budget: %.1f %s)", stage.name, remaining, self.clock.unit
        )
        if run.x is not None:
            h.setSolution(mm.n_cols, np.arange(mm.n_cols, dtype=np.int32), run.x.astype(float))
        elif run.start is not None and len(run.start[0]):
            cols, vals = run.start
            h.setSolution(len(cols), cols.astype(np.int32), vals.astype(float))
        model_status = self.run_highs(remaining)
        if self.abandoned:
            return model_status
        model_status = second_opinion(self, run, i, model_status)
        if model_status == MS.kMemoryLimit:
            raise MemoryError(f"HiGHS ran out of memory in stage {stage.name}")
        return model_status

    def valid_full_start(self, start: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray | None:
        """`MatrixModel.full_start`: the start as a whole plan of the model, or None."""
        return self.mm.full_start(start)

    def by_column(self) -> sp.csc_matrix:
        """The model's matrix by column (made once: the neighbourhoods look up their rows)."""
        if self._by_column is None:
            self._by_column = self.mm.a.tocsc()
        return self._by_column

    def reset(self) -> None:
        """Drop the rows added by a solve (stage holds), restore the bounds a stage held on
        its face narrowed, and clear the solution, so that the same loaded model can be solved
        again after its bounds are changed."""
        self.drop_holds()
        self.faces_off = False
        self.h.clearSolver()

    def run_highs(self, limit: float) -> Any:
        """HiGHS run under the watchdog and Ctrl-C handling of `watchdog.run_watched`."""
        return run_watched(self, limit)

    def run_search(self, limit: float) -> Any:
        """A neighbourhood's or a face's HiGHS run (`run_highs`); its memory limit raises
        MemoryError, so that the stage ends as out of memory with the plan so far (`_stage_kept`)
        rather than as stopped by its budget (a fault trial: `bad_alloc` in a neighbourhood's
        presolve was said `stopped by its share of the work limit`, and the plan varied)."""
        status = self.run_highs(limit)
        stopped = self.abandoned or self.cancelled.is_set()
        raise_if_out_of_memory(status, "in a search of the stage", stopped)
        return status

    def limit_name(self) -> str:
        """What stopped a stage that ran out of its budget: the time or the work limit."""
        return "time limit" if self.clock.past_hard_stop() else self.clock.limit_name

    def cancel(self) -> None:
        self.cancelled.set()
        self.stop.requested = True

    def plan_in_hand(self) -> bool:
        """A plan would be kept were HiGHS's current run left (solve/watchdog.py): the plan
        so far, or a full start."""
        run = self.progress
        return run is not None and (run.x is not None or run.fallback is not None)


_INTERRUPTS = (MS.kInterrupt, MS.kHighsInterrupt)  # type: ignore[attr-defined]  # not in stubs
_LIMITS = (
    MS.kTimeLimit,
    MS.kIterationLimit,
    MS.kSolutionLimit,
    MS.kObjectiveBound,
    MS.kObjectiveTarget,
    *_INTERRUPTS,
)
