"""A fault drill for `sweep` and `check`: rehearse what a scheduler or the kernel does to a
worker process.

    FORCEGEN_DRILL="kill:NAME,hang:OTHER" forcegen sweep ...

makes the worker process that starts scenario NAME (for `check`: CASE/SCENARIO) kill itself
with SIGKILL (what an out-of-memory kill does), and the one that starts OTHER wait until it is
killed (a scenario that outlasts any patience: to rehearse SIGTERM or Ctrl-C to the command).
It acts only in worker processes, never in the process that runs the command, and only when
the variable is set.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

VARIABLE = "FORCEGEN_DRILL"


def drills(text: str) -> dict[str, str]:
    """{scenario: action} of the variable's text `action:scenario[,action:scenario...]`."""
    out: dict[str, str] = {}
    for item in text.split(","):
        action, _, scenario = item.strip().partition(":")
        if action in ("kill", "hang") and scenario:
            out[scenario] = action
    return out


def rehearse(scenario: str) -> None:
    """Act out the drill of `scenario`, if any (in a worker process only)."""
    text = os.environ.get(VARIABLE)
    if not text or multiprocessing.parent_process() is None:
        return
    action = drills(text).get(scenario)
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "hang":
        threading.Event().wait()
