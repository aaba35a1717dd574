"""An Excel table (Insert > Table) with its Total Row on: that row is a total, not data, and is
not read (io/sheet_xml.py `totals_rows`). Before, a trial's Pledges table was refused for its
totals row: `Pledges!A115: contributor 'Total' is not on the Contributors sheet`, exit 2."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table

from solver import api

from .validation_case import errors_of
from .workbooks import simple_case


def _with_totals(path: Path, cached: bool) -> Path:
    """simple_case's Pledges (two rows) as a table `tblPledges` with a totals row 4: `Total`
    and a SUBTOTAL of the units (written without a calculated value, as openpyxl writes
    formulas; or, `cached`, as the number Excel would show)."""
    simple_case(path)
    book = load_workbook(path)
    ws = book["Pledges"]
    last = get_column_letter(ws.max_column)
    ws["A4"] = "Total"
    ws["C4"] = 4 if cached else "=SUBTOTAL(109,C2:C3)"
    ws.add_table(Table(displayName="tblPledges", ref=f"A1:{last}4", totalsRowCount=1))
    book.save(path)
    return path


def test_a_tables_totals_row_is_not_read(tmp_path: Path) -> None:
    """The totals row, its sum as a number or as a formula without a value, is no pledge and
    no error: the workbook reads A's and B's pledges alone. Without the Total Row, the same row
    is read as data."""
    for cached in (True, False):
        data = api.read(_with_totals(tmp_path / f"totals_{cached}.xlsx", cached))
        assert list(data.pledges["contributor"]) == ["A", "B"]
        assert list(data.pledges["units"]) == [2, 2]
    # without its Total Row, row 4 is data: A's second pledge of INF, a duplicate
    path = _with_totals(tmp_path / "no_totals.xlsx", cached=True)
    book = load_workbook(path)
    book["Pledges"].tables["tblPledges"].totalsRowCount = None
    book["Pledges"]["A4"], book["Pledges"]["B4"] = "A", "INF"
    book.save(path)
    assert any(
        e.startswith("Pledges!A4: duplicate contributor/capability") for e in errors_of(path)
    )
