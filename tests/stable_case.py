"""The world of the stable sweep's tests (test_sweep_stable.py, test_sweep_baseline_file.py).

The world (`backfill_case`): sites S1 at (0, 0) and S2 at (0, 10) each need 1 INF (priority 1,
100 personnel a unit); A at (0, 4), B at (0, 10), C at (0, -5) pledge 1 INF each, distance cost
(person-km; on the equator a degree of longitude is the same distance everywhere, so costs
compare as degrees: A->S1 4, A->S2 6, B->S1 10, B->S2 0, C->S1 5, C->S2 15).

base: two units fill both lines (shortfall 0); the cheapest pair is A@S1 + B@S2 (4 + 0 = 4;
C@S1 + B@S2 is 5, A@S2 + C@S1 is 11). withdraw_B: S2 loses its unit and A and C fill both
lines (shortfall 0) in one of two ways:
  - A@S1 + C@S2: cost 4 + 15 = 19; against base, B@S2 -1 and C@S2 +1: 2 units, 2 rows change;
  - A@S2 + C@S1: cost 6 + 5 = 11; against base, A@S1 -1, A@S2 +1, B@S2 -1, C@S1 +1: 4 units,
    4 rows change.
Solved from nothing the cost decides: A moves to S2 (4 rows change). Against base's plan the
changes stage comes first: A stays at S1 and only C backfills at S2 (2 rows change).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
from click.testing import CliRunner, Result

from solver.cli import main
from solver.results.digest import output_sha256

from .workbooks import write_workbook

UNREACHABLE = 3600  # a time limit no solve here comes near: the answers cannot depend on it


def backfill_case(path: Path, **extra: Any) -> Path:
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 4},
            {"contributor": "B", "lat": 0, "lon": 10},
            {"contributor": "C", "lat": 0, "lon": -5},
        ],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "lat": 0, "lon": 0}, {"site": "S2", "lat": 0, "lon": 10}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": c, "capability": "INF", "units": 1} for c in "ABC"],
        settings={"threads": 1, "time_limit": UNREACHABLE},
        **extra,
    )


def sweep(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["sweep", *(str(a) for a in args)])


def changes(out: Path, scenario: str) -> set[tuple[str, str, int]]:
    """The comparison's Changes rows of `scenario`: (contributor, site, change of units)."""
    table = pd.read_excel(out / "comparison.xlsx", sheet_name="Changes")
    rows = table[table["scenario"] == scenario]
    return set(zip(rows["contributor"], rows["site"], rows["Δ units"].astype(int), strict=True))


def summary(path: Path) -> dict[str, Any]:
    table = pd.read_excel(path, sheet_name="Summary", dtype=object)
    return dict(zip(table["key"], table["value"], strict=True))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def base_digest(path: Path) -> str:
    """What a stable sweep's scenarios (and `solve --baseline`) record as base's
    `baseline_sha256`: base.xlsx's cells without its timings (results.digest.output_sha256),
    never the file's bytes."""
    return output_sha256(path.read_bytes())
