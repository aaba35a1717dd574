"""The corpus's machinery (make_corpus.py): the `@case` registry, the base workbook every case
changes, and the helpers that write, re-zip and forge files."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = list[dict[str, Any]]
Builder = Callable[[Path], Path]

INJECTION = '=HYPERLINK("http://x","y")'
LONG_TEXT = "x" * 32_767  # Excel's own limit for one cell
OVERLONG_TEXT = "y" * 40_000  # more than Excel allows: a program wrote it
RTL_CONTRIBUTOR = "مصر"  # Arabic, right to left
RTL_SITE = "ירושלים"  # Hebrew, right to left
UNICODE_CAPABILITY = "ÜBUNG_Ω"
UNICODE_SITE = "Київ–Центр"

CASES: dict[str, Builder] = {}


def case(func: Builder) -> Builder:
    """Register a case under its function name."""
    CASES[func.__name__] = func
    return func


def base_sheets() -> dict[str, Rows]:
    """A small valid workbook: A and B pledge INF, C pledges AIR; S1 and S2 need them."""
    return {
        "Contributors": [
            {"contributor": "A", "name": "Alpha", "lat": 50.0, "lon": 20.0},
            {"contributor": "B", "name": "Bravo", "lat": 52.0, "lon": 21.0},
            {"contributor": "C", "name": "Charlie", "lat": 48.0, "lon": 16.0},
        ],
        "Capabilities": [
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AIR", "category": "air", "personnel_per_unit": 50},
        ],
        "Sites": [
            {"site": "S1", "country": "X", "zone": "front", "lat": 50.0, "lon": 30.0},
            {"site": "S2", "country": "Y", "zone": "rear", "lat": 49.0, "lon": 24.0},
        ],
        "Requirements": [
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S1", "capability": "AIR", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        "Pledges": [
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 10},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 20},
            {"contributor": "C", "capability": "AIR", "units": 1, "cost_per_unit": 5},
        ],
        "Caveats": [],
    }


CAVEAT_COLUMNS = ["id", "contributor", "caveat", "capability", "category", "site", "zone"]
CAVEAT_COLUMNS += ["country", "other", "value", "note"]


def build(sheets: dict[str, Rows] | None = None) -> Workbook:
    """An openpyxl workbook of the given sheets; columns in the order their keys first appear."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in (sheets if sheets is not None else base_sheets()).items():
        ws = wb.create_sheet(title)
        columns: list[str] = list(CAVEAT_COLUMNS) if title == "Caveats" else []
        for row in rows:
            columns += [k for k in row if k not in columns]
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) for c in columns])
    return wb


def save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def write(path: Path, sheets: dict[str, Rows] | None = None) -> Path:
    return save(build(sheets), path)


def with_sheets(**changes: Rows) -> dict[str, Rows]:
    sheets = base_sheets()
    sheets.update(changes)
    return sheets


def workbook_bytes(wb: Workbook | None = None) -> bytes:
    out = io.BytesIO()
    (wb or build()).save(out)
    return out.getvalue()


def rezip(data: bytes, edit: dict[str, bytes | Callable[[bytes], bytes] | None]) -> bytes:
    """Copy a zip, replacing (bytes or function of the old bytes), adding or dropping (None) parts."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            change = edit.get(info.filename, content)
            if callable(change):
                change = change(content)
            if change is not None:
                dst.writestr(info.filename, change)
        for name, content in edit.items():
            if name not in src.namelist() and isinstance(content, bytes):
                dst.writestr(name, content)
    return out.getvalue()


def sheet_part(index: int) -> str:
    """The zip part of the index-th sheet (1-based) as openpyxl writes it."""
    return f"xl/worksheets/sheet{index}.xml"


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def ole_file(streams: list[str]) -> bytes:
    """A compound-file (OLE2) header and one directory sector naming `streams`."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, 2^9
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    directory = bytearray()
    for number, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded) + 2, 5 if number == 0 else 2)
        directory += entry
    directory += bytes(-len(directory) % 512)
    return bytes(header) + bytes(512) + bytes(directory)


def _caveats(*rows: dict[str, Any]) -> dict[str, Rows]:
    return with_sheets(Caveats=list(rows))
