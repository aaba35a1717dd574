"""Checks on the .xlsx zip container before any XML is parsed (zip bombs, damaged files, parts
the zip cannot give at all)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError, Issue
from ..wording import cells_text

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one part of the workbook, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # the whole workbook, uncompressed
MAX_RATIO = 200  # uncompressed / compressed for one large part
RATIO_FLOOR_BYTES = 16 * 1024 * 1024  # the ratio check applies to parts larger than this
MAX_MEMBERS = 10_000
# the document properties parts: one the zip cannot give is ignored by the opener, as a damaged
# one is (io/open_book.py), not refused here
PROPERTIES_PARTS = frozenset({"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"})
# the general-purpose flags zipfile cannot read a part under: encrypted with a password (bit 0),
# compressed patched data (bit 5), strong encryption (bit 6)
_ENCRYPTED = 0x01 | 0x40
_PATCHED = 0x20
_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def check_zip_container(path: Path) -> None:
    """Read only the zip's central directory: sizes are declared there, nothing is inflated."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise InputError(
            [Issue(name, "the file is damaged or truncated (not a complete .xlsx); re-save it")]
        ) from None
    if "xl/workbook.bin" in names:
        raise InputError([Issue(name, "this is a binary .xlsb workbook; save it as .xlsx")])
    if "mimetype" in names and "xl/workbook.xml" not in names:
        raise InputError(
            [Issue(name, "this looks like an OpenDocument (.ods) file; save it as .xlsx")]
        )
    if "xl/workbook.xml" not in names:
        raise InputError([Issue(name, "a zip file but not an Excel workbook; save it as .xlsx")])
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            [
                Issue(
                    name,
                    f"the workbook has {len(infos)} parts (limit {MAX_MEMBERS}): refused as a "
                    "possible zip bomb; a genuine workbook has far fewer, so open it in Excel and "
                    "save it again, or copy the sheets into a new workbook",
                )
            ]
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                [Issue(name, _too_big(info.filename, info.file_size, MAX_MEMBER_BYTES))]
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise InputError(
                [
                    Issue(
                        name,
                        f"part {info.filename} would inflate {ratio:.0f}-fold to "
                        f"{info.file_size / 2**20:.0f} MiB (limit {MAX_RATIO}-fold): refused as a "
                        "possible zip bomb; if the workbook is genuine, delete the unused rows "
                        "and columns (Ctrl+End shows the last used cell) and save it again",
                    )
                ]
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError([Issue(name, _too_big("the workbook", total, MAX_TOTAL_BYTES))])
    _check_parts_given(name, infos)


def unreadable_part(info: zipfile.ZipInfo) -> str:
    """Why the zip cannot give the part `info` at all ("" when it can), as zipfile judges it
    from the central directory when the part is opened: `encrypted with a zip password`
    (which Excel never sets on a part), or `compressed by a method forcegen cannot read (zip
    method 99)` (or with a flag zipfile does not read; Excel writes deflate)."""
    if info.flag_bits & _ENCRYPTED:
        return "encrypted with a zip password"
    if info.flag_bits & _PATCHED or info.compress_type not in _METHODS:
        return f"compressed by a method forcegen cannot read (zip method {info.compress_type})"
    return ""


def _check_parts_given(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook with parts the zip cannot give (`unreadable_part`), naming them, one
    error for each reason; a properties part is left to the opener, which ignores it as
    damaged."""
    parts: dict[str, list[str]] = {}
    for info in infos:
        why = unreadable_part(info)
        if why and info.filename not in PROPERTIES_PARTS:
            parts.setdefault(why, []).append(info.filename)
    if parts:
        raise InputError([Issue(name, _not_given(names, why)) for why, names in parts.items()])


def _not_given(names: list[str], why: str) -> str:
    """The error for the parts `names` the zip cannot give, for the reason `why`."""
    which = f"part {names[0]} is" if len(names) == 1 else f"parts {cells_text(names)} are"
    return (
        f"the file cannot be read: its {which} {why}, which Excel never writes (the file was "
        "zipped again by another program, or is damaged); save it again from Excel as .xlsx "
        "(Excel Workbook), or re-download it"
    )


def _too_big(what: str, size: int, limit: int) -> str:
    return (
        f"{what} would inflate to {size / 2**20:.0f} MiB (limit {limit / 2**20:.0f} MiB): "
        "refused; delete unused cells or split the workbook"
    )
