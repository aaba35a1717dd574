"""Imported by the forkserver alone, as the first of its preload (`parallel.process_context`):
SIGINT, SIGTERM and the forwarded stop (`worker_signals.STOP_SIGNAL`) ignored there.

Python's forkserver imports its preload before it saves its own signal dispositions, and
gives every process it forks those saved dispositions back. So a sweep's or a check's worker
ignores the terminal's Ctrl-C and a forwarded stop from its first instruction: one still
starting when they came (before `worker_signals.ignore_stops` runs) died of them, which broke
the pool and lost the plans being salvaged. The main process's own handlers are not touched,
and a forkserver started again (after it died) imports the same preload.

Imported anywhere else, it does nothing.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from .worker_signals import STOP_SIGNAL


def _in_forkserver() -> bool:
    """Whether this import runs inside `multiprocessing.forkserver.main` (its preload)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "main" and frame.f_globals.get("__name__") == (
            "multiprocessing.forkserver"
        ):
            return True
        frame = frame.f_back
    return False


if STOP_SIGNAL is not None and _in_forkserver():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(STOP_SIGNAL, signal.SIG_IGN)
    # a SIGTERM to the whole group (GNU `timeout`, systemd): the forkserver ends when the main
    # process does (its pipe reaches end of file), and its death would kill every worker
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):  # a closed terminal's hangup: the sweep asks for the plans
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    def _quiet_if_out_of_memory(
        kind: type[BaseException], value: BaseException, tb: object
    ) -> None:
        """The forkserver's end for want of memory in its preload, without a traceback of its
        own: the command says it in one line (parallel.LocalPool.submit; a fault trial under
        `ulimit -v` saw the traceback beside `internal error: EOFError`)."""
        if not issubclass(kind, MemoryError):
            sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]

    sys.excepthook = _quiet_if_out_of_memory
