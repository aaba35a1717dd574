"""One HiGHS instance: made quietly, options checked, the matrices loaded, and run in a thread
with SIGINT blocked (so that Ctrl-C always reaches Python's main thread)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np

from ..errors import SolverFailure
from ..model.matrix import MatrixModel
from ..model.portable import dot
from ..signals import sigint_blocked
from .options import bad_option
from .threads import Finished, highs_still_running

if TYPE_CHECKING:
    from .highs import LexicographicSolver

MS = highspy.HighsModelStatus


def highs_version() -> str:
    h = new_highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS prints its banner on construction, from C++: silence fd 1 for that moment."""
    if sys.stdout is not None:  # None when the process was started with stdout closed
        sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def new_highs() -> highspy.Highs:
    with _stdout_silenced():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def apply_options(h: highspy.Highs, options: dict[str, Any]) -> None:
    """Set options, refusing any that HiGHS rejects (Pyomo would drop them silently)."""
    _prepare_scheduler(int(options.get("threads", 0)))
    for name, value in options.items():
        if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise bad_option(name, value)


def load(h: highspy.Highs, mm: MatrixModel) -> None:
    lp = highspy.HighsLp()
    lp.num_col_ = mm.n_cols
    lp.num_row_ = mm.n_rows
    lp.col_cost_ = np.zeros(mm.n_cols)
    lp.col_lower_ = mm.col_lower
    lp.col_upper_ = mm.col_upper
    lp.row_lower_ = mm.row_lower
    lp.row_upper_ = mm.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = mm.a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mm.a.indices.astype(np.int32)
    lp.a_matrix_.value_ = mm.a.data.astype(float)
    lp.a_matrix_.num_col_ = mm.n_cols
    lp.a_matrix_.num_row_ = mm.n_rows
    kinds = [highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger]
    lp.integrality_ = [kinds[int(i)] for i in mm.integrality]
    status = h.passLp(lp) if hasattr(h, "passLp") else h.passModel(lp)
    if status == highspy.HighsStatus.kError:
        raise SolverFailure("HiGHS refused the model (internal error: please report it)")


_scheduler_threads: int | None = None  # the thread count HiGHS's global scheduler was built with


def _prepare_scheduler(threads: int) -> None:
    """HiGHS builds one thread scheduler per process (on the first run, with its default count
    unless told otherwise), refuses a later run that asks for a different count, and quietly
    keeps an explicit count for a later run that asks for its default (0): rebuild it whenever
    the count asked for differs from the one it was built with (None: HiGHS's default). Runs
    in a process are sequential; a run abandoned after its cancel may still be busy in its
    thread, and then the scheduler is left as it is."""
    global _scheduler_threads
    wanted = threads or None
    if _scheduler_threads == wanted or highs_still_running():
        return
    with sigint_blocked():  # the scheduler's threads inherit this thread's signal mask
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = wanted


class StopFlag:
    """Stops a HiGHS run on request: HiGHS's simplex, interior-point and MIP interrupt
    callbacks are answered with `requested` on every call (a MIP's also with "stop" once its
    calls pass a work limit's `tick_budget`: solve/clock.py).

    highspy's own `HandleUserInterrupt` + `cancelSolve()` answer only "stop" and never "go on",
    and HiGHS 1.16 keeps the answer in its callback input between runs: after one cancel (the
    watchdog stopping an overrun, measured on a generated 100 x 300 x 20 case), every later run
    of the instance returned "Interrupted by user" at once, however its flag was cleared. The
    relaxations, neighbourhoods and MIPs of every later stage did nothing. Answering every call
    writes the flag both ways."""

    def __init__(self, h: highspy.Highs) -> None:
        self.requested = False
        # a work limit's count for a MIP run (solve/clock.py): calls of its interrupt callback,
        # which HiGHS makes at the same points of its search on every run; its budget is set
        # at the first call, from the rows of the model HiGHS searches (after its presolve)
        self.tick_budget: int | None = None
        self.ticks_for: Callable[[int | None], int] | None = None
        self.ticks = 0
        self.presolved_rows: int | None = None  # from HiGHS's log, when it writes one
        # rows and nonzeros of HiGHS's model that the work clock does not count: the rows held
        # back until a later stage, free in HiGHS until then (solve/holds.py)
        self.uncounted = (0, 0)
        h.cbSimplexInterrupt += self._answer
        h.cbIpmInterrupt += self._answer
        h.cbMipInterrupt += self._answer_mip
        h.cbLogging += self._read_log

    def _answer(self, event: Any) -> None:
        event.interrupt(self.requested)

    def _answer_mip(self, event: Any) -> None:
        self.ticks += 1
        ticks_for = self.ticks_for  # once: an abandoned run's calls may outlive its charge
        if self.tick_budget is None and ticks_for is not None:
            self.tick_budget = ticks_for(self.presolved_rows)
        spent = self.tick_budget is not None and self.ticks > self.tick_budget
        event.interrupt(self.requested or spent)

    def _read_log(self, event: Any) -> None:
        found = PRESOLVED_ROWS.match(event.message)
        if found:
            self.presolved_rows = int(found.group(1))


# HiGHS 1.16's line after its presolve, once per run (a MIP's restart logs "Model after restart
# has ..." instead, not read: the budget set at the first callback call stands)
PRESOLVED_ROWS = re.compile(r"Presolve reductions: rows (\d+)\(")


def hear_presolve(h: highspy.Highs) -> None:
    """Let HiGHS write its log, to nowhere but `StopFlag`'s callback, so that the rows its
    presolve leaves are known (HiGHS reports them nowhere else). A log asked for
    (`--solver-log`) is left as it is: the callback hears it too."""
    if h.getOptionValue("output_flag")[1]:
        return
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("log_file", os.devnull)
    h.setOptionValue("output_flag", True)


def run_masked(h: highspy.Highs, done: Finished) -> None:
    """h.run() with SIGINT blocked in this thread and in the threads HiGHS starts from it, so that
    Ctrl-C is always handled by Python's main thread."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        h.run()
    finally:
        done.set()


def rounded(values: np.ndarray, integrality: np.ndarray) -> np.ndarray:
    """HiGHS's values with the whole columns (integrality 1) rounded to whole numbers."""
    out = np.asarray(values, dtype=float).copy()
    whole = integrality.astype(bool)
    out[whole] = np.round(out[whole])
    return out


def start_misread(h: highspy.Highs, cost: np.ndarray, offset: float = 0.0) -> bool:
    """True when the objective HiGHS reports after a run is not the value (cost @ x + offset,
    within 1e-6 relative) of the solution it returns. HiGHS 1.16 values a MIP start in its presolved
    space, where presolve may have fixed a column at another value than the start's, and keeps
    that value as its incumbent's: when the search then finds nothing better than it, HiGHS
    returns the start itself, at its own higher value, often as "optimal". For example
    (tests/test_misread_start.py): minimise x0 + ... + x4, whole in [0, 2], subject to

        x1 + x2 >= 2,   x2 + x3 >= 2,   x3 + x4 >= 2,   x0 <= 2,
        x1 + x2 + x3 <= 4,   x1 + x2 + x3 + x4 <= 4

    started from (2, 2, 0, 2, 0), value 6: presolve fixes x0 at 0, the start reads 4 there,
    and HiGHS reports 4 as optimal but returns the start; without the start it returns
    (0, 0, 2, 0, 2), value 4."""
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return False
    x = np.asarray(h.getSolution().col_value, dtype=float)[: len(cost)]
    value = dot(cost, x) + offset
    reported = float(info.objective_function_value)
    return abs(reported - value) > 1e-6 * max(1.0, abs(value))


def valid_plan(solver: LexicographicSolver) -> np.ndarray | None:
    """The plan HiGHS holds after a run, its whole columns rounded, if it keeps every row and
    hold (`LexicographicSolver.keeps_rows`); None without one."""
    mm, h = solver.mm, solver.h
    if h.getInfo().primal_solution_status != 2:
        return None
    found = rounded(np.asarray(h.getSolution().col_value)[: mm.n_cols], mm.integrality)
    return found if solver.keeps_rows(found) else None


def raise_if_out_of_memory(status: Any, where: str, stopped: bool) -> None:
    """MemoryError for a run that ended at HiGHS's memory limit, or, unless it was `stopped`
    (cancelled, abandoned), with no status at all: HiGHS catches a failed allocation in its
    simplex (`okResize fails with std::bad_alloc`, on its own stdout) and returns none (a fault
    trial's relaxation was said `not solved in time` 0.5 s into its stage, the Summary blaming
    a limit)."""
    if status == MS.kMemoryLimit or (status == MS.kNotset and not stopped):
        raise MemoryError(f"HiGHS ran out of memory {where}")
