"""Where a sweep's tasks run: in this process, in a local process pool, or on a Dask cluster.

Every backend is a `solver.parallel.Runner`: `submit(task)`, `done(handles, timeout)` (the
handles that have finished, waiting at most `timeout` seconds for one), `result(handle)` and
`close(cancel)`; `slots` is how many tasks run at once, so that the sweep keeps exactly that
many submitted and knows which scenarios are running.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from ..errors import UsageError
from ..parallel import PRELOAD, Runner, local_runner
from ..signals import deferred
from .task import Task, TaskResult, run_task, warm_up

SWEEP_PRELOAD = (*PRELOAD, "solver.sweep.task")
CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler


Backend = Runner[Task, TaskResult]


DASK_LABEL = "Dask"  # how a sweep's runner on a Dask cluster is named (SweepReport.runner)


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
        self.label = f"{DASK_LABEL} at {address}, {self.slots} thread(s)"
        self.submitted: list[Any] = []

    def submit(self, task: Task) -> Any:
        key = f"forcegen-sweep-{task.scenario}-{time.time_ns()}"
        handle = self.client.submit(run_task, task, key=key, pure=False)
        self.submitted.append(handle)
        return handle

    def done(self, handles: list[Any], timeout: float) -> list[Any]:
        end = time.monotonic() + timeout
        while True:
            finished = [h for h in handles if h.done()]
            if finished or time.monotonic() >= end:
                return finished
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def result(self, handle: Any) -> TaskResult:
        """The finished task's result; a stop that comes meanwhile is raised after: Dask hands
        it over from its own thread, and a stop raised inside that wait could leave its lock
        taken (see `LocalPool.done`)."""
        with deferred(every_stop=True):
            return handle.result()

    def close(self, cancel: bool = False) -> None:
        """Disconnect; with `cancel`, first cancel every task not finished (those not started
        never start; a running one runs on in its worker: Dask cannot stop it)."""
        if cancel:
            with contextlib.suppress(Exception):  # a cluster gone already has nothing to cancel
                self.client.cancel([h for h in self.submitted if not h.done()], force=True)
        self.client.close()


def make_backend(workers: int, jobs: int, scheduler: str | None) -> Backend:
    """The Dask cluster at `scheduler`, else a pool of min(workers, jobs) processes (this
    process when one is enough)."""
    if scheduler:
        return DaskCluster(scheduler)
    return local_runner(run_task, workers, jobs, initializer=warm_up, preload=SWEEP_PRELOAD)
