"""Validating every scenario reads the workbook once (issue #12: `validate` was quadratic in
scenarios), and reports each scenario's errors at the same cells as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import solver.io.excel as excel
from solver import api
from solver.cli import main
from solver.errors import InputError

from .test_scenarios import case, scen
from .workbooks import simple_case


def count_workbook_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every opening of the workbook by the reader (`open_workbook`, which parses it with
    openpyxl), with the path it opened."""
    opened: list[Path] = []
    real = excel.open_workbook

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(getattr(source, "name", source)))  # a path, or an open file
        return real(source, *args, **kwargs)

    monkeypatch.setattr(excel, "open_workbook", counting)
    return opened


def test_validate_parses_the_workbook_once_for_many_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [scen(f"s{i}", "Pledges", "A/INF", "units", i % 3) for i in range(30)]
    path = case(tmp_path, *rows)
    opened = count_workbook_parses(monkeypatch)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "scenarios: base, s0, s1," in result.output
    assert "s8 and 21 more; " in result.output  # 31 names: the first ten, then a count
    assert opened == [path]


def test_check_parses_the_workbook_once_also_when_scenarios_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [scen(f"s{i}", "Pledges", "A/INF", "units", -i) for i in range(1, 11)]
    path = case(tmp_path, *rows)
    opened = count_workbook_parses(monkeypatch)
    with pytest.raises(InputError) as info:
        api.check(path)
    assert len(info.value.errors) == 10
    assert opened == [path]


# Scenarios that touch the same rows in conflicting ways: a scenario must see the workbook as
# written, never what an earlier scenario made of it.
SCENARIOS = [
    scen("drop_b", "Contributors", "B", "drop"),
    scen("drop_b", "Pledges", "A/INF", "units", "two"),
    scen("uses_b", "Pledges", "B/INF", "units", -1),  # B's pledge is still there
    scen("uses_b", "Caveats", "C1", "value", "x"),  # C1 (B's) is still there
    scen("new_row", "Pledges", "C/INF", "units", 1),  # adds a pledge of an unknown contributor
    scen("clean", "Pledges", "A/INF", "units", 1),
    scen("no_s1", "Sites", "S1", "drop"),
    scen("no_s1", "Requirements", "S1/INF", "units", 3),  # added back for a dropped site
    scen("bad_col", "Sites", "S2", "colour", "red"),
    scen("after", "Contributors", "B", "status", "sometimes"),  # B exists again
]

# What `api.check` reported for SCENARIOS before the workbook was read once (each scenario
# read on its own): the same errors at the same cells, in the same order.
EXPECTED = [
    "Scenarios!E3: scenario 'drop_b': units must be a whole number >= 0, got 'two'",
    "Scenarios!E4: scenario 'uses_b': units must be a whole number >= 0, got -1",
    "Scenarios!E5: scenario 'uses_b': value must be a number, got 'x'",
    "Scenarios!C6: scenario 'new_row' (Pledges C/INF): contributor 'C' is not on the Contributors "
    "sheet",
    "Scenarios!C9: scenario 'no_s1' (Requirements S1/INF): site 'S1' is not on the Sites sheet",
    "Scenarios!D10: scenario 'bad_col': Sites has no column 'colour' (did you mean 'country'?)",
    "Scenarios!E11: scenario 'after': status must be one of available, unavailable, got "
    "'sometimes'",
]


def test_every_scenario_error_is_reported_at_its_cell_as_before(tmp_path: Path) -> None:
    path = case(tmp_path, *SCENARIOS)
    with pytest.raises(InputError) as info:
        api.check(path)
    errors = [str(e) for e in info.value.errors]
    assert errors == EXPECTED
    one_by_one = []
    for name in api.read(path).scenarios:
        try:
            api.read(path, name)
        except InputError as exc:
            one_by_one += [str(e) for e in exc.errors]
    assert errors == one_by_one


def test_a_scenario_names_a_caveat_whose_id_is_blank_by_its_default(tmp_path: Path) -> None:
    """Caveats whose `id` cells are blank read as C<row> (workbook.md): rows 2, 3, 4 are C2, C3,
    C4. A scenario setting C3's value and dropping C4 names those rows; it added a second C3
    (refused as a duplicate, 'as row 0's is') and found no C4 to drop."""
    caveats = [
        {"contributor": "B", "caveat": "max_units", "value": 2},
        {"contributor": "A", "caveat": "max_units", "value": 2},
        {"contributor": "A", "caveat": "requires", "other": "B"},
    ]
    rows = [scen("s", "Caveats", "C3", "value", 1), scen("s", "Caveats", "C4", "drop")]
    path = simple_case(tmp_path / "case.xlsx", caveats=caveats, scenarios=rows)
    base, changed = api.read(path), api.read(path, "s")
    assert list(base.caveats["id"]) == ["C2", "C3", "C4"]
    assert list(changed.caveats["id"]) == ["C2", "C3"]
    assert dict(zip(changed.caveats["id"], changed.caveats["value"], strict=True)) == {
        "C2": 2,
        "C3": 1,
    }
    assert not [w for w in changed.warnings if "adds a Caveats row" in str(w)]


def test_a_scenarios_sheet_without_its_columns_is_said_at_its_header(tmp_path: Path) -> None:
    """A Scenarios sheet headed `scenario, status` (a comparison output's, validated by
    mistake): each missing column once, at the header, not `sheet is required` at every row
    as `Scenarios!2:2` (a trial)."""
    from openpyxl import load_workbook

    path = simple_case(tmp_path / "s.xlsx")
    book = load_workbook(path)
    sheet = book.create_sheet("Scenarios")
    sheet.append(["scenario", "status"])
    sheet.append(["base", "optimal"])
    sheet.append(["surge", "optimal"])
    book.save(path)
    with pytest.raises(InputError) as info:
        api.read(path)
    errors = [str(e) for e in info.value.errors]
    assert [e.split(" (columns found")[0] for e in errors] == [
        f"Scenarios!1:1: required column '{c}' is missing" for c in ("sheet", "key", "column")
    ]


def test_a_yes_no_cell_as_a_scenario_or_setting_name_reads_as_excel_shows_it(
    tmp_path: Path,
) -> None:
    """A scenario named TRUE (Excel stores it as a yes/no value) was read as `True`, so
    `solve -s TRUE` did not find it; a setting typed FALSE was `unknown setting 'False'`."""
    from openpyxl import load_workbook

    path = case(tmp_path, scen(True, "Pledges", "A/INF", "units", 1))
    book = load_workbook(path)
    book["Settings"].append([False, 5])
    book.save(path)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "Settings!A2: unknown setting 'FALSE'" in result.output
    book["Settings"].delete_rows(2)
    book.save(path)
    assert api.read(path, "TRUE").scenario == "TRUE"
