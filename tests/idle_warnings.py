"""The warnings of io/idle_entries.py (a contributor who pledges nothing, a site that requires
nothing), left out where a test's own warnings are compared: the tiny worlds list nations and
sites their cases do not use. tests/test_idle_entries.py tests those warnings themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

IDLE_MARKS = ("(no Pledges row names it)", "(no Requirements row names it)")


def without_idle(warnings: Iterable[T]) -> list[T]:
    """`warnings` (texts, Issues or tuples holding their message) but those of idle entries."""
    return [w for w in warnings if not any(mark in str(w) for mark in IDLE_MARKS)]
