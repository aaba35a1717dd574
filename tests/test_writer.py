"""The output writer: bodies written straight as sheet XML read back exactly, styled and safe."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd

from solver.results.writer import OutSheet, build_workbook, workbook_bytes

TRICKY = pd.DataFrame(
    {
        "text": ["=1+1", "  padded ", "a & b <c> \"d\" 'e'", "line\nbreak", "bell\x07gone", None],
        "int": [1, -2, 0, 10**12, 7, 8],
        "float": [0.1, 1e-05, float("nan"), 2.5, -0.0, 1e20],
        "flag": [True, False, True, False, None, True],
    }
)


def _load(sheets: list[OutSheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_workbook(sheets))))


def test_streamed_body_reads_back_value_for_value() -> None:
    ws = _load([OutSheet("T", TRICKY)])["T"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [
        "=1+1",
        "  padded ",
        "a & b <c> \"d\" 'e'",
        "line\nbreak",
        "bellgone",
        None,
    ]
    assert ws["A2"].data_type == "s"  # text that looks like a formula stays text
    assert [r[1] for r in rows] == [1, -2, 0, 10**12, 7, 8]
    assert [r[2] for r in rows] == [0.1, 1e-05, None, 2.5, 0, 1e20]
    assert [r[3] for r in rows] == [True, False, True, False, None, True]
    assert ws.max_row == len(TRICKY) + 1 and ws.max_column == 4
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D7"


def test_streamed_and_cell_bodies_agree() -> None:
    """Both ways of writing a body (XML, or openpyxl cells for decorated sheets) give the same
    values, styles and widths."""
    highlight = np.array([True, False, False, True, False, False])
    bold = np.array([False, False, True, True, False, False])
    wb = _load(
        [
            OutSheet("XML", TRICKY, highlight=highlight, bold=bold),
            OutSheet("Cells", TRICKY, highlight=highlight, bold=bold, cells=True),
        ]
    )
    a, b = wb["XML"], wb["Cells"]
    assert list(a.values) == list(b.values)
    for row in range(2, len(TRICKY) + 2):
        for col in range(1, 5):
            ca, cb = a.cell(row, col), b.cell(row, col)
            assert ca.fill.fgColor.rgb == cb.fill.fgColor.rgb, (row, col)
            assert bool(ca.font.b) == bool(cb.font.b), (row, col)
    assert a["A2"].fill.fgColor.rgb.endswith("F8CBAD") and a["A4"].font.b
    assert not a["A3"].font.b and a["A3"].fill.fill_type is None
    for letter in "ABCD":
        assert a.column_dimensions[letter].width == b.column_dimensions[letter].width


def test_pandas_reads_streamed_sheets_and_bytes_are_stable() -> None:
    frame = pd.DataFrame({"site": [f"S{i}" for i in range(300)], "units": range(300)})
    sheets = [OutSheet("Big", frame), OutSheet("Small <&>", frame.head(2))]
    first = workbook_bytes(build_workbook(sheets))
    assert first == workbook_bytes(build_workbook(sheets))
    read = pd.read_excel(io.BytesIO(first), sheet_name=None)
    pd.testing.assert_frame_equal(read["Big"], frame)
    pd.testing.assert_frame_equal(read["Small <&>"], frame.head(2))
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:B301"/>' in xml


def test_empty_table_keeps_its_header() -> None:
    ws = _load([OutSheet("Empty", pd.DataFrame(columns=["site", "units"]))])["Empty"]
    assert list(ws.values) == [("site", "units")]
