"""Ctrl-C and SIGTERM during a solve and the write (caveat pricing, alternatives and the
explanations: test_interrupts_extras.py): real signals, sent at a point the run itself reaches
(tests/inject.py), so that nothing depends on speed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver.cli import main

from .conftest import EXAMPLE, ROOT
from .workbooks import simple_case

HANG_GUARD = 600  # seconds: only a hung run ever gets near this


def run_injected(hook: str, nth: int, sig: str, *args: str | Path) -> subprocess.CompletedProcess:
    """forcegen ARGS with SIGsig sent to itself when `hook` is reached the `nth` time."""
    return subprocess.run(
        [sys.executable, "-m", "tests.inject", hook, str(nth), sig, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )


def start_injected(hook: str, nth: int, *args: str | Path) -> subprocess.Popen:
    """forcegen ARGS, held when `hook` is reached the `nth` time until the test signals it;
    returns once it is held (it said so on stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.inject", hook, str(nth), "wait", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"inject: {hook} reached" in line:
            return proc
    proc.wait(HANG_GUARD)
    raise AssertionError(f"never reached {hook}: {''.join(seen)}")


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    out, err = proc.communicate(timeout=HANG_GUARD)
    return out, err


def sheet_names(path: Path) -> list[str]:
    with pd.ExcelFile(path) as book:
        return [str(name) for name in book.sheet_names]


def summary(path: Path) -> dict:
    frame = pd.read_excel(path, sheet_name="Summary", keep_default_na=False)
    return dict(frame[["key", "value"]].itertuples(index=False))


def test_sigterm_during_solve_writes_the_best_plan_and_exits_143(tmp_path: Path) -> None:
    """SIGTERM while HiGHS runs the first stage: the plan found so far (the construction
    heuristic's) is written, a message names SIGTERM, exit 143."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("solve", 1, "solve", case, "-o", out)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = finish(proc)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    assert "forcegen.solve" not in stderr  # a planner reads messages, not module names
    assert "written:" in stdout
    assert summary(out)["status"] == "interrupted"
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp")] == []


def test_ctrl_c_during_solve_writes_the_best_plan_and_exits_130(tmp_path: Path) -> None:
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("solve", 1, "solve", case, "-o", out)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "written:" in stdout
    assert "stopped by Ctrl-C" in stderr and "Traceback" not in stderr
    assert summary(out)["status"] == "interrupted"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_writing_still_writes_the_plan(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """The signal arrives after `status:` is printed, while the output is being written: the
    write completes, then forcegen exits 130 (143 for SIGTERM)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("write", 1, "solve", case, "-o", out)
    proc.send_signal(sig)
    stdout, stderr = finish(proc)
    assert proc.returncode == code, stderr
    assert "status: optimal" in stdout and "written:" in stdout
    assert summary(out)["status"] == "optimal"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp")] == []


def test_temp_file_of_a_killed_writer_is_removed_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL while the output is being written leaves its temporary file (nothing can remove
    it then); the next write of the same output removes it, and only it: a temp file of
    another output, or of a writer still alive, stays."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    proc = start_injected("fsync", 1, "solve", case, "-o", out)
    proc.kill()
    finish(proc)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp-o.xlsx-")]
    assert left == [
        p.name for p in tmp_path.iterdir() if p.name.startswith(f".~tmp-o.xlsx-{proc.pid}-")
    ]
    assert len(left) == 1 and not out.exists()
    other = tmp_path / f".~tmp-other.xlsx-{proc.pid}-abc123"  # another output's, same dead pid
    other.write_bytes(b"partial")
    alive = tmp_path / f".~tmp-o.xlsx-{os.getpid()}-abc123"  # a live writer's (this test)
    alive.write_bytes(b"partial")
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    temps = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~tmp"))
    assert temps == sorted([other.name, alive.name])
    assert summary(out)["status"] == "optimal"


def test_ctrl_c_as_a_stage_finishes_is_no_optimal_plan(tmp_path: Path) -> None:
    """Ctrl-C just after HiGHS finished the first stage, before forcegen saw it: the later
    stages are not solved, so the plan is `interrupted`, never `optimal` (it said `optimal at
    every stage` with the cost not optimised)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT-finished", "solve", case, "-o", out)
    assert done.returncode == 130, done.stderr
    s = summary(out)
    assert s["status"] == "interrupted"
    assert s["stage.shortfall.p1.status"] == "optimal"
    assert s["stage.cost.status"] == "not_solved"
    assert "optimal at every stage" not in done.stdout


def test_solve_from_another_thread_runs_without_signal_handlers(tmp_path: Path) -> None:
    """Signal handlers can only be set in the main thread: a CLI run from a worker thread (a
    notebook, a GUI) solves as before."""
    import threading

    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    codes = []

    def solve() -> None:
        codes.append(CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code)

    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    assert codes == [0]


def test_ctrl_c_while_the_highs_thread_starts_keeps_the_plan(tmp_path: Path) -> None:
    """Ctrl-C inside Thread.start() of HiGHS's worker (it escaped the solver's handler: the
    plan was lost, `interrupted`, nothing written)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("start", 1, "INT", "solve", case, "-o", out)
    assert done.returncode == 130, done.stderr
    assert "written:" in done.stdout
    assert summary(out)["status"] == "interrupted"


@pytest.mark.parametrize("sig", ["INT", "TERM"])
def test_a_signal_while_the_tables_are_made_still_writes_the_plan(tmp_path: Path, sig: str) -> None:
    """HiGHS has returned and the result tables are being made: the signal is remembered, the
    plan tabulated, explained and written, then the exit says it came (it lost the plan)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("tables", 1, sig, "solve", EXAMPLE, "-o", out)
    assert done.returncode == (130 if sig == "INT" else 143), done.stderr
    # the plan is the whole run's: not "found so far" (a trial read it as cut short)
    assert "once the search had ended: the plan is the whole run's (optimal)" in done.stderr
    s = summary(out)
    assert s["status"] == "optimal" and "explanation" not in s
    assert "Gaps" in sheet_names(out)


@pytest.mark.parametrize(
    ("sig", "code", "name"), [("INT", 130, "Ctrl-C"), ("TERM", 143, "SIGTERM")]
)
def test_a_signal_just_after_the_plan_is_written_says_it_is_written(
    tmp_path: Path, sig: str, code: int, name: str
) -> None:
    """The signal comes as `written: ...` has been printed: the output is complete, and the
    message says so (it said 'nothing was written', or the process died without a word)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("written", 1, sig, "solve", simple_case(tmp_path / "c.xlsx"), "-o", out)
    assert done.returncode == code, done.stderr
    assert "written:" in done.stdout and "Traceback" not in done.stderr
    assert f"stopped by {name}" in done.stderr and "once the search had ended" in done.stderr
    assert "the plan is the whole run's (optimal) and is written" in done.stderr
    assert "nothing was written" not in done.stderr
    assert summary(out)["status"] == "optimal"
