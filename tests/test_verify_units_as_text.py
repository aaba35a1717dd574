"""`verify` says where a plan's `units` are numbers typed as text, as `validate` says of the
input's (a planner trial's edit typed `'1 '` in a Tours row and verify passed in silence: read
as 1, but Excel's sums and pivot tables skip such a cell). The plan still holds: only the cell
is named."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver.verify import verify_file

from .baseline_input_case import edited_plan, solved_output
from .time_cases import months, timed_case

SAID = "is a number typed as text"


def test_a_tours_units_typed_as_text_is_named(tmp_path: Path) -> None:
    """The timed world's A sends its one INF to S1 in P1..P3: one tour, Tours!G2 (units)."""
    path = timed_case(tmp_path / "t.xlsx", periods=months(3))
    out = solved_output(tmp_path, path, "plan.xlsx")
    book = load_workbook(out)
    assert book["Tours"]["G1"].value == "units"
    book["Tours"]["G2"].value = "1 "
    book.save(out)
    report = verify_file(path, out)
    assert report.ok
    assert [str(w) for w in report.warnings if SAID in str(w)] == [
        "warning: Tours!G2: units '1 ' is a number typed as text; read as a number, but Excel's "
        "sums and pivot tables skip such cells: retype them as numbers"
    ]


def test_an_allocations_units_typed_as_text_is_named(tmp_path: Path) -> None:
    """A snapshot plan's Allocation units (column D) typed as text in two rows: one warning at
    the first cell, naming both."""
    first, out = edited_plan(tmp_path, {})
    book = load_workbook(out)
    sheet = book["Allocation"]
    assert sheet["D1"].value == "units"
    for cell in ("D2", "D3"):
        sheet[cell].value = f"{sheet[cell].value}"
    book.save(out)
    said = [str(w) for w in verify_file(first, out).warnings if SAID in str(w)]
    assert len(said) == 1 and said[0].startswith("warning: Allocation!D2: units '")
    assert "(Allocation!D2 and D3)" in said[0]
