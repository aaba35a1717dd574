"""HiGHS runs left running: a run the watchdog abandoned after its cancel (solve/watchdog.py)
is still busy in its thread, named HIGHS_THREAD.

A process that exits normally while such a run is busy can abort in HiGHS's destructors
("terminate called without an active exception", exit 134: seen in 1 run of 3 with the
default threads). So a command leaves with `os._exit` then (commands_common.guarded), once its
output is written and closed, and a script that called `api.solve` waits at exit for the run,
which was told to stop, up to EXIT_WAIT_SECONDS (`wait_at_exit`).
"""

from __future__ import annotations

import atexit
import threading
import time

HIGHS_THREAD = "highs"
EXIT_WAIT_SECONDS = 60.0
_waiting = False


def highs_still_running() -> bool:
    """A HiGHS run abandoned by the watchdog has not returned."""
    return any(t.name == HIGHS_THREAD and t.is_alive() for t in threading.enumerate())


def wait_at_exit() -> None:
    """At this process's normal exit, wait for abandoned runs (they were told to stop) up to
    EXIT_WAIT_SECONDS; registered once, when a run is abandoned."""
    global _waiting
    if not _waiting:
        _waiting = True
        atexit.register(_join_left_runs)


def _join_left_runs() -> None:
    end = time.monotonic() + EXIT_WAIT_SECONDS
    for thread in threading.enumerate():
        if thread.name == HIGHS_THREAD and thread.is_alive():
            thread.join(max(end - time.monotonic(), 0.0))


class Finished:
    """A HiGHS run's "done", set by its thread and waited for by the main thread, which holds
    no lock the setter needs.

    threading.Event's wait takes the lock its set needs, and a Ctrl-C or SIGTERM raised in the
    main thread just after the lock is taken (a handler runs after any C call) leaves it taken:
    the HiGHS thread then blocks in set() for ever, and the main thread's next wait with it.
    Here set() only releases a lock that the main thread waits to take (a plain lock may be
    released by another thread), and the flag, set first, is what answers: a wait interrupted
    after taking that lock has lost nothing."""

    def __init__(self) -> None:
        self._flag = False
        self._wake = threading.Lock()
        self._wake.acquire()  # released once, by set()

    def set(self) -> None:
        """Done (again: nothing more); from the HiGHS thread, never blocking."""
        if not self._flag:
            self._flag = True
            self._wake.release()

    def is_set(self) -> bool:
        return self._flag

    def wait(self, timeout: float) -> bool:
        """Whether done, waiting at most `timeout` s for it."""
        if not self._flag:
            self._wake.acquire(timeout=timeout)
        return self._flag
