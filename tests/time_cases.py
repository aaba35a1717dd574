"""Tiny timed workbooks and their solved tours, for hand-worked tests of `time.md`.

    tours, stages = solve_timed(tmp_path, periods=months(6), pledges=[...])
    tours == {("A", "INF", "S1", "P1", "P2", 1), ...}   # (c, k, s, from, to, units)
    stages == {"shortfall.p1": 2.0, "cost": 3.0, "presence": 1.0}

The default world: contributors A, B (at 0,0 and 0,1), capability INF (100 personnel), sites S1
(country X, zone front) and S2 (country Y, zone rear), one line S1/INF of 1 unit, priority 1;
every pledge has cost_per_unit 1, so the cost stage counts tours' units.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from solver import api

from .workbooks import write_workbook

Rows = list[dict[str, Any]]


def months(n: int, lengths: list[int] | None = None) -> Rows:
    """Periods P1..Pn of one month each (or of the given lengths)."""
    lengths = lengths or [1] * n
    return [{"period": f"P{i + 1}", "months": m} for i, m in enumerate(lengths)]


def timed_case(path: Path, **sheets: Any) -> Path:
    base: dict[str, Any] = {
        "contributors": [
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        "capabilities": [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        "sites": [
            {"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 0, "lon": 1},
        ],
        "requirements": [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}],
        "pledges": [{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    }
    for rows in sheets.get("pledges", []):
        rows.setdefault("cost_per_unit", 1)
    base.update(sheets)
    return write_workbook(path, **base)


def solve_timed(
    tmp_path: Path, name: str = "case.xlsx", **sheets: Any
) -> tuple[set[tuple], dict[str, float]]:
    """Solve a timed case; its tours (c, k, s, from, to, units) and stage values."""
    result = api.solve(timed_case(tmp_path / name, **sheets), time_limit=60)
    assert result.status == "optimal", result.status
    assert result.plan is not None
    names = list(result.data.periods["period"])  # type: ignore[index]
    tours = {
        (c, k, s, names[a], names[b], int(n))
        for c, k, s, a, b, n in result.plan.tours.itertuples(index=False)
    }
    stages = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    return tours, stages
