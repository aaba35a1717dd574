"""Corpus cases (make_corpus.py): files that are no workbook, damaged workbooks and hostile
containers."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from .build import (
    _caveats,
    build,
    case,
    ole_file,
    put,
    rezip,
    sheet_part,
    workbook_bytes,
    write,
)

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
def lfs_pointer(folder: Path) -> Path:
    """A checkout without `git lfs pull` (a CI trial): the pointer read as plain text."""
    return put(
        folder / "coalition.xlsx",
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        b"size 81234\n",
    )


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
def shared_string_out_of_range(folder: Path) -> Path:
    """A text cell pointing past the end of the shared strings (hand-edited XML): openpyxl
    raised an IndexError, which came out as an internal error (exit 1)."""
    text = rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is></c>'
    index = b'<c r="A2" t="s"><v>99999</v></c>'  # no shared strings at all: past the end
    edit = {sheet_part(5): lambda x: re.sub(text, index, x, count=1)}
    return put(folder / "bad_shared_string.xlsx", rezip(workbook_bytes(), edit))


@case
def rows_out_of_order(folder: Path) -> Path:
    """Pledges' row 3 numbered 200 (hand-edited XML): openpyxl's read-only mode then skipped
    row 4, which comes after it, and the workbook was valid with a pledge lost."""
    edit = {sheet_part(5): lambda x: x.replace(b'<row r="3"', b'<row r="200"', 1)}
    return put(folder / "rows_out_of_order.xlsx", rezip(workbook_bytes(), edit))


@case
def row_repeated(folder: Path) -> Path:
    """Pledges' row 3 numbered 2 again: the second row 2 was skipped, as silently."""
    edit = {sheet_part(5): lambda x: x.replace(b'<row r="3"', b'<row r="2"', 1)}
    return put(folder / "row_repeated.xlsx", rezip(workbook_bytes(), edit))


@case
def header_row_out_of_order(folder: Path) -> Path:
    """Pledges' header row numbered 5, in single quotes (as openpyxl still reads it): its data
    rows 2-4 then come after row 5 and the header itself was lost ('header row not found'),
    with no word of damage."""
    edit = {sheet_part(5): lambda x: x.replace(b'<row r="1"', b"<row r='5'", 1)}
    return put(folder / "header_out_of_order.xlsx", rezip(workbook_bytes(), edit))


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


# --- damaged document properties: metadata only, so the workbook is read, with a warning --------

CORE, APP, CUSTOM = "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"


@case
def properties_damaged(folder: Path) -> Path:
    """docProps/core.xml (title, author, dates) is no XML: openpyxl refused the whole file."""
    return put(folder / "props.xlsx", rezip(workbook_bytes(), {CORE: b"<not xml"}))


@case
def properties_bad_date(folder: Path) -> Path:
    """core.xml is XML, but its created date is no date."""

    def edit(xml: bytes) -> bytes:
        return re.sub(rb"(<dcterms:created[^>]*>)[^<]*", rb"\1last Tuesday", xml)

    return put(folder / "props_date.xlsx", rezip(workbook_bytes(), {CORE: edit}))


@case
def properties_crc_error(folder: Path) -> Path:
    """core.xml's bytes damaged in the zip (its CRC fails), the sheets sound."""
    stored = io.BytesIO()  # core.xml stored, not deflated: a byte changed is a bad CRC alone
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as src,
        zipfile.ZipFile(stored, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            kind = zipfile.ZIP_STORED if info.filename == CORE else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info.filename), compress_type=kind)
    data = bytearray(stored.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(CORE)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x20
    return put(folder / "props_crc.xlsx", bytes(data))


@case
def app_properties_damaged(folder: Path) -> Path:
    """docProps/app.xml (the program that saved it) is no XML: openpyxl never reads it, and
    it was read without a word; now said as core.xml's is."""
    return put(folder / "app.xlsx", rezip(workbook_bytes(), {APP: b"<Properties><Application"}))


@case
def custom_properties_damaged(folder: Path) -> Path:
    """docProps/custom.xml (properties added by hand) is no XML: openpyxl refused the file."""
    return put(folder / "custom.xlsx", rezip(workbook_bytes(), {CUSTOM: b"<Properties"}))


@case
def properties_missing(folder: Path) -> Path:
    """No core.xml, no app.xml: both are optional in the package format; nothing to say."""
    return put(folder / "no_props.xlsx", rezip(workbook_bytes(), {CORE: None, APP: None}))


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
def entity_in_properties(folder: Path) -> Path:
    """An entity declared in docProps/core.xml: refused for safety, as in any other part (the
    part would be ignored if damaged, but a hostile file is no damaged one)."""

    def edit(xml: bytes) -> bytes:
        dtd = b'<?xml version="1.0"?><!DOCTYPE cp:coreProperties [<!ENTITY who "someone">]>'
        return dtd + xml.replace(b"<dc:creator>openpyxl", b"<dc:creator>&who;")

    return put(folder / "entity_props.xlsx", rezip(workbook_bytes(), {CORE: edit}))


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
