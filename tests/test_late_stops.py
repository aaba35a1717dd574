"""A Ctrl-C or SIGTERM that comes as `check` or `sweep` makes its report, once every case or
scenario is in: the report completes and the exit code says the stop (130, 143).

Found by a stop drill (signals at random moments): `check --junit` wrote its JUnit file, and
`sweep` printed its summary, after their signal guard had ended. A SIGTERM there took its
default action, killing the command in the middle of the JUnit file (its temporary
`.~tmp-report.xml-*` left in the folder, no summary line); a Ctrl-C lost the JUnit file and said
"stopped by Ctrl-C (SIGINT): nothing was written" of a sweep whose every output was written.

The stop is raised in this process at the point the command reaches (never timed). SIGTERM's
default action is stood in for by a handler that raises `KilledBySigterm`, so that a command
that leaves it in place fails the test instead of killing the test run."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from solver.check import junit
from solver.sweep import command as sweep_command

from .check_case import check
from .sweep_case import small_case, sweep

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

STOPS = [(signal.SIGINT, 130), (signal.SIGTERM, 143)]


class KilledBySigterm(BaseException):
    """SIGTERM's default action: the process would have died here."""


@pytest.fixture(autouse=True)
def _sigterm_kills() -> Iterator[None]:
    def killed(signum: int, frame: Any) -> None:
        raise KilledBySigterm

    previous = signal.signal(signal.SIGTERM, killed)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_first(signum: int, then: Callable[..., Any]) -> Callable[..., Any]:
    """`then`, with the stop `signum` delivered to this process as it starts."""

    def stopped(*args: Any, **kwargs: Any) -> Any:
        signal.raise_signal(signum)
        return then(*args, **kwargs)

    return stopped


@pytest.mark.parametrize(("signum", "code"), STOPS)
def test_a_stop_while_check_writes_its_junit_file_lets_it_complete(
    pinned: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signum: int,
    code: int,
) -> None:
    monkeypatch.setattr(junit, "write_junit", stop_first(signum, junit.write_junit))
    report = tmp_path / "out" / "report.xml"
    result = check(pinned, "--junit", report)
    assert not isinstance(result.exception, KilledBySigterm), "killed while writing the JUnit"
    assert result.exit_code == code, result.output
    assert "nothing was written" not in result.output
    assert "2 passed, 0 failed, 0 errors" in result.stdout
    assert f"junit: {report}" in result.stdout
    assert report.read_text(encoding="utf-8").count("<testcase ") == 2
    assert [p.name for p in report.parent.iterdir()] == ["report.xml"]  # no temporary file


@pytest.mark.parametrize(("signum", "code"), STOPS)
def test_a_stop_while_sweep_prints_its_summary_lets_it_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    summary = sweep_command._print_summary
    monkeypatch.setattr(sweep_command, "_print_summary", stop_first(signum, summary))
    result = sweep(src, "-o", out, "--workers", "1")
    assert not isinstance(result.exception, KilledBySigterm), "killed before its summary"
    assert result.exit_code == code, result.output
    assert "nothing was written" not in result.output
    assert "sweep: 1 scenario: 1 solved, 0 not" in result.stdout
    assert f"written: {out / 'comparison.xlsx'}" in result.stdout
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".xlsx") == [
        "base.xlsx",
        "comparison.xlsx",
    ]


def test_a_ctrl_c_once_a_sweep_or_check_is_finishing_is_recorded_not_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As a SIGTERM: once `finishing` (the workers being stopped, the comparison written), a
    Ctrl-C is recorded. Raised there (drill: SIGTERM, the plan of the running scenario salvaged
    and written, then Ctrl-C 0.8 s later as the workers were stopped), it lost the comparison
    and the sweep said "nothing was written" of the plan it had written."""
    import solver.signals as signals

    clock = [100.0]
    monkeypatch.setattr(signals.time, "monotonic", lambda: clock[0])
    with signals.sigterm_as_interrupt() as stop:
        with pytest.raises(signals.Terminated):
            signal.raise_signal(signal.SIGTERM)
        stop.finishing = True
        clock[0] += signals.SAME_STOP_SECONDS
        signal.raise_signal(signal.SIGINT)  # a second stop: recorded
        signal.raise_signal(signal.SIGTERM)
        assert stop.interrupted and stop.terminated and stop.stops == 3
        assert stop.exit_code() == 143


@pytest.mark.parametrize(("signum", "code"), STOPS)
def test_a_stop_while_sweep_writes_its_comparison_is_not_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    """Every scenario solved, then a SIGTERM as the comparison is written: it is written, and
    the exit code says the stop (drill: exit 0, without a word, the SIGTERM held and then
    forgotten; a Ctrl-C there lost the comparison and said "nothing was written")."""
    from solver.sweep import run as sweep_run

    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    monkeypatch.setattr(
        sweep_run, "write_comparison", stop_first(signum, sweep_run.write_comparison)
    )
    result = sweep(src, "-o", out, "--workers", "1")
    assert result.exit_code == code, result.output
    assert "nothing was written" not in result.output
    stopped = "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted"
    assert "sweep: 1 scenario: 1 solved, 0 not" in result.stdout
    assert f"; {stopped}" in result.stdout
    assert (out / "comparison.xlsx").is_file() and (out / "base.xlsx").is_file()


def test_a_sigterm_while_sweep_reads_its_workbook_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGTERM while the sweep reads the workbook and plans its scenarios (drill: 6 of 36
    early runs, exit by the signal, not a word): one line and exit 143, as `check` and `solve`
    say it."""
    from solver.sweep import prepare

    src = small_case(tmp_path / "case.xlsx")
    monkeypatch.setattr(prepare, "read_data", stop_first(signal.SIGTERM, prepare.read_data))
    result = sweep(src, "-o", tmp_path / "out", "--workers", "1")
    assert not isinstance(result.exception, KilledBySigterm), "killed while reading"
    assert result.exit_code == 143, result.output
    assert "stopped by SIGTERM: nothing was written" in result.output


@pytest.mark.parametrize(("signum", "code"), STOPS)
def test_a_stop_as_a_scenario_run_here_is_written_keeps_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    """`--workers 1` runs the scenarios in this process: a stop after a scenario's search has
    ended (as its plan is written) lets the write complete, and the plan counts as solved; the
    sweep then stops. A fault trial's stop there said `not run (base)` and wrote no plan, where
    a pool's worker writes it."""
    from solver.results import output_file

    src = small_case(tmp_path / "case.xlsx")
    out = tmp_path / "out"
    monkeypatch.setattr(output_file, "write_output", stop_first(signum, output_file.write_output))
    result = sweep(src, "-o", out, "--workers", "1")
    assert not isinstance(result.exception, KilledBySigterm), "killed while writing the plan"
    assert result.exit_code == code, result.output
    assert "sweep: 1 scenario: 1 solved, 0 not" in result.stdout, result.output
    assert (out / "base.xlsx").is_file()


def test_run_task_under_python_s_own_ctrl_c_keeps_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run_task` (solver.sweep's) called where Python's own handler takes Ctrl-C (a script, a
    notebook): a Ctrl-C as the solved plan is tabulated is held by `api.solve`'s own guard, as
    before the sweep's in-process stop was added (a review: the hold meant for the sweep's
    handlers let it escape, and the plan was lost)."""
    import os

    from solver import api
    from solver.sweep.task import Task, run_task

    from .workbooks import simple_case

    case = simple_case(tmp_path / "c.xlsx")
    real, sent = api.tabulate, []

    def tabulate(*args: Any, **kwargs: Any) -> Any:
        if not sent:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "tabulate", tabulate)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result = run_task(Task("base", False, case.name, case.read_bytes()))
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C escaped: the solved plan was lost")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent and result.output is not None
