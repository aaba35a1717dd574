"""A stopped sweep keeps the best plans of the scenarios that were running (sweep/salvage.py):
the workers outlive a terminal's Ctrl-C, a running job stops as `solve` does on Ctrl-C when the
sweep forwards the stop (solver/worker_signals.py), and the sweep writes what they return."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from solver.compare.views import error_view
from solver.parallel import LocalPool
from solver.signals import Stop
from solver.sweep.salvage import salvage
from solver.sweep.task import Task, TaskResult
from solver.worker_signals import interruptible

from .test_sweep_faults import (  # noqa: F401  (_no_leftovers: the fixture, autouse)
    DEADLINE,
    _no_leftovers,
)

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
    pytest.mark.slow,  # worker processes
]


# jobs for the pool (module level: a worker imports them by name)
def echo(word: str) -> str:
    return word


def wait_for_ctrl_c(marker: str) -> TaskResult | str:
    """Say it runs (the marker file), then wait for the stop: a solve's best plan so far, as a
    TaskResult; a second stop must not end it before it returns."""
    with interruptible():
        Path(marker).touch()
        try:
            time.sleep(DEADLINE)
        except KeyboardInterrupt:
            time.sleep(0.5)  # a second stop lands here: ignored
            return TaskResult(Path(marker).name, "interrupted", 130, 0.0, error_view("x", ""))
    return "never interrupted"


def stop_by_task(task: Task) -> TaskResult | str:
    """A task named by its marker file: stops with a plan (as `wait_for_ctrl_c`), or, named
    `*-early`, as a solve stopped before its first plan: the stop raised back."""
    if not task.scenario.endswith("-early"):
        return wait_for_ctrl_c(task.scenario)
    with interruptible():
        Path(task.scenario).touch()
        time.sleep(DEADLINE)
    return "never interrupted"


def write_through_stop(marker: str) -> str:
    """A stop while the plan is being written (`held`) is remembered, and the job completes."""
    with interruptible() as stop:
        assert stop is not None
        with stop.held():
            Path(marker).touch()
            end = time.monotonic() + DEADLINE
            while not stop.received and time.monotonic() < end:
                time.sleep(0.01)
            return "written" if stop.received else "no stop came"


def pids(pool: LocalPool[Any, Any]) -> set[int]:
    processes = [
        process
        for executor in pool.executors
        for process in (getattr(executor, "_processes", None) or {}).values()
    ]
    return {p.pid for p in processes if p.is_alive() and p.pid is not None}


def started(markers: list[Path]) -> None:
    end = time.monotonic() + DEADLINE
    while not all(m.exists() for m in markers):
        assert time.monotonic() < end, "the jobs did not start"
        time.sleep(0.05)


def test_idle_workers_outlive_ctrl_c_and_the_stop_and_the_pool_goes_on() -> None:
    pool: LocalPool[float, Any] = LocalPool(time.sleep, 2)
    try:
        both = [pool.submit(0.5), pool.submit(0.5)]  # two at once: both workers start
        for job in both:
            job.result(timeout=DEADLINE)
        executors, workers = list(pool.executors), pids(pool)
        assert len(workers) == 2
        for pid in workers:
            os.kill(pid, signal.SIGINT)  # the terminal's Ctrl-C, to the group
        assert pool.interrupt_running()  # the sweep's stop, to idle workers
        time.sleep(0.5)
        assert pool.executors == executors and pids(pool) == workers  # none died or replaced
        assert pool.submit(0).result(timeout=DEADLINE) is None
    finally:
        pool.close(cancel=True)


def test_a_stop_while_the_plan_is_written_is_held_and_the_job_completes(tmp_path: Path) -> None:
    pool: LocalPool[str, str] = LocalPool(write_through_stop, 2)
    marker = tmp_path / "writing"
    try:
        job = pool.submit(str(marker))
        started([marker])
        assert pool.interrupt_running()
        assert job.result(timeout=DEADLINE) == "written"
    finally:
        pool.close(cancel=True)


def test_a_running_job_stops_as_on_ctrl_c_and_its_result_is_salvaged(tmp_path: Path) -> None:
    pool: LocalPool[str, Any] = LocalPool(wait_for_ctrl_c, 2)
    markers = [tmp_path / "one", tmp_path / "two"]
    try:
        running = {pool.submit(str(m)): k for k, m in enumerate(markers)}
        started(markers)
        assert pool.interrupt_running()  # a first stop; salvage's own is the second
        tasks = [Task(m.name, False, "w.xlsx", b"") for m in markers]
        got: list[TaskResult] = []
        handed = salvage(pool, running, tasks, got.append, Stop())
        assert sorted(handed) == ["one", "two"] and running == {}
        assert sorted(r.scenario for r in got) == ["one", "two"]
        assert {r.status for r in got} == {"interrupted"}
    finally:
        pool.close(cancel=True)


def test_a_scenario_stopped_before_its_first_plan_is_told_from_one_never_run(
    tmp_path: Path,
) -> None:
    """Stopped while two scenarios run: the one with a plan is handed over; the one that had
    none yet is named as stopped while running (not as a scenario never run)."""
    from solver.sweep.drive import drive

    markers = [tmp_path / "kept", tmp_path / "one-early"]
    tasks = [Task(str(m), False, "w.xlsx", b"") for m in markers]
    pool: LocalPool[Task, Any] = LocalPool(stop_by_task, 2)
    stop, got, stopped_running = Stop(), [], set()

    def ctrl_c_once_both_run() -> None:
        started(markers)
        stop.interrupted, stop.stops = True, 1

    import threading

    threading.Thread(target=ctrl_c_once_both_run, daemon=True).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            drive(pool, tasks, got.append, None, stop, 0, stopped_running)
    finally:
        pool.close(cancel=True)
    assert [r.scenario for r in got] == ["kept"]  # wait_for_ctrl_c names it by its file
    assert got[0].status == "interrupted"
    assert stopped_running == {str(markers[1])}


def test_a_scenario_solved_in_process_and_stopped_stays_not_run() -> None:
    """In one process (`Inline`) nobody can be asked for a plan: a Ctrl-C that ends the
    running scenario leaves it "not run" (its state unknown), not "stopped while running"."""
    from solver.parallel import Inline
    from solver.sweep.drive import drive

    def ctrl_c(task: Task) -> TaskResult:
        raise KeyboardInterrupt

    stopped_running: set[str] = set()
    with pytest.raises(KeyboardInterrupt):
        drive(
            Inline(ctrl_c),
            [Task("a", False, "w.xlsx", b"")],
            print,
            None,
            Stop(),
            0,
            stopped_running,
        )
    assert stopped_running == set()


def test_a_second_stop_ends_the_wait_for_best_plans(tmp_path: Path) -> None:
    """Jobs that do not answer (no interruptible()): the wait ends at a further stop signal,
    not at SALVAGE_SECONDS, and nothing is handed over."""
    pool: LocalPool[float, Any] = LocalPool(time.sleep, 2)
    try:
        running = {pool.submit(DEADLINE): 0}
        time.sleep(0.5)
        stop = Stop(stops=1)

        class Again:  # the second Ctrl-C arrives while the sweep waits
            def __init__(self) -> None:
                self.polls = 0

            def __getattr__(self, name: str) -> Any:
                return getattr(pool, name)

            def done(self, handles: list[Any], timeout: float) -> list[Any]:
                self.polls += 1
                if self.polls == 3:
                    stop.stops += 1
                return pool.done(handles, timeout)

        began = time.monotonic()
        handed = salvage(Again(), running, [Task("s", False, "w.xlsx", b"")], print, stop)
        assert handed == [] and len(running) == 1
        assert time.monotonic() - began < 10
    finally:
        pool.close(cancel=True)


def _report_dispositions(conn: Any) -> None:
    """In a process just forked by the forkserver, before any initializer: whether SIGINT and
    the forwarded stop are ignored."""
    from solver.worker_signals import STOP_SIGNAL

    conn.send([signal.getsignal(s) is signal.SIG_IGN for s in (signal.SIGINT, STOP_SIGNAL)])
    conn.close()


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="POSIX only: no forwarded stop")
def test_a_worker_ignores_ctrl_c_and_the_forward_from_its_first_instruction() -> None:
    """A worker forked while a stop is forwarded (or the terminal's Ctrl-C comes) got them
    before `ignore_stops` ran, and died of them: the pool broke and the plans being salvaged
    were lost. The forkserver now ignores both before it saves the dispositions it gives the
    processes it forks (solver/forkserver_deaf.py); the sweep's own process keeps its Ctrl-C,
    and importing that module elsewhere changes nothing."""

    import importlib

    from solver.parallel import process_context
    from solver.worker_signals import STOP_SIGNAL

    before = [signal.getsignal(s) for s in (signal.SIGINT, STOP_SIGNAL)]
    try:
        importlib.reload(importlib.import_module("solver.forkserver_deaf"))  # here: no effect
        ctx = process_context()
        assert [signal.getsignal(s) for s in (signal.SIGINT, STOP_SIGNAL)] == before
    finally:
        for signum, handler in zip((signal.SIGINT, STOP_SIGNAL), before, strict=True):
            signal.signal(signum, handler)
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_report_dispositions, args=(writer,))
    child.start()
    writer.close()
    assert reader.poll(60), "the child did not report"
    assert reader.recv() == [True, True]
    child.join(60)


def test_a_worker_start_refused_by_a_killed_forkserver_gets_a_fresh_pool() -> None:
    """The forkserver killed (SIGKILL, an out-of-memory kill) can refuse the next worker's
    start with ConnectionRefusedError, which ended a sweep as an internal error with nothing
    written: the pool is replaced, as a pool broken by a killed worker is."""
    pool: LocalPool[float, Any] = LocalPool(time.sleep, 1)
    try:
        broken = pool.executors[0]

        class Refusing:
            def submit(self, *args: Any) -> Any:
                raise ConnectionRefusedError(111, "Connection refused")

            def __getattr__(self, name: str) -> Any:
                return getattr(broken, name)

        pool.executors[0] = Refusing()  # type: ignore[call-overload]
        pool.submit(0.01).result(timeout=DEADLINE)
        assert pool.executors[0] is not broken and not isinstance(pool.executors[0], Refusing)
    finally:
        pool.close(cancel=True)


def driven_unstopped(job: Any) -> list[TaskResult]:
    """Scenarios one, two and three run by `job` in a pool of 2 workers, the sweep itself
    never asked to stop: what `drive` handed over."""
    from solver.sweep.drive import drive

    tasks = [Task(name, False, "w.xlsx", b"") for name in ("one", "two", "three")]
    pool: LocalPool[Task, Any] = LocalPool(job, 2)
    got: list[TaskResult] = []
    try:
        drive(pool, tasks, got.append, None, Stop(), 0, set())
    finally:
        pool.close(cancel=True)
    return got


def interrupted_if_first(task: Task) -> TaskResult:
    """A worker's job: scenario `one` comes back interrupted (as when a signal reached its
    worker process alone), any other optimal."""
    status = "interrupted" if task.scenario == "one" else "optimal"
    code = 130 if status == "interrupted" else 0
    return TaskResult(task.scenario, status, code, 0.0, error_view(task.scenario, ""))


def test_a_worker_stopped_alone_ends_its_scenario_not_the_sweep() -> None:
    """A scenario comes back interrupted from a pool's worker while the sweep itself was asked
    to stop by nothing (`kill -TERM <worker pid>`): that scenario keeps its plan, fails with
    exit 1 (not the sweep's 130), and the others go on (a fault trial: the whole sweep
    stopped, exit 130, as after a Ctrl-C). The rule: a pool's worker, and no stop of the
    sweep's own; in this process a Ctrl-C that reached the solve is the sweep's."""

    got = driven_unstopped(interrupted_if_first)
    assert sorted(r.scenario for r in got) == ["one", "three", "two"]
    (one,) = [r for r in got if r.scenario == "one"]
    assert one.status == "interrupted" and one.exit_code == 1
    # the rule itself: a pool's worker, the sweep not asked to stop (a stop of its own is
    # raised by `drive` at its next poll, whatever the result says: not tested through it)
    from solver.parallel import Inline
    from solver.sweep.drive import _stopped_alone

    pool = LocalPool(interrupted_if_first, 1)
    try:
        assert _stopped_alone(pool, Stop())
        assert not _stopped_alone(pool, Stop(interrupted=True, stops=1))
        assert not _stopped_alone(pool, Stop(terminated=True, stops=1))
    finally:
        pool.close(cancel=True)
    assert not _stopped_alone(Inline(interrupted_if_first), Stop())  # a Ctrl-C of its own


def stopped_if_first(task: Task) -> TaskResult:
    """A worker's job: scenario `one` is stopped before it has a plan (its job raises
    KeyboardInterrupt, as `interruptible()` makes a stop before the first plan), any other is
    optimal."""
    if task.scenario == "one":
        raise KeyboardInterrupt
    return TaskResult(task.scenario, "optimal", 0, 0.0, error_view(task.scenario, ""))


def test_a_worker_stopped_alone_before_its_first_plan_ends_its_scenario_only() -> None:
    """A signal to one worker before its job had a plan: the job's KeyboardInterrupt, sent back,
    stopped the whole sweep as if it were the sweep's own (a review: `0 solved, 8 not;
    interrupted`, exit 130). Now that scenario is `not_run` (stopped while running, no plan),
    exit 1, and the others go on."""

    got = driven_unstopped(stopped_if_first)
    by_name = {r.scenario: r for r in got}
    assert sorted(by_name) == ["one", "three", "two"]
    assert (by_name["one"].status, by_name["one"].exit_code) == ("not_run", 1)
    assert (
        by_name["one"].started
        and "stopped by a signal sent to it alone" in by_name["one"].errors[0]
    )
    assert by_name["two"].status == "optimal"
