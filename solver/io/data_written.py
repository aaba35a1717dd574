"""A `Data`'s tables written back as the workbook they were read from (io/data_check.py
`revalidated`), and the cells of what reading them says, named by table row and column.

Rows are written in the order of the sheet rows they were read from (`_row`), so the tables
read back keep the workbook's row order where it decides a tie; a message's sheet row is
turned back into the table's position (`_sheet_orders`, `at_table`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils.cell import column_index_from_string

from ..data import Data
from ..errors import Issue
from .periods import months_later
from .schema import INPUT_SHEETS
from .schema_types import Sheet

TABLES = {  # sheet -> the Data attribute holding it
    "Contributors": "contributors",
    "Capabilities": "capabilities",
    "Sites": "sites",
    "Requirements": "requirements",
    "Pledges": "pledges",
    "Caveats": "caveats",
    "Periods": "periods",
    "Profile": "profile",
}
_CELL = re.compile(r"^(\w+)!([A-Z]+)(\d+)$")
# a cell in a message, and the cells of the same sheet listed after it (`Pledges!E87, E89 and
# E90`, as `wording.cells_text` lists them: the sheet named once)
_CELLS_IN_TEXT = re.compile(r"\b(\w+)!([A-Z]+\d+)\b((?:(?:, | and )[A-Z]+\d+\b)*)")
_BARE_CELL = re.compile(r"\b([A-Z]+)(\d+)\b")
_HEADER = re.compile(r"^(\w+)!1:1$")
_WHOLE_ROW = re.compile(r"^(\w+)!(\d+):\2$")


def written_columns(data: Data) -> dict[str, list[str]]:
    """Per sheet written, its contract columns the table has (settings: setting, value)."""
    out = {}
    for spec in INPUT_SHEETS:
        table = getattr(data, TABLES[spec.name]) if spec.name in TABLES else None
        if table is not None:
            out[spec.name] = [c.name for c in spec.columns if c.name in table.columns]
    out["Settings"] = ["setting", "value"]
    return out


def sheet_orders(data: Data) -> dict[str, list[int]]:
    """Per table but Periods (whose row order is their time order, kept as the table has
    it), its positions in the order of the sheet rows they were read from (`_row`; rows a
    scenario or Python added after them, in table order: a review's scenario-added period
    came first). Written so, the tables read back keep the workbook's row order where it
    decides a tie (the Asks' order, a line's main reason among equal pledges), which their key
    order lost (an API trial's edited Data gave other Asks and reasons than the identical
    workbook scenario)."""
    out = {}
    for sheet, name in TABLES.items():
        table = getattr(data, name)
        if sheet == "Periods" or table is None or "_row" not in table.columns:
            continue  # the Periods' row order is their time order: the table keeps it
        # a copy: pandas 3 hands out a float column's own array, read-only (copy on write)
        rows = pd.to_numeric(table["_row"], errors="coerce").to_numpy(dtype=float, copy=True)
        rows[~(rows > 0)] = np.inf  # a row a scenario added (`_row` 0) or Python: after them
        out[sheet] = np.lexsort((np.arange(len(rows)), rows)).tolist()
    return out


def workbook_of(
    data: Data, written: dict[str, list[str]], orders: dict[str, list[int]]
) -> Workbook:
    book = Workbook(write_only=True)
    for spec in INPUT_SHEETS:
        if spec.name not in written:
            continue
        sheet = book.create_sheet(spec.name)
        columns = written[spec.name]
        sheet.append(columns)
        rows = _rows(data, spec, columns)
        for i in orders.get(spec.name, range(len(rows))):
            sheet.append([_cell(v) for v in rows[i]])
    return book


def _rows(data: Data, spec: Sheet, columns: list[str]) -> list[list[Any]]:
    if spec.name == "Settings":
        return [[k, v] for k, v in data.settings.items()]
    table: pd.DataFrame = getattr(data, TABLES[spec.name])
    rows = table[columns].to_numpy(dtype=object).tolist()
    if spec.name == "Periods" and "start" in columns and "offset" in table.columns:
        _only_given_starts(rows, columns.index("start"), table["offset"].tolist())
    return rows


def _only_given_starts(rows: list[list[Any]], at: int, offsets: list[Any]) -> None:
    """Blank the start dates that follow from the first one (start + m(t) months, as the
    reading filled them), so that a changed `months` moves them as it does on the sheet."""
    first = rows[0][at] if rows else None
    if not isinstance(first, dt.date):
        return
    first_day = first.date() if isinstance(first, dt.datetime) else first
    for row, offset in zip(rows[1:], offsets[1:], strict=True):
        day = row[at]
        day = day.date() if isinstance(day, dt.datetime) else day
        derived = whole_number(offset) is not None and isinstance(day, dt.date)
        if derived and day == months_later(first_day, int(offset)):
            row[at] = None


def _cell(value: Any) -> Any:
    """A table's value as a workbook cell: blank for NaN/None, yes/no for booleans, numbers
    and dates as Python's own."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date | int | str):
        return value
    return str(value)


def at_table(
    issue: Issue, written: dict[str, list[str]], orders: dict[str, list[int]] | None = None
) -> Issue:
    """`Pledges!C6` -> `pledges row 4 (units)`: the table's position and column, where the
    issue is and where its message names a cell; `Pledges!1:1` -> `pledges (columns)`;
    `Pledges!6:6` (the row as a whole) -> `pledges row 4`."""

    def at(sheet: str, letters: str, row: str) -> str | None:
        if sheet not in written:
            return None
        index = column_index_from_string(letters)
        columns = written[sheet]
        column = f" ({columns[index - 1]})" if 0 < index <= len(columns) else ""
        return f"{TABLES.get(sheet, sheet.lower())} row {_position(sheet, row)}{column}"

    def _position(sheet: str, row: str) -> int:
        """The table position written at sheet row `row` (`sheet_orders`)."""
        order = (orders or {}).get(sheet)
        i = int(row) - 2
        return order[i] if order is not None and 0 <= i < len(order) else i

    def cell(match: re.Match[str]) -> str:
        return at(*match.groups()) or match.group(0)

    def cells(match: re.Match[str]) -> str:
        """A cell and those of its sheet listed after it (an API trial: `pledges row 0
        (cost_per_unit), E13 and 2 more`, E13 a cell of no workbook the analyst has)."""
        sheet, first, rest = match.groups()
        if sheet not in written:
            return match.group(0)
        head = _BARE_CELL.fullmatch(first)
        assert head is not None
        listed = _BARE_CELL.sub(lambda m: at(sheet, m.group(1), m.group(2)) or m.group(0), rest)
        return f"{at(sheet, head.group(1), head.group(2))}{listed}"

    where = _CELL.sub(cell, issue.where)
    header = _HEADER.match(where)
    if header is not None and header.group(1) in written:
        where = f"{TABLES.get(header.group(1), header.group(1).lower())} (columns)"
    whole_row = _WHOLE_ROW.match(where)  # `Pledges!6:6`, a row as a whole
    if whole_row is not None and whole_row.group(1) in written and whole_row.group(2) != "1":
        sheet, row = whole_row.groups()
        where = f"{TABLES.get(sheet, sheet.lower())} row {_position(sheet, row)}"
    return Issue(where, _CELLS_IN_TEXT.sub(cells, issue.message), issue.level)


def whole_number(value: Any) -> int | None:
    """`value` as an int, or None where it is none (blank, text)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
