"""Build small contract workbooks from Python literals, for tests.

path = write_workbook(tmp_path / "case.xlsx",
    contributors=[{"contributor": "A"}, {"contributor": "B"}],
    capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
    sites=[{"site": "S1", "country": "UKR"}],
    requirements=[{"site": "S1", "capability": "INF", "units": 2}],
    pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 5}],
    caveats=[{"contributor": "A", "caveat": "max_units", "value": 1}],
)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from solver.io.schema import INPUT_SHEETS

Rows = list[dict[str, Any]]


def write_workbook(path: Path, *, settings: dict[str, Any] | None = None, **sheets: Rows) -> Path:
    """Write a workbook; each keyword is a sheet name in lower case with its rows as dicts.

    Columns are the contract's for that sheet (in contract order) plus any extra key used.
    `settings` is a dict setting -> value. Sheets not given are written empty (headers only),
    except `Scenarios`, which is left out unless given.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for spec in INPUT_SHEETS:
        key = spec.name.lower()
        if spec.name == "Settings":
            rows = [{"setting": k, "value": v} for k, v in (settings or {}).items()]
        else:
            rows = sheets.pop(key, [])
        if spec.name == "Scenarios" and not rows:
            continue
        ws = wb.create_sheet(spec.name)
        columns = [c.name for c in spec.columns]
        columns += sorted({k for r in rows for k in r if k not in columns})
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) for c in columns])
    if sheets:
        raise TypeError(f"unknown sheets: {', '.join(sheets)}")
    wb.save(path)
    return path


def distance_case(
    path: Path,
    *,
    second_priority: int = 1,
    first_units: int = 2,
    settings: dict[str, Any] | None = None,
    **sheets: Rows,
) -> Path:
    """A at S1's place (country X), B at S2's (country Y), no cost given: with distance cost
    A->S1 and B->S2 is the unique optimum. S1 needs `first_units` INF and S2 2 (100 people a
    unit), S1 at priority 1 and S2 at `second_priority`; each contributor pledges 2. `sheets`
    adds the other sheets (caveats, scenarios)."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[
            {"site": "S1", "country": "X", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "lat": 0, "lon": 1},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": first_units, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": second_priority},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        settings=settings,
        **sheets,
    )


def simple_case(path: Path, **overrides: Rows) -> Path:
    """Two contributors, one capability, two sites: a base many tests modify."""
    base: dict[str, Rows] = {
        "contributors": [
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        "capabilities": [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        "sites": [
            {"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 0, "lon": 1},
        ],
        "requirements": [
            {"site": "S1", "capability": "INF", "units": 2},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        "pledges": [
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    }
    base.update(overrides)
    return write_workbook(path, **base)
