"""The sweep's progress on stderr: done/total, elapsed, ETA and the scenarios running.

On a terminal one line is redrawn in place (and cleared before a result line is printed);
otherwise a plain line is written each time a scenario finishes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class Progress:
    """Call `update` often (it redraws at most every `interval` seconds on a terminal),
    `clear` before printing anything else, `close` at the end."""

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        tty: bool | None = None,
        width: int = 100,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.width = width
        self.clock = clock  # seconds, monotonic; a test gives its own
        self.began = clock()
        self.done = 0
        self.running: list[str] = []
        self._drawn = False
        self._last = 0.0

    def start(self, total: int) -> None:
        """Begin counting `total` tasks from now."""
        self.total, self.done, self.began = total, 0, self.clock()

    def line(self) -> str:
        elapsed = self.clock() - self.began
        eta = "-"
        if 0 < self.done < self.total:
            eta = _clock(elapsed / self.done * (self.total - self.done))
        elif self.done == self.total:
            eta = "0:00"
        text = f"[{self.done}/{self.total}] {_clock(elapsed)} elapsed, ETA {eta}"
        if self.running:
            text += "; running: " + ", ".join(self.running)
        return text

    def update(self, done: int, running: list[str], force: bool = False) -> None:
        finished = done != self.done
        self.done, self.running = done, list(running)
        now = self.clock()
        if self.tty:
            if force or finished or now - self._last >= 0.5:
                text = self.line()
                if len(text) > self.width:
                    text = text[: self.width - 3] + "..."
                self.stream.write("\r\033[K" + text)
                self.stream.flush()
                self._drawn, self._last = True, now
        elif finished or force:
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def clear(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def close(self) -> None:
        self.clear()
