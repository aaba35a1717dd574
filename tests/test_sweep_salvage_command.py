"""A sweep command stopped while its workers solve: it writes the running scenarios' best plans,
a worker's output written through a forwarded stop is kept, and the stopped line names what was
kept and what was not run, on local workers and on a Dask cluster (split from
tests/test_sweep_salvage.py)."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from solver.sweep.task import Task, TaskResult

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
    from solver import worker_signals
    from solver.results import output_file
    from solver.sweep.task import run_task

    from .workbooks import simple_case

    monkeypatch.setattr(worker_signals, "_in_pool_worker", True)
    before = signal.getsignal(signal.SIGUSR1)
    term = signal.getsignal(signal.SIGTERM)
    write = output_file.write_output

    def write_and_stop(*args: Any, **kwargs: Any) -> Path:
        os.kill(os.getpid(), signal.SIGUSR1)  # the sweep's forward, mid-write
        time.sleep(0.1)  # delivered here, in the main thread
        return write(*args, **kwargs)

    monkeypatch.setattr(output_file, "write_output", write_and_stop)
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
