"""What the tests of locks that cannot hold share (tests/test_baseline_infeasible*.py): a
locked Baseline row."""

from __future__ import annotations


def locked(units: int, **extra: object) -> dict:
    return {
        "contributor": "A",
        "capability": "INF",
        "site": "S1",
        "units": units,
        "lock": "yes",
        **extra,
    }
