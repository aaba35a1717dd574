"""A sweep worker's stop raised while a finaliser runs is swallowed by Python (`Exception
ignored in: <function ZipFile.__del__ ...> KeyboardInterrupt`): the job never saw it, solved
on, and the sweep gave up on it after its grace with the plan lost (a fault trial). Within
`interruptible()` the stop is said again and taken where the job is, without a traceback."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from solver import worker_signals
from solver.worker_signals import STOP_SIGNAL, interruptible

pytestmark = pytest.mark.skipif(
    STOP_SIGNAL is None or sys.platform == "win32", reason="POSIX signals"
)


class _StoppedWhileFinalised:
    """Deleted at once; its finaliser receives the stop and runs on, so that the stop is
    raised inside it."""

    def __del__(self) -> None:
        os.kill(os.getpid(), STOP_SIGNAL)  # type: ignore[arg-type]
        for _ in range(10_000):
            pass


def test_a_stop_swallowed_by_a_finaliser_is_raised_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker_signals, "_in_pool_worker", True)
    reported: list[BaseException] = []  # what reaches the hook of before: a traceback
    monkeypatch.setattr(sys, "unraisablehook", lambda what: reported.append(what.exc_value))
    waited = []
    with pytest.raises(KeyboardInterrupt), interruptible() as stop:
        assert stop is not None
        _StoppedWhileFinalised()
        # the stop, said again after the finaliser, is raised here (long before the end: a
        # loaded machine's scheduling aside, within moments)
        for _ in range(60_000):
            waited.append(None)
            time.sleep(0.001)
    assert stop.raised and len(waited) < 60_000
    assert reported == []


def test_a_finaliser_s_other_errors_are_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a swallowed stop is taken over; any other unraisable error goes to the hook of
    before."""
    monkeypatch.setattr(worker_signals, "_in_pool_worker", True)
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda what: seen.append(what.exc_value))

    class Failing:
        def __del__(self) -> None:
            raise ValueError("in a finaliser")

    with interruptible():
        Failing()
    assert [type(e) for e in seen] == [ValueError]


def test_a_stop_said_again_after_its_job_ended_stops_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stop swallowed as its job ends is said again only while that job runs: the next job
    of the worker is not stopped by it."""
    monkeypatch.setattr(worker_signals, "_in_pool_worker", True)
    with interruptible():
        _StoppedWhileFinalised()  # swallowed; the job ends at once
    with interruptible() as later:
        assert later is not None
        time.sleep(0.5)  # 10 times the time after which a swallowed stop is said again
    assert not later.received


def test_a_stop_as_the_result_is_built_keeps_the_plan(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop arriving once the plan is written, as the task's result is built (its warnings), is
    only remembered: the task returns its plan (a review: it raised there, and the plan in hand
    was lost)."""
    from pathlib import Path

    from solver.sweep import task as sweep_task
    from solver.sweep.task import Task, _run

    from .workbooks import simple_case

    src = simple_case(Path(str(tmp_path)) / "case.xlsx")
    stop = worker_signals.JobStop()
    real = sweep_task._warnings

    def stopped_while_built(*args: object, **kwargs: object) -> object:
        stop.on_signal(signal.SIGTERM, None)  # as the forwarded stop's handler would
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_task, "_warnings", stopped_while_built)
    done = _run(Task("base", False, src.name, src.read_bytes()), stop)
    assert done.status == "optimal" and done.output is not None
    assert stop.received and not stop.raised
