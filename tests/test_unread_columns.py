"""Formulas without a calculated value and Excel error values in columns forcegen does not read:
an ignored column, a private `_` column, a column copied to the output (io/raw_sheet.py,
`RawSheet.use`). Before, each refused the workbook (exit 2) though the docs say those columns are
not read; a contract-valid workbook with a `#N/A` in a planner's own column must be read. In a
column forcegen reads they stay errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .validation_case import errors_of
from .workbooks import simple_case, write_workbook


def _pledges_with_unread_columns(path: Path) -> tuple[Path, str]:
    """simple_case's Pledges with two more columns: `Note` (ignored: the Pledges sheet copies
    nothing) and `_calc` (private), each holding an uncalculated formula in row 2 and an Excel
    error value in row 3 (openpyxl writes `=1+1` without a cached value, `#N/A` as an error)."""
    simple_case(path)
    book = load_workbook(path)
    sheet = book["Pledges"]
    note, calc = sheet.max_column + 1, sheet.max_column + 2
    sheet.cell(1, note, "Note")
    sheet.cell(1, calc, "_calc")
    sheet.cell(2, note, "=1+1")
    sheet.cell(3, note, "#N/A")
    sheet.cell(2, calc, "=2+2")
    sheet.cell(3, calc, "#DIV/0!")
    assert sheet.cell(3, note).data_type == "e" and sheet.cell(2, note).data_type == "f"
    book.save(path)
    return path, sheet.cell(1, note).column_letter


def test_ignored_and_private_columns_are_not_checked_for_formulas(tmp_path: Path) -> None:
    """The workbook reads: its two pledges as declared, and the only word about the columns is
    the ignored one's header warning (`_calc` is private: not said at all)."""
    path, note = _pledges_with_unread_columns(tmp_path / "case.xlsx")
    data = api.read(path)
    assert list(data.pledges["contributor"]) == ["A", "B"]
    said = [str(w) for w in data.warnings]
    assert [w for w in said if "Pledges!" in w] == [
        f"warning: Pledges!{note}1: column 'Note' is not used by forcegen and is ignored"
    ]
    assert not any("_calc" in w or "formula" in w or "#N/A" in w for w in said)


def test_a_declared_column_still_refuses_them(tmp_path: Path) -> None:
    """The same two cells in `units` (a column forcegen reads): an error at each cell."""
    path = simple_case(tmp_path / "case.xlsx")
    book = load_workbook(path)
    book["Pledges"]["C2"] = "=1+1"
    book["Pledges"]["C3"] = "#N/A"
    book.save(path)
    errors = errors_of(path)
    assert any(e.startswith("Pledges!C2: formula =1+1 has no calculated value") for e in errors)
    assert "Pledges!C3: Excel error value #N/A; fix the formula or type the value" in errors


def test_a_copied_caveats_column_copies_the_error_as_text_and_warns_of_the_formula(
    tmp_path: Path,
) -> None:
    """A `Source` column of the planner's own on the Caveats sheet (copied to the output):
    caveat C2's cell holds `#REF!`, C3's an uncalculated formula. The solve runs; the output's
    Caveats sheet shows `#REF!` as text for C2 and a blank for C3, and one warning at the
    header says that C3 is copied as blank and why."""
    src = write_workbook(
        tmp_path / "case.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[{"contributor": c, "capability": "INF", "units": 1} for c in "AB"],
        caveats=[
            {"contributor": "A", "caveat": "max_units", "value": 1, "Source": "x"},
            {"contributor": "B", "caveat": "max_units", "value": 1, "Source": "y"},
        ],
    )
    book = load_workbook(src)
    sheet = book["Caveats"]
    letter = next(c.column_letter for c in sheet[1] if c.value == "Source")
    sheet[f"{letter}2"] = "#REF!"
    sheet[f"{letter}3"] = "=1+1"
    book.save(src)
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Caveats"].iter_rows(values_only=True))
    header = list(rows[0])
    source = {row[0]: row[header.index("Source")] for row in rows[1:]}
    assert source == {"C2": "#REF!", "C3": None}
    assert (
        f"warning: Caveats!{letter}1: column 'Source': Caveats!{letter}3 is a formula with no "
        "calculated value (the file was written by a program, not Excel), copied to the "
        "output's Caveats sheet as blank; open and save the file in Excel to copy the values"
    ) in " ".join(result.output.split())


def test_a_header_shortened_from_a_column_the_sheet_lacks_says_which_and_what_is_read(
    tmp_path: Path,
) -> None:
    """Pledges headed `tour` and `dwell`, Periods `month`: each is ignored, so every pledge
    has no tour limit and no dwell and every period is 1 month; the warning names the column
    meant and what every row then reads (a trial: the workbook was valid, `tour` was asked
    whether it meant `to`, `dwell` got no did-you-mean)."""
    from .time_input_case import timed, warnings

    pledges = [
        {"contributor": c, "capability": "INF", "units": 2, "tour_months": 6, "dwell_months": 6}
        for c in "AB"
    ]
    periods = [{"period": "P1", "months": 3}, {"period": "P2", "months": 3}]
    path = timed(tmp_path, periods=periods, pledges=pledges)
    book = load_workbook(path)
    renamed = {"tour_months": "tour", "dwell_months": "dwell", "months": "month"}
    for sheet in (book["Pledges"], book["Periods"]):
        for cell in sheet[1]:
            cell.value = renamed.get(str(cell.value), cell.value)
    book.save(path)
    said = [w[w.index("column '") :] for w in warnings(path) if "is not used by forcegen" in w]
    assert said == [
        "column 'tour' is not used by forcegen and is ignored (did you mean 'tour_months'? "
        "without it, tour_months is blank (no limit) on every row)",
        "column 'dwell' is not used by forcegen and is ignored (did you mean 'dwell_months'? "
        "without it, dwell_months is 0 on every row)",
        "column 'month' is not used by forcegen and is ignored (did you mean 'months'? without "
        "it, months is 1 on every row)",
    ]
