"""Raw-XML scans of an .xlsx package, for what openpyxl's read-only mode does not say.

Formulas, merged cells, hidden rows, the sheet names the workbook lists, macros, each sheet's
zip member and its Excel tables' totals rows. Sheet parts are read in 1 MiB pieces: a sheet of a million styled rows is hundreds of
MiB. Nothing here reports: `excel.py` turns what is found into issues.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string, range_boundaries

_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row [^>]*?r="([0-9]+)"[^>]*?hidden="(?:1|true)"')
# a sheet's rows and cells, and what makes a cell hold something: a value that is not blank, an
# inline string with text, a formula (a cell only styled, `<c r="A5" s="1"/>` or `<c ...></c>`,
# holds nothing). `r` is optional on both rows and cells: a row or cell without it follows the
# one before.
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
# a row's number as openpyxl reads it: in either quotes, `3.0` as 3
_ROW_NUMBER_READ = re.compile(rb"""\br=["']([0-9]+)(?:\.0*)?["']""")
_CELL_REF = re.compile(rb'\br="([A-Z]+)[0-9]+"')
_CONTENT = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]|<(?:\w+:)?t\b[^>]*>\s*[^<\s]|<(?:\w+:)?f\b", re.S)
_ROW_START = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_END = re.compile(rb"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")


_TABLE_PART = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?\bType=\"[^\"]*/table\"[^>]*>")
_TARGET = re.compile(rb'\bTarget="([^"]*)"')
_TABLE_REF = re.compile(rb'<(?:\w+:)?table\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_TOTALS_ROWS = re.compile(rb'<(?:\w+:)?table\b[^>]*?\btotalsRowCount="([0-9]+)"')


def totals_rows(path: Path, member: str) -> dict[int, tuple[int, int]]:
    """The rows of the sheet at `member` that are an Excel table's totals row (a table
    formatted with Table Design > Total Row: its last `totalsRowCount` rows, `Total` and its
    SUBTOTAL formulas), each with the columns it spans (first, last; 1-based). openpyxl's
    read-only mode reads no tables: the sheet's relationships name its table parts."""
    folder, name = posixpath.split(member)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    found: dict[int, tuple[int, int]] = {}
    with zipfile.ZipFile(path) as zf:
        if rels not in zf.namelist():
            return found
        for relationship in _TABLE_PART.findall(_read_limited(zf, rels)):
            target = _TARGET.search(relationship)
            if target is None:
                continue
            part = html.unescape(target.group(1).decode("utf-8", "replace"))
            part = part.lstrip("/") if part.startswith("/") else posixpath.join(folder, part)
            part = posixpath.normpath(part)
            if part not in zf.namelist():
                continue
            table = _read_limited(zf, part)
            ref, count = _TABLE_REF.search(table), _TOTALS_ROWS.search(table)
            if ref is None or count is None:
                continue
            first, _, last, bottom = range_boundaries(ref.group(1).decode())
            for row in range(int(bottom or 0) - int(count.group(1)) + 1, int(bottom or 0) + 1):
                found[row] = (int(first or 0), int(last or 0))
    return found


def listed_sheet_names(path: Path) -> list[str]:
    """The sheet names xl/workbook.xml lists (openpyxl silently skips one whose part is missing)."""
    with zipfile.ZipFile(path) as zf:
        data = _read_limited(zf, "xl/workbook.xml")
    return [html.unescape(n.decode("utf-8", "replace")) for n in _SHEET_ENTRY.findall(data)]


def has_macros(path: Path) -> bool:
    """Whether the package holds a VBA project."""
    with zipfile.ZipFile(path) as zf:
        return any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())


def sheet_paths(wb: Any) -> dict[str, str]:
    """Sheet title -> the zip member holding its XML."""
    out: dict[str, str] = {}
    for title in wb.sheetnames:
        member = getattr(wb[title], "_worksheet_path", None)
        if member:
            out[title] = member.lstrip("/")
    return out


def sheets_with_formulas(path: Path, wb: Any) -> list[str]:
    """Titles of the sheets whose XML holds at least one formula."""
    found = []
    with zipfile.ZipFile(path) as zf:
        for title, member in sheet_paths(wb).items():
            if stream_search(zf, member, _FORMULA):
                found.append(title)
    return found


def merged_and_hidden(
    path: Path, wb: Any, titles: Collection[str]
) -> Iterator[tuple[str, list[str], list[int]]]:
    """(title, merged ranges, hidden row numbers) of each sheet among `titles`, in workbook order."""
    with zipfile.ZipFile(path) as zf:
        for title, member in sheet_paths(wb).items():
            if title not in titles:
                continue
            merged, hidden_rows = scan_tags(zf, member, (_MERGE, _HIDDEN_ROW))
            yield title, [ref.decode() for ref in merged], [int(r) for r in hidden_rows]


def rows_out_of_order(
    path: Path, wb: Any, read: Callable[[str], bool]
) -> Iterator[tuple[str, int, int]]:
    """(title, the row before, the row) of each sheet that `read` says forcegen reads, whose
    rows are out of order: the first row whose number is not above the one before it (a row
    without `r` follows the one before). Excel writes rows in order, once each; openpyxl's
    read-only mode silently skips a row numbered back (hand-edited XML: a Pledges sheet of 113
    rows read as 2) or repeated. One more pass over each sheet's XML (about 1.3 s for a sheet
    styled down to row 1,048,576, 83 MB)."""
    with zipfile.ZipFile(path) as zf:
        for title, member in sheet_paths(wb).items():
            if read(title):
                found = _first_row_out_of_order(zf, member)
                if found is not None:
                    yield title, *found


def _first_row_out_of_order(zf: zipfile.ZipFile, member: str) -> tuple[int, int] | None:
    last = 0
    for piece in _whole_tags(zf, member):
        for match in _ROW_START.finditer(piece):
            number = _ROW_NUMBER_READ.search(match.group(1))
            row = int(number.group(1)) if number else last + 1
            if row <= last:
                return last, row
            last = row
    return None


def stream_search(zf: zipfile.ZipFile, member: str, pattern: re.Pattern[bytes]) -> bool:
    """Whether `pattern` (a short single tag) occurs in the member, read in 1 MiB pieces."""
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def scan_tags(
    zf: zipfile.ZipFile, member: str, patterns: tuple[re.Pattern[bytes], ...]
) -> list[list[bytes]]:
    """Every match of each single-tag pattern, reading the part in 1 MiB pieces (a sheet of a
    million styled rows is hundreds of MiB); pieces are cut after a '>', so no tag is split."""
    found: list[list[bytes]] = [[] for _ in patterns]
    for piece in _whole_tags(zf, member):
        for out, pattern in zip(found, patterns, strict=True):
            out.extend(pattern.findall(piece))
    return found


def _whole_tags(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member in pieces of about 1 MiB, each cut after a '>', so that no tag is split."""
    rest = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = rest + chunk
            cut = len(data) if not chunk else data.rfind(b">") + 1
            yield data[:cut]
            rest = data[cut:][-(1 << 20) :]  # a tag longer than 1 MiB is not one we look for
            if not chunk:
                return


def first_filled_row(
    path: Path, member: str, from_row: int, columns: Collection[str]
) -> int | None:
    """The first row from `from_row` on with a cell in one of `columns` (letters) that holds
    something (`_CONTENT`), read in 1 MiB pieces cut after a whole row (a sheet styled down to
    row 1,048,576 is hundreds of MiB: this is the quick look that tells whether anything of
    the table lies further down)."""
    wanted = {column_index_from_string(c) for c in columns}
    row, rest = 0, b""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = rest + chunk
            ends = [m.end() for m in _ROW_END.finditer(data)] if chunk else [len(data)]
            cut = ends[-1] if ends else 0
            if not _CONTENT.search(data, 0, cut):  # only styled cells: count the rows, quickly
                row = _last_row(data[:cut], row)
                rest = data[cut:]
                if not chunk:
                    return None
                continue
            for match in _ROW.finditer(data, 0, cut):
                number = _ROW_NUMBER.search(match.group(1))
                row = int(number.group(1)) if number else row + 1
                if row >= from_row and match.group(2) and _filled(match.group(2), wanted):
                    return row
            rest = data[cut:]
            if not chunk:
                return None


def _last_row(data: bytes, row: int) -> int:
    """The number of the last row that whole rows `data` hold, after row `row`."""
    starts = list(_ROW_START.finditer(data))
    if not starts:
        return row
    number = _ROW_NUMBER.search(starts[-1].group(1))
    return int(number.group(1)) if number else row + len(starts)


def _filled(cells: bytes, wanted: set[int]) -> bool:
    """Whether a row's cells hold something in one of the `wanted` columns (1-based)."""
    column = 0
    for match in _CELL.finditer(cells):
        ref = _CELL_REF.search(match.group(1))
        column = column_index_from_string(ref.group(1).decode()) if ref else column + 1
        if column in wanted and match.group(2) and _CONTENT.search(match.group(2)):
            return True
    return False


def _read_limited(zf: zipfile.ZipFile, member: str) -> bytes:
    with zf.open(member) as fh:
        return fh.read()
