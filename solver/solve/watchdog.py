"""A HiGHS run in a worker thread, watched: Ctrl-C reaches Python at once, and a run that
overruns its time limit is cancelled, then abandoned if it does not return; so is one that
does not stop within STOP_GRACE of a Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import highspy

from ..exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED
from ..signals import Terminated, deferred
from .instance import MS, StopFlag, run_masked
from .threads import HIGHS_THREAD, Finished, wait_at_exit

if TYPE_CHECKING:
    from .highs import LexicographicSolver

log = logging.getLogger("forcegen.solve")

# seconds past a stage's limit before the watchdog cancels it: HiGHS does not check its own
# time_limit during presolve or a long root LP (at a million columns it overran by 9 s), and a
# cancel takes a few seconds to return there too
WATCHDOG_GRACE = 0.5


# seconds HiGHS may take to stop after Ctrl-C or SIGTERM before the plan so far is kept without
# it: its MIP does not look at the cancel during presolve or a long root LP (the bundled timed
# example's cost stage took 38 s to return, measured), and a planner who has waited that long
# presses Ctrl-C again, which leaves without writing. What HiGHS found in that run is lost.
STOP_GRACE = 10.0


def abandon_after(limit: float) -> float:
    """Seconds a cancelled stage may take to return before it is abandoned (a hard stop)."""
    return max(15.0, 0.1 * limit)


def run_watched(
    solver: LexicographicSolver,
    limit: float,
    h: highspy.Highs | None = None,
    stop: StopFlag | None = None,
) -> Any:
    """Run HiGHS (the solve's own instance, or `h` with its `stop`: a neighbourhood's,
    solve/submodel.py) in a worker thread while this (main) thread waits, so that Ctrl-C
    reaches Python at once and a watchdog can cancel a stage that overruns its time limit
    (HiGHS does not always honour time_limit promptly on large models). A first Ctrl-C cancels
    the solve and keeps the best plan found; a second one, while cancelling, propagates at once.

    The wait is on `Finished`, not Thread.join (a join interrupted by Ctrl-C can report a
    thread that is still running as finished) nor a threading.Event (a Ctrl-C can leave its
    lock taken, and the HiGHS thread blocked setting it).

    `limit` is in the solve's clock's units (solve/clock.py): the clock arms HiGHS for it and
    charges the run after. With a work limit the watchdog keeps only the hard stop of a time
    limit given beside it (none without one: then it never cancels)."""
    h = h or solver.h
    stop = stop or solver.stop
    clock = solver.clock
    seconds = clock.arm(h, stop, limit)  # with work units: HiGHS's counts; the hard stop's
    try:
        return _run_watched(solver, seconds, h, stop)
    finally:
        if not solver.abandoned:
            clock.charge(h, stop)


def _run_watched(
    solver: LexicographicSolver, limit: float, h: highspy.Highs, stop: StopFlag
) -> Any:
    if not solver.cancelled.is_set():
        stop.requested = False  # a watchdog's cancel of an earlier run is over
    solver.overran = False  # per run: the watchdog cancels each run that overruns
    done = Finished()
    failed: list[BaseException] = []

    def work() -> None:
        try:
            run_masked(h, done)
        except BaseException as exc:  # e.g. MemoryError (std::bad_alloc inside HiGHS)
            failed.append(exc)
            done.set()

    worker = threading.Thread(target=work, name=HIGHS_THREAD, daemon=True)
    hard_stop = time.perf_counter() + limit + WATCHDOG_GRACE
    try:
        # a stop while the thread starts is raised once it runs (a stop raised inside the
        # start's wait could leave a lock taken that the thread needs to run), then handled
        # like any other
        with deferred(every_stop=True):
            worker.start()
        while not done.wait(0.05):
            now = time.perf_counter()
            if now > hard_stop and not solver.overran:
                # routine in a time-limited solve (its plan is kept): said only with --verbose
                log.info("stage overran its time limit: cancelling")
                solver.overran = True
                stop.requested = True
            elif solver.overran and now > hard_stop + abandon_after(limit):
                log.warning(
                    "HiGHS did not return %.0f s after the cancel: stopped waiting for it",
                    now - hard_stop,
                )
                return _abandon(solver)
    except KeyboardInterrupt:
        log.warning("interrupted: stopping HiGHS and %s", solver.on_interrupt)
        solver.cancel()
        stop.requested = True
        if worker.ident is None:  # the thread never started: HiGHS did not run
            return MS.kInterrupt
        try:
            # with no plan to keep, HiGHS's own (if any) is worth the wait; a second Ctrl-C
            # still leaves
            given_up = time.perf_counter() + STOP_GRACE if solver.plan_in_hand() else math.inf
            while not done.wait(0.05) and time.perf_counter() < given_up:
                pass
            if not done.is_set():
                log.warning(
                    "HiGHS did not stop within %.0f s: the plan found before this run is kept",
                    STOP_GRACE,
                )
                return _abandon(solver)
        except KeyboardInterrupt as again:
            # a second Ctrl-C (or SIGTERM a second or more after the first): leave at once.
            # Exiting normally with HiGHS's threads still running aborts the process; no
            # output file is being written at this point.
            twice = (
                f"terminated twice ({again.within})"
                if isinstance(again, Terminated)
                else "interrupted twice"
            )
            sys.stderr.write(f"{twice}: stopped without writing\n")
            sys.stderr.flush()
            os._exit(EXIT_TERMINATED if isinstance(again, Terminated) else EXIT_INTERRUPTED)
    worker.join(1.0)  # done is set as run() ends: let an exception reach `failed`
    if failed:
        raise failed[0]
    return h.getModelStatus()


def _abandon(solver: LexicographicSolver) -> Any:
    """Leave a HiGHS run that did not return after its cancel: nothing more is asked of its
    instance, and the process waits for it at exit (solve/threads.py)."""
    solver.abandoned = True
    wait_at_exit()
    return MS.kInterrupt
