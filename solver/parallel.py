"""Worker processes for `check` and `sweep`: a pool that never forks a process running HiGHS.

HiGHS starts threads, and a process that forks while other threads run can deadlock in the
child. So workers are forked from a fresh server process that has imported the solver once
(forkserver), or, where that start method does not exist, start as fresh interpreters (spawn).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

PRELOAD = ("solver.api",)


def process_context(preload: Sequence[str] = PRELOAD) -> multiprocessing.context.BaseContext:
    """The start method for solver workers: forkserver (preloading `preload`), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    return ctx


def process_pool(
    workers: int,
    jobs: int,
    *,
    initializer: Callable[[], None] | None = None,
    preload: Sequence[str] = PRELOAD,
) -> ProcessPoolExecutor | None:
    """A pool of min(workers, jobs) processes, or None when one process is enough."""
    if workers <= 1 or jobs <= 1:
        return None
    return ProcessPoolExecutor(
        max_workers=min(workers, jobs),
        mp_context=process_context(preload),
        initializer=initializer,
    )


def cores() -> int:
    """The number of cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)
