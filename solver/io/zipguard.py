"""Checks on the .xlsx zip container before any XML is parsed (zip bombs, damaged files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError, Issue

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one part of the workbook, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # the whole workbook, uncompressed
MAX_RATIO = 200  # uncompressed / compressed for one large part
RATIO_FLOOR_BYTES = 16 * 1024 * 1024  # the ratio check applies to parts larger than this
MAX_MEMBERS = 10_000


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


def _too_big(what: str, size: int, limit: int) -> str:
    return (
        f"{what} would inflate to {size / 2**20:.0f} MiB (limit {limit / 2**20:.0f} MiB): "
        "refused; delete unused cells or split the workbook"
    )
