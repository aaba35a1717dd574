"""The best plans of the scenarios running when a sweep is stopped (Ctrl-C, SIGTERM).

`forcegen solve` stopped by Ctrl-C or SIGTERM writes its best plan so far; so does a sweep run
in one process. A sweep with worker processes asks each worker to stop the same way
(`LocalPool.interrupt_running`, solver/worker_signals.py: a worker's solve takes it as Ctrl-C)
and waits up to SALVAGE_SECONDS for what they return: each scenario that comes back is written
like any result (status `interrupted`, its plan valid but not proven; or what it finished
with, had it finished), the others are reported not run and their workers terminated. A second
Ctrl-C or SIGTERM stops the wait at once.

Not salvaged: scenarios on a Dask cluster (its workers are not this machine's processes to
signal). A SIGTERM to the whole process group (`timeout`, systemd) reaches the workers as the
sweep: each takes it as the forwarded stop (`worker_signals.JOB_STOPS`), and the forkserver
they are forked from ignores it (it killed them with it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import _RemoteTraceback
from typing import Any

from ..parallel import POLL_SECONDS, WorkerLost
from ..signals import Stop
from ..wording import joined
from .task import Task, TaskResult

log = logging.getLogger("forcegen.sweep")

# how long a stopped sweep waits for the running scenarios' best plans: a solve stopped by
# Ctrl-C cancels HiGHS (seconds at most; 15 s was measured once at a million columns), then
# builds its tables and writes its workbook (about 2 s at 200k columns)
SALVAGE_SECONDS = 30.0


def salvage(
    backend: Any,
    running: dict[Any, int],
    tasks: Sequence[Task],
    finished: Callable[[TaskResult], None],
    stop: Stop,
    seconds: float = SALVAGE_SECONDS,
) -> list[str] | None:
    """Ask the workers of `running` ({handle: index into tasks}) to stop with their best plans
    and hand each TaskResult that comes back within `seconds` to `finished`, until every one is
    back or a further stop signal arrives; the scenarios handed over, None when no worker could
    be asked (in-process or Dask scenarios, none alive). `running` is emptied of what came
    back."""
    interrupt = getattr(backend, "interrupt_running", None)
    if interrupt is None or not running or not interrupt():
        return None
    stops = stop.stops
    names = joined([tasks[index].scenario for index in sorted(running.values())])
    log.warning(
        "%s: waiting up to %.0f s for the best plans so far of %s (Ctrl-C or SIGTERM again: "
        "stop now without them)",
        stop.message(),
        seconds,
        names,
    )
    handed: list[str] = []
    end = time.monotonic() + seconds
    try:
        while running and stop.stops == stops and (left := end - time.monotonic()) > 0:
            for handle in backend.done(list(running), timeout=min(POLL_SECONDS, left)):
                index = running.pop(handle)
                outcome = _outcome(backend, handle)
                if outcome is not None:
                    finished(outcome)
                    handed.append(tasks[index].scenario)
    except KeyboardInterrupt:  # a second Ctrl-C or SIGTERM: stop now
        pass
    return handed


def _outcome(backend: Any, handle: Any) -> TaskResult | None:
    """The task's result, or None: its worker died, or it was stopped before it had a plan
    (the KeyboardInterrupt raised in the worker, sent back)."""
    try:
        result = backend.result(handle)
    except WorkerLost:
        return None
    except KeyboardInterrupt as exc:
        if isinstance(exc.__cause__, _RemoteTraceback):
            return None
        raise  # this process's own: a second stop
    except Exception:
        return None
    return result if isinstance(result, TaskResult) else None
