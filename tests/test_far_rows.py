"""Rows far below the table (io/excel.py `_read_rows`, io/sheet_xml.py `first_filled_row`):
after 10,000 empty rows the sheet's XML is searched for anything further down, once per run of
empty rows, and a row found there is read with a warning, whatever way its cells are written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.io import excel

from .corpus.make_corpus import build, put, rezip, save, sheet_part, workbook_bytes

PLEDGES = 5  # the Pledges sheet's place in the corpus workbook (sheet_part)


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    return result.exit_code, result.output


def test_cells_of_blank_text_far_down_cost_one_search_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10,300 rows below the table whose `units` cell holds a single space (blank, but a cell
    with a value in the XML): the XML is searched once, where before the fix every row after
    the first 10,000 searched it again (a sheet of such rows took minutes)."""
    wb = build()
    for row in range(5, 5 + 10_300):
        wb["Pledges"].cell(row, 3, " ")
    path = save(wb, tmp_path / "spaces.xlsx")
    calls: list[int] = []
    real = excel.first_filled_row

    def counted(*args: Any) -> int | None:
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(excel, "first_filled_row", counted)
    code, output = validate(path)
    assert code == 0, output
    assert len(calls) == 1, calls


def test_a_far_row_written_without_cell_references_is_read(tmp_path: Path) -> None:
    """`r` is optional on rows and cells (OOXML): a pledge 12,000 rows down written so, is
    found and read (before: the search needed `r=`, and the row was dropped without a word)."""
    wb = build()
    wb["Pledges"].cell(12_004, 1, "C")
    wb["Pledges"].cell(12_004, 2, "INF")
    wb["Pledges"].cell(12_004, 3, 5)

    def strip_references(xml: bytes) -> bytes:
        head, far = xml.split(b'<row r="12004"', 1)
        far = re.sub(rb' r="[A-Z]+12004"', b"", far, count=3)
        blanks = b"".join(b"<row/>" for _ in range(5, 12_004))  # rows 5.. without `r`
        head = re.sub(rb'(<row r="4".*?</row>)', rb"\1" + blanks, head, count=1, flags=re.S)
        return head + b"<row" + far.replace(b' r="12004"', b"", 0)

    data = rezip(workbook_bytes(wb), {sheet_part(PLEDGES): strip_references})
    path = put(tmp_path / "no_refs.xlsx", data)
    code, output = validate(path)
    assert code == 0, output
    assert "Pledges!12004:12004: this row follows 11,999 empty rows" in output
