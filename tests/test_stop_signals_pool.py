"""A Ctrl-C or SIGTERM while a worker pool starts, waits or hands a job over: raised once the
pool knows its workers, no future left locked, no starting process killed (split from
tests/test_stop_signals.py)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from solver.signals import Terminated, sigterm_as_interrupt

from .test_stop_locks import another_thread_can_take


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
        real = pool.executors[0].submit

        def submit_stopped(fn, job):  # the stop comes while the worker is started
            signal.raise_signal(signal.SIGTERM)
            return real(fn, job)

        pool.executors[0].submit = submit_stopped  # type: ignore[method-assign]
        try:
            with pytest.raises(Terminated):
                pool.submit(1)
            assert pool.executors[0]._processes  # type: ignore[attr-defined]  # started, and known
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
        real = pool.executors[0].submit
        taken = pool.executors[0]._shutdown_lock  # type: ignore[attr-defined]

        def submit_stopped(fn, job):  # both stops come while the pool's lock is taken
            taken.acquire()
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            taken.release()
            return real(fn, job)

        pool.executors[0].submit = submit_stopped  # type: ignore[method-assign]
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


TRACKER_HUNG_UP = """
import os, signal, sys, time
from multiprocessing import resource_tracker
from solver.parallel import process_context

process_context()
pid = resource_tracker._resource_tracker._pid
os.kill(pid, signal.SIGHUP)
time.sleep(0.5)
try:
    os.kill(pid, 0)
    print("alive" if os.waitpid(pid, os.WNOHANG) == (0, 0) else "dead")
except ProcessLookupError:
    print("dead")
"""


@pytest.mark.skipif(
    not hasattr(signal, "SIGHUP")
    or "forkserver" not in __import__("multiprocessing").get_all_start_methods(),
    reason="POSIX hangups and the forkserver",
)
def test_the_pools_resource_tracker_outlives_a_hangup(tmp_path: Path) -> None:
    """A hangup to the whole group (`timeout -s HUP`, a closed terminal) killed Python's resource
    tracker, which ignores only SIGINT and SIGTERM; the pool's semaphores, released after,
    printed its tracebacks over a check stopped as asked (a CI trial). The pool now starts it
    with SIGHUP blocked: sent one directly, it is still alive half a second later."""
    import os
    import subprocess

    script = tmp_path / "hung_up.py"
    script.write_text(TRACKER_HUNG_UP)
    root = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "alive"
