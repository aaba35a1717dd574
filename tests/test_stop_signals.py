"""A Ctrl-C or SIGTERM whose exception Python lost (raised in a finaliser) is raised at the
next checkpoint, before any plan exists, instead of letting the solve run on to its limit."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from solver import api
from solver.signals import SAME_STOP_SECONDS, StopSignals, Terminated, sigterm_as_interrupt

from .test_stop_locks import another_thread_can_take
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


def _twice(n: int) -> int:
    return 2 * n


def test_a_stop_while_a_worker_starts_comes_once_the_pool_knows_the_worker() -> None:
    """multiprocessing starts a worker in the caller's thread (a forkserver's first start
    waits seconds for its preload). A SIGTERM there left a worker forked but not in the pool,
    which later failed with a traceback (its semaphores gone with the sweep); now it is raised
    once the pool has the worker, and closing the pool stops it."""
    from solver.parallel import LocalPool

    with sigterm_as_interrupt():
        pool: LocalPool[int, int] = LocalPool(_twice, 2)
        real = pool.pool.submit

        def submit_stopped(fn, job):  # the stop comes while the worker is started
            signal.raise_signal(signal.SIGTERM)
            return real(fn, job)

        pool.pool.submit = submit_stopped  # type: ignore[method-assign]
        try:
            with pytest.raises(Terminated):
                pool.submit(1)
            assert pool.pool._processes  # type: ignore[attr-defined]  # started, and known
        finally:
            pool.close(cancel=True)


@pytest.mark.parametrize("step", ["done", "result"])
def test_a_stop_while_the_pool_waits_leaves_no_future_locked(
    step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CI's hang (SIGINT to a sweep alone): the stop was raised inside
    concurrent.futures' wait, between taking a future's lock and giving it back. The lock stayed
    taken for ever, the pool's thread blocked handing that future a result, and the sweep hung
    in `close`. Now the stop is raised when the wait ends, once the lock is given back; a second
    stop meanwhile waits too."""
    from concurrent.futures import Future

    from solver import parallel

    future: Future[int] = Future()

    def stopped_holding_the_lock(*_: object, **__: object) -> Any:
        future._condition.acquire()  # type: ignore[attr-defined]
        signal.raise_signal(signal.SIGINT)  # its handler runs here, the lock taken
        signal.raise_signal(signal.SIGTERM)  # and a second stop
        future._condition.release()  # type: ignore[attr-defined]
        return (set(), {future}) if step == "done" else 2

    if step == "done":
        monkeypatch.setattr(parallel, "wait", stopped_holding_the_lock)
    else:
        monkeypatch.setattr(future, "result", stopped_holding_the_lock)
    with sigterm_as_interrupt() as stop:
        pool: parallel.LocalPool[int, int] = parallel.LocalPool(_twice, 2)
        try:
            with pytest.raises(KeyboardInterrupt) as raised:
                if step == "done":
                    pool.done([future], timeout=0.1)
                else:
                    pool.result(future)
        finally:
            pool.close(cancel=True)
    assert type(raised.value) is KeyboardInterrupt  # the first stop, raised after
    assert stop.interrupted and stop.terminated and stop.stops == 2
    assert another_thread_can_take(future._condition)  # type: ignore[attr-defined]


def test_a_second_stop_while_a_worker_starts_waits_too() -> None:
    """A second stop raised at once inside the pool's submit (a Ctrl-C, then SIGTERM, while the
    pool's lock is taken) left the lock taken, and closing the pool hung for good. Both now wait
    for the submit's end (the Ctrl-C blocked, the SIGTERM deferred), and the pool closes."""
    from solver.parallel import LocalPool

    with sigterm_as_interrupt() as stop:
        pool: LocalPool[int, int] = LocalPool(_twice, 2)
        real = pool.pool.submit
        taken = pool.pool._shutdown_lock  # type: ignore[attr-defined]

        def submit_stopped(fn, job):  # both stops come while the pool's lock is taken
            taken.acquire()
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            taken.release()
            return real(fn, job)

        pool.pool.submit = submit_stopped  # type: ignore[method-assign]
        closer = threading.Thread(target=pool.close, kwargs={"cancel": True}, daemon=True)
        try:
            with pytest.raises(KeyboardInterrupt) as raised:
                pool.submit(1)
        finally:
            closer.start()
            closer.join(30)
        assert not closer.is_alive(), "closing the pool hung"
        # the Ctrl-C waits blocked to the submit's end (see the pool test below): SIGTERM first
        assert type(raised.value) is Terminated and stop.stops == 2 and stop.interrupted


POOL_PELTED = """
import os, sys, time
from solver.parallel import LocalPool
from solver.signals import sigterm_as_interrupt

def twice(n):
    return 2 * n

if __name__ == "__main__":
    with sigterm_as_interrupt() as stop:
        try:
            print("ready", flush=True)
        except KeyboardInterrupt:
            pass
        pool, end = None, time.monotonic() + 6.0
        while time.monotonic() < end:  # past the 3 s of Ctrl-Cs
            try:
                if pool is None:
                    pool = LocalPool(twice, 2)
                pool.submit(1)
                time.sleep(0.05)
            except KeyboardInterrupt:
                continue
        stop.finishing = True
        if pool is not None:
            pool.close(cancel=True)
        os._exit(0)  # within the handlers: no stop can come after them
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_to_the_group_while_the_pool_starts_kills_no_starting_process(
    tmp_path: Path,
) -> None:
    """A terminal's Ctrl-C goes to the whole process group. One that came while the pool's
    forkserver was still importing (its preload, seconds) killed it with a traceback of its
    own, and the pool's start then failed (EOFError); the stop drill saw it 2 times in 52.
    The pool now starts its processes with SIGINT blocked, so they never take a Ctrl-C before
    they ignore it. Here Ctrl-C comes every 50 ms for 3 s from the start."""
    import os
    import subprocess
    import time

    script = tmp_path / "pelted.py"
    script.write_text(POOL_PELTED)
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root}
    child = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    )
    assert child.stdout is not None
    child.stdout.readline()
    end = time.monotonic() + 3.0
    while time.monotonic() < end and child.poll() is None:
        os.killpg(child.pid, signal.SIGINT)
        time.sleep(0.05)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "Traceback" not in err and "Fatal Python error" not in err, err
