"""Worker processes that die with their parent, even one killed by SIGKILL: a sweep's workers
must not run on, holding memory and CPU, after the sweep that started them is gone."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_SECONDS = 1.0


def die_with_parent() -> None:
    """Make this (worker) process die when its parent does, even by SIGKILL: on Linux the kernel
    sends it SIGKILL (prctl PR_SET_PDEATHSIG); elsewhere a daemon thread polls the parent id.

    A worker of a forkserver pool is the forkserver's child, and the forkserver exits when the
    process that started it dies (its pipe from that process reaches end of file), so the chain
    main process -> forkserver -> worker ends with the main process."""
    parent = os.getppid()
    if sys.platform.startswith("linux") and _set_parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _set_parent_death_signal(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
