"""What the compare tests share. Comparison views without solving (`planned`): two lines, S1/INF
(required 6 unless given, priority 1) and S2/INF (2, priority 2); contributor A allocates s1
units to S1 and s2 to S2, 100 personnel each; the shortfall stages are the units short (weight
1). The command, an output's Allocation edited by hand, a view with a line's priority changed.
The solved outputs of tests/test_compare*.py are the session fixture `compared_outputs`
(tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main
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


def compare(*args: str | Path):
    return CliRunner().invoke(main, ["compare", *(str(a) for a in args)])


def _edit(output: Path, to: Path, units: dict[tuple[str, str], int]) -> Path:
    """Save `output` as `to` with the units of some (contributor, site) rows of its Allocation
    sheet set by hand; personnel and the Summary stay as they were."""
    wb = load_workbook(output)
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = (row[header.index("contributor")].value, row[header.index("site")].value)
        if key in units:
            row[header.index("units")].value = units[key]
    wb.save(to)
    return to


def with_priority(view: ScenarioView, site: str, priority: int) -> ScenarioView:
    """`view` with the line at `site` of that priority (a what-if that reorders the lines)."""
    view.lines.loc[view.lines["site"] == site, "priority"] = priority
    return view
