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
    `same` warns the same; `unplaced` also takes B's position away (one more warning); `costed`
    adds a line and a pledge with a cost (the mixed-cost warning then lists the cost's cell
    too)."""
    return write_workbook(
        path,
        contributors=[
            {"contributor": "A", "lat": 0, "lon": 0},
            {"contributor": "B", "lat": 0, "lon": 1},
        ],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "GUARD", "category": "ground", "personnel_per_unit": 10},
        ],
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
            # a third pledge with a cost: the mixed-cost warning lists other cells, says the same
            scen("costed", "Requirements", "S1/GUARD", "units", 1),
            scen("costed", "Requirements", "S1/GUARD", "priority", 3),
            scen("costed", "Pledges", "A/GUARD", "units", 1),
            scen("costed", "Pledges", "A/GUARD", "cost_per_unit", 7),
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
    assert len(warnings) == 4, warnings
    assert warnings[0].startswith(f"warning: Pledges: {MIXED}")  # base's, once
    assert warnings[1].startswith("warning: Contributors: scenario 'unplaced': no lat/lon at")
    assert warnings[2].startswith("warning: Scenarios!C5: scenario 'costed' adds a Requirements")
    assert warnings[3].startswith("warning: Scenarios!C7: scenario 'costed' adds a Pledges row")


def test_validate_says_a_scenarios_own_warning_once_and_not_bases_again(tmp_path: Path) -> None:
    """`unplaced` warns of B's missing position and `costed` of the row it adds, which base
    does not: validate says so, with the scenario's name. `same` and `costed` say what base says (`costed` listing other cells:
    `Scenarios!E8 and Pledges!E2`), so neither is repeated."""
    src = mixed_costs(tmp_path / "case.xlsx")
    costed = [str(w) for w in api.read(src, "costed").warnings]
    assert any("given for Scenarios!E8 and Pledges!E2 but blank" in w for w in costed)
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 4, warnings
    assert warnings[0].startswith(f"warning: Pledges: {MIXED}")
    assert warnings[1].startswith("warning: Contributors: scenario 'unplaced': no lat/lon at")
    assert warnings[2].startswith("warning: Scenarios!C5: scenario 'costed' adds a Requirements")
    assert warnings[3].startswith("warning: Scenarios!C7: scenario 'costed' adds a Pledges row")
    assert "4 warnings)" in result.output


def test_a_sweep_does_not_repeat_a_bases_warning_that_lists_other_cells(tmp_path: Path) -> None:
    src = mixed_costs(tmp_path / "case.xlsx")
    result = CliRunner().invoke(
        main, ["sweep", str(src), "-o", str(tmp_path / "out"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "scenario 'costed': cost_per_unit" not in result.output


def test_a_scenarios_own_warnings_come_with_base_errors_too(tmp_path: Path) -> None:
    """Base invalid (Requirements!C2 'two'): validate lists the errors and still each
    scenario's own warnings (they vanished when base failed): `costed`'s rows it adds, and
    `same`'s mixed-cost warning (its override of C2 makes it valid, and base, invalid, said
    none)."""
    from openpyxl import load_workbook

    src = mixed_costs(tmp_path / "case.xlsx")
    wb = load_workbook(src)
    wb["Requirements"]["C2"] = "two"
    wb.save(src)
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert result.exit_code == 2
    assert "error: Requirements!C2: units must be a whole number >= 0, got 'two'" in result.output
    assert "warning: Scenarios!C7: scenario 'costed' adds a Pledges row" in result.output
    assert f"warning: Pledges: scenario 'same': {MIXED}" in result.output


def test_the_base_case_keeps_its_own_warnings_and_the_workbooks_are_all_of_them(
    tmp_path: Path,
) -> None:
    """`check_data` gives the base case, whose warnings are base's (a solve of it says those);
    `check` and `check_workbook` every warning of the workbook, scenarios' own included."""
    src = mixed_costs(tmp_path / "case.xlsx")
    base = api.check_data(src)
    assert [str(w) for w in base.warnings] == [str(w) for w in api.read(src).warnings]
    every = api.check(src)
    assert every[: len(base.warnings)] == [str(w) for w in base.warnings]
    assert any("scenario 'unplaced': no lat/lon" in w for w in every)
    assert [str(w) for w in api.check_workbook(src)[1]] == every


def test_a_quoted_sheets_cells_are_read_back_so_bases_warning_is_said_once(
    tmp_path: Path,
) -> None:
    """The Pledges sheet titled ' pledges ': the mixed-cost warning names its cells as Excel
    does (`' pledges '!E2`), and validate still knows `same`'s and `costed`'s warning for
    base's (the cells a warning lists are read back, quoted too): four warnings, as with the
    plain title. Before, ` pledges !E2`, and both were said again under their scenario's name."""
    from openpyxl import load_workbook

    src = mixed_costs(tmp_path / "case.xlsx")
    wb = load_workbook(src)
    wb["Pledges"].title = " pledges "
    wb.save(src)
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings[0].startswith(
        "warning: Pledges: cost_per_unit is given for ' pledges '!E2 but blank for "
        "' pledges '!E3, whose cost"
    )
    assert [w.split(": ")[1] for w in warnings[1:]] == [
        "Contributors",
        "Scenarios!C5",
        "Scenarios!C7",
    ]
    assert "4 warnings)" in result.output


def test_a_drop_with_a_value_that_reads_as_a_condition_is_warned_at_it(tmp_path: Path) -> None:
    """`Contributors B drop 'yes please'` drops B (a drop has no value) and warns at the value
    cell (E2); `drop yes` (E3, another scenario) and a blank value say the drop itself."""
    from .workbooks import simple_case

    src = simple_case(
        tmp_path / "case.xlsx",
        scenarios=[
            scen("b_out", "Contributors", "B", "drop", "yes please"),
            scen("b_gone", "Contributors", "B", "drop", "yes"),
            scen("b_none", "Contributors", "B", "drop"),
        ],
    )
    warned = [str(w) for w in api.read(src, "b_out").warnings if "drop" in str(w)]
    assert warned == [
        "warning: Scenarios!E2: scenario 'b_out' drops Contributors 'B' whatever its value "
        "'yes please' says: a drop has no value (leave the cell blank)"
    ]
    for name in ("b_gone", "b_none"):
        data = api.read(src, name)
        assert not [w for w in data.warnings if "a drop has no value" in str(w)]
        assert "B" not in set(data.contributors["contributor"])


def test_a_scenario_of_a_required_sheet_missing_adds_no_row_warning(tmp_path: Path) -> None:
    """The Pledges sheet renamed `Pledge`: its absence is the error; `costed`'s overrides of
    Pledges rows are no rows added (a planner trial saw `adds a Pledges row 'A/GUARD' (no row
    has that key)` for rows the renamed sheet has, beside the error)."""
    import openpyxl

    src = mixed_costs(tmp_path / "case.xlsx")
    book = openpyxl.load_workbook(src)
    book["Pledges"].title = "Pledge"
    book["Scenarios"].append(["costed", "Pledges", "B/INF", "drop", None])  # nor a drop error
    book.save(src)
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert result.exit_code == 2, result.output
    assert "sheet 'Pledges' is missing" in result.output
    assert "adds a Pledges row" not in result.output and "to drop" not in result.output
    assert "adds a Requirements row 'S1/GUARD'" in result.output  # a sheet that is there


def test_a_scenario_cannot_stand_in_for_a_required_sheet_that_is_missing(tmp_path: Path) -> None:
    """The Pledges sheet renamed `Pledge`: `solve -s costed`, a scenario that adds a Pledges
    row, is refused for the missing sheet as base is (a review: it solved, `optimal`, from the
    one row the scenario adds, the planner's pledges ignored without a word)."""
    import openpyxl

    src = mixed_costs(tmp_path / "case.xlsx")
    book = openpyxl.load_workbook(src)
    book["Pledges"].title = "Pledge"
    book.save(src)
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-s", "costed", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "sheet 'Pledges' is missing" in result.output and not out.exists()
