"""Damage openpyxl's read-only mode reads past without a word, refused before a sheet is read: a
sheet whose XML part is missing, and a sheet whose rows are out of order (`sheet_xml`)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ..addresses import sheet_in_reference
from ..errors import InputError, Issue
from .schema_types import norm
from .sheet_xml import listed_sheet_names, rows_out_of_order


def refuse_lost_sheets(path: Path, titles: list[str], expected: Collection[str]) -> None:
    """openpyxl silently skips a sheet whose XML part is missing: refuse such a damaged file
    when the sheet is one forcegen reads (a lost optional Caveats sheet would go unnoticed)."""
    listed = listed_sheet_names(path)
    lost = [n for n in listed if n not in titles and norm(n) in expected]
    if lost:
        names = ", ".join(repr(n) for n in lost)
        raise InputError(
            [
                Issue(
                    path.name,
                    f"the file is damaged: sheet {names} is listed but its data is missing; "
                    "open it in Excel, let Excel repair it, and save it",
                )
            ]
        )


def refuse_rows_out_of_order(path: Path, wb: Any, reads: Callable[[str], bool]) -> None:
    """Refuse at once, as other damage, a sheet forcegen reads (`reads` its title) whose rows
    are out of order
    (`rows_out_of_order`): read on, the rows lost made other sheets' names of their keys
    errors ('not on the Contributors sheet'), or the header itself was lost."""
    found = [
        Issue(
            sheet_in_reference(title),
            f"the file is damaged: the sheet's data has row {row} after row {before} (rows "
            "out of order or repeated, which Excel never writes; some rows would be lost); "
            "open it in Excel and save it again",
        )
        for title, before, row in rows_out_of_order(path, wb, reads)
    ]
    if found:
        raise InputError(found)
