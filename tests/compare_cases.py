"""Comparison views without solving: two lines, S1/INF (required 6 unless given, priority 1)
and S2/INF (2, priority 2); contributor A allocates s1 units to S1 and s2 to S2, 100 personnel
each; the shortfall stages are the units short (weight 1)."""

from __future__ import annotations

import pandas as pd

from solver.compare.views import ALLOC_COLUMNS, ScenarioView


def planned(
    name: str, s1: int, s2: int, *, required: int = 6, timed: bool = False, generated: bool = True
) -> ScenarioView:
    """A solved view allocating `s1` units to S1 and `s2` to S2 (a generated one unless said)."""
    lines = pd.DataFrame(
        {
            "site": ["S1", "S2"],
            "capability": ["INF", "INF"],
            "required": [required, 2],
            "priority": [1, 2],
        }
    )
    alloc = pd.DataFrame(
        [["A", "INF", "S1", s1, 100 * s1], ["A", "INF", "S2", s2, 100 * s2]], columns=ALLOC_COLUMNS
    )
    return ScenarioView(
        name=name,
        status="optimal",
        allocation=alloc,
        lines=lines,
        contributors=["A"],
        stages={
            "objective.shortfall.p1": float(max(required - s1, 0)),
            "objective.shortfall.p2": float(max(2 - s2, 0)),
        },
        generated=generated,
        timed=timed,
    )
