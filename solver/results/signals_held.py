"""Stops held back across a file step a stop must not split (results/safe_write.py,
results/room.py)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back (their handlers, run again as it ends) across a
    step that a stop must not split: a file renamed into place and recorded as written, a
    temporary file made and handed to the code that removes it (a fault trial: a stop between
    the rename and the record said `nothing was written` of a file replaced, and one just after
    mkstemp left its file). Held in Python, not by a signal mask: a mask holds the calling
    thread's only, and OpenBLAS's and HiGHS's threads took the signal (a review). Only the
    main thread can set handlers; elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)]
    held = [s for s in wanted if signal.getsignal(s) is not None]  # set from Python: restorable
    before = {s: signal.signal(s, lambda number, _frame: caught.append(number)) for s in held}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)
