"""Signals that end a run: SIGTERM (and SIGHUP) treated like Ctrl-C. Worker processes that die
with their parent: parent_death.py.

A scheduler, `timeout` or a container stop sends SIGTERM, whose default action kills the
process at once: nothing finished is written and worker processes are left running. Within
`sigterm_as_interrupt()` (sweep, check), `StopSignals` (solve) or, in every other command,
`terminating_as_interrupt()` SIGTERM instead raises `Terminated` (a KeyboardInterrupt) in the
main thread, so the code that handles Ctrl-C handles it too, and the exit code says which came
(130 for Ctrl-C, 143 = 128 + SIGTERM). SIGHUP (a closed terminal) is taken as SIGTERM.
"""

from __future__ import annotations

import contextlib
import math
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

from .exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED

# the signals taken as SIGTERM: SIGHUP is a closed terminal or a dropped SSH session, whose
# default action killed a long solve at once and lost its plan
TERMINATING = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))
SAME_STOP_SECONDS = 1.0  # a SIGINT this soon after the last is the same stop, not a second


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler, `timeout`, a container stop), raised like Ctrl-C so that every path
    that keeps the best plan on Ctrl-C keeps it on SIGTERM too; exit 143."""

    said = "SIGTERM"  # how a command's last line names it
    within = "SIGTERM"  # how a note in brackets names it: `terminated (SIGTERM)`


class HungUp(Terminated):
    """SIGHUP (a closed terminal, a dropped SSH session), taken as SIGTERM: exit 143."""

    said = "SIGHUP (taken as SIGTERM)"
    within = "SIGHUP, taken as SIGTERM"


def terminated_by(signum: int) -> type[Terminated]:
    """The stop a terminating signal raises: `HungUp` for SIGHUP, else `Terminated`."""
    return HungUp if signum == getattr(signal, "SIGHUP", None) else Terminated


@dataclass
class Stop:
    """What stopped the run, if anything: set by the SIGTERM and SIGINT handlers. Once
    `finishing` is set, a SIGTERM or Ctrl-C is only recorded (what finished is being written,
    and the command's report made: raised there, it cut a JUnit file or the comparison short,
    or said "nothing was written" of a sweep whose every output was)."""

    terminated: bool = False
    hung_up: bool = False  # a SIGHUP (taken as SIGTERM) and no SIGTERM itself
    interrupted: bool = False  # Ctrl-C (SIGINT)
    finishing: bool = False
    stops: int = 0  # signals that asked to stop (the same signal twice within a second counts once)

    def exit_code(self) -> int:
        """The exit code of an interrupted run: 143 after SIGTERM, else 130 (Ctrl-C)."""
        return EXIT_TERMINATED if self.terminated else EXIT_INTERRUPTED

    def message(self) -> str:
        """How the run was stopped, as the sweep's and check's lines say it (in `solve`'s
        words for a hangup: `SIGHUP (taken as SIGTERM)`)."""
        if not self.terminated:
            return "interrupted"
        return f"terminated ({(HungUp if self.hung_up else Terminated).within})"

    def check(self) -> None:
        """Raise now a signal whose exception Python lost: a handler's exception raised inside
        a finaliser (`__del__`, e.g. of a zip file of a workbook just written) is only reported
        as ignored, and a sweep then waited for ever on a hanging scenario. Called at every
        poll of the workers, until the run is `finishing`."""
        if self.finishing:
            return
        if self.terminated:
            raise HungUp if self.hung_up else Terminated
        if self.interrupted:
            raise KeyboardInterrupt


class _Deferral:
    """A stop taken while a worker process is being started (`deferred`): raised after."""

    active = False
    every = False  # hold a second stop too (a block that is sure to end within a moment)
    pending: type[KeyboardInterrupt] | None = None


_DEFERRAL = _Deferral()


@contextlib.contextmanager
def deferred(every_stop: bool = False) -> Iterator[None]:
    """Within: a stop signal that `sigterm_as_interrupt`, `StopSignals` or a pool worker's
    `JobStop` would raise is recorded, and raised when the block ends. multiprocessing starts
    a pool's worker in the caller's thread (a forkserver's first start waits for its preload,
    seconds): a stop raised there left a worker forked but unknown to the pool, which then
    failed loudly (a traceback) once the sweep had cleaned up. Nested blocks raise at the
    outermost's end; a second stop is raised at once, unless `every_stop`: then every stop
    waits for the block's end (for a block that ends within a moment, and that a stop raised
    inside would break: see `LocalPool.done`)."""
    if _DEFERRAL.active or threading.current_thread() is not threading.main_thread():
        yield  # nested, or off the main thread (where no handler runs): nothing to defer
        return
    _DEFERRAL.active, _DEFERRAL.every, _DEFERRAL.pending = True, every_stop, None
    try:
        yield
    finally:
        pending = _DEFERRAL.pending
        _DEFERRAL.active, _DEFERRAL.every, _DEFERRAL.pending = False, False, None
        if pending is not None:  # it wins over what the block raised (kept as its context):
            raise pending  # the stop's own signal may have killed the forkserver


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """Within: SIGINT blocked in this thread (a Ctrl-C waits, pending, to the block's end), and
    so in the threads and processes it starts, which inherit the mask."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class Holding:
    """A block (`held`) in which a stop signal is only remembered, not raised: a write in
    progress completes. Its handler raises only while `_holding` is False."""

    _holding = False

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Signals arriving in the block are remembered, not raised: the block completes."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False


class _Remembered(Holding):
    """A stop taken while a sweep's scenario run in this process holds its plan (`held`, as
    `api.solve`'s hold): remembered (`pending`), not raised; the scenario's job raises it at
    its next checkpoint, and the sweep's own `Stop` says it at its next poll
    (`worker_signals.InlineStop`)."""

    pending: type[KeyboardInterrupt] | None = None


REMEMBERED = _Remembered()


def remembering() -> bool:
    """Whether every stop that can reach this process's main thread goes through `raise_stop`
    (`sigterm_as_interrupt`'s handlers; a SIGINT ignored cannot come), so that
    `REMEMBERED.held()` holds it: else Python's own Ctrl-C would raise inside the hold."""
    handlers = [signal.getsignal(s) for s in (signal.SIGINT, *TERMINATING)]
    return all(h is signal.SIG_IGN or getattr(h, "remembers", False) for h in handlers)


def raise_stop(exc: type[KeyboardInterrupt]) -> None:
    """Raise `exc` now, or at the end of a `deferred` block; a second stop while one waits
    there is raised at once (the planner's "stop now"), unless the block holds every stop.
    Within `REMEMBERED.held()` it is only remembered."""
    if REMEMBERED._holding:
        REMEMBERED.pending = REMEMBERED.pending or exc
        return
    if _DEFERRAL.active and (_DEFERRAL.pending is None or _DEFERRAL.every):
        _DEFERRAL.pending = _DEFERRAL.pending or exc
        return
    raise exc


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[Stop]:
    """Within: the first SIGTERM raises `Terminated` in the main thread (unless the run is
    already `finishing`); later ones are only recorded, so that what finished can still be
    written (SIGKILL remains the way to stop at once). A Ctrl-C raises KeyboardInterrupt as
    Python's own handler does (but one within `SAME_STOP_SECONDS` of the last, or once the run
    is `finishing`), and is recorded too (unless SIGINT is ignored: then it stays
    so), so that `Stop.check` can raise either if its exception was lost. Outside the main
    thread (where no handler can be set) nothing changes. A command's last writes and lines
    belong within: after the block SIGTERM's default action kills the process at once."""
    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    last_sigterm = [-math.inf]

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        first = not stop.terminated
        if first or now - last_sigterm[0] >= SAME_STOP_SECONDS:  # `timeout` sends two at once
            stop.stops += 1
        last_sigterm[0] = now
        hangup = getattr(signal, "SIGHUP", None)
        stop.hung_up = signum == hangup and (stop.hung_up or not stop.terminated)
        stop.terminated = True
        if first and not stop.finishing:
            raise_stop(Terminated)

    last_sigint = [-math.inf]

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        again = stop.interrupted and now - last_sigint[0] < SAME_STOP_SECONDS
        last_sigint[0] = now
        stop.interrupted = True
        if not again:  # one Ctrl-C forwarded twice is one
            stop.stops += 1
            if not stop.finishing:
                raise_stop(KeyboardInterrupt)

    on_sigterm.remembers = True  # type: ignore[attr-defined]  # `raise_stop`'s: see `remembering`
    on_sigint.remembers = True  # type: ignore[attr-defined]
    previous = {signum: signal.signal(signum, on_sigterm) for signum in _heeded(TERMINATING)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _heeded(signums: tuple[int, ...]) -> list[int]:
    """The signals not ignored: one ignored by whoever started forcegen stays so (`nohup`
    ignores SIGHUP so that a run outlives the terminal)."""
    return [s for s in signums if signal.getsignal(s) is not signal.SIG_IGN]


@dataclass
class LostStops:
    """Stops raised where Python cannot raise them (in a finaliser or a weak reference's
    callback: `Exception ignored in ...`), kept by `terminating_as_interrupt` for the command
    to heed once its work returns (`commands_common`)."""

    first: KeyboardInterrupt | None = None


@contextlib.contextmanager
def stops_in_finalisers_kept(lost: LostStops) -> Iterator[None]:
    """Within: a KeyboardInterrupt (a Ctrl-C, or `Terminated`) that a finaliser swallowed is
    kept in `lost`, not printed as a traceback (a trial: `Exception ignored in: <function
    ZipFile.__del__ ...> KeyboardInterrupt`, and `report` then exited 0 as if no stop had come).
    Any other unraisable exception is reported as before."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            lost.first = lost.first or unraisable.exc_value
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


@contextlib.contextmanager
def terminating_as_interrupt() -> Iterator[None]:
    """Within (every command, `commands_common.guarded`): the first SIGTERM or SIGHUP raises
    `Terminated` in the main thread, as Ctrl-C raises KeyboardInterrupt, so that a command
    without handling of its own (report, compare, generate, ...) removes the temporary file it
    was writing and says it stopped; later ones within `SAME_STOP_SECONDS` are one (`timeout`
    sends two). Commands that keep their work on a stop (solve, sweep, check) put their own
    handlers over these while they run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    last = [-math.inf]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        now, before = time.monotonic(), last[0]
        last[0] = now
        if now - before >= SAME_STOP_SECONDS:
            raise_stop(terminated_by(signum))

    previous = {signum: signal.signal(signum, on_signal) for signum in _heeded(TERMINATING)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class StopSignals(Holding):
    """SIGINT and SIGTERM while a command runs: each raises KeyboardInterrupt (SIGTERM as
    `Terminated`) in the main thread and is remembered, except inside `held()`, where it is only
    remembered, so that a write in progress completes. Restores the previous handlers on exit.

    A repeat of the same signal within `SAME_STOP_SECONDS` of the last is only remembered too:
    GNU `timeout` sends its signal to the command and then to its process group, two within
    milliseconds, and one Ctrl-C may be forwarded twice. A second one after that is raised: a
    planner's "stop now" (while HiGHS is being cancelled it ends the run without writing), and
    a SIGTERM sent again after one whose exception a finaliser lost still stops the run."""

    def __init__(self, heeded: tuple[int, ...] | None = None) -> None:
        self.heeded = (signal.SIGINT, *TERMINATING) if heeded is None else heeded
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}
        self._last: dict[int, float] = {}  # when each signal came last

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is not threading.main_thread():
            return self  # signals reach the main thread only: run as called, unguarded
        # a Ctrl-C ignored by whoever started the command (a script's background job) stays
        # ignored, as a sweep leaves it (a fault trial: solve took it back after a second)
        for signum in _heeded(self.heeded):
            self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, signum: int, frame: object) -> None:
        now = time.monotonic()
        repeat = now - self._last.get(signum, -math.inf) < SAME_STOP_SECONDS
        self._last[signum] = now
        self.received.append(signum)
        if self._holding or repeat:
            return
        raise_stop(terminated_by(signum) if signum in TERMINATING else KeyboardInterrupt)

    def check(self) -> None:
        """Raise now a signal that was received but whose exception was lost: Python ignores
        an exception raised in a finaliser (`__del__`, e.g. a zip file of the workbook being
        read), so a Ctrl-C there was remembered and the solve ran on to its time limit.
        Called after reading, building, the heuristic and the tables (`api.solve`'s
        `checkpoint`): after the heuristic its plan is then kept, interrupted; after the
        tables, no alternatives are searched."""
        if self.received and not self._holding:
            hung_up = signal.SIGTERM not in self.received
            raise (HungUp if hung_up else Terminated) if self._terminated else KeyboardInterrupt

    @property
    def stopped(self) -> bool:
        return bool(self.received)

    @property
    def _terminated(self) -> bool:
        return any(signum in TERMINATING for signum in self.received)

    @property
    def exit_code(self) -> int:
        return EXIT_TERMINATED if self._terminated else EXIT_INTERRUPTED

    @property
    def name(self) -> str:
        if not self._terminated:
            return "Ctrl-C (SIGINT)"
        return (Terminated if signal.SIGTERM in self.received else HungUp).said


def unguarded_stops() -> StopSignals | None:
    """`StopSignals` of Ctrl-C alone for a caller whose Ctrl-C is Python's own
    (`default_int_handler`, on the main thread); None for one that handles it itself, whose
    handler stays. SIGTERM and SIGHUP are left as the caller has them: a review found a
    multiprocessing pool's `terminate` (which kills its workers by SIGTERM) hang on a worker
    that finished its solve instead, a caller's own SIGTERM handler bypassed, and a script
    outliving `timeout`."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return None
    return StopSignals(heeded=(signal.SIGINT,))
