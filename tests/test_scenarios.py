"""The Scenarios sheet: set, add a row by key, drop (with its cascade), and errors that name the
scenario and the cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .workbooks import simple_case

CAVEATS = [
    {"id": "C1", "contributor": "B", "caveat": "max_units", "value": 2},
    {"id": "C2", "contributor": "A", "caveat": "requires", "other": "B"},
    {"id": "C3", "contributor": "A", "caveat": "max_units", "value": 2},
]


def scen(name: str, sheet: str, key: str, column: str, value: Any = None) -> dict[str, Any]:
    return {"scenario": name, "sheet": sheet, "key": key, "column": column, "value": value}


def case(tmp_path: Path, *rows: dict[str, Any]) -> Path:
    return simple_case(tmp_path / "case.xlsx", caveats=CAVEATS, scenarios=list(rows))


def errors_of(path: Path, scenario: str) -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path, scenario)
    return [str(e) for e in info.value.errors]


def test_set_add_and_drop(tmp_path: Path) -> None:
    path = case(
        tmp_path,
        scen("s", "Pledges", "A/INF", "units", 1),  # set a column of an existing row
        scen("s", "Contributors", "C", "name", "Cland"),  # add a row by key ...
        scen("s", "Pledges", "C/INF", "units", 3),  # ... and its pledge
        scen("s", "Requirements", "S2/INF", "drop"),  # drop a row
        scen("s", "Settings", "time_limit", "value", 5),
        scen("s", "Pledges", "B/INF", "cost_per_unit", None),  # a blank value clears the cell
    )
    base, data = api.read(path), api.read(path, "s")
    assert base.scenarios == ["s"] and data.scenario == "s"
    pledges = {(r.contributor, r.capability): r for r in data.pledges.itertuples()}
    assert pledges["A", "INF"].units == 1 and pledges["C", "INF"].units == 3
    assert data.contributors.set_index("contributor").at["C", "name"] == "Cland"
    assert list(data.requirements["site"]) == ["S1"]
    assert data.settings["time_limit"] == 5
    assert pledges["B", "INF"].cost_per_unit != pledges["B", "INF"].cost_per_unit  # NaN
    assert len(base.pledges) == 2 and len(base.requirements) == 2  # base untouched
    assert data.notes == ["scenario s drops Requirements S2/INF"]


def test_dropping_a_contributor_drops_its_pledges_and_caveats_and_the_summary_says_so(
    tmp_path: Path,
) -> None:
    path = case(tmp_path, scen("b_gone", "Contributors", "B", "drop"))
    data = api.read(path, "b_gone")
    assert list(data.contributors["contributor"]) == ["A"]
    assert list(data.pledges["contributor"]) == ["A"]
    assert list(data.caveats["id"]) == ["C3"]  # C1 (B's own) and C2 (A requires B) dropped
    result = api.solve(data)
    assert result.status == "optimal"
    notes = [(k, v) for k, v in result.tables.summary if k.startswith("note.")]
    assert notes == [
        (
            "note.1",
            "scenario b_gone drops Contributors B: also dropped 1 Pledges row naming it in "
            "'contributor'; 1 Caveats row naming it in 'contributor'; 1 Caveats row naming "
            "it in 'other'",
        )
    ]
    out = api.write(result, tmp_path / "out.xlsx")
    summary = {r[0]: r[1] for r in load_workbook(out)["Summary"].iter_rows(values_only=True)}
    assert summary["note.1"] == notes[0][1]


def test_dropping_a_site_or_capability_cascades(tmp_path: Path) -> None:
    path = case(
        tmp_path,
        scen("no_s1", "Sites", "S1", "drop"),
        scen("no_inf", "Capabilities", "INF", "drop"),
    )
    no_s1 = api.read(path, "no_s1")
    assert list(no_s1.requirements["site"]) == ["S2"]
    no_inf = api.read(path, "no_inf")
    assert len(no_inf.pledges) == 0 and len(no_inf.requirements) == 0
    assert "2 Pledges rows" in no_inf.notes[0] and "2 Requirements rows" in no_inf.notes[0]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            scen("x", "Nope", "A", "status", "available"),
            "Scenarios!B2: scenario 'x': sheet 'Nope' cannot be changed",
        ),
        (
            scen("x", "Contributors", "A", "colour", "red"),
            "Scenarios!D2: scenario 'x': Contributors has no column 'colour'",
        ),
        (
            scen("x", "Contributors", "Z", "drop"),
            "Scenarios!C2: scenario 'x': no Contributors row with key 'Z' to drop",
        ),
        (
            scen("x", "Pledges", "A", "units", 1),
            "Scenarios!C2: scenario 'x': key for Pledges must be contributor/capability, got 'A'",
        ),
        (
            scen("x", "Pledges", "A/INF", "units", "two"),
            "Scenarios!E2: scenario 'x': units must be a whole number >= 0, got 'two'",
        ),
        (
            scen("x", "Requirements", "S9/INF", "units", 1),
            "Scenarios!C2: scenario 'x' (Requirements S9/INF): site 'S9' is not on the Sites sheet",
        ),
        (
            scen("x", "Pledges", "A/INF", "units", None),
            "Scenarios!E2: scenario 'x': units is required",
        ),
        (
            scen("x", "Caveats", "C9", "caveat", "max_units"),
            "Scenarios!C2: scenario 'x' (Caveats C9): contributor is required",
        ),
    ],
)
def test_a_bad_override_names_the_scenario_and_the_cell(
    tmp_path: Path, row: dict[str, Any], expected: str
) -> None:
    path = case(tmp_path, row)
    errors = errors_of(path, "x")
    assert any(e.startswith(expected) for e in errors), errors
    api.read(path)  # the base case is not affected


def test_validate_lists_every_scenario_problem_at_once(tmp_path: Path) -> None:
    path = case(
        tmp_path,
        scen("one", "Contributors", "A", "colour", "red"),
        scen("two", "Pledges", "B/INF", "units", -1),
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Scenarios!D2: scenario 'one': Contributors has no column 'colour'" in result.output
    assert "Scenarios!E3: scenario 'two': units must be" in result.output


def test_a_bad_override_of_a_key_two_rows_share_is_said_once(tmp_path: Path) -> None:
    """Pledges rows 2 and 4 are both A/INF (a duplicate, an error of base): scenario `s5` sets
    their units to 'lots', an error at its one cell that came once per row (3 problems for 2)."""
    path = simple_case(
        tmp_path / "dup.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
            {"contributor": "A", "capability": "INF", "units": 1},
        ],
        scenarios=[scen("s5", "Pledges", "A/INF", "units", "lots")],
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert lines == [
        "error: Pledges!A4: duplicate contributor/capability 'A/INF' (first at row 2); merge or "
        "delete one of the rows",
        "error: Scenarios!E2: scenario 's5': units must be a whole number >= 0, got 'lots'",
    ]
    assert "2 problems found" in result.output
    solved = CliRunner().invoke(
        main, ["solve", str(path), "-s", "s5", "-o", str(tmp_path / "o.xlsx")]
    )
    assert solved.exit_code == 2
    said = [line for line in solved.output.splitlines() if "got 'lots'" in line]
    assert said == [
        "error: Scenarios!E2: scenario 's5': units must be a whole number >= 0, got 'lots'"
    ]


def test_base_is_a_reserved_scenario_name(tmp_path: Path) -> None:
    path = case(tmp_path, scen("base", "Pledges", "A/INF", "units", 1))
    errors = errors_of(path, "base")
    assert errors == [
        "Scenarios!A2: the scenario name 'base' is reserved for the workbook without overrides; "
        "rename this scenario"
    ]


def test_a_cell_set_twice_warns_and_the_later_row_wins(tmp_path: Path) -> None:
    path = case(
        tmp_path,
        scen("s", "Pledges", "A/INF", "units", 1),
        scen("s", "Pledges", "A/INF", "units", 0),
    )
    data = api.read(path, "s")
    assert data.pledges.set_index("contributor").at["A", "units"] == 0
    assert [str(w) for w in data.warnings] == [
        "warning: Scenarios!A3: scenario 's' sets Pledges A/INF units again (first at row 2); "
        "this later row wins"
    ]


def test_a_scenario_error_still_shows_the_base_cases_warnings(tmp_path: Path) -> None:
    """A's pledge has a cost_per_unit and B's none (the base case's warning about mixing the
    two); scenario 'bad' breaks B's units. validate lists the error and the warning (the
    warning was left out whenever a scenario had an error)."""
    path = simple_case(
        tmp_path / "case.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        scenarios=[scen("bad", "Pledges", "B/INF", "units", -1)],
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Scenarios!E2: scenario 'bad': units must be" in result.output
    assert "warning: Pledges: cost_per_unit is given for Pledges!" in result.output


def test_an_edited_scenario_s_data_keeps_the_scenarios_sheet_s_warnings(tmp_path: Path) -> None:
    """A Data of scenario 's' edited in Python is checked again as a workbook of its tables,
    which have no Scenarios sheet: the warning about its cells was lost."""
    import copy

    path = case(
        tmp_path,
        scen("s", "Pledges", "A/INF", "units", 1),
        scen("s", "Pledges", "A/INF", "units", 0),
    )
    data = copy.deepcopy(api.read(path, "s"))
    data.pledges.loc[data.pledges["contributor"] == "B", "cost_per_unit"] = 3
    result = api.solve(data, scenario="s")
    assert [str(w) for w in result.data.warnings if "Scenarios!" in w.where] == [
        "warning: Scenarios!A3: scenario 's' sets Pledges A/INF units again (first at row 2); "
        "this later row wins"
    ]


def test_a_key_differing_by_case_is_read_as_the_rows_key_with_a_warning(tmp_path: Path) -> None:
    """`s1/inf` sets S1/INF's units (before: a second S1/INF line was added, a duplicate the
    scenario refused), and `b` drops contributor B with its pledges, each with a warning."""
    path = case(
        tmp_path,
        scen("s", "Requirements", "s1/inf", "units", 3),
        scen("s", "Contributors", "b", "drop"),
    )
    data = api.read(path, "s")
    s1 = data.requirements[data.requirements["site"] == "S1"]
    assert list(s1["units"]) == [3]
    assert list(data.pledges["contributor"]) == ["A"]
    warned = [str(w) for w in data.warnings if "differs by case" in str(w)]
    assert warned == [
        "warning: Scenarios!C2: scenario 's': key 's1/inf' is read as 'S1/INF' (it differs by "
        "case)",
        "warning: Scenarios!C3: scenario 's': key 'b' is read as 'B' (it differs by case)",
    ]


def test_a_rename_of_a_contributor_names_the_scenario_where_its_pledges_break(
    tmp_path: Path,
) -> None:
    """Scenario `r` sets contributor B's key to BX: B's pledge and caveats then name a
    contributor that is not there, and each error says the scenario's rename did it (before,
    they read as errors of the base workbook, which is fine)."""
    path = case(tmp_path, scen("r", "Contributors", "B", "contributor", "BX"))
    errors = errors_of(path, "r")
    assert errors and all(
        "scenario 'r' renames Contributors B to BX (Scenarios!E2)" in e for e in errors
    ), errors
    api.read(path)  # base reads


def test_a_line_at_a_site_whose_name_holds_a_slash_can_be_named(tmp_path: Path) -> None:
    """Site `Kharkiv/North`: the key `Kharkiv/North/INF` names its INF line (before: 'key for
    Requirements must be site/capability'); a key that splits no way onto a line still is
    that error."""
    sites = [
        {"site": "Kharkiv/North", "country": "X", "zone": "front", "lat": 0, "lon": 0},
        {"site": "S2", "country": "Y", "zone": "rear", "lat": 0, "lon": 1},
    ]
    requirements = [
        {"site": "Kharkiv/North", "capability": "INF", "units": 2},
        {"site": "S2", "capability": "INF", "units": 2},
    ]
    rows = [
        scen("s", "Requirements", "Kharkiv/North/INF", "units", 3),
        scen("t", "Requirements", "Kharkiv/South/INF", "units", 3),
    ]
    path = simple_case(
        tmp_path / "slash.xlsx", sites=sites, requirements=requirements, scenarios=rows
    )
    data = api.read(path, "s")
    line = data.requirements[data.requirements["site"] == "Kharkiv/North"]
    assert list(line["units"]) == [3]
    assert errors_of(path, "t") == [
        "Scenarios!C3: scenario 't': key for Requirements must be site/capability, got "
        "'Kharkiv/South/INF'"
    ]


def test_a_drop_cascades_to_rows_naming_the_key_in_another_case(tmp_path: Path) -> None:
    """B's pledge written `b` (read as B, with a warning): dropping contributor B drops it too
    (before: it stayed, naming a contributor no longer there, an error with no scenario)."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2},
        {"contributor": "b", "capability": "INF", "units": 2},
    ]
    path = simple_case(
        tmp_path / "case.xlsx",
        pledges=pledges,
        scenarios=[scen("b_gone", "Contributors", "B", "drop")],
    )
    data = api.read(path, "b_gone")
    assert list(data.pledges["contributor"]) == ["A"]


def test_an_error_only_a_scenario_makes_at_a_base_cell_names_the_scenario(
    tmp_path: Path,
) -> None:
    """P1..P3; the Profile asks 2 INF at S1 in P2; scenario s1 ends the line S1/INF at P1, so
    the Profile row lies outside its window: the error is at Profile!C2, a cell right in base,
    and said only that (an audit): now it names the scenario and its override's cell. An error
    base has too (B's pledge of units 'x', typed in the workbook) is said as base says it."""
    path = simple_case(
        tmp_path / "case.xlsx",
        periods=[{"period": f"P{i}"} for i in (1, 2, 3)],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 2}],
        scenarios=[scen("s1", "Requirements", "S1/INF", "to", "P1")],
    )
    errors = errors_of(path, "s1")
    assert len(errors) == 1 and errors[0].startswith(
        "Profile!C2: scenario 's1' (not so in base: its override at Scenarios!E2 makes it): "
        "Profile row P2 of S1/INF lies outside the line's window P1"
    ), errors
    api.read(path)  # base is valid
    book = load_workbook(path)
    pledges = book["Pledges"]
    (units,) = [c for c in pledges[1] if c.value == "units"]
    pledges.cell(row=3, column=units.column, value="x")
    book.save(path)
    errors = errors_of(path, "s1")
    assert len(errors) == 2, errors
    assert any(e.startswith(f"Pledges!{units.column_letter}3: units must be") for e in errors)
    assert any(e.startswith("Profile!C2: scenario 's1' (not so in base") for e in errors)


def test_a_base_error_whose_did_you_mean_a_scenario_changes_is_base_s(tmp_path: Path) -> None:
    """Base's pledge names ZZA, no contributor; scenario x adds contributor ZZB, so its error
    at the same cell ends `(did you mean 'ZZB'?)`. Matched by message, it was called the
    scenario's doing and `validate` listed the cell twice (review): matched by cell, base's."""
    from solver.io.read import read_every_scenario

    path = simple_case(
        tmp_path / "a.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "ZZA", "capability": "INF", "units": 1},
        ],
        scenarios=[scen("x", "Contributors", "ZZB", "name", "Zed")],
    )
    (in_x,) = errors_of(path, "x")
    assert in_x.startswith("Pledges!A3: contributor 'ZZA' is not on the Contributors sheet")
    with pytest.raises(InputError) as info:
        read_every_scenario(path)
    assert [e.where for e in info.value.errors] == ["Pledges!A3"]


def test_a_scenario_s_own_error_at_a_cell_base_has_another_error_at_is_kept(
    tmp_path: Path,
) -> None:
    """Base: S1/INF from P4 to P2 (an error at its `from` cell); scenario x drops Periods P4,
    an error of its own at the same cell. `validate` (every scenario) says both (second
    review: matched by cell alone, the scenario's was dropped)."""
    from solver.io.read import read_every_scenario

    path = simple_case(
        tmp_path / "a.xlsx",
        periods=[{"period": f"P{i}"} for i in (1, 2, 3, 4)],
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "from": "P4", "to": "P2"}],
        scenarios=[scen("x", "Periods", "P4", "drop")],
    )
    with pytest.raises(InputError) as info:
        read_every_scenario(path)
    said = [str(e) for e in info.value.errors]
    assert len(said) == 2, said
    assert "from 'P4' is after to 'P2'" in said[0]
    assert "scenario 'x' drops Periods P4" in said[1]
