"""`forcegen check` interrupted: every scenario that finished is reported with its verdict, even
one that finished while a scenario before it still ran; only the others are `not run`.

The interruption is injected, never timed: a scripted runner (in this process) finishes the
jobs in a chosen order and then takes Ctrl-C or SIGTERM where a real pool would be waiting; the
real Ctrl-C of a solve comes from tests/inject.py at a point the run itself reaches."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from solver.check import runner as check_runner
from solver.check.runner import run_check

from .check_case import REFERENCE, check, unhurried
from .conftest import ROOT
from .test_stop_signals import LosesASignal

HANG_GUARD = 600  # seconds: only a hung run ever gets near this


@pytest.fixture
def pinned(tmp_path: Path) -> Path:
    """chain and tight (one scenario each), pinned in a folder of their own."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for name in ("chain", "tight"):
        unhurried(shutil.copy(REFERENCE / f"{name}.xlsx", folder))
    result = check("--update", folder)
    assert result.exit_code == 0, result.output
    return folder


def label(job: tuple[str, ...]) -> str:
    """case/scenario of a check job (workbook, scenario, ...)."""
    return f"{Path(job[0]).stem}/{job[1]}"


class _Handle:
    def __init__(self, job: tuple[str, ...]) -> None:
        self.job = job


class Scripted:
    """A runner of check jobs in this process that finishes them in the order of `finishing`
    (labels case/scenario), one per wait, and then, with `stop`, has the next wait stopped by
    it (as Ctrl-C or SIGTERM would stop a wait for the pool): the jobs not in `finishing` are
    still running then. Without `stop` every job finishes."""

    label = "scripted"

    def __init__(
        self, fn: Callable[[Any], Any], finishing: list[str], stop: Callable[[], None] | None
    ) -> None:
        self.fn = fn
        self.finishing = list(finishing)
        self.stop = stop
        self.slots = 1_000  # every job is submitted at once: all "run" together

    def submit(self, job: tuple[str, ...]) -> _Handle:
        return _Handle(job)

    def done(self, handles: list[_Handle], timeout: float) -> list[_Handle]:
        if not self.finishing:
            if self.stop is not None:
                self.stop()
            self.finishing = [label(h.job) for h in reversed(handles)]  # the rest, backwards
        wanted = self.finishing.pop(0)
        return [h for h in handles if label(h.job) == wanted]

    def result(self, handle: _Handle) -> Any:
        return self.fn(handle.job)

    def close(self, cancel: bool = False) -> None:
        pass


def ctrl_c() -> None:
    raise KeyboardInterrupt


def sigterm() -> None:
    """SIGTERM to this process: within the check the handler raises it as `Terminated`."""
    os.kill(os.getpid(), signal.SIGTERM)
    raise AssertionError("SIGTERM did not stop the wait")


def scripted(
    monkeypatch: pytest.MonkeyPatch, finishing: list[str], stop: Callable[[], None] | None
) -> None:
    """The check's jobs run on a `Scripted` runner."""

    def runner(fn: Callable[[Any], Any], workers: int, jobs: int, **_: Any) -> Scripted:
        return Scripted(fn, finishing, stop)

    monkeypatch.setattr(check_runner, "local_runner", runner)


def test_a_scenario_finished_behind_a_running_one_is_reported_on_ctrl_c(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tight finished while chain (before it) still ran, then Ctrl-C: tight passed and says so,
    chain alone is `not run`; the exit code stays the interruption's. Before, tight was
    held back behind chain and reported `not run` too."""
    scripted(monkeypatch, ["tight/base"], ctrl_c)
    shown: list[str] = []
    report = run_check([pinned], workers=2, on_outcome=lambda o: shown.append(o.label))
    assert report.exit_code == 130
    assert [(o.label, o.outcome) for o in report.outcomes] == [
        ("chain/base", "error"),
        ("tight/base", "pass"),
    ]
    assert report.outcomes[0].errors == ["not run (interrupted)"]
    assert report.outcomes[1].errors == [] and report.outcomes[1].seconds > 0
    assert shown == ["chain/base", "tight/base"]  # still in case order


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_same_on_sigterm_in_the_console_and_junit(
    pinned: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    scripted(monkeypatch, ["tight/base"], sigterm)
    junit = tmp_path / "junit.xml"
    result = check(pinned, "--workers", "2", "--junit", junit)
    assert result.exit_code == 143, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ERROR   chain/base")
    assert lines[1].strip() == "not run (terminated by SIGTERM)"
    assert lines[2].startswith("PASS    tight/base")
    assert "1 passed, 0 failed, 1 error -> terminated (SIGTERM)" in lines[3]
    xml = junit.read_text(encoding="utf-8")
    assert xml.count("<error ") == 1 and 'failures="0"' in xml


def test_an_update_interrupted_still_pins_a_case_that_finished(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--update: tight finished behind chain, then Ctrl-C: tight (all its scenarios in) is
    re-pinned as usual; chain, not run, keeps its pin."""
    (pinned / "tight.json").unlink()
    chain_pin = (pinned / "chain.json").read_bytes()
    scripted(monkeypatch, ["tight/base"], ctrl_c)
    written: list[tuple[str, bool]] = []
    report = run_check(
        [pinned], update=True, workers=2, on_written=lambda p, c: written.append((p, c))
    )
    assert report.exit_code == 130
    assert [(o.label, o.outcome) for o in report.outcomes] == [
        ("chain/base", "error"),
        ("tight/base", "new"),
    ]
    assert [(Path(p).name, changed) for p, changed in written] == [("tight.json", True)]
    pin = json.loads((pinned / "tight.json").read_text(encoding="utf-8"))
    assert list(pin["scenarios"]) == ["base"]
    assert (pinned / "chain.json").read_bytes() == chain_pin


def test_outcomes_come_in_case_order_whatever_order_the_runs_finish_in(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted(monkeypatch, ["tight/base", "chain/base"], None)
    shown: list[str] = []
    report = run_check([pinned], workers=2, on_outcome=lambda o: shown.append(o.label))
    assert report.exit_code == 0
    assert shown == [o.label for o in report.outcomes] == ["chain/base", "tight/base"]


def test_ctrl_c_in_a_solve_says_what_the_check_does_not_that_it_keeps_a_plan(
    pinned: Path,
) -> None:
    """A real SIGINT during the first HiGHS run (chain's, in this process with one worker):
    the solve's own word, that it keeps the best plan found so far, is wrong for a check
    (an interrupted solve is neither compared nor pinned); the check says what it does."""
    inject = [sys.executable, "-m", "tests.inject", "solve", "1", "INT"]
    done = subprocess.run(
        [*inject, "check", str(pinned), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )
    assert done.returncode == 130, done.stdout + done.stderr
    assert "best plan" not in done.stderr, done.stderr
    assert (
        "interrupted: stopping the check; the scenarios finished so far are reported, "
        "the others as not run" in done.stderr
    ), done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ERROR   chain/base") and "not run (interrupted)" in lines[1]


def test_a_worker_does_not_say_that_it_keeps_a_plan(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """In a worker process (which runs check jobs only) the solve's word on Ctrl-C is dropped:
    each worker would say it, and say what a check does not do."""
    import multiprocessing

    from solver.check.run import SOLVE_LOG, KeepsNoPlan, warm_up
    from solver.solve.highs import KEEPS_BEST_PLAN

    solve_log = logging.getLogger(SOLVE_LOG)
    before = list(solve_log.filters)
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    try:
        warm_up()
        assert any(isinstance(f, KeepsNoPlan) for f in solve_log.filters)
        with caplog.at_level(logging.WARNING):
            solve_log.warning("interrupted: stopping HiGHS and %s", KEEPS_BEST_PLAN)
            solve_log.warning("HiGHS did not return 12 s after the cancel: stopped waiting for it")
        assert [r.getMessage() for r in caplog.records] == [
            "HiGHS did not return 12 s after the cancel: stopped waiting for it"
        ]
    finally:
        solve_log.filters[:] = before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_lost_in_a_finaliser_stops_the_check_at_its_next_wait(
    pinned: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    runner = LosesASignal(signum)
    monkeypatch.setattr(check_runner, "local_runner", lambda *_, **__: runner)
    monkeypatch.setattr(sys, "unraisablehook", lambda _: None)
    report = run_check([pinned], workers=2)
    assert runner.polls == 1 and runner.cancelled is True  # raised before the next wait
    assert report.exit_code == code
    why = "terminated by SIGTERM" if signum == signal.SIGTERM else "interrupted"
    assert [o.errors for o in report.outcomes] == [[f"not run ({why})"]] * 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_sigterm_while_the_cases_are_read_is_said(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while the check reads its cases (seconds, for a folder of large workbooks):
    before, the command ended without a word; now one line and exit 143."""

    def terminated(*_: Any) -> Any:
        signal.raise_signal(signal.SIGTERM)
        raise AssertionError("SIGTERM did not stop the reading")

    monkeypatch.setattr(check_runner, "_read_case", terminated)
    result = check(pinned)
    assert result.exit_code == 143, result.output
    assert "stopped by SIGTERM: nothing was written" in result.output


def test_a_junit_file_that_cannot_be_written_is_refused_before_any_solve(
    pinned: Path, tmp_path: Path
) -> None:
    """--junit under a path that is a file: exit 2 at once, no case solved (before, every case
    was solved and then the report was refused)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = check(pinned, "--junit", blocker / "j.xml")
    assert result.exit_code == 2, result.output
    assert "cannot make folder" in result.output
    assert "PASS" not in result.output and "passed" not in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_sigterm_lost_while_the_cases_are_read_still_stops_the_check(
    pinned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SIGTERM's exception is lost in a finaliser as a workbook is read (ZipFile.__del__):
    the check still stops before any solve, exit 143 (before, it ran every case and passed)."""
    from .test_stop_signals import RaisesInItsFinaliser

    read = check_runner._read_case

    def losing(*args: Any) -> Any:
        RaisesInItsFinaliser(signal.SIGTERM)
        return read(*args)

    def no_solve(*_: Any) -> Any:
        raise AssertionError("a case was solved after SIGTERM")

    monkeypatch.setattr(check_runner, "_read_case", losing)
    monkeypatch.setattr(check_runner, "solve_job", no_solve)
    monkeypatch.setattr(sys, "unraisablehook", lambda _: None)
    result = check(pinned)
    assert result.exit_code == 143, result.output
    assert "stopped by SIGTERM: nothing was written" in result.output


def test_a_junit_file_that_fails_as_it_is_written_keeps_the_outcome_line(
    pinned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk as the JUnit file is written: exit 2 with the error, and the check's outcome
    line still printed before it (a CI trial lost it: the log then said only the error)."""
    from solver.check import junit
    from solver.errors import UsageError

    def full_disk(path: Path, data: bytes) -> None:
        raise UsageError(f"cannot write {path.name}: No space left on device")

    monkeypatch.setattr(junit, "atomic_write", full_disk)
    result = check(pinned, "--junit", tmp_path / "j.xml")
    assert result.exit_code == 2, result.output
    assert "cannot write j.xml: No space left on device" in result.output
    assert "check: 2 scenarios of 2 cases: 2 passed" in result.output
    assert not (tmp_path / "j.xml").exists()


def test_a_case_turned_infeasible_says_which_rules_conflict(pinned: Path) -> None:
    """chain's Kyiv/INF_BN made hard at 40 units (no such pledges): the check failed with
    `status pinned optimal, now infeasible` and every coverage line, but not why (a CI trial:
    `solve` says it). The conflicting rules now lead its notes, never cut."""
    from openpyxl import load_workbook

    case = pinned / "chain.xlsx"
    book = load_workbook(case)
    sheet = book["Requirements"]
    sheet["C3"], sheet["F3"] = 40, "yes"
    book.save(case)
    junit = pinned.parent / "j.xml"
    result = check(pinned, "--junit", junit)
    assert result.exit_code == 5, result.output
    lines = result.output.splitlines()
    failed = next(i for i, line in enumerate(lines) if line.startswith("FAIL    chain/base"))
    why = lines[failed + 1].strip()
    assert why.startswith("note: infeasible now, these rules cannot all hold together: ")
    assert "Kyiv" in why and "INF_BN" in why
    assert "status pinned optimal, now infeasible" in result.output
    # and in the JUnit failure's message, which many CI pages show alone (a CI trial)
    import xml.etree.ElementTree as ET

    cases = ET.parse(junit).getroot().iter("testcase")
    failure = next(c for c in cases if c.get("name") == "chain/base").find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith(why.removeprefix("note: "))
    assert "status pinned optimal, now infeasible" in (failure.text or "")


def test_a_scenario_run_again_after_its_worker_was_killed_says_so() -> None:
    """A scenario whose first worker was killed (out of memory?) and that passed when run
    again alone carried no trace of it in the report, so a recurring kill read as a plain pass
    in CI (a CI trial): its outcome has a note that says so, one that is not unsteady too."""
    from solver.check.collate import RERUN, _unsteady
    from solver.check.run import Run

    assert _unsteady(Run("a.xlsx", "base", rerun=True)) == [RERUN]
    assert RERUN.startswith("a worker was killed (out of memory?) while it first ran")
    assert _unsteady(Run("a.xlsx", "base")) == []
    both = _unsteady(Run("a.xlsx", "base", rerun=True, unsteady=["cost"]))
    assert both[0] == RERUN and len(both) == 2
