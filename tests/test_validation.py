"""Bad input: every problem listed as Sheet!Cell, exit 2, nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError, UsageError

from .workbooks import simple_case, write_workbook


def errors_of(path: Path, scenario: str = "base") -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path, scenario)
    return [str(e) for e in info.value.errors]


def test_clean_workbook_reads(tmp_path: Path) -> None:
    data = api.read(simple_case(tmp_path / "ok.xlsx"))
    assert list(data.contributors["contributor"]) == ["A", "B"]
    assert data.settings["time_limit"] == 60


def test_every_error_reported_at_once_with_cells(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "bad.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": "two"},
            {"site": "Nowhere", "capability": "INF", "units": 1},
            {"site": "S2", "capability": "INF", "units": 1.5, "priority": 12},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": -1},
            {"contributor": "B", "capability": "INFF", "units": 1},
        ],
    )
    errors = errors_of(path)
    assert "Requirements!C2: units must be a whole number >= 0, got 'two'" in errors
    assert "Requirements!A3: site 'Nowhere' is not on the Sites sheet" in errors
    assert "Requirements!C4: units must be a whole number >= 0, got 1.5" in errors
    assert "Requirements!D4: priority must be a whole number from 1 to 9, got 12" in errors
    assert "Pledges!C2: units must be a whole number >= 0, got -1" in errors
    assert (
        "Pledges!B3: capability 'INFF' is not on the Capabilities sheet (did you mean 'INF'?)"
        in errors
    )
    assert len(errors) == 6


def test_na_is_a_valid_code_not_a_blank(tmp_path: Path) -> None:
    """pandas would turn the text NA (Namibia) into NaN; forcegen keeps it."""
    path = simple_case(
        tmp_path / "na.xlsx",
        contributors=[{"contributor": "NA"}, {"contributor": "B"}],
        pledges=[{"contributor": "NA", "capability": "INF", "units": 1}],
    )
    data = api.read(path)
    assert "NA" in set(data.contributors["contributor"])
    assert list(data.pledges["contributor"]) == ["NA"]


def test_duplicate_keys_and_headers(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "dup.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "A", "capability": "INF", "units": 2},
        ],
    )
    wb = load_workbook(path)
    wb["Sites"]["G1"] = "Country"
    wb.save(path)
    errors = errors_of(path)
    assert any(e.startswith("Pledges!A3: duplicate contributor/capability 'A/INF'") for e in errors)
    assert any(e.startswith("Sites!G1: column 'Country' appears twice") for e in errors)


@pytest.mark.parametrize("blank_first", [True, False])
def test_a_blank_caveat_id_whose_default_is_taken_says_so(
    tmp_path: Path, blank_first: bool
) -> None:
    """A blank caveat id is `C<row number>` (the contract's default): a blank id in row 2
    beside a typed 'C2' in row 3 (or the other way round) is a duplicate, said as the blank
    id's default, not as if the planner had typed 'C2' twice."""
    typed = {"id": "C2" if blank_first else "C3", "contributor": "A", "caveat": "max_units"}
    blank = {"id": None, "contributor": "B", "caveat": "max_units"}
    rows = [blank, typed] if blank_first else [typed, blank]
    path = simple_case(tmp_path / "ids.xlsx", caveats=[r | {"value": 2} for r in rows])
    errors = errors_of(path)
    if blank_first:
        assert errors == [
            "Caveats!A3: duplicate id 'C2': row 2's id is blank, so it is 'C2' by default; "
            "give one of the two rows another id"
        ]
    else:
        assert errors == [
            "Caveats!A3: duplicate id 'C3': this row's id is blank, so it is 'C3' by default, "
            "as row 2's is; give one of the two rows another id"
        ]


@pytest.mark.parametrize("blank_first", [True, False])
def test_a_blank_caveat_id_beside_a_row_with_a_bad_cell_is_still_a_duplicate(
    tmp_path: Path, blank_first: bool
) -> None:
    """As above, but the first row's `value` cell is 'two' (an error, and the row is dropped):
    the second row's id still repeats the first's (its typed 'C2', or the blank id's default
    'C3' beside a typed 'C3'), and every problem is said at once, not the duplicate only after
    the bad cell is mended."""
    typed = {"id": "C2" if blank_first else "C3", "contributor": "A", "caveat": "max_units"}
    blank = {"id": None, "contributor": "B", "caveat": "max_units"}
    first, second = (blank, typed) if blank_first else (typed, blank)
    path = simple_case(
        tmp_path / "ids.xlsx", caveats=[first | {"value": "two"}, second | {"value": 2}]
    )
    errors = errors_of(path)
    assert errors[0] == "Caveats!J2: value must be a number, got 'two'"
    if blank_first:
        assert errors[1:] == [
            "Caveats!A3: duplicate id 'C2': row 2's id is blank, so it is 'C2' by default "
            "(row 2 has an error of its own, said at its cell); give one of the two rows another id"
        ]
    else:
        assert errors[1:] == [
            "Caveats!A3: duplicate id 'C3': this row's id is blank, so it is 'C3' by default, "
            "as row 2's is (row 2 has an error of its own, said at its cell); give one of the two rows "
            "another id"
        ]


def one_site(path: Path, lines: list[tuple[str, object]], pledges: Sequence[dict] = ()) -> Path:
    """Contributor A, capability INF, site S1; Requirements rows (site, units) of INF at
    priority 1; Pledges `pledges` and A's 1 INF."""
    return write_workbook(
        path,
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X"}],
        requirements=[
            {"site": site, "capability": "INF", "units": units, "priority": 1}
            for site, units in lines
        ],
        pledges=[*pledges, {"contributor": "A", "capability": "INF", "units": 1}],
    )


def test_a_key_of_two_columns_repeating_a_row_with_a_bad_cell_is_a_duplicate(
    tmp_path: Path,
) -> None:
    """Requirements row 2 (S1/INF, units 'two') and Pledges row 2 (A/INF, units 'x') are
    dropped for their bad cells; the rows 3 repeating their keys are duplicates, said in the
    same run (else they came only once the bad cells were mended)."""
    path = one_site(
        tmp_path / "keys.xlsx",
        [("S1", "two"), ("S1", 1)],
        [{"contributor": "A", "capability": "INF", "units": "x"}],
    )
    assert errors_of(path) == [
        "Requirements!C2: units must be a whole number >= 0, got 'two'",
        "Requirements!A3: duplicate site/capability 'S1/INF' (also at row 2, which has an "
        "error of its own, said at its cell); merge or delete one of the rows",
        "Pledges!C2: units must be a whole number >= 0, got 'x'",
        "Pledges!A3: duplicate contributor/capability 'A/INF' (also at row 2, which has an "
        "error of its own, said at its cell); merge or delete one of the rows",
    ]


def test_a_two_column_key_repeating_a_dropped_row_by_case_is_a_duplicate(
    tmp_path: Path,
) -> None:
    """The dropped row names `s1` (read as S1, as any reference differing by case is): the
    kept S1/INF repeats it."""
    path = one_site(tmp_path / "keys.xlsx", [("s1", "two"), ("S1", 1)])
    assert (
        "Requirements!A3: duplicate site/capability 'S1/INF' (also at row 2, which has an error "
        "of its own, said at its cell); merge or delete one of the rows"
    ) in errors_of(path)


def test_three_rows_of_one_key_after_a_dropped_one_get_one_error_each(tmp_path: Path) -> None:
    """Row 2 dropped (units 'two'), rows 3 and 4 kept, all S1/INF: row 4 got two errors at its
    one cell ("also at row 2" and "first at row 3"); one each now."""
    path = one_site(tmp_path / "keys.xlsx", [("S1", "two"), ("S1", 1), ("S1", 2)])
    errors = errors_of(path)
    assert [e.split(":")[0] for e in errors] == [
        "Requirements!C2",
        "Requirements!A3",
        "Requirements!A4",
    ]


def test_an_unreadable_caveat_id_is_not_read_as_blank(tmp_path: Path) -> None:
    """A dropped row whose id cell is a date is not blank: its id is no default `C<row>`, so a
    row typing that id repeats nothing (the duplicate said would vanish once the date is
    retyped as another id)."""
    path = simple_case(
        tmp_path / "ids.xlsx",
        caveats=[
            {"id": dt.datetime(2027, 1, 1), "contributor": "A", "caveat": "max_units", "value": 2},
            {"id": "C2", "contributor": "B", "caveat": "max_units", "value": 2},
        ],
    )
    assert errors_of(path) == [
        "Caveats!A2: id must be text, got a date/time 2027-01-01; format the cell as text"
    ]


def test_missing_sheet_and_column(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "miss.xlsx")
    wb = load_workbook(path)
    del wb["Pledges"]
    wb["Requirements"]["C1"] = "qty"
    wb.save(path)
    errors = errors_of(path)
    assert any("sheet 'Pledges' is missing" in e for e in errors)
    assert any(e.startswith("Requirements!1:1: required column 'units' is missing") for e in errors)


@pytest.mark.parametrize("sheet", ["Sites", "Contributors", "Capabilities"])
def test_a_missing_sheet_is_one_error_not_one_per_name(tmp_path: Path, sheet: str) -> None:
    """A trial deleted the Sites sheet and got 8 more errors (`site 'Kyiv' is not on the Sites
    sheet`, one per Requirements row) and warnings (`country 'UKR' matches nothing (known:
    none)`): names in other sheets are not checked against a sheet that is missing."""
    path = simple_case(
        tmp_path / "miss.xlsx",
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "exclude", "country": "X"},
            {"id": "K2", "contributor": "A", "caveat": "no_weakening"},  # no site in country A
        ],
    )
    wb = load_workbook(path)
    del wb[sheet]
    wb.save(path)
    with pytest.raises(InputError) as caught:
        api.read(path)
    assert [str(e) for e in caught.value.errors] == [
        f"miss.xlsx: sheet '{sheet}' is missing (sheets found: "
        + ", ".join(wb.sheetnames)
        + "); `forcegen template NEW.xlsx` writes every sheet with its columns"
    ]
    assert caught.value.warnings == []


def test_names_match_case_insensitively(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "case.xlsx")
    wb = load_workbook(path)
    wb["Pledges"].title = " pledges "
    wb[" pledges "]["C1"] = " UNITS"
    wb.save(path)
    assert len(api.read(path).pledges) == 2


def test_uncalculated_formula_and_error_value(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "formula.xlsx")
    wb = load_workbook(path)
    wb["Pledges"]["C2"] = "=1+1"  # openpyxl writes no cached value
    wb.save(path)
    errors = errors_of(path)
    assert any(e.startswith("Pledges!C2: formula =1+1 has no calculated value") for e in errors)


def test_caveat_checks(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "cav.xlsx",
        caveats=[
            {"contributor": "A", "caveat": "max_unit", "value": 1},
            {"contributor": "A", "caveat": "max_units"},
            {"contributor": "A", "caveat": "requires"},
            {"contributor": "A", "caveat": "exclude", "category": "grond"},
            {"contributor": "A", "caveat": "min_contingent", "value": -1},
        ],
    )
    errors = errors_of(path)
    assert any(
        e.startswith("Caveats!C2: caveat must be one of") and "did you mean 'max_units'" in e
        for e in errors
    )
    assert "Caveats!J3: caveat max_units needs a value (a number >= 0)" in errors
    assert "Caveats!I4: caveat requires needs the other contributor in 'other'" in errors
    assert "Caveats!J6: value for min_contingent must be a number >= 0, got -1" in errors
    assert not any(e.startswith("Caveats!E5") for e in errors)  # a filter value is no key


def test_settings_validated(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "set.xlsx")
    write_workbook  # noqa: B018 - documented helper used elsewhere
    wb = load_workbook(path)
    ws = wb["Settings"]
    ws.append(["time_limt", 5])
    ws.append(["mip_gap", "lots"])
    wb.save(path)
    errors = errors_of(path)
    assert "Settings!A2: unknown setting 'time_limt' (did you mean 'time_limit'?)" in errors
    assert "Settings!B3: mip_gap must be a number from 0 to 1, got 'lots'" in errors


def test_a_time_limit_of_nothing_is_read_with_a_warning_and_refused_by_solve(
    tmp_path: Path,
) -> None:
    """time_limit 0 is read (the contract gives it no range) with a warning at its cell, since
    a solve by it would have no time; solve refuses it, unless --time-limit
    or a work_limit (with which the sheet's time_limit does not apply) is given."""
    path = simple_case(tmp_path / "set.xlsx")
    wb = load_workbook(path)
    wb["Settings"].append(["time_limit", 0])
    wb.save(path)
    warned = [str(w) for w in api.read(path).warnings]
    assert (
        "warning: Settings!B2: time_limit 0 leaves a solve no time: solve refuses it unless "
        "--time-limit or a work_limit is given; give a time above 0"
    ) in warned
    with pytest.raises(UsageError, match=r"time_limit is 0 \(the Settings sheet's, or the"):
        api.solve(path)
    assert api.solve(path, time_limit=5).status == "optimal"
    assert api.solve(path, work_limit=5).status == "optimal"
    wb["Settings"].append(["work_limit", 5])
    wb.save(path)
    assert not [w for w in api.read(path).warnings if "time_limit" in str(w)]


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = simple_case(tmp_path / "good.xlsx")
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    bad = simple_case(
        tmp_path / "bad.xlsx", pledges=[{"contributor": "Z", "capability": "INF", "units": 1}]
    )
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "Pledges!A2: contributor 'Z' is not on the Contributors sheet" in result.output
    assert "Traceback" not in result.output
    # validate never writes: it says how many problems, not "nothing was written"
    assert result.output.splitlines()[-1] == "1 problem found."


def test_solve_invalid_input_writes_nothing(tmp_path: Path) -> None:
    bad = simple_case(
        tmp_path / "bad.xlsx", pledges=[{"contributor": "A", "capability": "INF", "units": "x"}]
    )
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["solve", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (
            b"contributor,name\nFRA,France\n",
            "not an Excel workbook (it looks like plain text or CSV)",
        ),
        (b"PK\x03\x04garbage", "damaged or truncated"),
    ],
)
def test_not_a_workbook(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    errors = errors_of(path)
    assert any(message in e for e in errors), errors


def test_unknown_scenario_is_usage_error(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "s.xlsx")
    result = CliRunner().invoke(
        main, ["solve", str(path), "--scenario", "nope", "-o", str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 2
    assert "scenario 'nope' is not in the Scenarios sheet" in result.output


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
