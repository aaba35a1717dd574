"""Bad input, caveats and scenarios: filter values that match nothing (warnings), columns
typed as keys, a scenario's errors beside the base case's, a row with an error that still
holds its filter values; every problem listed as Sheet!Cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .validation_case import errors_of
from .workbooks import simple_case


def test_warnings_for_cells_a_caveat_ignores_and_keys_a_scenario_adds(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "w.xlsx",
        caveats=[{"contributor": "A", "caveat": "exclude", "other": "B", "value": 3}],
        scenarios=[
            {
                "scenario": "x",
                "sheet": "Contributors",
                "key": "AA",
                "column": "status",
                "value": "unavailable",
            }
        ],
    )
    warnings = [str(w) for w in api.read(path, "x").warnings]
    assert (
        "warning: Caveats!I2: scenario 'x': caveat exclude does not use 'other'; the cell is "
        "ignored (clear it, or choose requires / not_with)"
    ) in warnings
    assert (
        "warning: Caveats!J2: scenario 'x': caveat exclude takes no value; the cell is ignored "
        "(clear it)"
    ) in warnings
    assert (
        "warning: Scenarios!C2: scenario 'x' adds a Contributors row 'AA' (no row has that "
        "key) (did you mean 'A'?)"
    ) in warnings


def test_a_rejected_row_still_defines_its_key(tmp_path: Path) -> None:
    """One bad cell is one error: the pledges naming that contributor are not errors too."""
    path = simple_case(
        tmp_path / "k.xlsx",
        contributors=[{"contributor": "A", "status": "no"}, {"contributor": "B"}],
    )
    assert errors_of(path) == [
        "Contributors!F2: status must be one of available, unavailable, got 'no'"
    ]


def test_output_must_be_xlsx(tmp_path: Path) -> None:
    src = simple_case(tmp_path / "c.xlsx")
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "must be an .xlsx workbook" in result.output
    assert not (tmp_path / "out.csv").exists()


def test_filter_values_that_match_nothing_are_warnings(tmp_path: Path) -> None:
    """Contract: category, zone and country are text filters, not keys. A standing caveat on
    something this operation lacks is read (warning, with the did-you-mean) and applies to no
    allocation; a value differing only by case is taken as the one that exists."""
    path = simple_case(
        tmp_path / "filters.xlsx",
        caveats=[
            {"contributor": "A", "caveat": "exclude", "category": "air"},
            {"contributor": "A", "caveat": "exclude", "zone": "frnt"},
            {"contributor": "B", "caveat": "exclude", "country": "UKR"},
            {"contributor": "B", "caveat": "max_units", "zone": "REAR", "value": 1},
        ],
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: Caveats!E2: category 'air' matches nothing on the Capabilities sheet (known: "
        "ground); the caveat applies to no allocation"
    ) in result.output
    assert (
        "warning: Caveats!G3: zone 'frnt' matches nothing on the Sites sheet (did you mean "
        "'front'?); the caveat applies to no allocation"
    ) in result.output
    assert (
        "warning: Caveats!H4: country 'UKR' matches nothing on the Sites sheet (known: X, Y); "
        "the caveat applies to no allocation"
    ) in result.output
    assert (
        "warning: Caveats!G5: zone 'REAR' taken as 'rear' (case differs; write 'rear' to silence "
        "this warning)"
    ) in result.output
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Caveats!E2: category 'air' matches nothing" in result.output
    wb = load_workbook(out, read_only=True)
    allocation = list(wb["Allocation"].iter_rows(min_row=2, values_only=True))
    caveats = {r[0]: r for r in wb["Caveats"].iter_rows(values_only=True)}
    wb.close()
    # the three excludes forbid nothing: both contributors fill both sites' 4 units; B's
    # max_units 1 in zone 'rear' (S2) binds, so A sends 3 (2 to S1, 1 to S2) and B 1 to S2
    placed = {(r[0], r[2]): r[3] for r in allocation}
    assert sum(placed.values()) == 4
    assert placed.get(("B", "S2"), 0) <= 1
    binding_col = list(caveats["id"]).index("binding")
    assert [caveats[c][binding_col] for c in ("C2", "C3", "C4")] == ["no", "no", "no"]


def test_a_filter_matching_nothing_says_what_it_does_to_its_kind(tmp_path: Path) -> None:
    """`only category=air` with no air: A may be sent nowhere (simple_case: A then sends 0 of
    its 4 units and the 4 required units are filled by B's 2 only, shortfall 2); `min_units
    category=air 1`: nothing can count, so the plan is infeasible. The warning says so instead of
    "applies to no allocation"."""
    only = simple_case(
        tmp_path / "only.xlsx", caveats=[{"contributor": "A", "caveat": "only", "category": "air"}]
    )
    result = CliRunner().invoke(main, ["validate", str(only)])
    assert result.exit_code == 0, result.output
    assert "this `only` row allows nothing" in result.output
    assert "applies to no allocation" not in result.output
    commit = simple_case(
        tmp_path / "min.xlsx",
        caveats=[{"contributor": "A", "caveat": "min_units", "category": "air", "value": 1}],
    )
    result = CliRunner().invoke(main, ["validate", str(commit)])
    assert "with a value above 0 the plan is infeasible" in result.output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("capability", "AIR", "Caveats!D2: capability 'AIR' is not on the Capabilities sheet"),
        ("site", "S9", "Caveats!F2: site 'S9' is not on the Sites sheet"),
        ("other", "Z", "Caveats!I2: other 'Z' is not on the Contributors sheet"),
    ],
)
def test_caveat_columns_typed_as_keys_must_exist(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    """The contract types capability, site and other as keys ("key of Sites"): a key that
    does not exist stays an error (a scenario dropping a site drops the caveats naming it)."""
    path = simple_case(
        tmp_path / "k.xlsx", caveats=[{"contributor": "A", "caveat": "not_with", column: value}]
    )
    assert any(e.startswith(message) for e in errors_of(path))


def test_a_blank_category_beside_a_named_one_is_read(tmp_path: Path) -> None:
    """One capability with a category and one without (blank, read as NaN): validation used to
    stop with an internal TypeError sorting the categories a caveat filter may name."""
    path = simple_case(
        tmp_path / "blank_category.xlsx",
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "MED", "personnel_per_unit": 20},
        ],
        caveats=[{"contributor": "A", "caveat": "exclude", "category": "air"}],
    )
    data = api.read(path)
    assert any("air" in str(w) for w in data.warnings)  # the filter that matches nothing


def test_a_scenario_error_is_reported_with_the_base_cases(tmp_path: Path) -> None:
    """`validate` checks every scenario; an invalid base case does not hide the Scenarios
    sheet's own errors (the planner would fix the base, run again and meet a new one), and
    each base error is said once, not again for every scenario."""
    path = simple_case(
        tmp_path / "both.xlsx",
        sites=[
            {"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 200, "lon": 1},
        ],
        scenarios=[
            {
                "scenario": "more",
                "sheet": "Requirements",
                "key": "S1/INF",
                "column": "units",
                "value": "four",
            },
            {
                "scenario": "other",
                "sheet": "Pledges",
                "key": "A/INF",
                "column": "units",
                "value": 3,
            },
            {"scenario": "typo", "sheet": "Contributers", "key": "B", "column": "lat", "value": 3},
        ],
    )
    with pytest.raises(InputError) as info:
        api.check(path)
    assert [str(e) for e in info.value.errors] == [
        "Sites!D3: lat must be a number from -90 to 90, got 200",
        "Scenarios!E2: scenario 'more': units must be a whole number >= 0, got 'four'",
        "Scenarios!B4: scenario 'typo': sheet 'Contributers' cannot be changed (one of "
        "Contributors, Capabilities, Sites, Requirements, Pledges, Caveats, Settings, Periods, "
        "Profile) (did you mean 'Contributors'?)",
    ]


def test_a_missing_sheet_brings_no_knock_on_errors_of_the_scenarios(tmp_path: Path) -> None:
    """Contributors is missing: that one error, and the Scenarios sheet's own error of a row
    that does not touch it, but none of the errors a scenario meets only because the sheet is
    missing (dropping contributor B: 'no Contributors row'; every pledge's contributor unknown
    once a scenario makes the sheet from its one row)."""
    path = simple_case(
        tmp_path / "gone.xlsx",
        scenarios=[
            {"scenario": "b_out", "sheet": "Contributors", "key": "B", "column": "drop"},
            {
                "scenario": "b_far",
                "sheet": "Contributors",
                "key": "B",
                "column": "lat",
                "value": 10,
            },
            {
                "scenario": "more",
                "sheet": "Requirements",
                "key": "S1/INF",
                "column": "units",
                "value": "four",
            },
        ],
    )
    wb = load_workbook(path)
    del wb["Contributors"]
    wb.save(path)
    with pytest.raises(InputError) as info:
        api.check(path)
    said = [str(e) for e in info.value.errors]
    assert len(said) == 2, said
    assert said[0].startswith("gone.xlsx: sheet 'Contributors' is missing")
    assert said[1] == "Scenarios!E4: scenario 'more': units must be a whole number >= 0, got 'four'"


def test_a_row_with_an_error_still_holds_its_filter_values(tmp_path: Path) -> None:
    """The only site of zone 'rear' has a bad latitude: its error is reported, and an `only`
    caveat naming zone 'rear' is not also said to match nothing (a knock-on of the error)."""
    path = simple_case(
        tmp_path / "zone.xlsx",
        sites=[
            {"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0},
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 200, "lon": 1},
        ],
        caveats=[{"contributor": "A", "caveat": "only", "zone": "rear"}],
    )
    with pytest.raises(InputError) as info:
        api.read(path)
    assert [str(e) for e in info.value.errors] == [
        "Sites!D3: lat must be a number from -90 to 90, got 200"
    ]
    assert not [w for w in info.value.warnings if "matches nothing" in str(w)]


def test_a_yes_no_cell_is_shown_as_excel_shows_it(tmp_path: Path) -> None:
    """A status typed as FALSE: the message says FALSE (as Excel shows it and as the number
    columns' messages say it), not Python's False."""
    contributors = [
        {"contributor": "A", "lat": 0, "lon": 0, "status": False},
        {"contributor": "B", "lat": 0, "lon": 1},
    ]
    with pytest.raises(InputError) as caught:
        api.read(simple_case(tmp_path / "w.xlsx", contributors=contributors))
    assert [str(e) for e in caught.value.errors] == [
        "Contributors!F2: status must be one of available, unavailable, got FALSE"
    ]
