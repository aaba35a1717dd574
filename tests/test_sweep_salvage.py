"""A stopped sweep keeps the best plans of the scenarios that were running (sweep/salvage.py):
the workers outlive a terminal's Ctrl-C, a running job stops as `solve` does on Ctrl-C when the
sweep forwards the stop (solver/worker_signals.py), and the sweep writes what they return."""

from __future__ import annotations

import os
import re
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

from .conftest import ROOT
from .test_sweep_faults import (  # noqa: F401  (_no_leftovers: the fixture, autouse)
    DEADLINE,
    Command,
    _no_leftovers,
    needs_proc,
    overview,
    session_members,
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
    processes = getattr(pool.pool, "_processes", None) or {}
    return {p.pid for p in processes.values() if p.is_alive() and p.pid is not None}


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
        executor, workers = pool.pool, pids(pool)
        assert len(workers) == 2
        for pid in workers:
            os.kill(pid, signal.SIGINT)  # the terminal's Ctrl-C, to the group
        assert pool.interrupt_running()  # the sweep's stop, to idle workers
        time.sleep(0.5)
        assert pool.pool is executor and pids(pool) == workers  # nobody died, nothing replaced
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
    from solver.sweep.run import _drive

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
            _drive(pool, tasks, got.append, None, stop, 0, stopped_running)
    finally:
        pool.close(cancel=True)
    assert [r.scenario for r in got] == ["kept"]  # wait_for_ctrl_c names it by its file
    assert got[0].status == "interrupted"
    assert stopped_running == {str(markers[1])}


def test_a_scenario_solved_in_process_and_stopped_stays_not_run() -> None:
    """In one process (`Inline`) nobody can be asked for a plan: a Ctrl-C that ends the
    running scenario leaves it "not run" (its state unknown), not "stopped while running"."""
    from solver.parallel import Inline
    from solver.sweep.run import _drive

    def ctrl_c(task: Task) -> TaskResult:
        raise KeyboardInterrupt

    stopped_running: set[str] = set()
    with pytest.raises(KeyboardInterrupt):
        _drive(
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


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (/proc), 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_workers(session: int, seconds: float) -> None:
    """Wait until two processes of the sweep's session besides itself have each run `seconds`
    of CPU time (so by how much the machine is loaded does not matter): solving, past the
    construction heuristic's first plan."""
    end = time.monotonic() + 3 * DEADLINE
    while True:
        pids = [int(m.split()[0]) for m in session_members(session)]
        busy = [p for p in pids if p != session and cpu_seconds(p) >= seconds]
        if len(busy) >= 2:
            return
        assert time.monotonic() < end, f"no two busy workers: {session_members(session)}"
        time.sleep(0.2)


@needs_proc
@pytest.mark.parametrize(
    ("send", "code", "word"),
    [
        (lambda pid: os.killpg(pid, signal.SIGINT), 130, "interrupted"),  # Ctrl-C: the group
        (lambda pid: os.kill(pid, signal.SIGTERM), 143, "terminated (SIGTERM)"),
        # GNU `timeout`, systemd: the workers and the forkserver got it too, and died of it
        (lambda pid: os.killpg(pid, signal.SIGTERM), 143, "terminated (SIGTERM)"),
    ],
    ids=["ctrl-c", "sigterm", "group-sigterm"],
)
def test_a_stopped_sweep_writes_the_running_scenarios_best_plans(
    tmp_path: Path, send: Any, code: int, word: str
) -> None:
    """The bundled timed example (its plan within a few CPU seconds, its presence stage not
    proven in 600 s): two workers, stopped while both solve."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    workbook = ROOT / "inputs" / "coalition_timed.xlsx"
    args = ["sweep", str(workbook), "-o", str(out), "--workers", "2", "--time-limit", "600"]
    sweep = Command([*args, "--threads", "1"], tmp, "")
    busy_workers(sweep.proc.pid, 8.0)
    send(sweep.proc.pid)
    assert sweep.finish() == code, (sweep.stdout, sweep.stderr)
    rows = overview(out / "comparison.xlsx")
    kept = [name for name, (status, _) in rows.items() if status == "interrupted"]
    assert len(kept) == 2, rows
    for name in kept:
        assert (out / f"{name}.xlsx").is_file()
        assert re.search(rf"FAIL  {name} +interrupted .* p1 ", sweep.stdout), sweep.stdout
    not_run = [name for name, (status, _) in rows.items() if status == "not_run"]
    assert len(not_run) == len(rows) - 2 and not any((out / f"{n}.xlsx").exists() for n in not_run)
    said = f"{word}: the workers were stopped; the best plans so far of {kept[0]} and {kept[1]}"
    assert said in sweep.stderr, sweep.stderr
    assert list(tmp.iterdir()) == []


def test_a_stop_while_a_worker_writes_its_output_keeps_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a pool worker (as `run_task` sees it), a stop forwarded while the output workbook is
    written is held: the task returns its result, written, instead of losing it."""
    from solver import api, worker_signals
    from solver.sweep.task import run_task

    from .workbooks import simple_case

    monkeypatch.setattr(worker_signals, "_in_pool_worker", True)
    before = signal.getsignal(signal.SIGUSR1)
    term = signal.getsignal(signal.SIGTERM)
    write = api.write

    def write_and_stop(*args: Any, **kwargs: Any) -> Path:
        os.kill(os.getpid(), signal.SIGUSR1)  # the sweep's forward, mid-write
        time.sleep(0.1)  # delivered here, in the main thread
        return write(*args, **kwargs)

    monkeypatch.setattr(api, "write", write_and_stop)
    content = simple_case(tmp_path / "case.xlsx").read_bytes()
    try:
        result = run_task(Task("base", False, "case.xlsx", content, {}, str(tmp_path)))
    except KeyboardInterrupt:  # not let through: it would stop the whole test run
        pytest.fail("the stop was raised while the output was written: the result is lost")
    finally:
        signal.signal(signal.SIGUSR1, before)
    assert result.status == "optimal" and result.output is not None, result.errors
    # the job's SIGTERM handler is undone: left ignored, it hung every later test's command
    assert signal.getsignal(signal.SIGTERM) is term


def test_a_stopped_sweep_names_the_plans_it_kept_and_the_scenarios_not_run() -> None:
    from solver.compare.views import ScenarioView
    from solver.sweep.command import stopped_line

    def result(name: str, status: str) -> TaskResult:
        return TaskResult(name, status, 0, 0.0, ScenarioView(name, status))

    results = [result("base", "optimal"), result("a", "interrupted"), result("b", "interrupted")]
    results += [result("c", "not_run"), result("d", "not_run")]
    assert stopped_line(results, "interrupted") == (
        "interrupted: the workers were stopped; the best plans so far of a and b are written; "
        "2 scenarios not run (c, d), what finished is written with the comparison"
    )
    early = TaskResult("e", "not_run", 130, 0.0, ScenarioView("e", "not_run"), started=True)
    assert stopped_line([*results, early], "interrupted") == (
        "interrupted: the workers were stopped; the best plans so far of a and b are written; "
        "e stopped while running, no plan came back; 2 scenarios not run (c, d), what "
        "finished is written with the comparison"
    )
    assert stopped_line(results[:1] + results[3:4], "terminated (SIGTERM)") == (
        "terminated (SIGTERM): the workers were stopped; 1 scenario not run (c), what "
        "finished is written with the comparison"
    )


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


def test_a_stopped_sweep_on_dask_says_running_scenarios_run_on() -> None:
    """On a Dask cluster the sweep cancels what has not started, but a running task runs on in
    its worker to its time limit: the line no longer says the workers were stopped."""
    from solver.compare.views import ScenarioView
    from solver.sweep.command import stopped_line

    results = [TaskResult("c", "not_run", 0, 0.0, ScenarioView("c", "not_run"))]
    assert stopped_line(results, "interrupted", dask=True) == (
        "interrupted: the scenarios not started on the Dask cluster were cancelled (those "
        "running there run on to their time limit: Dask cannot stop a running task); 1 "
        "scenario not run (c), what finished is written with the comparison"
    )


def test_closing_a_dask_cluster_on_a_stop_cancels_the_tasks_not_finished() -> None:
    from solver.sweep.backends import DaskCluster

    class Handle:
        def __init__(self, done: bool) -> None:
            self._done = done

        def done(self) -> bool:
            return self._done

    class Client:
        def __init__(self) -> None:
            self.cancelled: list[Handle] = []
            self.closed, self.force = False, False

        def cancel(self, handles: list[Handle], force: bool) -> None:
            self.cancelled, self.force = handles, force

        def close(self) -> None:
            self.closed = True

    cluster = DaskCluster.__new__(DaskCluster)  # no scheduler: the client is a stand-in
    finished, running = Handle(True), Handle(False)
    cluster.client, cluster.submitted = Client(), [finished, running]
    cluster.close(cancel=True)
    assert cluster.client.cancelled == [running] and cluster.client.force
    assert cluster.client.closed


def test_a_worker_start_refused_by_a_killed_forkserver_gets_a_fresh_pool() -> None:
    """The forkserver killed (SIGKILL, an out-of-memory kill) can refuse the next worker's
    start with ConnectionRefusedError, which ended a sweep as an internal error with nothing
    written: the pool is replaced, as a pool broken by a killed worker is."""
    pool: LocalPool[float, Any] = LocalPool(time.sleep, 1)
    try:
        broken = pool.pool

        class Refusing:
            def submit(self, *args: Any) -> Any:
                raise ConnectionRefusedError(111, "Connection refused")

            def __getattr__(self, name: str) -> Any:
                return getattr(broken, name)

        pool.pool = Refusing()  # type: ignore[assignment]
        pool.submit(0.01).result(timeout=DEADLINE)
        assert pool.pool is not broken and not isinstance(pool.pool, Refusing)
    finally:
        pool.close(cancel=True)
