"""Raw-XML scans of an .xlsx package, for what openpyxl's read-only mode does not say.

Formulas, merged cells, hidden rows, the sheet names the workbook lists, macros and each sheet's
zip member. Sheet parts are read in 1 MiB pieces: a sheet of a million styled rows is hundreds of
MiB. Nothing here reports: `excel.py` turns what is found into issues.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row [^>]*?r="([0-9]+)"[^>]*?hidden="(?:1|true)"')
# a cell with content (a value, a formula, an inline string): not self-closing, as a cell that
# is only styled is (`<c r="A5" s="1"/>`)
_FILLED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*(?<!/)>')


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
    rest = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = rest + chunk
            cut = len(data) if not chunk else data.rfind(b">") + 1
            for out, pattern in zip(found, patterns, strict=True):
                out.extend(pattern.findall(data, 0, cut))
            rest = data[cut:][-(1 << 20) :]  # a tag longer than 1 MiB is not one we look for
            if not chunk:
                return found


def first_filled_row(
    path: Path, member: str, from_row: int, columns: Collection[str]
) -> int | None:
    """The first row from `from_row` on with a cell in one of `columns` (letters) that holds
    something, read in 1 MiB pieces as `scan_tags` reads them (a sheet styled down to row
    1,048,576 is hundreds of MiB: this is the quick look that tells whether anything of the
    table lies further down)."""
    letters = {c.encode() for c in columns}
    rest = b""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = rest + chunk
            cut = len(data) if not chunk else data.rfind(b">") + 1
            for letter, row in _FILLED_CELL.findall(data, 0, cut):
                if int(row) >= from_row and letter in letters:
                    return int(row)
            rest = data[cut:][-(1 << 20) :]
            if not chunk:
                return None


def _read_limited(zf: zipfile.ZipFile, member: str) -> bytes:
    with zf.open(member) as fh:
        return fh.read()
