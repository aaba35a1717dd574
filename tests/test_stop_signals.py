"""A Ctrl-C or SIGTERM whose exception Python lost (raised in a finaliser) is raised at the
next checkpoint, before any plan exists, instead of letting the solve run on to its limit."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from solver import api
from solver.signals import SAME_STOP_SECONDS, StopSignals, Terminated, sigterm_as_interrupt

from .workbooks import simple_case


class RaisesInItsFinaliser:
    """Sends `signum` to this process when deleted: the handler's exception is raised inside
    `__del__`, where Python reports it as ignored and goes on (as in ZipFile.__del__ while a
    workbook is read)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum

    def __del__(self) -> None:
        signal.raise_signal(self.signum)


@pytest.mark.parametrize(
    ("signum", "raised"), [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)]
)
def test_a_signal_lost_in_a_finaliser_is_raised_by_check(
    signum: int, raised: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost: list[object] = []  # Python's own hook prints "Exception ignored in ..." and goes on
    monkeypatch.setattr(sys, "unraisablehook", lost.append)
    with StopSignals() as stops:
        RaisesInItsFinaliser(signum)  # deleted at once; its exception is ignored
        assert stops.stopped and len(lost) == 1
        with pytest.raises(raised):
            stops.check()


def test_check_raises_nothing_without_a_signal_or_while_held() -> None:
    with StopSignals() as stops:
        stops.check()
        with stops.held():
            signal.raise_signal(signal.SIGINT)
            stops.check()  # held: the block completes
        assert stops.stopped


def test_a_sigterm_repeated_is_the_same_stop() -> None:
    """GNU `timeout -s TERM` signals the command and then its process group: two SIGTERMs
    milliseconds apart. The second raised again, in the wait for HiGHS's cancel, where a
    second stop ends the run without writing (the trial lost its plan 1 run in 8). Now a
    repeat within a second is remembered only; one sent later is raised (a first whose
    exception a finaliser lost must not make the run deaf to SIGTERM)."""
    with StopSignals() as stops:
        with pytest.raises(Terminated):
            signal.raise_signal(signal.SIGTERM)
        for _ in range(3):
            signal.raise_signal(signal.SIGTERM)  # not raised
        assert stops.received == [signal.SIGTERM] * 4 and stops.exit_code == 143
        stops._last[signal.SIGTERM] -= 2 * SAME_STOP_SECONDS  # the next comes 2 s later
        with pytest.raises(Terminated):
            signal.raise_signal(signal.SIGTERM)


def test_a_ctrl_c_repeated_at_once_is_one_but_a_later_one_is_raised() -> None:
    """A SIGINT within a second of the last is the same Ctrl-C forwarded twice (`timeout -s
    INT`); a second Ctrl-C after that is the planner's "stop now", raised as before."""
    with StopSignals() as stops:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        signal.raise_signal(signal.SIGINT)  # at once: the same stop
        stops._last[signal.SIGINT] -= 2 * SAME_STOP_SECONDS  # the next comes 2 s later
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        with pytest.raises(Terminated):  # a SIGTERM after Ctrl-C is a first SIGTERM
            signal.raise_signal(signal.SIGTERM)


def test_a_sweep_s_stop_takes_the_same_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Stop.stops` ends a stopped sweep's wait for its workers' best plans when it grows, so
    GNU `timeout`'s two SIGTERMs milliseconds apart count once, as a Ctrl-C forwarded twice
    does; the same signal a second or more later is a second stop."""
    import solver.signals as signals

    clock = [100.0]
    monkeypatch.setattr(signals.time, "monotonic", lambda: clock[0])
    with sigterm_as_interrupt() as stop:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        signal.raise_signal(signal.SIGINT)  # the same Ctrl-C, forwarded twice
        assert stop.stops == 1
        with pytest.raises(Terminated):
            signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGTERM)  # `timeout`'s second, to the process group
        assert stop.interrupted and stop.terminated and stop.exit_code() == 143
        assert stop.stops == 2
        clock[0] += SAME_STOP_SECONDS
        signal.raise_signal(signal.SIGTERM)  # a second later: "stop now" (recorded, not raised)
        assert stop.stops == 3


def test_solve_checks_after_reading_building_the_heuristic_and_the_tables(tmp_path: Path) -> None:
    calls: list[int] = []
    api.solve(simple_case(tmp_path / "c.xlsx"), checkpoint=lambda: calls.append(1))
    assert len(calls) == 4

    def lost_during_reading() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.solve(simple_case(tmp_path / "c.xlsx"), checkpoint=lost_during_reading)


def test_a_ctrl_c_while_the_command_starts_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while the CLI's modules are imported (about a second, before any handler of
    forcegen's): one line and exit 130, not Python's traceback."""
    import types

    from solver import entry

    class Importing(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "solver.cli", Importing("solver.cli"))
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 130
    assert capsys.readouterr().err == (
        "stopped by Ctrl-C (SIGINT) while starting: nothing was done\n"
    )


def test_the_entry_point_is_reached_before_the_heavy_imports() -> None:
    """The console script imports `solver` and `solver.entry` before `main` can take a Ctrl-C:
    they import nothing slow (importlib.metadata, for `__version__`, took 20-30 ms of that
    window; it is looked up when first asked for). A new interpreter, as the command's."""
    import subprocess

    probe = (
        "import sys, solver.entry; "
        "print(sorted(m for m in ('importlib.metadata', 'pandas', 'click', 'numpy') "
        "if m in sys.modules)); import solver; print(solver.__version__ != '')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["[]", "True"]


def test_a_sigterm_while_the_command_starts_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM while the CLI's modules are imported (a scheduler, `timeout`, soon after the
    start): one line and exit 143; before, the command ended without a word. Afterwards
    SIGTERM's default action is back."""
    import types

    from solver import entry

    class Importing(types.ModuleType):
        sent = False

        def __getattr__(self, name: str) -> object:
            if not Importing.sent:  # once: a failing test's report reads attributes too
                Importing.sent = True
                signal.raise_signal(signal.SIGTERM)
            raise AssertionError("SIGTERM did not stop the import")

    monkeypatch.setitem(sys.modules, "solver.cli", Importing("solver.cli"))
    before = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with pytest.raises(SystemExit) as done:
            entry.main()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, before)
    assert done.value.code == 143
    assert capsys.readouterr().err == "stopped by SIGTERM while starting: nothing was done\n"


class LosesASignal:
    """A runner on which nothing finishes: its first wait gets `signum` from a finaliser (the
    handler's exception is lost, as in ZipFile.__del__ after a workbook is written), and only
    the run's own check of what it received can end the waiting; a run that never checks
    fails after `POLLS` waits instead of waiting for ever."""

    POLLS = 100
    label = "scripted"
    slots = 1_000

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.polls = 0
        self.cancelled: bool | None = None

    def submit(self, job: object) -> object:
        return object()

    def done(self, handles: list[object], timeout: float) -> list[object]:
        self.polls += 1
        if self.polls == 1:
            RaisesInItsFinaliser(self.signum)
        assert self.polls < self.POLLS, "the lost signal was never raised: a wait for ever"
        return []

    def result(self, handle: object) -> object:
        raise AssertionError("nothing finishes")

    def close(self, cancel: bool = False) -> None:
        self.cancelled = cancel


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_sweep_raises_a_signal_lost_in_a_finaliser_at_its_next_wait(
    signum: int, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CI's hang: SIGTERM came while a finaliser ran in the sweep's main process, and the
    sweep waited on a hanging scenario until it was killed."""
    from solver.sweep import run as sweep_run

    runner = LosesASignal(signum)
    monkeypatch.setattr(sweep_run, "make_backend", lambda *_: runner)
    monkeypatch.setattr(sys, "unraisablehook", lambda _: None)
    report = sweep_run.run_sweep(simple_case(tmp_path / "c.xlsx"), out_dir=tmp_path / "out")
    assert runner.polls == 1 and runner.cancelled is True  # raised before the next wait
    assert report.interrupted and report.interrupt_code == code
    assert {r.status for r in report.results} == {"not_run"}


def test_a_stop_while_deferred_is_raised_at_the_block_s_end() -> None:
    from solver.signals import deferred

    with sigterm_as_interrupt() as stop:
        with pytest.raises(Terminated), deferred():
            with deferred():  # nested: raised at the outermost's end
                signal.raise_signal(signal.SIGTERM)
            reached = True  # nothing raised yet
        assert reached and stop.terminated and stop.stops == 1
        with deferred():
            pass  # nothing pending: nothing raised
    with sigterm_as_interrupt() as stop:
        with pytest.raises(Terminated) as raised, deferred():
            signal.raise_signal(signal.SIGTERM)
            signal.raise_signal(signal.SIGINT)  # a second stop: raised at once
            pytest.fail("the second stop waited")
        assert stop.stops == 2  # the first is raised at the end, the second its context
        assert type(raised.value.__context__) is KeyboardInterrupt


def test_a_deferred_stop_wins_over_what_the_block_raised() -> None:
    """The stop's signal may kill the forkserver too, and starting the worker then raises
    EOFError: the stop must still stop the sweep (it was dropped, and the sweep failed as an
    internal error)."""
    from solver.signals import deferred

    with sigterm_as_interrupt(), pytest.raises(Terminated) as raised, deferred():
        signal.raise_signal(signal.SIGTERM)
        raise EOFError("the forkserver died")
    assert isinstance(raised.value.__context__, EOFError)


def test_deferred_off_the_main_thread_defers_nothing() -> None:
    """Handlers run in the main thread only: a block in another thread must not take the
    main thread's stop (it was raised in the wrong thread)."""
    import threading

    from solver.signals import _DEFERRAL, deferred

    seen: list[bool] = []

    def in_thread() -> None:
        with deferred():
            seen.append(_DEFERRAL.active)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert seen == [False]
