"""Run `forcegen` with a fault injected at a deterministic point, for tests that send real signals.

    python -m tests.inject HOOK NTH SIGNAL forcegen-args...

HOOK picks the moment, NTH its occurrence:
  solve         the NTH HiGHS run of the whole command
  start         the start of the thread of the first HiGHS run (NTH ignored)
  pricing       the HiGHS run of the NTH caveat re-solved by --price-caveats
  alternatives  the HiGHS run of the NTH alternative plan searched by --alternatives
  near          the HiGHS run of the NTH neighbourhood searched for --alternatives by
                neighbourhoods (solve/alternatives_near.py: every timed model searched so)
  neighbourhood the HiGHS run of the NTH neighbourhood of fix-and-optimise (its own instance;
                no relaxations, so that the search runs in a tiny world)
  building      the NTH neighbourhood of fix-and-optimise as it is built (no HiGHS running;
                no relaxations)
  write         the NTH output workbook written (held after it is built, before the file)
  written       the NTH time `solve` reads its result's exit code: just after `written: ...`
  fsync         the NTH temporary file written to disk (held before its rename)
  tables        the NTH time the result tables are made (after HiGHS returned)
  gaps          the NTH time the Gaps explanation is made (after the tables)

At that moment the run prints `inject: HOOK reached` on stderr and, with SIGNAL (INT or TERM),
sends that signal to itself; with SIGNAL `wait` it waits for one from outside (the test, which
waits for the line). A HiGHS run so held starts only once forcegen has cancelled it (so it
returns at once, interrupted, on any machine); with SIGNAL `running` it is not held: the line
says that HiGHS runs and forcegen waits for it, where a signal cancels it; with `incumbent`, the
line comes once HiGHS has found a plan in that run; with `INT-finished`, SIGINT comes just
after HiGHS finished the run, before forcegen has seen that it did. A held write goes on
once the signal has been received; a held fsync never goes on (for SIGKILL).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import Any

from solver.explain import pricing_inplace
from solver.results import safe_write
from solver.solve import alternatives, alternatives_near, highs, watchdog

HOOK, NTH, SIGNAL = sys.argv[1], int(sys.argv[2]), sys.argv[3]
armed = threading.Event()  # the next HiGHS run is the one to hold
cancelled = threading.Event()  # forcegen cancelled a HiGHS run
calls = {"n": 0}


def reached() -> None:
    """Say so on stderr, then signal (or let the test signal)."""
    sys.stderr.write(f"inject: {HOOK} reached\n")
    sys.stderr.flush()
    if SIGNAL not in ("wait", "running", "incumbent"):
        os.kill(os.getpid(), getattr(signal, f"SIG{SIGNAL.removesuffix('-finished')}"))


def count(original: Callable[..., Any], then: Callable[[], Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == NTH:
            then()
        return original(*args, **kwargs)

    return wrapper


def main_thread_waiting_for_highs() -> bool:
    """True once the main thread waits in the solver's loop for HiGHS to finish (not in the
    thread's start, also a wait): where a signal cancels HiGHS."""
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    called = None
    while frame is not None and frame.f_code.co_name != "_run_watched":
        frame, called = frame.f_back, frame
    return called is not None and called.f_code.co_name == "wait"


class SignallingThread(threading.Thread):
    """A thread whose start() is interrupted by SIGINT once the thread runs."""

    def start(self) -> None:
        super().start()
        if not calls["n"]:
            calls["n"] += 1
            reached()


def held_run(run: Callable[[Any, threading.Event], None]) -> Callable[..., None]:
    def wrapper(h: Any, done: threading.Event) -> None:
        if armed.is_set():
            armed.clear()
            if SIGNAL == "incumbent":
                h.cbMipImprovingSolution.subscribe(once(reached_while_waiting))
            elif SIGNAL.endswith("-finished"):
                run(h, threading.Event())
                reached_while_waiting()
                cancelled.wait()
                done.set()
                return
            else:
                reached_while_waiting()
                if SIGNAL != "running":
                    cancelled.wait()
        run(h, done)

    return wrapper


def reached_while_waiting(*_: Any) -> None:
    while not main_thread_waiting_for_highs():
        time.sleep(0.001)
    reached()


def once(func: Callable[..., None]) -> Callable[..., None]:
    fired = threading.Event()

    def wrapper(*args: Any) -> None:
        if not fired.is_set():
            fired.set()
            func(*args)

    return wrapper


def record_cancel(cancel: Callable[[Any], None]) -> Callable[[Any], None]:
    def wrapper(self: Any) -> None:
        cancel(self)
        cancelled.set()

    return wrapper


def signal_received() -> bool:
    handler = signal.getsignal(signal.SIGINT)
    return bool(getattr(getattr(handler, "__self__", None), "received", None))


def held_write() -> None:
    reached()
    while not signal_received():
        time.sleep(0.001)


def held_fsync() -> None:
    reached()
    threading.Event().wait()  # until killed


highs.LexicographicSolver.cancel = record_cancel(highs.LexicographicSolver.cancel)  # type: ignore[method-assign]
watchdog.run_masked = held_run(watchdog.run_masked)
if HOOK == "start":
    watchdog.threading = types.SimpleNamespace(Event=threading.Event, Thread=SignallingThread)  # type: ignore[assignment]
elif HOOK == "solve":
    watchdog.run_masked = count(watchdog.run_masked, armed.set)
elif HOOK == "pricing":
    cls = pricing_inplace.InPlacePricer
    cls.reprice = count(cls.reprice, armed.set)  # type: ignore[method-assign]
elif HOOK in ("neighbourhood", "building"):
    from solver.solve import polish

    # in a tiny world the relaxation's neighbourhood reaches the relaxation's bound, and then
    # no fix-and-optimise runs: without the relaxation it does
    highs.relaxation_bound = lambda *args, **kwargs: None  # type: ignore[assignment]
    then = armed.set if HOOK == "neighbourhood" else reached
    polish.solve_neighbourhood = count(polish.solve_neighbourhood, then)
elif HOOK == "alternatives":
    alternatives._next_plan = count(alternatives._next_plan, armed.set)
elif HOOK == "near":
    alternatives_near.NEAR_MIN_COLUMNS = 0
    alternatives_near.run_model = count(alternatives_near.run_model, armed.set)
elif HOOK == "write":
    import solver.results.output_file

    solver.results.output_file.atomic_write = count(
        solver.results.output_file.atomic_write, held_write
    )
elif HOOK in ("tables", "gaps", "conflict"):
    import solver.solve_steps

    name = {
        "tables": "make_tables",
        "gaps": "gaps_and_reasons",
        "conflict": "explain_infeasibility",
    }[HOOK]
    setattr(solver.solve_steps, name, count(getattr(solver.solve_steps, name), reached))
elif HOOK == "written":
    import solver.api

    code_of = solver.api.Result.exit_code

    def read_then_signal(self: Any) -> int:
        code = code_of.fget(self)  # type: ignore[attr-defined]
        calls["n"] += 1
        if calls["n"] == NTH:
            reached()
        return code

    solver.api.Result.exit_code = property(read_then_signal)  # type: ignore[assignment,method-assign]
elif HOOK == "fsync":
    safe_write.os.fsync = count(os.fsync, held_fsync)  # type: ignore[attr-defined]
else:
    raise SystemExit(f"unknown hook {HOOK}")

from solver.cli import main  # noqa: E402

sys.argv = ["forcegen", *sys.argv[4:]]
main()
