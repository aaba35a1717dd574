"""Generate the corpus of hostile and broken workbooks that `tests/test_corpus.py` feeds to forcegen.

    python tests/corpus/make_corpus.py OUTDIR            # every case
    python tests/corpus/make_corpus.py OUTDIR CASE ...   # some cases

Nothing generated is committed: the tests build each case into a temporary folder. Every case is
a function registered with `@case`; it writes one file (or folder) into the folder it is given and
returns its path. All cases together take a few seconds.

How the hostile containers are made (all by hand, with `zipfile` and raw bytes):
- zip bomb: an honest deflate stream: a valid sheet padded with 20 MiB of spaces, which deflates
  about 1000-fold; forcegen's limit is 200-fold for parts above 16 MiB (`solver/io/zipguard.py`).
- forged sizes: a valid workbook whose zip directory declares a 600 MiB sheet (nothing that large
  exists; the guard reads only the directory), and one whose sheet declares fewer bytes than it
  inflates to (a damaged file).
- OLE files (.xls, password-protected .xlsx): a compound-file header and directory entries with the
  stream names Excel writes (`Workbook`; `EncryptionInfo`, `EncryptedPackage`); the sectors
  are not a complete compound file, which is enough for what forcegen looks at.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

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


# --- not a workbook at all ------------------------------------------------------------------------


@case
def missing_path(folder: Path) -> Path:
    return folder / "nowhere.xlsx"


@case
def folder_path(folder: Path) -> Path:
    path = folder / "a_folder.xlsx"
    path.mkdir()
    return path


@case
def lock_file(folder: Path) -> Path:
    return write(folder / "~$lock.xlsx")


@case
def empty_file(folder: Path) -> Path:
    return put(folder / "empty.xlsx", b"")


@case
def plain_text(folder: Path) -> Path:
    return put(folder / "notes.xlsx", b"these are my notes, not a workbook\n")


@case
def csv_renamed(folder: Path) -> Path:
    return put(folder / "pledges.xlsx", b"contributor,capability,units\nA,INF,2\n")


@case
def csv_file(folder: Path) -> Path:
    return put(folder / "pledges.csv", b"contributor,capability,units\r\nA,INF,2\r\n")


@case
def html_renamed(folder: Path) -> Path:
    return put(folder / "export.xlsx", b"<html><body><table><tr><td>A</td></tr></table></body>")


@case
def random_bytes(folder: Path) -> Path:
    return put(folder / "noise.xlsx", bytes(range(256)) * 4)


@case
def truncated_zip(folder: Path) -> Path:
    data = workbook_bytes()
    return put(folder / "truncated.xlsx", data[: len(data) // 2])


@case
def legacy_xls(folder: Path) -> Path:
    return put(folder / "old.xlsx", ole_file(["Workbook", "\x05SummaryInformation"]))


@case
def password_protected(folder: Path) -> Path:
    streams = ["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]
    return put(folder / "secret.xlsx", ole_file(streams))


@case
def ods_renamed(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return put(folder / "calc.xlsx", out.getvalue())


@case
def xlsb_renamed(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return put(folder / "binary.xlsx", out.getvalue())


@case
def docx_renamed(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return put(folder / "letter.xlsx", out.getvalue())


@case
def missing_part(folder: Path) -> Path:
    """The workbook lists a sheet whose XML part is not in the zip."""
    return put(folder / "missing_part.xlsx", rezip(workbook_bytes(), {sheet_part(5): None}))


@case
def malformed_sheet_xml(folder: Path) -> Path:
    """A sheet part cut off in the middle of an element."""
    broken = rezip(workbook_bytes(), {sheet_part(5): lambda x: x[: len(x) // 2]})
    return put(folder / "malformed.xlsx", broken)


@case
def missing_optional_part(folder: Path) -> Path:
    """The optional Caveats sheet is listed but its part is gone: never read as "no caveats"."""
    sheets = _caveats({"contributor": "A", "caveat": "exclude", "country": "X"})
    data = rezip(workbook_bytes(build(sheets)), {sheet_part(6): None})
    return put(folder / "lost_caveats.xlsx", data)


@case
def corrupt_sheet_data(folder: Path) -> Path:
    """Bytes of the Pledges sheet's deflate stream overwritten (a bad disk or download)."""
    data = bytearray(workbook_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(sheet_part(5))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    return put(folder / "corrupt.xlsx", bytes(data))


@case
def bad_number_in_xml(folder: Path) -> Path:
    """A numeric cell whose stored value is not a number (hand-edited XML)."""
    edit = {sheet_part(5): lambda x: x.replace(b"<v>2</v>", b"<v>two</v>", 1)}
    return put(folder / "bad_number.xlsx", rezip(workbook_bytes(), edit))


@case
def bad_cell_reference(folder: Path) -> Path:
    edit = {sheet_part(5): lambda x: x.replace(b'r="C2"', b'r="C$2!"', 1)}
    return put(folder / "bad_ref.xlsx", rezip(workbook_bytes(), edit))


@case
def forged_small_size(folder: Path) -> Path:
    """The directory declares fewer bytes than the Pledges sheet inflates to (CRC fails)."""
    data = bytearray(workbook_bytes())
    part = sheet_part(5).encode()
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo(sheet_part(5))
    smaller = info.file_size // 2
    for match in re.finditer(re.escape(part), bytes(data)):
        start = match.start()
        if data[start - 46 : start - 42] == b"PK\x01\x02":  # central directory entry
            struct.pack_into("<I", data, start - 46 + 24, smaller)
        elif data[start - 30 : start - 26] == b"PK\x03\x04":  # local header
            struct.pack_into("<I", data, start - 30 + 22, smaller)
    return put(folder / "forged_small.xlsx", bytes(data))


# --- hostile containers ---------------------------------------------------------------------------


def _with_doctype(dtd: str, use: str) -> Callable[[bytes], bytes]:
    """Add a DOCTYPE to a sheet part and an inline-string cell that uses the entity."""

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(
            b"</sheetData>",
            f'<row r="90"><c r="F90" t="inlineStr"><is><t>{use}</t></is></c></row>'
            "</sheetData>".encode(),
        )
        return f'<?xml version="1.0"?><!DOCTYPE worksheet [{dtd}]>'.encode() + xml

    return edit


@case
def billion_laughs(folder: Path) -> Path:
    dtd = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    data = rezip(workbook_bytes(), {sheet_part(1): _with_doctype(dtd, "&lol9;")})
    return put(folder / "laughs.xlsx", data)


@case
def external_entity(folder: Path) -> Path:
    dtd = '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
    data = rezip(workbook_bytes(), {sheet_part(1): _with_doctype(dtd, "&xxe;")})
    return put(folder / "xxe.xlsx", data)


@case
def entity_in_workbook_part(folder: Path) -> Path:
    """The entity sits in xl/workbook.xml, which is parsed when the file is opened."""

    def edit(xml: bytes) -> bytes:
        dtd = '<!DOCTYPE workbook [<!ENTITY name "Contributors">]>'
        return b'<?xml version="1.0"?>' + dtd.encode() + xml

    return put(folder / "entity_wb.xlsx", rezip(workbook_bytes(), {"xl/workbook.xml": edit}))


@case
def zip_bomb(folder: Path) -> Path:
    """A valid Pledges sheet padded with 20 MiB of spaces: a real ~1000-fold deflate stream."""
    pad = b" " * (20 * 2**20)
    data = rezip(workbook_bytes(), {sheet_part(5): lambda x: x.replace(b"<sheetData>", pad, 1)})
    return put(folder / "bomb.xlsx", data)


@case
def zip_declared_huge(folder: Path) -> Path:
    """The zip directory declares a 600 MiB Pledges sheet (the data is small: a forged header)."""
    data = bytearray(workbook_bytes())
    part = sheet_part(5).encode()
    start = data.rfind(part)
    assert data[start - 46 : start - 42] == b"PK\x01\x02"
    struct.pack_into("<I", data, start - 46 + 24, 600 * 2**20)
    return put(folder / "declared_huge.xlsx", bytes(data))


@case
def zip_many_parts(folder: Path) -> Path:
    extra = {f"xl/media/junk{i}.bin": b"" for i in range(10_001)}
    return put(folder / "many_parts.xlsx", rezip(workbook_bytes(), extra))


# --- sheets and headers ---------------------------------------------------------------------------


@case
def xlsm_with_macros(folder: Path) -> Path:
    def types(xml: bytes) -> bytes:
        vba = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        return xml.replace(b"</Types>", vba + b"</Types>")

    edit = {
        "[Content_Types].xml": types,
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name",
    }
    return put(folder / "macros.xlsm", rezip(workbook_bytes(), edit))


@case
def missing_sheet(folder: Path) -> Path:
    sheets = base_sheets()
    del sheets["Pledges"]
    return write(folder / "no_pledges.xlsx", sheets)


@case
def misspelled_sheet(folder: Path) -> Path:
    sheets = base_sheets()
    sheets["Pledge"] = sheets.pop("Pledges")
    return write(folder / "pledge.xlsx", sheets)


@case
def sheet_names_case_and_spaces(folder: Path) -> Path:
    """' pledges ' and 'SITES': matched case-insensitively, surrounding spaces ignored."""
    sheets = base_sheets()
    sheets[" pledges "] = sheets.pop("Pledges")
    sheets["SITES"] = sheets.pop("Sites")
    return write(folder / "names.xlsx", sheets)


@case
def missing_required_column(folder: Path) -> Path:
    rows = [{k: v for k, v in r.items() if k != "units"} for r in base_sheets()["Pledges"]]
    return write(folder / "no_units.xlsx", with_sheets(Pledges=rows))


@case
def duplicate_column_header(folder: Path) -> Path:
    wb = build()
    ws = wb["Pledges"]
    ws.cell(1, ws.max_column + 1, "Units ")
    return save(wb, folder / "dup_header.xlsx")


@case
def value_without_header(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["H3"] = "stray"
    return save(wb, folder / "no_header.xlsx")


@case
def header_below_title_rows(folder: Path) -> Path:
    """Title and blank rows above the header: found in the first 20 rows."""
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1, 3)
    ws["A1"] = "Pledges as of 1 May (draft)"
    return save(wb, folder / "title_rows.xlsx")


@case
def header_not_found(folder: Path) -> Path:
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1, 25)
    ws["A1"] = "Pledges"
    return save(wb, folder / "deep_header.xlsx")


@case
def merged_cells(folder: Path) -> Path:
    """B and its pledge rows share a merged contributor cell: the lower rows would read blank."""
    sheets = base_sheets()
    sheets["Pledges"].insert(2, {"contributor": "B", "capability": "AIR", "units": 1})
    wb = build(sheets)
    wb["Pledges"].merge_cells("A3:A4")
    return save(wb, folder / "merged.xlsx")


@case
def merged_title_and_blanks(folder: Path) -> Path:
    """A title merged across the top of Pledges (above its header) and two blank cells merged
    beside the table: nothing that is read is merged."""
    wb = build()
    ws = wb["Pledges"]
    ws.insert_rows(1)
    ws["A1"] = "PLEDGES"
    ws.merge_cells("A1:D1")
    ws.merge_cells("G3:H3")
    return save(wb, folder / "merged_title.xlsx")


@case
def hidden_sheet(folder: Path) -> Path:
    wb = build()
    wb["Pledges"].sheet_state = "hidden"
    wb["Caveats"].sheet_state = "veryHidden"
    return save(wb, folder / "hidden_sheet.xlsx")


@case
def hidden_rows(folder: Path) -> Path:
    """C's AIR pledge (row 4) is hidden: it is read, with a warning."""
    wb = build()
    wb["Pledges"].row_dimensions[4].hidden = True
    return save(wb, folder / "hidden_rows.xlsx")


@case
def far_corner_cells(folder: Path) -> Path:
    """A stray value at XFD1048576 on the Pledges sheet and on a sheet forcegen does not read."""
    wb = build()
    wb["Pledges"]["XFD1048576"] = "stray"
    notes = wb.create_sheet("Notes")
    notes["A1"] = "notes"
    notes["XFD1048576"] = "far away"
    return save(wb, folder / "far_corner.xlsx")


@case
def million_styled_blank_rows(folder: Path) -> Path:
    """The Pledges sheet formatted down to row 1,048,576: a styled empty cell in every row (and a
    formula with its cached value in C2, so that the formula check looks at the sheet too)."""
    wb = build()
    wb["Pledges"]["A2"].fill = PatternFill("solid", fgColor="FFFF00")  # style 1 exists
    wb["Pledges"]["C2"] = "=1+2"

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")
        rows = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(5, 1_048_577))
        xml = re.sub(rb"<dimension ref=\"[^\"]*\"", b'<dimension ref="A1:F1048576"', xml)
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    return put(folder / "million_rows.xlsx", rezip(workbook_bytes(wb), {sheet_part(5): edit}))


@case
def data_after_blank_run(folder: Path) -> Path:
    """A pledge 10,001 empty rows below the others: read, with a warning naming its row."""
    wb = build()
    ws = wb["Pledges"]
    ws.append([])
    ws.cell(4 + 10_002, 1, "C")
    ws.cell(4 + 10_002, 2, "INF")
    ws.cell(4 + 10_002, 3, 5)
    ws.cell(4 + 10_002, 4, 1)  # the cheapest INF: the plan takes it
    return save(wb, folder / "after_blanks.xlsx")


@case
def blank_rows_between(folder: Path) -> Path:
    wb = build()
    wb["Pledges"].insert_rows(3, 4)
    return save(wb, folder / "blank_rows.xlsx")


# --- keys and values ------------------------------------------------------------------------------


@case
def keys_trailing_spaces(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["contributor"] = "A "
    pledges[1]["capability"] = " INF\u00a0"
    return write(folder / "spaces.xlsx", with_sheets(Pledges=pledges))


@case
def keys_case_differs(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["contributor"] = "a"
    pledges[2]["capability"] = "Air"
    return write(folder / "case.xlsx", with_sheets(Pledges=pledges))


@case
def unknown_key(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[1]["capability"] = "INF_X"
    return write(folder / "unknown_key.xlsx", with_sheets(Pledges=pledges))


@case
def duplicate_key_rows(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges.append({"contributor": "A", "capability": "INF", "units": 1})
    return write(folder / "dup_key.xlsx", with_sheets(Pledges=pledges))


@case
def numbers_as_text(folder: Path) -> Path:
    """'3' typed as text: read as the number 3; ' 1 000 ' too (spaces as thousands separators)."""
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = "3"
    pledges[1]["cost_per_unit"] = " 1 000 "
    return write(folder / "text_numbers.xlsx", with_sheets(Pledges=pledges))


@case
def text_in_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = "two"
    return write(folder / "two.xlsx", with_sheets(Pledges=pledges))


@case
def date_in_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = dt.datetime(2024, 3, 1)
    return write(folder / "date.xlsx", with_sheets(Pledges=pledges))


@case
def boolean_in_number(folder: Path) -> Path:
    reqs = base_sheets()["Requirements"]
    reqs[0]["units"] = True
    return write(folder / "bool.xlsx", with_sheets(Requirements=reqs))


@case
def negative_units(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[1]["units"] = -1
    return write(folder / "negative.xlsx", with_sheets(Pledges=pledges))


@case
def fractional_units(folder: Path) -> Path:
    reqs = base_sheets()["Requirements"]
    reqs[2]["units"] = 1.5
    return write(folder / "fraction.xlsx", with_sheets(Requirements=reqs))


@case
def nan_and_inf(folder: Path) -> Path:
    """'NaN' typed as text, and an infinite number stored in the file."""
    pledges = base_sheets()["Pledges"]
    pledges[0]["cost_per_unit"] = "NaN"
    reqs = base_sheets()["Requirements"]
    reqs[0]["weight"] = 1
    wb = build(with_sheets(Pledges=pledges, Requirements=reqs))
    edit = {
        sheet_part(4): lambda x: x.replace(b'<c r="E2" t="n"><v>1</v>', b'<c r="E2"><v>1e999</v>')
    }
    return put(folder / "nan.xlsx", rezip(workbook_bytes(wb), edit))


@case
def huge_number(folder: Path) -> Path:
    pledges = base_sheets()["Pledges"]
    pledges[0]["units"] = 1e308
    return write(folder / "huge.xlsx", with_sheets(Pledges=pledges))


@case
def error_cell(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["D2"] = "#DIV/0!"
    return save(wb, folder / "div0.xlsx")


@case
def formula_without_value(folder: Path) -> Path:
    wb = build()
    wb["Pledges"]["C2"] = "=1+1"
    return save(wb, folder / "formula.xlsx")


@case
def formula_with_cached_value(folder: Path) -> Path:
    """A formula with the value Excel calculated: the value is read."""
    wb = build()
    wb["Pledges"]["C2"] = "=1+2"
    data = rezip(
        workbook_bytes(wb),
        {sheet_part(5): lambda x: x.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")},
    )
    return put(folder / "formula_cached.xlsx", data)


@case
def header_with_spaces(folder: Path) -> Path:
    """`Cost per unit` for cost_per_unit: read as it, with a warning (the costs count)."""
    wb = build()
    wb["Pledges"]["D1"] = "Cost per unit"
    return save(wb, folder / "header_spaces.xlsx")


@case
def formula_with_cached_error(folder: Path) -> Path:
    """=1/0 as Excel saves it (its cached value the error #DIV/0!): one error, at its cell."""
    wb = build()
    wb["Pledges"]["C2"] = "=1/0"
    data = rezip(
        workbook_bytes(wb),
        {
            sheet_part(5): lambda x: x.replace(
                b'<c r="C2"><f>1/0</f><v /></c>', b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            )
        },
    )
    return put(folder / "formula_error.xlsx", data)


@case
def formula_header(folder: Path) -> Path:
    """The units header a formula with no calculated value: one error, at the header."""
    wb = build()
    wb["Pledges"]["C1"] = '=LOWER("UNITS")'
    return save(wb, folder / "formula_header.xlsx")


@case
def na_like_keys(folder: Path) -> Path:
    """'NA' (Namibia) and 'None' are contributor codes, never missing values."""
    sheets = base_sheets()
    sheets["Contributors"][0]["contributor"] = "NA"
    sheets["Contributors"][1]["contributor"] = "None"
    sheets["Pledges"][0]["contributor"] = "NA"
    sheets["Pledges"][1]["contributor"] = "None"
    return write(folder / "na.xlsx", sheets)


# --- caveats --------------------------------------------------------------------------------------


def _caveats(*rows: dict[str, Any]) -> dict[str, Rows]:
    return with_sheets(Caveats=list(rows))


@case
def unknown_caveat_kind(folder: Path) -> Path:
    sheets = _caveats({"contributor": "A", "caveat": "exlude", "country": "X"})
    return write(folder / "kind.xlsx", sheets)


@case
def impossible_filter(folder: Path) -> Path:
    sheets = _caveats(
        {"contributor": "A", "caveat": "exclude", "category": "naval"},
        {"contributor": "B", "caveat": "exclude", "zone": "Front "},
        {"contributor": "B", "caveat": "exclude", "country": "ZZ"},
    )
    return write(folder / "filters.xlsx", sheets)


@case
def filters_match_nothing_together(folder: Path) -> Path:
    """capability INF and category air: each exists, together they match nothing (legal)."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "exclude", "capability": "INF", "category": "air"}
    )
    return write(folder / "empty_filter.xlsx", sheets)


@case
def requires_self(folder: Path) -> Path:
    return write(
        folder / "self.xlsx", _caveats({"contributor": "A", "caveat": "requires", "other": "A"})
    )


@case
def requires_cycle(folder: Path) -> Path:
    """A requires B, B requires A: both deploy (each is needed)."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "requires", "other": "B"},
        {"contributor": "B", "caveat": "requires", "other": "A"},
    )
    return write(folder / "cycle.xlsx", sheets)


@case
def requires_cycle_blocked(folder: Path) -> Path:
    """A requires B, B requires A, and B may send nothing to S1 or S2 but only to S2 with a cap
    of 0 units: B cannot deploy, so neither does A."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "requires", "other": "B"},
        {"contributor": "B", "caveat": "requires", "other": "A"},
        {"contributor": "B", "caveat": "max_units", "value": 0},
    )
    return write(folder / "cycle_blocked.xlsx", sheets)


@case
def caveat_bad_value(folder: Path) -> Path:
    sheets = _caveats({"contributor": "A", "caveat": "max_units", "value": "lots"})
    return write(folder / "caveat_value.xlsx", sheets)


# --- text that must survive -----------------------------------------------------------------------


@case
def unicode_and_rtl(folder: Path) -> Path:
    sheets = base_sheets()
    sheets["Contributors"][2]["contributor"] = RTL_CONTRIBUTOR
    sheets["Contributors"][2]["name"] = "جمهورية مصر العربية"
    sheets["Capabilities"][1]["capability"] = UNICODE_CAPABILITY
    sheets["Sites"][0]["site"] = UNICODE_SITE
    sheets["Sites"][1]["site"] = RTL_SITE
    for row in sheets["Requirements"]:
        row["site"] = {"S1": UNICODE_SITE, "S2": RTL_SITE}[row["site"]]
        row["capability"] = row["capability"].replace("AIR", UNICODE_CAPABILITY)
    sheets["Pledges"][2].update(contributor=RTL_CONTRIBUTOR, capability=UNICODE_CAPABILITY)
    return write(folder / "unicode.xlsx", sheets)


@case
def long_text_cells(folder: Path) -> Path:
    """A 32,767-character name (Excel's limit) and a 40,000-character caveat note."""
    sheets = _caveats(
        {"contributor": "A", "caveat": "max_units", "value": 5, "note": OVERLONG_TEXT}
    )
    sheets["Contributors"][0]["name"] = LONG_TEXT
    return write(folder / "long.xlsx", sheets)


@case
def formula_injection(folder: Path) -> Path:
    """Text that spreadsheets would run as a formula, as keys and names (typed as text).

    The contributor, a capability, a site and a scenario are named `=HYPERLINK(...)`-style texts,
    and the capability is short, so each of the output sheets holds one of them.
    """
    sheets = base_sheets()
    sheets["Contributors"][0].update(contributor=INJECTION, name="+SUM(1,2)")
    sheets["Contributors"][1]["name"] = "\t-2+3"  # free text: kept exactly, tab included
    sheets["Capabilities"][1]["capability"] = "@AIR"
    sheets["Sites"][1]["site"] = "-S2"
    sheets["Requirements"][1].update(capability="@AIR", units=2)
    sheets["Requirements"][2]["site"] = "-S2"
    sheets["Pledges"][0]["contributor"] = INJECTION
    sheets["Pledges"][2]["capability"] = "@AIR"
    sheets["Pledges"].append({"contributor": INJECTION, "capability": "@AIR", "units": 0})
    sheets["Caveats"] = [
        {"contributor": INJECTION, "caveat": "max_units", "value": 9, "note": "=1+1"}
    ]
    sheets["Scenarios"] = [
        {"scenario": INJECTION, "sheet": "Pledges", "key": "B/INF", "column": "units", "value": 2}
    ]
    wb = build(sheets)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    cell.data_type = "s"  # as a planner types it: text, not a formula
    return save(wb, folder / "injection.xlsx")


def make_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the named cases (all by default) into `folder`; return each case's path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in names or list(CASES):
        sub = folder / name
        sub.mkdir(exist_ok=True)
        out[name] = CASES[name](sub)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name, path in make_corpus(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name}: {path}")
