"""A table's body written straight as sheet XML, spliced into the workbook openpyxl saves.

openpyxl spends ~15 us per cell (a Cell object, then an element per cell on save): 3 s for the
277k cells of a 78k-column case's output. Here a body costs one string per cell, built column by
column. openpyxl still writes everything else (header, styles, widths, filters, conditional
formats, charts); the body rows are inserted into its `<sheetData>` when the file is saved.
Text goes in as inline strings, so it can never be read as a formula.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from openpyxl.utils import get_column_letter

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


@dataclass
class Body:
    """The rows below a sheet's header, as `<row>` XML, and the sheet's full extent."""

    xml: bytes
    ref: str


def body_xml(values: list[list[Any]], styles: np.ndarray) -> Body:
    """`values`: per column, the cleaned cell values (None for empty); `styles`: a style id per
    row (0 for none). Rows start at Excel row 2."""
    n_rows, n_cols = len(styles), len(values)
    letters = [get_column_letter(j) for j in range(1, n_cols + 1)]
    numbers = [str(r) for r in range(2, n_rows + 2)]
    style_attr = [f' s="{s}"' if s else "" for s in styles.tolist()]
    columns = [
        [
            _cell(letter + number, value, style)
            for number, value, style in zip(numbers, col, style_attr, strict=True)
        ]
        for letter, col in zip(letters, values, strict=True)
    ]
    rows = [
        f'<row r="{number}">' + "".join(cells) + "</row>"
        for number, *cells in zip(numbers, *columns, strict=True)
    ]
    ref = f"A1:{letters[-1]}{n_rows + 1}" if n_cols else "A1"
    return Body("".join(rows).encode("utf-8"), ref)


def _cell(ref: str, value: Any, style: str) -> str:
    if value is None:
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{style} t="n"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{style} t="n"><v>{value!r}</v></c>'
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def sheet_files(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member in a workbook openpyxl saved (our own file: plain XML)."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        path = target[sheet.get(_REL_ID)]
        out[sheet.get("name", "")] = path.lstrip("/") if path.startswith("/") else "xl/" + path
    return out


def splice(sheet_xml: bytes, body: Body) -> bytes:
    """Insert the body rows after the header row openpyxl wrote, and widen the dimension."""
    sheet_xml = sheet_xml.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
    head, sep, tail = sheet_xml.partition(b"</sheetData>")
    if not sep:
        raise ValueError("sheet XML without <sheetData>")
    head = _DIMENSION.sub(f'<dimension ref="{body.ref}"/>'.encode(), head, count=1)
    return head + body.xml + sep + tail
