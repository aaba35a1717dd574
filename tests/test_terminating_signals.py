"""SIGTERM and SIGHUP stop every command as Ctrl-C does: a command without handling of its own
(report, compare, generate, template, validate, verify) removes the temporary file it was
writing and says it stopped (exit 143), where the signal's default action killed it at once,
left `.~tmp-*` beside the output and said nothing; and a solve keeps its plan on SIGHUP (a
closed terminal) as on SIGTERM."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from solver.commands_common import guarded
from solver.exit_codes import EXIT_TERMINATED
from solver.results import safe_write
from solver.signals import StopSignals, Terminated


def writing_command(target: Path) -> click.Command:
    @click.command()
    @guarded
    def write() -> int:
        safe_write.atomic_write(target, b"new contents")
        return 0

    return write


@pytest.fixture(autouse=True)
def hangup_by_default() -> Iterator[None]:
    """SIGHUP's default action for each test, as a terminal gives it: a suite run under
    `nohup` inherits it ignored, and a command leaves an ignored SIGHUP ignored (the nohup
    test below), so these tests failed there."""
    if not hasattr(signal, "SIGHUP"):
        yield
        return
    before = signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, before)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_a_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, signum: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"old contents")
    real_fsync = os.fsync

    def fsync_then_signal(fd: int) -> None:  # the signal comes while the temp file is written
        real_fsync(fd)
        signal.raise_signal(signum)

    monkeypatch.setattr(safe_write.os, "fsync", fsync_then_signal)
    result = CliRunner().invoke(writing_command(target), [])
    assert result.exit_code == EXIT_TERMINATED
    # named as it came (a trial: a SIGHUP said SIGTERM here, and SIGHUP once a plan was kept)
    said = "SIGTERM" if signum == signal.SIGTERM else "SIGHUP (taken as SIGTERM)"
    assert f"stopped by {said}: nothing was written" in result.output
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    # outside a command the handlers are as they were
    assert signal.getsignal(signum) in (signal.SIG_DFL, signal.SIG_IGN, signal.default_int_handler)


def test_a_solve_takes_sighup_as_sigterm() -> None:
    """StopSignals (solve): SIGHUP raises Terminated, and the plan found so far is kept as on
    SIGTERM (exit 143), named for what came."""
    with StopSignals() as stops, pytest.raises(Terminated):
        signal.raise_signal(signal.SIGHUP)
    assert stops.exit_code == EXIT_TERMINATED
    assert stops.name == "SIGHUP (taken as SIGTERM)"


def test_a_hangup_ignored_by_nohup_stays_ignored() -> None:
    """`nohup forcegen solve ... &` ignores SIGHUP so the run outlives the terminal: neither a
    command's guard nor solve's handlers take it over (before: the solve stopped, exit 143)."""
    from solver.signals import sigterm_as_interrupt, terminating_as_interrupt

    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with terminating_as_interrupt(), StopSignals() as stops, sigterm_as_interrupt():
            signal.raise_signal(signal.SIGHUP)
        assert not stops.stopped
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def test_a_ctrl_c_ignored_by_whoever_started_solve_stays_ignored() -> None:
    """A script's background job (`forcegen solve ... &`) starts with SIGINT ignored: solve's
    handlers leave it so, as a sweep does (a fault trial: solve took it over after a second,
    so a Ctrl-C before then was ignored and one after stopped the run)."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with StopSignals() as stops:
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            signal.raise_signal(signal.SIGINT)
        assert not stops.stopped
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_signal_after_a_write_names_what_was_written(tmp_path: Path) -> None:
    """A SIGTERM after the command wrote its output (as `solve` may get one just after writing
    its plan and leaving its own handler) said "nothing was written" of a file written whole."""
    target = tmp_path / "plan.xlsx"

    @click.command()
    @guarded
    def write_then_stop() -> int:
        safe_write.atomic_write(target, b"the plan")
        signal.raise_signal(signal.SIGTERM)
        return 0

    result = CliRunner().invoke(write_then_stop, [])
    assert result.exit_code == EXIT_TERMINATED
    assert "nothing was written" not in result.output
    assert f"stopped by SIGTERM: 1 file written whole before it ({target}), nothing after" in (
        result.output
    )
    assert target.read_bytes() == b"the plan"

    @click.command()
    @guarded
    def stop_at_once() -> int:
        signal.raise_signal(signal.SIGTERM)
        return 0

    # the next command starts its record afresh
    again = CliRunner().invoke(stop_at_once, [])
    assert "stopped by SIGTERM: nothing was written" in again.output


def test_writes_are_recorded_only_while_a_command_runs_and_once_each(tmp_path: Path) -> None:
    """Library use (`api.write` in a loop) kept every path in a list that only a command
    cleared, and a file written twice was named twice (review)."""
    safe_write.atomic_write(tmp_path / "a.txt", b"1")
    assert safe_write.written() == []
    target = tmp_path / "plan.xlsx"

    @click.command()
    @guarded
    def write_twice_then_stop() -> int:
        safe_write.atomic_write(target, b"first")
        safe_write.atomic_write(target, b"second")
        signal.raise_signal(signal.SIGTERM)
        return 0

    result = CliRunner().invoke(write_twice_then_stop, [])
    assert f"1 file written whole before it ({target}), nothing after" in result.output
    safe_write.atomic_write(tmp_path / "b.txt", b"2")
    assert safe_write.written() == []


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX hangups")
def test_a_sweeps_or_checks_stop_names_a_hangup_as_solve_does() -> None:
    """The Stop that sweep and check keep says `terminated (SIGHUP, taken as SIGTERM)` after a
    hangup (they said `terminated (SIGTERM)`, where solve says `SIGHUP (taken as SIGTERM)`),
    and `terminated (SIGTERM)` once a SIGTERM itself came."""
    from solver.signals import sigterm_as_interrupt

    with sigterm_as_interrupt() as stop:
        with pytest.raises(Terminated):
            signal.raise_signal(signal.SIGHUP)
        assert stop.message() == "terminated (SIGHUP, taken as SIGTERM)"
        stop.finishing = True  # recorded only, not raised
        signal.raise_signal(signal.SIGTERM)
        assert stop.message() == "terminated (SIGTERM)"


def test_a_sighup_while_gaps_are_explained_is_named_as_it_came(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGHUP while `solve` works out the gaps' reasons: the plan is written, and the console's
    line and the Summary's `explanation` name SIGHUP as the command's last line does (a review:
    they said SIGTERM)."""
    import time

    import openpyxl

    from solver import solve_steps
    from solver.cli import main
    from tests.conftest import EXAMPLE

    def hung_up_meanwhile(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(2)  # the signal lands here

    monkeypatch.setattr(solve_steps, "explain_gaps", hung_up_meanwhile)
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["solve", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == EXIT_TERMINATED, result.output
    assert "no Gaps sheet: SIGHUP (taken as SIGTERM) came while the gaps' reasons" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    book.close()
    assert summary["explanation"] == "not given: terminated (SIGHUP, taken as SIGTERM)"
