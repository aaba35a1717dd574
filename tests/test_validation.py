"""Bad input: every problem listed as Sheet!Cell, exit 2, nothing written (sheets and columns,
formulas, settings, the command line's exit codes, files that are no workbook)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError, UsageError

from .validation_case import errors_of
from .workbooks import simple_case, write_workbook


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


@pytest.mark.parametrize(("gap", "warned"), [(1, True), (0.1, True), (0.05, False)])
def test_a_large_mip_gap_is_read_with_a_warning(tmp_path: Path, gap: float, warned: bool) -> None:
    """mip_gap 1 is legal (the contract's range is 0..1), but a planner who typed it meant 1%:
    each stage may then stop at a plan 100% above its bound, said optimal (a trial: a plan
    16.5% dearer). From 0.1 on it is read with a warning at its cell; 0.05 is read quietly."""
    path = simple_case(tmp_path / "gap.xlsx")
    wb = load_workbook(path)
    wb["Settings"].append(["mip_gap", gap])
    wb.save(path)
    said = [str(w) for w in api.read(path).warnings if "mip_gap" in w.message]
    # relative to the plan's value, as HiGHS's: a plan up to g / (1 - g) above its bound
    extent = {1: "any plan at all", 0.1: "a plan up to 11.1% above its bound"}.get(gap, "")
    expected = (
        f"warning: Settings!B2: mip_gap {gap:g} lets each stage stop where its bound is "
        f"{100 * gap:g}% below the plan's value, so {extent} is said optimal (unless --mip-gap "
        "gives another): the gap is a share, 1% is 0.01; give it as one if that was meant"
    )
    assert said == ([expected] if warned else [])
    message = dict(api.solve(path).tables.summary)["message"]
    of = f" of {100 * gap:g}%: {extent} may be said optimal" if warned else ""
    assert message == f"optimal at every stage (within the MIP gap){of}"


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


def test_a_date_cell_beyond_the_calendar_is_said_so_with_no_library_warning(
    tmp_path: Path,
) -> None:
    """A cell formatted as a date holding 1e+300: openpyxl reads it as #VALUE! and warned on
    stderr, with its own file path, as the rows were read (outside the reader's silencing).
    Now: no warning, and the error says it is a date cell."""
    import warnings

    path = simple_case(tmp_path / "date.xlsx")
    wb = load_workbook(path)
    wb["Pledges"]["C2"] = 1e300
    wb["Pledges"]["C2"].number_format = "yyyy-mm-dd"
    wb.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        errors = errors_of(path)
    assert errors == [
        "Pledges!C2: Excel error value #VALUE! in a date cell (a formula's error, or a number "
        "beyond the dates Excel knows); fix the formula or type the date"
    ]
    assert not [w for w in caught if "openpyxl" in w.filename]


def test_an_index_error_of_forcegen_s_own_reading_is_no_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An IndexError from openpyxl's parser is a damaged sheet (a shared string past the end:
    tests/corpus); one from forcegen's own reading code is its fault, an internal error, never
    blamed on the planner's file."""
    from solver.io import excel

    def faulty(*args: object, **kwargs: object) -> None:
        raise IndexError("forcegen's own")

    monkeypatch.setattr(excel, "_read_sheet", faulty)
    with pytest.raises(IndexError, match="forcegen's own"):
        api.read(simple_case(tmp_path / "ok.xlsx"))


def test_numbers_typed_as_text_are_read_with_one_warning_per_column(tmp_path: Path) -> None:
    """Pledges!C2 `'2 '` and C3 `'2'` (numbers stored as text, as a paste or an apostrophe makes
    them): read as 2, as a key with a stray space is read, and said once for the column at its
    first cell (a trial: accepted silently, while Excel's own sums of the sheet skip them). A
    scenario's value `'3'` is not warned: the Scenarios value column holds text and numbers
    alike."""
    path = simple_case(tmp_path / "text.xlsx")
    wb = load_workbook(path)
    wb["Pledges"]["C2"], wb["Pledges"]["C3"] = "2 ", "2"
    scenarios = wb.create_sheet("Scenarios")
    scenarios.append(["scenario", "sheet", "key", "column", "value"])
    scenarios.append(["more", "Pledges", "A/INF", "units", "3"])
    wb.save(path)
    data = api.read(path)
    assert data.pledges["units"].tolist() == [2, 2]
    assert [str(w) for w in data.warnings] == [
        "warning: Pledges!C2: units '2 ' is a number typed as text (Pledges!C2 and C3); read as "
        "a number, but Excel's sums and pivot tables skip such cells: retype them as numbers"
    ]
    more = api.read(path, scenario="more")  # C2 is the scenario's 3 there: C3 is left
    said = [str(w) for w in more.warnings if "typed as text" in w.message]
    assert len(said) == 1 and said[0].startswith("warning: Pledges!C3: "), said


def test_a_number_refused_in_a_percentage_cell_says_the_cell_is_one(tmp_path: Path) -> None:
    """Pledges!C2 formatted as a percentage, showing 50%: the cell holds 0.5, refused as units
    (a whole number); the error said only `got 0.5`, a number the planner never sees (a new
    planner's trial). It now says the cell is a percentage. The same 0.5 in a plain cell has no
    such note."""
    path = simple_case(tmp_path / "pct.xlsx")
    wb = load_workbook(path)
    wb["Pledges"]["C2"], wb["Pledges"]["C3"] = 0.5, 0.5
    wb["Pledges"]["C2"].number_format = "0%"
    wb.save(path)
    found = errors_of(path)
    assert (
        "Pledges!C2: units must be a whole number >= 0, got 0.5 (the cell is formatted as a "
        "percentage, so 50% holds 0.5: format it as Number)"
    ) in found, found
    assert "Pledges!C3: units must be a whole number >= 0, got 0.5" in found, found


def test_a_percentage_cell_s_error_is_base_s_in_every_scenario(tmp_path: Path) -> None:
    """The same percentage cell in a workbook with a scenario (B's status overridden): one
    error, base's, in validate and in a solve of the scenario; it was said again under the
    scenario, as the scenario's doing (`scenario 's' (not so in base: its override ... makes
    it)`), its percentage note lost: the scenario's copy of the sheets forgot the cell's
    format (a README trial)."""
    from click.testing import CliRunner

    from solver.cli import main

    path = simple_case(
        tmp_path / "pct.xlsx",
        scenarios=[
            {"scenario": "s", "sheet": "Contributors", "key": "B", "column": "status",
             "value": "unavailable"},
        ],
    )  # fmt: skip
    wb = load_workbook(path)
    wb["Pledges"]["C2"] = 0.5
    wb["Pledges"]["C2"].number_format = "0%"
    wb.save(path)
    said = (
        "error: Pledges!C2: units must be a whole number >= 0, got 0.5 (the cell is formatted "
        "as a percentage, so 50% holds 0.5: format it as Number)"
    )
    for argv in (["validate", str(path)], ["solve", str(path), "-s", "s"]):
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 2, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert errors == [said], argv


def test_a_formula_giving_text_is_no_number_typed_as_text(tmp_path: Path) -> None:
    """Pledges!C2 holds `=TEXT(2,"0")` (its calculated value the text 2): read as 2, and not
    warned about as a number typed as text, which would tell the planner to retype it over
    the formula (a review)."""
    import re
    import zipfile

    plain = simple_case(tmp_path / "plain.xlsx")
    sheet = f"xl/worksheets/sheet{load_workbook(plain).sheetnames.index('Pledges') + 1}.xml"
    path = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet:
                cell = '<c r="C2" t="str"><f>TEXT(2,"0")</f><v>2</v></c>'
                data = re.sub(rb'<c r="C2"[^>]*>.*?</c>', cell.encode(), data, count=1)
            out.writestr(item, data)
    data = api.read(path)
    assert data.pledges["units"].tolist() == [2, 2]
    assert not [w for w in data.warnings if "typed as text" in w.message]
