"""A worker killed in a pool of several loses its own job alone: the job running beside it in
another worker gives its result (with one shared executor it was lost too, ran again from the
start, and was said to have had its worker killed: a fault trial)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from solver.parallel import LocalPool, WorkerLost


def _job(order: tuple[str, str]) -> str:
    """("die", _): kill this worker; ("wait", flag): return once `flag` exists (at most 120 s)."""
    action, flag = order
    if action == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    end = time.monotonic() + 120
    while not Path(flag).exists() and time.monotonic() < end:
        time.sleep(0.05)
    return "done" if Path(flag).exists() else "gave up"


def test_a_killed_worker_loses_only_its_own_job(tmp_path: Path) -> None:
    flag = tmp_path / "go"
    pool: LocalPool[tuple[str, str], str] = LocalPool(_job, 2)
    try:
        waiting = pool.submit(("wait", str(flag)))
        dying = pool.submit(("die", ""))
        with pytest.raises(WorkerLost):
            pool.result(dying)
        assert not waiting.done()  # still running in its own worker
        flag.touch()
        assert pool.result(waiting) == "done"
        # the dead worker's slot takes the next job in a fresh worker
        again = pool.submit(("wait", str(flag)))
        assert pool.result(again) == "done"
    finally:
        pool.close(cancel=True)


def test_more_jobs_than_slots_queue_on_the_least_busy_worker(tmp_path: Path) -> None:
    flag = tmp_path / "go"
    flag.touch()
    pool: LocalPool[tuple[str, str], str] = LocalPool(_job, 2)
    try:
        futures = [pool.submit(("wait", str(flag))) for _ in range(5)]
        assert [pool.result(f) for f in futures] == ["done"] * 5
    finally:
        pool.close(cancel=True)
