"""Where a sweep's tasks run: in this process, in a local process pool, or on a Dask cluster.

Every backend offers the same three calls: `submit(task)`, `done(handles, timeout)` (the handles
that have finished, waiting at most `timeout` seconds for one) and `result(handle)`; `slots` is
how many tasks run at once, so that the sweep keeps exactly that many submitted and knows which
scenarios are running.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

from ..errors import UsageError
from ..parallel import PRELOAD, process_pool
from .task import Task, TaskResult, run_task, warm_up

SWEEP_PRELOAD = (*PRELOAD, "solver.sweep.task")
CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler


class Backend(Protocol):
    slots: int
    label: str

    def submit(self, task: Task) -> Any: ...
    def done(self, handles: list[Any], timeout: float) -> list[Any]: ...
    def result(self, handle: Any) -> TaskResult: ...
    def close(self, cancel: bool = False) -> None: ...


class _Pending:
    """A task not yet run (hashable by identity, like a future)."""

    def __init__(self, task: Task) -> None:
        self.task = task


class Inline:
    """One task at a time in this process (one worker, or a single scenario)."""

    slots = 1
    label = "1 worker"

    def __init__(self) -> None:
        warm_up()

    def submit(self, task: Task) -> _Pending:
        return _Pending(task)

    def done(self, handles: list[_Pending], timeout: float) -> list[_Pending]:
        return handles[:1]

    def result(self, handle: _Pending) -> TaskResult:
        return run_task(handle.task)

    def close(self, cancel: bool = False) -> None:
        pass


class LocalPool:
    """Worker processes started without forking this process (see `solver.parallel`)."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self.pool = pool
        self.slots = workers
        self.label = f"{workers} workers"

    def submit(self, task: Task) -> Future[TaskResult]:
        return self.pool.submit(run_task, task)

    def done(self, handles: list[Future[TaskResult]], timeout: float) -> list[Future[TaskResult]]:
        finished, _ = wait(handles, timeout=timeout, return_when=FIRST_COMPLETED)
        return [h for h in handles if h in finished]

    def result(self, handle: Future[TaskResult]) -> TaskResult:
        return handle.result()

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class DaskCluster:
    """Tasks submitted to an existing Dask distributed scheduler; forcegen must be installed on
    its workers (the workbook travels with each task: no shared folder is needed)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(
                "--scheduler needs Dask distributed, which is not installed: "
                "pip install 'forcegen[distributed]'"
            ) from None
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.label = f"Dask at {address}, {self.slots} thread(s)"

    def submit(self, task: Task) -> Any:
        key = f"forcegen-sweep-{task.scenario}-{time.time_ns()}"
        return self.client.submit(run_task, task, key=key, pure=False)

    def done(self, handles: list[Any], timeout: float) -> list[Any]:
        end = time.monotonic() + timeout
        while True:
            finished = [h for h in handles if h.done()]
            if finished or time.monotonic() >= end:
                return finished
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def result(self, handle: Any) -> TaskResult:
        return handle.result()

    def close(self, cancel: bool = False) -> None:
        self.client.close()


def make_backend(workers: int, jobs: int, scheduler: str | None) -> Backend:
    """The Dask cluster at `scheduler`, else a pool of min(workers, jobs) processes."""
    if scheduler:
        return DaskCluster(scheduler)
    pool = process_pool(workers, jobs, initializer=warm_up, preload=SWEEP_PRELOAD)
    if pool is None:
        return Inline()
    return LocalPool(pool, min(workers, jobs))
