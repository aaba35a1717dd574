"""A planner's own columns on the Caveats sheet travel to the output's Caveats sheet, which the
contract defines as "the input caveat rows, plus `binding`" (io/copied_columns.py). Before,
they were warned "ignored" and dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from solver.cli import main

from .workbooks import write_workbook


def solve_cli(*args: object) -> Result:
    return CliRunner().invoke(main, ["solve", *(str(a) for a in args)])


def _case(path: Path) -> Path:
    """A and B pledge one INF each for S1's two; A's caveat carries the planner's columns
    `Agreed on` (a date), `Rationale` (text), `Binding` (the output's own name), `_mine` (a
    private column) and, inserted as column A, `Zulu` (a number); a `Remarks` column on the
    Pledges sheet is not one the output repeats."""
    write_workbook(
        path,
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[{"contributor": c, "capability": "INF", "units": 1, "Remarks": "r"} for c in "AB"],
        caveats=[
            {
                "contributor": "A",
                "caveat": "max_units",
                "value": 1,
                "Rationale": "parliamentary mandate",
                "Binding": "x",
                "_mine": 3,
                "Agreed on": dt.datetime(2026, 3, 1),
            },
            {"contributor": "B", "caveat": "exclude", "site": "S1", "id": "K2"},
        ],
    )
    book = load_workbook(path)
    sheet = book["Caveats"]
    sheet.insert_cols(1)
    sheet["A1"], sheet["A2"] = "Zulu", 7
    book.save(path)
    return path


def test_the_planners_own_caveat_columns_are_copied_to_the_output(tmp_path: Path) -> None:
    """The output's Caveats sheet: the declared columns, then `Zulu`, `Agreed on`, `Rationale`
    in the input's order (not sorted) under their headers as typed, the date as ISO text, a
    caveat without them blank; then binding and remark. `Binding` and `_mine` are not copied;
    each copied column and `Binding` is warned about at its header cell, `_mine` not."""
    src = _case(tmp_path / "case.xlsx")
    out = tmp_path / "plan.xlsx"
    result = solve_cli(src, "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Caveats"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[header.index("note") + 1 :] == [
        "Zulu",
        "Agreed on",
        "Rationale",
        "binding",
        "remark",
    ]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert [by_id["C2"][h] for h in ("Zulu", "Agreed on", "Rationale")] == [
        7,
        "2026-03-01",
        "parliamentary mandate",
    ]
    assert [by_id["K2"][h] for h in ("Zulu", "Agreed on", "Rationale")] == [None, None, None]
    assert by_id["K2"]["binding"] == "yes"  # the output's own, not the input's `x`
    said = result.output
    assert (
        "warning: Caveats!A1: column 'Zulu' is not used by forcegen; it is copied to the "
        "output's Caveats sheet as it is"
    ) in said
    assert "Caveats!P1: column 'Binding' is not used by forcegen and is not copied" in said
    assert "_mine" not in said
    assert "warning: Pledges!J1: column 'Remarks' is not used by forcegen and is ignored" in said


def test_an_empty_caveats_sheets_own_columns_are_in_the_output_too(tmp_path: Path) -> None:
    """A Caveats sheet with no rows but a column of the planner's own (`Rationale`) and one
    headed by a date: the output's Caveats sheet has both headers (the warning promised them;
    before, a table without rows had no column to copy), the date as ISO text, as its cells."""
    src = write_workbook(
        tmp_path / "case.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
    )
    book = load_workbook(src)
    sheet = book["Caveats"]
    sheet.cell(1, sheet.max_column + 1, "Rationale")
    sheet.cell(1, sheet.max_column + 1, dt.datetime(2027, 3, 1))
    book.save(src)
    out = tmp_path / "plan.xlsx"
    result = solve_cli(src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "column '2027-03-01' is not used by forcegen; it is copied" in result.output
    header = next(load_workbook(out)["Caveats"].iter_rows(values_only=True))
    assert list(header[-4:]) == ["Rationale", "2027-03-01", "binding", "remark"]


def test_a_copied_column_of_fractions_beside_text_is_copied_as_typed(tmp_path: Path) -> None:
    """`Weight` holds 1.5 in one caveat's row and `tbc` in the other's: copied as typed (the
    number stays a number). Before, the columns of fractions were made floats, the copied one
    too, and the text in it was an internal error (exit 1)."""
    src = write_workbook(
        tmp_path / "case.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=[{"capability": "INF"}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[{"contributor": c, "capability": "INF", "units": 1} for c in "AB"],
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1, "Weight": 1.5},
            {"id": "K2", "contributor": "B", "caveat": "max_units", "value": 1, "Weight": "tbc"},
        ],
    )
    out = tmp_path / "plan.xlsx"
    result = solve_cli(src, "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Caveats"].iter_rows(values_only=True))
    weight = rows[0].index("Weight")
    assert {row[0]: row[weight] for row in rows[1:]} == {"K1": 1.5, "K2": "tbc"}
