"""What a solve's budget is counted in: seconds (the default) or work units (`work_limit`).

Every budget decision of a solve (the stages' shares, solve/budget.py; the relaxation's,
the neighbourhoods' and the face's parts of a stage; the construction heuristic's tries) reads
`clock.now()` and hands a HiGHS run its part through `clock.arm`. With seconds, a plan stopped
by a limit depends on the machine and its load. With work units it does not: HiGHS is stopped
only on counts it makes the same way on every run with one thread, and the clock advances by
those counts, never by the wall clock:

    simplex / interior-point LP   simplex_iteration_limit, ipm_iteration_limit
    MIP                           its interrupt callback, stopped at the first call past
                                  budget / (TICK * searched)   (HiGHS calls it at fixed
                                  points: each cut round, heuristic and node)
    charged after the run         LP:  W = RUN + BASE * nnz + rows * SIMPLEX * it
                                           + IPM * nnz * ipm_it   (CROSSOVER for SIMPLEX
                                           after the interior point)
                                  MIP: W = RUN + BASE * nnz
                                           + searched * max(TICK * calls, SIMPLEX_MIP * it)

    rows, nnz      the run's model (HiGHS's, before presolve)
    searched       the rows of the model a MIP searches: what HiGHS's presolve left (read
                   from its log, `instance.hear_presolve`), or rows without a presolve
    it, ipm_it     HiGHS's simplex (in a MIP: all its LPs') and interior-point iterations
    calls          calls of the MIP's interrupt callback

Why the searched rows: a neighbourhood of the plan run in the solve's own instance (the
relaxation's, solve/rins.py) fixes most columns by their bounds, and HiGHS's presolve takes its
134k rows to 4.2k on the 12-quarter generated case. Counted by the model's rows, a callback
call was worth 1.3 units there against 0.14 s, and the neighbourhood was stopped after 7 calls
(2.4 s) where a 60 s run gave it 74; counted by the searched rows, the cost of a call is within
1.2-1.5x of its time over the MIP runs of three cases (the model's rows: 1.6-4.2x, up to 9x).

The constants make one unit about one second of this project's machine (2 vCPU; fitted on
the timed example's runs, docs/performance.md "Work units"). The fit is rough, per run between
a third and three times: a unit is a measure of work, not a promise of time. HiGHS's presolve
and a MIP's LPs are not interruptible by counts (HiGHS 1.16 gives its MIP's LPs only a time
limit), so a run can overshoot its part; the overshoot is charged and the later parts shrink.
For that reason a stage whose root LP is known to be slow for the simplex (a relaxation by the
interior point, solve/polish.py `lp_method`) does not run HiGHS's MIP on the whole model after
its search under a work limit (solve/highs.py): its root LP alone took 54 s of a 1.3-unit part
on the timed example's cost stage.

Deterministic means: the same workbook, settings, HiGHS version and `threads=1` give the same
plan on any machine under any load (a work limit sets threads to 1 unless told otherwise). A
time limit given with a work limit is a hard stop only; a plan it stops is not reproducible
and says so (`stage.<name>.stopped: time limit`).
"""

from __future__ import annotations

import math
import time

import highspy

from .instance import StopFlag, hear_presolve

RUN = 0.01  # per run: forcegen's part (a neighbourhood's model built and handed over)
BASE = 2e-6  # per nonzero of the model, per run: HiGHS's presolve, set-up, postsolve
SIMPLEX = 2e-9  # per row, per dual simplex iteration of an LP
CROSSOVER = 2e-8  # per row, per simplex iteration of the crossover after the interior point
IPM = 1.2e-6  # per nonzero, per interior-point iteration
# seconds per nonzero per interior-point iteration, the fastest measured on this project's
# machine (0.66-1.54e-6 over the relaxations of the timed example, 100 x 300 x 20 and 50 x 100
# x 30 over 12 quarters): a floor, so that a relaxation is skipped only where it cannot finish
# here (a machine twice as fast is still given the relaxations this one could finish)
IPM_SECONDS = 0.6e-6
TICK = 6e-5  # per searched row, per call of a MIP's interrupt callback
SIMPLEX_MIP = 5e-8  # per searched row, per simplex iteration in a MIP (a long root LP's floor)
EXHAUSTED = 1e12  # added to the clock past a time limit's hard stop


class WallClock:
    """Seconds: the budget is the time limit, HiGHS runs get `time_limit`s (set by the caller)."""

    unit = "s"
    limit_name = "time limit"
    deterministic = False

    def now(self) -> float:
        return time.perf_counter()

    def deadline(self, budget: float) -> float:
        """When a budget starting now is spent, on this clock."""
        return self.now() + budget

    def arm(self, h: highspy.Highs, stop: StopFlag, budget: float) -> float:
        """Prepare a run of at most `budget`; the seconds the watchdog allows it."""
        stop.tick_budget = None
        return budget

    def charge(self, h: highspy.Highs, stop: StopFlag) -> None:
        """After a run: nothing to count, the time has passed."""

    def ipm_iterations(self, limit: float, nnz: int) -> float:
        """The most interior-point iterations on `nnz` nonzeros that `limit` seconds can
        give, at the fastest measured on this project's machine (IPM_SECONDS): a faster
        machine makes more."""
        return limit / (IPM_SECONDS * max(nnz, 1))

    def spend(self, units: float) -> None:
        """Work done outside HiGHS: it took its time already."""

    def past_hard_stop(self) -> bool:
        return False

    def start(self, time_limit: float) -> None:
        """A solve (or a search after it) begins: its deadline is its budget's."""


class WorkClock:
    """Work units: HiGHS runs are stopped on counts and the clock advances by them only.
    `wall_deadline` (perf_counter time, inf without one) is the hard stop of an explicit time
    limit given with the work limit."""

    unit = "work units"
    limit_name = "work limit"
    deterministic = True

    def __init__(self, wall_deadline: float = math.inf) -> None:
        self.spent = 0.0
        self.wall_deadline = wall_deadline
        self.timed_out = False  # HiGHS stopped a run on the hard stop's time limit
        self.solves = 0

    def now(self) -> float:
        """The work done; past the hard stop of a time limit, as if every budget were spent
        (every stage and search then ends as it would at its limit)."""
        return self.spent + (EXHAUSTED if self.past_hard_stop() else 0.0)

    def deadline(self, budget: float) -> float:
        """When a budget starting now is spent; past the hard stop, now (nothing is left)."""
        return self.now() + (0.0 if self.past_hard_stop() else budget)

    def past_hard_stop(self) -> bool:
        return self.timed_out or time.perf_counter() >= self.wall_deadline

    def spend(self, units: float) -> None:
        """Charge work done outside HiGHS (the construction heuristic's tries)."""
        self.spent += units

    def ipm_iterations(self, limit: float, nnz: int) -> float:
        """The interior-point iterations on `nnz` nonzeros a run of `limit` units is allowed
        (as `arm` sets `ipm_iteration_limit`)."""
        nnz = max(nnz, 1)
        return max(limit - RUN - BASE * nnz, 0.0) / (IPM * nnz)

    def arm(self, h: highspy.Highs, stop: StopFlag, budget: float) -> float:
        rows, nnz = counted(h, stop)
        rows, nnz = max(rows, 1), max(nnz, 1)
        left = max(budget - RUN - BASE * nnz, 0.0)
        # the hard stop, if any: exact for an LP (HiGHS counts its time since the instance was
        # made), later for a MIP (counted from its start), which the watchdog then stops
        h.setOptionValue("time_limit", h.getRunTime() + self.seconds_left())
        # after the interior point, the simplex iterations are its crossover's, dearer
        crossover = h.getOptionValue("solver")[1] == "ipm"
        per_iteration = CROSSOVER if crossover else SIMPLEX
        h.setOptionValue("simplex_iteration_limit", _count(left / (per_iteration * rows)))
        h.setOptionValue("ipm_iteration_limit", _count(self.ipm_iterations(budget, nnz)))
        hear_presolve(h)
        stop.presolved_rows, stop.ticks, stop.tick_budget = None, 0, None
        stop.ticks_for = lambda searched: _count(left / (TICK * _searched(searched, rows)))
        return self.seconds_left()

    def charge(self, h: highspy.Highs, stop: StopFlag) -> None:
        self.spent += work(h, stop)
        stop.tick_budget, stop.ticks_for = None, None
        # only the hard stop sets HiGHS a time limit here
        self.timed_out |= h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit

    def seconds_left(self) -> float:
        return max(self.wall_deadline - time.perf_counter(), 0.0)

    def start(self, time_limit: float) -> None:
        """A solve begins. The first one's hard stop counts from the clock's making (the
        construction heuristic is part of the solve, as with seconds); a later one's (a
        re-solve for caveat prices, the search for alternatives) from now."""
        self.solves += 1
        if self.solves > 1:
            self.wall_deadline = time.perf_counter() + time_limit
            self.timed_out = False


def work(h: highspy.Highs, stop: StopFlag) -> float:
    """Work units of the run HiGHS just made (see the module's formula): a MIP's if its
    interrupt callback was called (`stop.ticks`), an LP's otherwise."""
    info = h.getInfo()
    rows, nnz = counted(h, stop)
    iterations = max(int(info.simplex_iteration_count), 0)
    if stop.ticks > 0:
        searched = _searched(stop.presolved_rows, rows)
        return RUN + BASE * nnz + searched * max(TICK * stop.ticks, SIMPLEX_MIP * iterations)
    ipm = max(int(info.ipm_iteration_count), 0)
    per_iteration = CROSSOVER if ipm > 0 else SIMPLEX
    return RUN + BASE * nnz + rows * per_iteration * iterations + IPM * nnz * ipm


def counted(h: highspy.Highs, stop: StopFlag) -> tuple[int, int]:
    """The rows and nonzeros of HiGHS's model that its runs are charged for: all but the rows
    held back until a later stage (`stop.uncounted`), so that a stage before it is charged,
    and given, what it would be without them."""
    rows, nnz = stop.uncounted
    return h.getNumRow() - rows, h.getNumNz() - nnz


def _searched(presolved: int | None, rows: int) -> int:
    """The rows a MIP searches: its presolve's (at least 1), or the model's when HiGHS wrote no
    presolve line (presolve off, or a HiGHS whose log reads otherwise)."""
    return max(rows if presolved is None else presolved, 1)


def _count(value: float) -> int:
    """A HiGHS count limit: at least 1, at most its int maximum."""
    return int(min(max(value, 1.0), 2**31 - 1))


Clock = WallClock | WorkClock


def make_clock(work_limit: float, time_limit: float) -> Clock:
    """Seconds without a work limit; work units with one (a finite time limit: its hard stop)."""
    if work_limit <= 0:
        return WallClock()
    return WorkClock(time.perf_counter() + time_limit)
