"""`forcegen sweep`'s files: an interrupted sweep keeps what finished, an output that cannot be
written fails only its scenario, a workbook that cannot be read is refused at once (an earlier
run's outputs: test_sweep_earlier.py)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver.sweep import run_sweep

from .sweep_case import SCENARIOS, base_unwritable, small_case, sweep


def test_an_interrupted_solve_stops_the_sweep_and_keeps_what_finished(
    tmp_path: Path, monkeypatch
) -> None:
    from solver.sweep import backends
    from solver.sweep.task import run_task

    def interrupted_at_more(task):
        result = run_task(task)
        if task.scenario == "more":
            result.status, result.exit_code = "interrupted", 130
        return result

    monkeypatch.setattr(backends, "run_task", interrupted_at_more)
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS)
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1)
    assert report.interrupted and report.exit_code == 130
    assert [r.status for r in report.results] == [
        "optimal",
        "interrupted",
        "not_run",
        "not_run",
        "not_run",
    ]
    assert (tmp_path / "out" / "comparison.xlsx").is_file()


def test_an_output_that_cannot_be_written_fails_only_its_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk as base.xlsx is written (atomic_write raising, as it does for ENOSPC): base
    is an error of its own, saying it was solved but not written; the other scenarios are
    solved and written, and so is the comparison (before, the sweep ended there, exit 2)."""
    base_unwritable(monkeypatch)
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0], SCENARIOS[4])  # more, b_gone
    report = run_sweep(src, out_dir=tmp_path / "out", workers=1, stable=False)
    by_name = {r.scenario: r for r in report.results}
    assert by_name["base"].status == "error"
    assert by_name["base"].errors == [
        "solved (optimal) but not written: cannot write base.xlsx: No space left on device"
    ]
    others = [r for r in report.results if r.scenario != "base"]
    assert others and all(r.status == "optimal" for r in others)
    assert all((tmp_path / "out" / f"{r.scenario}.xlsx").is_file() for r in others)
    assert not (tmp_path / "out" / "base.xlsx").exists()
    assert (tmp_path / "out" / "comparison.xlsx").is_file()
    assert report.exit_code == 2  # as `solve` exits for an output it cannot write


def test_a_workbook_that_cannot_be_read_is_refused_at_once_with_every_error(
    tmp_path: Path,
) -> None:
    """Three mistakes in the base case (two units cells, a blank contributor) and two
    scenarios: every error once, with its cell, exit 2, and no folder, output or comparison
    written (before, each scenario's row repeated the first few and comparison.xlsx was
    written)."""
    src = small_case(tmp_path / "case.xlsx", *SCENARIOS[:1], SCENARIOS[-1])
    wb = load_workbook(src)
    requirements, pledges = wb["Requirements"], wb["Pledges"]
    units = next(c.column_letter for c in requirements[1] if c.value == "units")
    requirements[f"{units}2"], requirements[f"{units}3"] = "three", "four"
    pledges["A2"] = None
    wb.save(src)
    out = tmp_path / "out"
    result = sweep(src, "-o", out)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: Requirements!{units}2: units must be a whole number >= 0, got 'three'",
        f"error: Requirements!{units}3: units must be a whole number >= 0, got 'four'",
        "error: Pledges!A2: contributor is required; fill in the cell",
    ]
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG])
def test_a_full_scratch_folder_fails_the_scenario_as_such_not_as_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A task first copies its workbook into the sweep's scratch folder: a full disk or a file
    size limit there (a trial under `ulimit -f 8`) failed every scenario as `internal error:
    OSError: [Errno 27] File too large`, exit 1. Now it names the folder and TMPDIR, exit 2;
    any other OSError stays an internal error."""
    from solver.sweep.task import Task, run_task

    src = small_case(tmp_path / "case.xlsx")
    task = Task("base", False, src.name, src.read_bytes(), scratch=str(tmp_path))

    def refused(self: Path, data: bytes) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(Path, "write_bytes", refused)
    result = run_task(task)
    assert (result.status, result.exit_code) == ("error", 2)
    remedy = {
        errno.ENOSPC: "; free space there, or set TMPDIR to a folder with room",
        errno.EFBIG: " (this process's file size limit, ulimit -f); raise the file size limit "
        "(ulimit -f) and run again",
    }[code]
    assert result.errors == [
        f"cannot write in the scratch folder {tmp_path}: {os.strerror(code)}{remedy}"
    ]

    def denied(self: Path, data: bytes) -> int:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(Path, "write_bytes", denied)
    assert run_task(task).errors[0].startswith("internal error: PermissionError")


def test_a_scenario_out_of_memory_is_said_so_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker out of memory (`ulimit -v`): the scenario said `internal error: MemoryError: `
    (no text), or `internal error: SystemError: <class 'int'> returned a result with an
    exception set` where a C extension met it. Both are out of memory, with what to do."""
    from solver.sweep.task import Task, run_task

    src = small_case(tmp_path / "case.xlsx")
    task = Task("base", False, src.name, src.read_bytes(), scratch=str(tmp_path))

    def exhausted(self: Path, data: bytes) -> int:
        raise MemoryError

    def exhausted_in_c(self: Path, data: bytes) -> int:
        raise SystemError("<class 'int'> returned a result with an exception set") from (
            MemoryError()
        )

    for failing in (exhausted, exhausted_in_c):
        monkeypatch.setattr(Path, "write_bytes", failing)
        result = run_task(task)
        assert (result.status, result.exit_code) == ("error", 1)
        assert result.errors == [
            "out of memory: the scenario needs more memory than the worker had; run the sweep "
            "with fewer --workers if others ran beside it (each holds a model), or on a machine with "
            "more memory (or a higher memory limit)"
        ]


def test_a_plan_the_scratch_folder_cannot_take_is_solved_but_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task writes its plan in the scratch folder first: a full disk there said `cannot write
    output.xlsx: File too large`, a file the planner never named; now as base.xlsx's own write
    says it: solved but not written, and where."""
    from solver.errors import UsageError
    from solver.results import output_file
    from solver.sweep.task import Task, run_task

    src = small_case(tmp_path / "case.xlsx")
    task = Task("base", False, src.name, src.read_bytes(), scratch=str(tmp_path))

    def full(result: object, output: Path, inputs: object) -> Path:
        raise UsageError(f"cannot write {output.name}: No space left on device")

    monkeypatch.setattr(output_file, "write_output", full)
    result = run_task(task)
    assert (result.status, result.exit_code) == ("error", 2)
    assert result.errors == [
        f"solved (optimal) but not written: cannot write its plan in the scratch folder "
        f"{tmp_path}: No space left on device"
    ]


def test_a_comparison_that_cannot_be_written_keeps_the_tally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk as comparison.xlsx is written: every scenario's output stands, the tally
    line is still said, then the comparison's error, exit 2 (the tally was lost with it)."""
    from solver.errors import UsageError
    from solver.sweep import run as sweep_run

    def full(*args: object, **kwargs: object) -> Path:
        raise UsageError("cannot write comparison.xlsx: No space left on device")

    monkeypatch.setattr(sweep_run, "write_comparison", full)
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])
    out = tmp_path / "out"
    result = sweep(src, "-o", out, "--workers", "1")
    assert result.exit_code == 2, result.output
    assert "sweep: 2 scenarios: 2 solved, 0 not" in result.output
    assert "error: comparison: cannot write comparison.xlsx: No space left on device" in (
        result.output
    )
    assert (out / "base.xlsx").is_file() and not (out / "comparison.xlsx").exists()


def test_a_baseline_inside_the_sweeps_own_folder_points_at_the_folder_option(
    tmp_path: Path,
) -> None:
    """`sweep -o out --baseline out/base.xlsx`: the sweep would write base.xlsx over its own
    baseline, refused before any solve, pointing at -o (a folder), not at `another output
    path` (an operator's trial)."""
    from click.testing import CliRunner

    from solver.cli import main

    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    solved = CliRunner().invoke(main, ["solve", str(src), "-o", str(out / "base.xlsx")])
    assert solved.exit_code == 0, solved.output
    before = (out / "base.xlsx").read_bytes()
    result = sweep(src, "-o", out, "--baseline", out / "base.xlsx", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert "choose another folder (-o)" in result.output
    assert "another output path" not in result.output
    assert (out / "base.xlsx").read_bytes() == before
