"""A console whose reader has gone (`forcegen check cases/ | head -1`) loses no answer.

Each command runs in its own process with stdout a pipe whose reading end is closed before the
command starts, so its very first console line meets a broken pipe on any machine (no race with
a reader). Before, `check`, `sweep` and `compare` then ended with exit 0 and nothing written: a
failed regression check turned a CI gate green."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .check_case import REFERENCE, set_pledge, unhurried
from .conftest import ROOT
from .workbooks import simple_case

HANG_GUARD = 600  # seconds: only a hung run ever gets near this


def forcegen_into_a_closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """forcegen ARGS with stdout a pipe nobody reads any more; stderr captured."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return _forcegen(write_end, *args)
    finally:
        os.close(write_end)


def forcegen_into_a_full_disk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """forcegen ARGS with stdout on a full disk (`> /dev/full`: every write fails with
    ENOSPC); stderr captured."""
    with open("/dev/full", "w") as full:
        return _forcegen(full, *args)


def _forcegen(stdout: Any, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """forcegen ARGS with its stdout `stdout` (a descriptor or file); stderr captured."""
    return subprocess.run(
        [sys.executable, "-c", "from solver.entry import main; main()", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )


def test_solve_writes_its_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    done = forcegen_into_a_closed_pipe("solve", simple_case(tmp_path / "w.xlsx"), "-o", out)
    assert done.returncode == 0, done.stderr
    assert "Allocation" in load_workbook(out, read_only=True).sheetnames
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


@pytest.mark.parametrize("closed", [1, 2])
def test_solve_writes_its_plan_when_started_with_its_console_closed(
    tmp_path: Path, closed: int
) -> None:
    """`forcegen solve ... >&-` (or `2>&-`): Python's sys.stdout (stderr) is None from the
    start; the plan is written, exit 0. Before, silencing HiGHS's banner flushed None: an
    internal error, nothing solved (a fault trial)."""
    out = tmp_path / "plan.xlsx"
    code = "from solver.entry import main; main()"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "solve",
            str(simple_case(tmp_path / "w.xlsx")),
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE if closed == 2 else None,
        stderr=subprocess.PIPE if closed == 1 else None,
        preexec_fn=lambda: os.close(closed),
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Allocation" in load_workbook(out, read_only=True).sheetnames


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("console", ["stdout", "stderr", "both"])
def test_solve_writes_its_plan_when_its_console_is_full(tmp_path: Path, console: str) -> None:
    """The console redirected to a full disk (`> /dev/full`: every write fails with ENOSPC):
    the plan is written and the exit code is the solve's. Before, the first line printed ended
    the run as an internal error (exit 1), before the plan was written."""
    out, workbook = tmp_path / "plan.xlsx", simple_case(tmp_path / "w.xlsx")
    code = "from solver.entry import main; main()"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", code, "solve", str(workbook), "-o", str(out)],
            stdout=full if console in ("stdout", "both") else subprocess.PIPE,
            stderr=full if console in ("stderr", "both") else subprocess.PIPE,
            text=True,
            timeout=HANG_GUARD,
            cwd=ROOT,
        )
    assert done.returncode == 0, done.stderr
    assert "Allocation" in load_workbook(out, read_only=True).sheetnames


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_workbooks_problems_keep_exit_2_when_stderr_is_full(tmp_path: Path) -> None:
    """The problems of a workbook cannot be printed (stderr on a full disk): the exit code is
    still 2, not an internal error's 1 (the guard's own messages were outside the wrapper)."""
    bad = simple_case(tmp_path / "w.xlsx", pledges=[{"contributor": "A", "capability": "INF"}])
    code = "from solver.entry import main; main()"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", code, "validate", str(bad)],
            stdout=subprocess.PIPE,
            stderr=full,
            text=True,
            timeout=HANG_GUARD,
            cwd=ROOT,
        )
    assert done.returncode == 2


def test_a_failed_check_still_fails_and_writes_its_junit(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    unhurried(shutil.copy(REFERENCE / "tight.xlsx", folder))
    pinned = forcegen_into_a_closed_pipe("check", "--update", "--workers", "1", folder)
    assert pinned.returncode == 0, pinned.stderr
    assert (folder / "tight.json").is_file()
    # Without Canada's company a priority-2 line falls short: the pin no longer holds.
    set_pledge(folder / "tight.xlsx", "CAN", "MECH_COY", 0)
    report = tmp_path / "junit.xml"
    done = forcegen_into_a_closed_pipe("check", "--workers", "1", "--junit", report, folder)
    assert done.returncode == 5, done.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"


def test_sweep_writes_every_scenario(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "w.xlsx")
    out = tmp_path / "sweep"
    done = forcegen_into_a_closed_pipe(
        "sweep", workbook, "--withdraw-each", "--workers", "1", "-o", out
    )
    assert done.returncode == 0, done.stderr
    assert (out / "base.xlsx").is_file()
    assert len(list(out.glob("*.xlsx"))) >= 3  # the base and one withdrawal per contributor


def test_compare_writes_its_comparison(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "w.xlsx")
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for plan in (a, b):
        assert forcegen_into_a_closed_pipe("solve", workbook, "-o", plan).returncode == 0
    out = tmp_path / "comparison.xlsx"
    done = forcegen_into_a_closed_pipe("compare", a, b, "-o", out)
    assert done.returncode == 0, done.stderr
    assert out.is_file()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_check_json_into_a_full_disk_is_an_error(tmp_path: Path) -> None:
    """`check --json > report.json` on a full disk: the report is the answer, so its loss is
    exit 2 with a line on stderr (a CI trial: an empty report and exit 0). Into a pipe whose
    reader left (`| head -1`) the check's own exit code stands: the reader chose to stop."""
    folder = tmp_path / "cases"
    folder.mkdir()
    unhurried(shutil.copy(REFERENCE / "tight.xlsx", folder))
    assert (
        forcegen_into_a_closed_pipe("check", "--update", "--workers", "1", folder).returncode == 0
    )
    done = forcegen_into_a_full_disk("check", "--json", "--workers", "1", folder)
    assert done.returncode == 2, done.stderr
    assert "error: the report could not be written to standard output" in done.stderr
    piped = forcegen_into_a_closed_pipe("check", "--json", "--workers", "1", folder)
    assert piped.returncode == 0, piped.stderr


def test_check_json_refused_by_its_parser_into_a_closed_pipe_keeps_exit_2(tmp_path: Path) -> None:
    """`check --json --workers 0` into a pipe whose reader left: the usage error is still said
    on stderr, exit 2 (the JSON of the refusal, printed first, met the broken pipe: exit 1 and
    nothing said; a review)."""
    done = forcegen_into_a_closed_pipe("check", "--json", "--workers", "0", tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Invalid value for '--workers'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_console_answer_lost_to_a_full_disk_is_said(tmp_path: Path) -> None:
    """`compare a.xlsx b.xlsx > /dev/full`: compare's answer is its console; its loss is said
    in a line on stderr (it was lost without a word), the exit code the command's."""
    workbook = simple_case(tmp_path / "w.xlsx")
    plan = tmp_path / "a.xlsx"
    assert forcegen_into_a_closed_pipe("solve", workbook, "-o", plan).returncode == 0
    done = forcegen_into_a_full_disk("compare", plan, plan)
    assert done.returncode == 0, done.stderr
    assert "note: what this command printed could not be written to standard output" in (
        done.stderr
    )
