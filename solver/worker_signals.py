"""Stopping a worker's job the way Ctrl-C stops `forcegen solve`: with its best plan.

A terminal's Ctrl-C reaches every process of its group, the workers of a pool too; a worker
that died of it would break the pool and take the other jobs' results with it. So a pool
worker ignores SIGINT and learns of a stop only from its parent:
the sweep, stopped by Ctrl-C or SIGTERM, sends STOP_SIGNAL to its workers
(`LocalPool.interrupt_running`). A job run `interruptible()` takes the first as
KeyboardInterrupt, as a command in the foreground takes Ctrl-C (a solve then ends with its best
plan), and ignores any later one; idle, a worker ignores it. A SIGTERM to the whole process
group (GNU `timeout`, systemd's stop) is taken the same way. A sweep started with SIGINT
ignored (a background job) never forwards the terminal's Ctrl-C, so neither do its workers stop.

Inside the job, `JobStop.held` is the block in which a stop is only remembered (the plan is
being tabulated and written: `api.solve`'s `hold`), and `JobStop.check` raises one that was
remembered, between the steps around the solve (`api.solve`'s `checkpoint`).

A stop raised while a finaliser runs (`ZipFile.__del__`) is swallowed by Python (`Exception
ignored in ...`): the job never saw it, solved on, and the sweep gave up on it after its grace,
the plan lost (a fault trial). Within `interruptible()` such a stop is said again: the worker
sends itself the stop once more (`JobStop.rearm`), and the job takes it where it is.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from .signals import REMEMBERED, Holding, raise_stop, remembering

# the sweep's forward of a stop to its workers (not SIGINT: a worker ignores the terminal's)
STOP_SIGNAL = getattr(signal, "SIGUSR1", None)
# what stops a worker's job: the forward, and a SIGTERM to the whole process group (GNU
# `timeout`, systemd), which reaches the workers as the sweep: it killed them, and their plans
# with them, before the sweep could ask for them
JOB_STOPS = (STOP_SIGNAL, signal.SIGTERM) if STOP_SIGNAL is not None else ()
REARM_SECONDS = 0.05  # a swallowed stop is said again after the hook and finaliser return
_in_pool_worker = False  # set in a pool's worker process when it starts (`ignore_stops`)


def ignore_stops() -> None:
    """In a pool's worker process as it starts: SIGINT for good, STOP_SIGNAL and SIGTERM
    (`JOB_STOPS`) until a job runs `interruptible()`, and SIGHUP for good (the sweep, taking
    it as SIGTERM, asks the workers for their plans; they die with it in any case). An idle
    worker is ended by its pool (`LocalPool.close` kills it) or with the main process
    (`parent_death.die_with_parent`)."""
    global _in_pool_worker
    _in_pool_worker = True
    if STOP_SIGNAL is None:  # not POSIX: no forward, and Ctrl-C is the console's
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in JOB_STOPS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):  # a closed terminal's hangup reaches the whole group too
        signal.signal(signal.SIGHUP, signal.SIG_IGN)


def forward_stop(pid: int) -> bool:
    """Ask the worker process `pid` to stop its job; False where that cannot be done."""
    if STOP_SIGNAL is None:
        return False
    try:
        os.kill(pid, STOP_SIGNAL)
    except OSError:
        return False
    return True


class JobStop(Holding):
    """A stop forwarded to this worker's job: raised once as KeyboardInterrupt, remembered
    instead while `held`."""

    def __init__(self) -> None:
        self.received = False
        self.raised = False
        self.active = True  # within its job's `interruptible()`

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.received:  # one stop, however often it is said
            return
        self.received = True
        self.check()

    def check(self) -> None:
        """Raise a stop that was received and not yet raised, unless held."""
        if self.received and not self.raised and not self._holding:
            self.raised = True
            raise_stop(KeyboardInterrupt)

    def rearm(self) -> None:
        """The stop raised was swallowed (in a finaliser): receive it anew from this process
        itself, REARM_SECONDS later, so that it is raised again where the job is (sent at
        once, it is raised inside the hook that heard of it, and swallowed there too)."""
        if self.raised:
            self.received = self.raised = False
            again = threading.Timer(REARM_SECONDS, self._again)
            again.daemon = True
            again.start()

    def _again(self) -> None:
        """The stop sent again, while its job still runs: one that has ended (its worker idle,
        or at the next job) is not stopped by it."""
        if self.active:
            forward_stop(os.getpid())


class InlineStop:
    """The stop of a sweep's scenario run in this process (`--workers 1`): the sweep's own
    Ctrl-C and SIGTERM handlers raise as before, but within `held` (the plan in hand is
    tabulated and written) they only remember the stop (`signals.REMEMBERED`), which `check`
    raises. A fault trial's stop after a scenario's search had ended lost its plan (`not run`),
    where a pool's worker writes it."""

    def held(self) -> contextlib.AbstractContextManager[None]:
        return REMEMBERED.held()

    def check(self) -> None:
        """Raise a stop that was remembered, unless held."""
        pending = REMEMBERED.pending
        if pending is not None and not REMEMBERED._holding:
            REMEMBERED.pending = None
            raise pending


@contextlib.contextmanager
def interruptible() -> Iterator[JobStop | InlineStop | None]:
    """A job's stop (`JobStop`) in a pool worker's main thread: STOP_SIGNAL or SIGTERM raises
    KeyboardInterrupt once within; after, each has its disposition of before again (ignored,
    in a pool worker). In this process's main thread under a sweep's own handlers (a sweep
    with one worker), an `InlineStop`; None elsewhere (another thread: a Dask worker's job;
    Python's own Ctrl-C, which `api.solve` guards itself; a pool worker without the forward).
    A review: `run_task` called under Python's Ctrl-C lost its plan to a stop as it was
    tabulated, the hold not holding it."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    if not _in_pool_worker and remembering():
        REMEMBERED.pending = None
        try:
            yield InlineStop()
        finally:  # said by the sweep's Stop at its next poll, if not raised by the job
            REMEMBERED.pending = None
        return
    if not _in_pool_worker or STOP_SIGNAL is None:  # no sweep's handlers: `api.solve` guards
        yield None
        return
    stop = JobStop()
    before = {signum: signal.signal(signum, stop.on_signal) for signum in JOB_STOPS}
    unraisable = sys.unraisablehook

    def swallowed(what: Any) -> None:
        if isinstance(what.exc_value, KeyboardInterrupt) and stop.raised:
            stop.rearm()  # no traceback: the stop is said again, and taken
            return
        unraisable(what)

    sys.unraisablehook = swallowed
    try:
        yield stop
    finally:  # ignored again in a pool worker (`ignore_stops`)
        stop.active = False
        sys.unraisablehook = unraisable
        for signum, handler in before.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
