"""A scenario's warnings name it; a sweep says base's once and a scenario's only where they differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from solver import api
from solver.cli import main

from .workbooks import write_workbook

MIXED = "cost_per_unit is given for Pledges!E2 but blank for Pledges!E3"


def scen(name: str, sheet: str, key: str, column: str, value: Any = None) -> dict[str, Any]:
    return {"scenario": name, "sheet": sheet, "key": key, "column": column, "value": value}


def mixed_costs(path: Path) -> Path:
    """A's pledge has a cost_per_unit, B's has not: base warns of the mixed cost. Scenario
    `same` warns the same; `unplaced` also takes B's position away (one more warning)."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 5},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        scenarios=[
            scen("same", "Requirements", "S1/INF", "units", 3),
            scen("unplaced", "Contributors", "B", "lat"),
            scen("unplaced", "Contributors", "B", "lon"),
        ],
        settings={"threads": 1},
    )


def test_a_scenarios_warnings_name_the_scenario_and_bases_do_not(tmp_path: Path) -> None:
    src = mixed_costs(tmp_path / "case.xlsx")
    base = [str(w) for w in api.read(src).warnings]
    assert base == [f"warning: Pledges: {MIXED}" + base[0].split(MIXED, 1)[1]]
    same = [str(w) for w in api.read(src, "same").warnings]
    assert same == [f"warning: Pledges: scenario 'same': {MIXED}" + base[0].split(MIXED, 1)[1]]
    unplaced = [str(w) for w in api.read(src, "unplaced").warnings]
    assert len(unplaced) == 2
    assert unplaced[1].startswith("warning: Contributors: scenario 'unplaced': no lat/lon at")

    result = CliRunner().invoke(
        main, ["solve", str(src), "-s", "same", "-o", str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert f"warning: Pledges: scenario 'same': {MIXED}" in result.output


def test_a_sweep_says_a_base_warning_once_and_a_scenarios_own_warning_with_its_name(
    tmp_path: Path,
) -> None:
    src = mixed_costs(tmp_path / "case.xlsx")
    result = CliRunner().invoke(
        main, ["sweep", str(src), "-o", str(tmp_path / "out"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(f"warning: Pledges: {MIXED}")  # base's, once
    assert warnings[1].startswith("warning: Contributors: scenario 'unplaced': no lat/lon at")
