"""What the scripts that write the bundled workbooks share: the contract's sheet headers, a table
writer and fixed timestamps (so that a re-run gives identical bytes).

Imported as ``_workbook`` by ``inputs/make_coalition.py`` and ``inputs/reference/make_reference.py``
when they run as scripts.
"""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = datetime(2026, 1, 1)

Row = tuple[object, ...]

CAVEAT_FILTERS: tuple[str, ...] = ("capability", "category", "site", "zone", "country", "other")

HEADERS: dict[str, tuple[str, ...]] = {
    "Contributors": ("contributor", "name", "lat", "lon", "gdp", "status"),
    "Capabilities": ("capability", "description", "category", "personnel_per_unit"),
    "Sites": ("site", "country", "zone", "lat", "lon", "max_contributors"),
    "Requirements": ("site", "capability", "units", "priority", "weight", "hard", "single_source"),
    "Pledges": ("contributor", "capability", "units", "personnel_per_unit", "cost_per_unit"),
    "Caveats": ("id", "contributor", "caveat", *CAVEAT_FILTERS, "value", "note"),
    "Settings": ("setting", "value"),
    "Scenarios": ("scenario", "sheet", "key", "column", "value"),
}


def append_table(ws: Worksheet, header: tuple[str, ...], rows: list[Row]) -> None:
    """A bold header in row 1 and the data rows below it, each checked against the header."""
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        assert len(row) == len(header), f"{ws.title}: {row!r} does not fit {header!r}"
        ws.append(list(row))


def stamp(wb: Workbook, creator: str) -> None:
    """Set the creator and fixed created/modified times in the document properties."""
    wb.properties.creator = creator
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
