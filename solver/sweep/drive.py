"""Drive a sweep's backend: keep its slots busy, hand each result over as it comes, and on a
stop ask the scenarios still running for their best plans (sweep/salvage.py). A scenario that
comes back interrupted stops the sweep too, unless a signal stopped its worker process alone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..compare import error_view
from ..exit_codes import EXIT_INTERNAL
from ..parallel import LocalPool, Lost, StoppedAlone, failure_text, run_jobs
from ..signals import Stop
from .backends import Backend
from .progress import Progress
from .salvage import salvage
from .task import Task, TaskResult

log = logging.getLogger("forcegen.sweep")


def drive(
    backend: Backend,
    tasks: list[Task],
    finished: Callable[[TaskResult], None],
    progress: Progress | None,
    stop: Stop,
    done_before: int = 0,
    stopped_running: set[str] | None = None,
) -> None:
    """Keep `backend.slots` tasks submitted; hand each result over as soon as it is known
    (`done_before`: tasks of earlier batches, for the progress count); before every wait, a
    signal whose exception was lost is raised (`Stop.check`). Stopped, the tasks still running
    are asked for their best plans (sweep/salvage.py) before KeyboardInterrupt goes on; those
    that give none back are added to `stopped_running`."""

    def show(done: int, running: list[int]) -> None:
        stop.check()
        if progress is not None:
            progress.update(done_before + done, [tasks[i].scenario for i in running])

    def lost(index: int) -> None:
        if progress is not None:
            progress.clear()
        log.warning(
            "%s: a worker was killed (out of memory?) while it ran; it runs again alone once "
            "the others are done",
            tasks[index].scenario,
        )

    def stopped_alone() -> bool:  # a job's own stop, sent back: its worker's alone?
        return _stopped_alone(backend, stop)

    running: dict[Any, int] = {}  # what run_jobs has not seen taken in
    handed: set[int] = set()
    try:
        for index, outcome in run_jobs(backend, tasks, show, running, lost, stopped_alone):
            result = _result(tasks[index], outcome)
            alone = result.status == "interrupted" and stopped_alone()
            if alone:
                _said_stopped_alone(result)
            finished(result)
            handed.add(index)
            if result.status == "interrupted" and not alone:  # Ctrl-C reached a solve: stop too
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        # the scenarios still running stop with their best plans, written (sweep/salvage.py),
        # and so is one whose result came in as the stop did
        if progress is not None:
            progress.clear()
        left = {handle: k for handle, k in running.items() if k not in handed}
        kept: list[str] | None = []  # what salvage handed over: nothing, if it was cut short
        try:
            kept = salvage(backend, dict(left), tasks, finished, stop)
        finally:
            # asked to stop and gave no plan back (only worker processes of this machine can
            # be asked: in-process and Dask scenarios stay "not run", their state unknown)
            if stopped_running is not None and kept is not None:
                stopped_running.update(tasks[k].scenario for k in left.values())
                stopped_running.difference_update(kept)
        raise


def _stopped_alone(backend: Backend, stop: Stop) -> bool:
    """Whether a scenario that came back interrupted from a pool's worker process was stopped
    by a signal to that process alone (`kill -TERM <pid>`): the sweep itself was not asked to
    stop. Then only that scenario ends, with its best plan, and the others go on (a fault
    trial: one worker's SIGTERM stopped the whole sweep, exit 130, as a Ctrl-C). In this
    process (`Inline`) a Ctrl-C that reached the solve is the sweep's own."""
    return isinstance(backend, LocalPool) and not (stop.terminated or stop.interrupted)


def _said_stopped_alone(result: TaskResult) -> None:
    """A scenario whose worker alone was stopped: its best plan is kept (status
    `interrupted`), but it failed, exit 1, not the sweep's 130 (nothing stopped the sweep)."""
    result.exit_code = EXIT_INTERNAL
    log.warning(
        "%s: its worker process was stopped by a signal sent to it alone; its best plan so far "
        "is kept (interrupted), the other scenarios go on",
        result.scenario,
    )


def _result(task: Task, outcome: TaskResult | Lost | StoppedAlone | Exception) -> TaskResult:
    """The task's result; a worker that died twice, or failed, is an internal error of it; one
    stopped alone before it had a plan is a scenario stopped while running (`not_run`, no plan
    came back), exit 1 (a review: it stopped the whole sweep, exit 130)."""
    if isinstance(outcome, TaskResult):
        return outcome
    if isinstance(outcome, StoppedAlone):
        text = "its worker process was stopped by a signal sent to it alone, before it had a plan"
        log.warning("%s: %s; the other scenarios go on", task.scenario, text)
        view = error_view(task.scenario, text, status="not_run", generated=task.generated)
        return TaskResult(
            task.scenario, "not_run", EXIT_INTERNAL, 0.0, view, None, [text], started=True
        )
    text = failure_text(outcome)
    view = error_view(task.scenario, text, generated=task.generated)
    return TaskResult(task.scenario, "error", EXIT_INTERNAL, 0.0, view, None, [text])
