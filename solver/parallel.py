"""Worker processes for `check` and `sweep`: a pool that never forks a process running HiGHS,
dies with its parent, and survives losing a worker.

HiGHS starts threads, and a process that forks while other threads run can deadlock in the
child. So workers are forked from a fresh server process that has imported the solver once
(forkserver), or, where that start method does not exist, start as fresh interpreters (spawn).

A worker killed from outside (what an out-of-memory kill does) breaks a ProcessPoolExecutor:
every job in it fails. So `LocalPool` runs one single-worker executor per slot, and a killed
worker loses its own job alone (with one shared executor, the job running beside it was lost
too and ran again from the start, said to have had its worker killed: a fault trial). The
slot's executor is replaced at its next job; `run_jobs` runs the lost job again, alone once the
others are done (for the memory the others held); a job is reported lost only when its worker
is killed while it runs alone. On an interrupt (Ctrl-C, SIGTERM) `close(cancel=True)`
terminates the workers instead of waiting for them.

A worker ignores the terminal's Ctrl-C: its parent forwards a stop to the running jobs
(`LocalPool.interrupt_running`, solver/worker_signals.py).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from .parent_death import die_with_parent
from .signals import deferred, sigint_blocked
from .worker_signals import forward_stop, ignore_stops

PRELOAD = ("solver.api",)
LOST = "its worker was killed (out of memory?) or could not start (see the errors above)"
JOIN_SECONDS = 5.0  # for a killed worker to be reaped
POLL_SECONDS = 0.25  # how long a wait for a finished job lasts before progress is redrawn

J = TypeVar("J")
R = TypeVar("R")
J_contra = TypeVar("J_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class WorkerLost(Exception):
    """The worker process running a job died (killed by the kernel, a user, ...)."""


@dataclass(frozen=True)
class StoppedAlone:
    """A job whose worker raised KeyboardInterrupt (stopped before it had anything to give
    back) where the caller says no stop of its own came (`run_jobs`' `stopped_alone`): a
    signal sent to that worker process alone."""


@dataclass(frozen=True)
class Lost:
    """A job whose worker was killed twice: among the others, then alone."""

    reason: str = LOST


def failure_text(outcome: Lost | Exception) -> str:
    """A job that gave no result, as its internal error: a worker killed again when the job ran
    alone, or a failure to hand its result over."""
    if isinstance(outcome, Lost):
        return f"internal error: {outcome.reason}; it was run again alone and was killed again"
    return f"internal error: the worker failed: {type(outcome).__name__}: {outcome}"


class Runner(Protocol[J_contra, R_co]):
    """Where jobs run: `slots` at once; `done` waits at most `timeout` s for one to finish;
    `result` raises WorkerLost when the job's worker died."""

    slots: int
    label: str

    def submit(self, job: J_contra) -> Any: ...
    def done(self, handles: list[Any], timeout: float) -> list[Any]: ...
    def result(self, handle: Any) -> R_co: ...
    def close(self, cancel: bool = False) -> None: ...


def process_context(preload: Sequence[str] = PRELOAD) -> multiprocessing.context.BaseContext:
    """The start method for solver workers: forkserver (preloading `preload`), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # first: the workers ignore Ctrl-C and the forwarded stop from their start (its docstring)
    ctx.set_forkserver_preload(["solver.forkserver_deaf", *preload])
    _start_resource_tracker_deaf_to_hangups()
    return ctx


def _start_resource_tracker_deaf_to_hangups() -> None:
    """Start Python's resource tracker (which names the pool's semaphores) with SIGHUP blocked.

    It ignores SIGINT and SIGTERM, but a hangup to the whole group (a closed terminal, GNU
    `timeout -s HUP`) killed it, and the pool's semaphores, released after, printed its
    tracebacks (`KeyError: '/mp-...'`) over a check stopped as asked (a CI trial). A blocked
    signal stays blocked across the exec that starts it; a tracker already running is kept."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or not hasattr(signal, "pthread_sigmask"):
        return
    from multiprocessing import resource_tracker

    before = signal.pthread_sigmask(signal.SIG_BLOCK, {hangup})
    try:
        resource_tracker.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_worker(initializer: Callable[[], None] | None, logs: tuple[int, str] | None) -> None:
    _release_forkserver()
    die_with_parent()
    ignore_stops()
    if logs is not None:  # the command's -v: a worker, started afresh, logs as it does
        level, layout = logs
        logging.basicConfig(level=level, format=layout, stream=sys.stderr)
    if initializer is not None:
        initializer()


def _command_logs() -> tuple[int, str] | None:
    """The level and layout of the command's log (`-v`: INFO, `forcegen.solve: ...`) when it
    says more than warnings, else None: workers started afresh (forkserver) had no handler, so
    `check -v` with two workers logged nothing of their solves (a CI trial)."""
    root = logging.getLogger()
    if root.getEffectiveLevel() >= logging.WARNING or not root.handlers:
        return None
    formatter = root.handlers[0].formatter
    layout = formatter._fmt if formatter is not None and formatter._fmt else "%(message)s"
    return root.getEffectiveLevel(), layout


def _release_forkserver() -> None:
    """Close this worker's copy of the pipe whose end tells the forkserver that the main process
    died: multiprocessing hands it to every worker (for workers that start processes of their
    own, which ours never do), and while a worker holds it the forkserver, and so the workers
    (see `die_with_parent`), outlive a main process killed by SIGKILL."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if server is None or fd is None:
        return
    with contextlib.suppress(OSError):
        os.close(fd)
    server._forkserver_alive_fd = None


class _Pending:
    """A job not yet run (hashable by identity, like a future)."""

    def __init__(self, job: Any) -> None:
        self.job = job


class Inline(Generic[J, R]):
    """One job at a time in this process."""

    slots = 1
    label = "1 worker"

    def __init__(self, fn: Callable[[J], R], initializer: Callable[[], None] | None = None):
        self.fn = fn
        if initializer is not None:
            initializer()

    def submit(self, job: J) -> _Pending:
        return _Pending(job)

    def done(self, handles: list[_Pending], timeout: float) -> list[_Pending]:
        return handles[:1]

    def result(self, handle: _Pending) -> R:
        return self.fn(handle.job)

    def close(self, cancel: bool = False) -> None:
        pass


class LocalPool(Generic[J, R]):
    """`workers` processes started without forking this process, each dying with it, each in a
    single-worker executor of its own (`executors`, one per slot): a killed worker breaks its
    own executor only, which is replaced by a fresh one when its slot takes the next job."""

    def __init__(
        self,
        fn: Callable[[J], R],
        workers: int,
        initializer: Callable[[], None] | None = None,
        preload: Sequence[str] = PRELOAD,
    ) -> None:
        self.fn = fn
        self.slots = workers
        self.label = f"{workers} workers"
        self._initializer = partial(_start_worker, initializer, _command_logs())
        self._preload = preload
        self.executors = [self._new_executor() for _ in range(workers)]
        self._jobs: list[list[Future[R]]] = [[] for _ in range(workers)]  # submitted to each

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=process_context(self._preload),
            initializer=self._initializer,
        )

    def _free_slot(self) -> int:
        """The first slot with no job unfinished (else the one with fewest: its executor
        queues the job; `run_jobs` never submits more jobs than slots)."""
        for jobs in self._jobs:
            jobs[:] = [job for job in jobs if not job.done()]
        return min(range(self.slots), key=lambda slot: (len(self._jobs[slot]), slot))

    def submit(self, job: J) -> Future[R]:
        """The job submitted; a stop that comes while it starts a worker is raised after
        (`signals.deferred`), once the pool knows the worker and can stop it. A second stop
        waits too (the seconds a worker takes to start): raised inside, it could leave the
        pool's lock taken, and closing the pool then hung. SIGINT is blocked meanwhile, and so
        in the processes started: a terminal's Ctrl-C goes to the whole process group, and a
        forkserver or spawned worker still importing (its preload, seconds, before it ignores
        Ctrl-C: solver/forkserver_deaf.py) died of it with a traceback of its own."""
        with deferred(every_stop=True), sigint_blocked():
            slot = self._free_slot()
            try:
                future = self.executors[slot].submit(self.fn, job)
            except EOFError:  # the forkserver died as it started: its preload lacked memory
                raise MemoryError("the worker processes' server ran out of memory") from None
            except (BrokenProcessPool, ConnectionError):
                # a worker killed broke its executor; the forkserver killed refuses the next
                # worker's start (ConnectionRefusedError: it lost a sweep's every output). A
                # fresh executor starts a fresh forkserver if need be.
                _close_executor(self.executors[slot], cancel=True)
                self.executors[slot] = self._new_executor()
                future = self.executors[slot].submit(self.fn, job)
            self._jobs[slot].append(future)
            return future

    def done(self, handles: list[Future[R]], timeout: float) -> list[Future[R]]:
        """The handles finished within `timeout` s; a stop that comes meanwhile is raised after
        (`deferred`): raised inside `wait`, where it holds the futures' locks, it kept one
        locked for ever, the pool's thread could not hand a result over, and the stopped sweep
        hung in `close`."""
        with deferred(every_stop=True):
            finished, _ = wait(handles, timeout=timeout, return_when=FIRST_COMPLETED)
        return [h for h in handles if h in finished]

    def result(self, handle: Future[R]) -> R:
        """The finished job's result (raised after, a stop that comes meanwhile: see `done`)."""
        try:
            with deferred(every_stop=True):
                return handle.result()
        except BrokenProcessPool as exc:
            raise WorkerLost(str(exc)) from None

    def interrupt_running(self) -> bool:
        """Ask every worker to stop its job (solver/worker_signals.py): a job run
        `interruptible()` stops as on Ctrl-C (a solve with its best plan) and returns; an idle
        worker ignores it. False where no worker could be asked."""
        asked = False
        for process in _processes(*self.executors):
            if process.pid is not None and process.is_alive():
                asked = forward_stop(process.pid) or asked
        return asked

    def close(self, cancel: bool = False) -> None:
        """Wait for the running jobs; with `cancel`, drop the queued ones and kill the workers
        (the running jobs are lost; a worker ignores SIGTERM: `worker_signals.JOB_STOPS`)."""
        _close_executor(*self.executors, cancel=cancel)


def _processes(*executors: ProcessPoolExecutor) -> list[Any]:
    """The worker processes of `executors` (started and not yet reaped)."""
    return [
        process
        for executor in executors
        for process in list((getattr(executor, "_processes", None) or {}).values())
    ]


def _close_executor(*executors: ProcessPoolExecutor, cancel: bool) -> None:
    """`LocalPool.close` of these executors: all killed before any is waited for."""
    if not cancel:
        for executor in executors:
            executor.shutdown(wait=True)
        return
    processes = _processes(*executors)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(JOIN_SECONDS)
    with deferred(every_stop=True):  # quick, its workers gone; a stop inside could hang it
        for executor in executors:
            # its manager thread never started (no memory for one): a fault trial saw the
            # error of joining it hide `can't start new thread`, the failure itself
            with contextlib.suppress(RuntimeError):
                executor.shutdown(wait=True, cancel_futures=True)


def local_runner(
    fn: Callable[[J], R],
    workers: int,
    jobs: int,
    *,
    initializer: Callable[[], None] | None = None,
    preload: Sequence[str] = PRELOAD,
) -> Inline[J, R] | LocalPool[J, R]:
    """A pool of min(workers, jobs) processes, or this process when one is enough."""
    if workers <= 1 or jobs <= 1:
        return Inline(fn, initializer)
    return LocalPool(fn, min(workers, jobs), initializer, preload)


def run_jobs(
    runner: Runner[J, R],
    jobs: Sequence[J],
    on_progress: Callable[[int, list[int]], None] | None = None,
    running: dict[Any, int] | None = None,
    on_lost: Callable[[int], None] | None = None,
    stopped_alone: Callable[[], bool] | None = None,
) -> Iterator[tuple[int, R | Lost | StoppedAlone | Exception]]:
    """Run every job on `runner` (keeping `runner.slots` submitted) and yield (index, result)
    as each finishes: the job's result, `Lost()` when its worker died twice (a job whose worker
    died runs again, alone, after the others), or the exception that getting it raised.
    `on_progress(done, running indices)` is called before every wait. `running`, if given,
    is kept as {handle: job index} of the jobs submitted whose result the caller has not yet
    taken (a job leaves it when the loop asks for the next result): after an interrupt, what
    is still running or was not yet taken in (sweep/salvage.py). `on_lost(index)` is called
    when a job's worker dies the first time (the job will run again alone), so that the
    caller can say so: a job that then succeeds is otherwise indistinguishable."""
    queue = list(range(len(jobs)))
    again: list[int] = []  # lost once: to run again, alone
    alone: set[int] = set()  # running (or ran) alone: a second loss is final
    running = {} if running is None else running
    finished = 0
    while queue or again or running:
        while queue and len(running) < runner.slots:
            index = queue.pop(0)
            running[runner.submit(jobs[index])] = index
        if not queue and not running and again:
            index = again.pop(0)
            alone.add(index)
            running[runner.submit(jobs[index])] = index
        if on_progress is not None:
            on_progress(finished, sorted(running.values()))
        for handle in runner.done(list(running), timeout=POLL_SECONDS):
            index = running[handle]
            try:
                result: R | Lost | StoppedAlone | Exception = runner.result(handle)
            except KeyboardInterrupt as exc:
                # the job's own, sent back: its worker alone was stopped, if the caller says so
                if not (_remote(exc) and stopped_alone is not None and stopped_alone()):
                    raise
                result = StoppedAlone()
            except WorkerLost:
                if index not in alone:
                    running.pop(handle)
                    again.append(index)
                    if on_lost is not None:
                        on_lost(index)
                    continue
                result = Lost()
            except Exception as exc:  # e.g. a result that cannot be unpickled: this job's failure
                result = exc
            finished += 1
            yield index, result
            # only once the caller has it: interrupted before (here or while it writes it), the
            # job is still in `running`, for the caller to take again
            running.pop(handle)
    if on_progress is not None:
        on_progress(finished, [])


def _remote(exc: BaseException) -> bool:
    """Whether `exc` was raised in a worker process and sent back (its cause is the worker's
    traceback)."""
    from concurrent.futures.process import _RemoteTraceback

    return isinstance(exc.__cause__, _RemoteTraceback)


def cores() -> int:
    """The number of cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)
