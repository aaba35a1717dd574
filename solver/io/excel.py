"""Low-level, defensive reading of an .xlsx workbook into raw cells with their addresses.

Nothing here interprets values: that is `validate.py`'s job. What this module guarantees is that
every cell value comes with the address a planner can find in Excel, that formulas without a cached
value, Excel error values and merged cells are reported rather than read as blanks, and that a
file which is not a workbook is refused with a message that says what it is.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter

from ..addresses import address, row_address, sheet_in_reference
from ..errors import InputError, Issue, Issues
from .cell_checks import check_formulas, check_merged_and_hidden
from .copied_columns import copied_value
from .filecheck import CANNOT_OPEN, check_file, describe_open_failure, warn_of_the_file
from .header_names import header_names
from .open_book import DAMAGE, ignored_text, open_workbook
from .raw_sheet import RawRow, RawSheet, RawWorkbook
from .schema_types import Sheet, norm
from .sheet_damage import refuse_lost_sheets, refuse_rows_out_of_order
from .sheet_lookalikes import Lookalike, lookalikes, read_as
from .sheet_xml import (
    first_filled_row,
    has_macros,
    sheet_paths,
    sheets_with_formulas,
    totals_rows,
)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 20
# consecutive empty rows after which the sheet's XML is searched for anything further down
# (`first_filled_row`): reading on through a sheet styled down to row 1,048,576 takes seconds
MAX_BLANK_RUN = 10_000


def read_workbook(
    path: Path,
    expected: dict[str, tuple[str, ...]],
    issues: Issues,
    copying: frozenset[str] = frozenset(),
    optional: tuple[Sheet, ...] = (),
) -> RawWorkbook:
    """Read the sheets named in `expected` (normalised name -> known column names); the
    sheets in `copying` (normalised names) copy their other columns to an output. A sheet
    whose name is a near miss of one of the `optional` sheets the workbook lacks is read as
    it, or said not to be (`sheet_lookalikes`).

    File-level problems raise `InputError` at once; cell-level problems are added to `issues`.
    """
    path = Path(path)
    check_file(path)
    warn_of_the_file(path, issues, WORKBOOK_SUFFIXES)
    handle = path.open("rb")  # by content: openpyxl would refuse a name not ending .xlsx
    ignored: list[str] = []  # damaged document properties, read as absent
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # openpyxl warns about data validation, unknown extensions...
        try:
            wb_values = open_workbook(handle, ignored=ignored)
        except Exception as exc:  # openpyxl raises many types for damaged files
            handle.close()
            raise InputError([Issue(path.name, describe_open_failure(exc))]) from None
    for part in ignored:
        issues.warn(path.name, ignored_text(part))
    where = path.name  # the part being read, for a damaged file's message
    with warnings.catch_warnings():  # rows are parsed as they are read: openpyxl warns then
        warnings.simplefilter("ignore")  # too (a date beyond the calendar, read as #VALUE!)
        try:
            titles = list(wb_values.sheetnames)
            near = lookalikes(titles, expected, optional)
            refuse_lost_sheets(path, titles, expected)
            refuse_rows_out_of_order(
                path, wb_values, lambda t: norm(t) in expected or (t in near and near[t].same)
            )
            sheets: dict[str, RawSheet] = {}
            unread: dict[str, str] = {}  # an optional sheet -> the lookalike not read as it
            formula_sheets = sheets_with_formulas(path, wb_values)
            if has_macros(path):
                issues.warn(
                    path.name, "the workbook contains macros; they were ignored (never run)"
                )
            for title in titles:
                where = sheet_in_reference(title)
                key = _read_as(title, wb_values, expected, near.get(title), issues, unread)
                if key is None:
                    continue
                if key in sheets:
                    issues.error(where, f"two sheets are named '{sheets[key].title}' and '{title}'")
                    continue
                ws = wb_values[title]
                if getattr(ws, "sheet_state", "visible") != "visible":
                    issues.warn(
                        where,
                        "this sheet is hidden in Excel; it is read like a visible one (unhide it to "
                        "check it, or delete it if it is not meant to count)",
                    )
                member = sheet_paths(wb_values).get(title)
                sheet = _read_sheet(
                    ws, title, expected[key], issues, _in_xml(path, member), key in copying
                )
                if sheet is not None:
                    sheets[key] = sheet
            where = path.name
            if formula_sheets:
                check_formulas(path, formula_sheets, sheets, issues, MAX_BLANK_RUN)
            check_merged_and_hidden(path, wb_values, sheets, issues)
        except DAMAGE as exc:
            # read-only mode parses each sheet's XML only while its rows are read: a damaged part
            # (bad XML, a CRC error, a value that is not what its type says) shows up here
            if isinstance(exc, IndexError) and not _raised_by_the_parser(exc):
                raise  # forcegen's own fault, not the file's: an internal error
            message = describe_open_failure(exc)
            if where != path.name and message == CANNOT_OPEN:
                message = (
                    "this sheet cannot be read: the file is damaged or was not written by Excel; "
                    "open it in Excel and save it again"
                )
            raise InputError([Issue(where, message)]) from None
        finally:
            wb_values.close()
            handle.close()
    return RawWorkbook(path, sheets, titles, unread)


def _read_as(
    title: str,
    wb: Any,
    expected: dict[str, tuple[str, ...]],
    look: Lookalike | None,
    issues: Issues,
    unread: dict[str, str],
) -> str | None:
    """The normalised name of the sheet `title` is read as: its own, where forcegen reads it,
    or, for a near miss (`look`), the sheet it looks like (`sheet_lookalikes.read_as`; one not
    read is noted in `unread`); None for a sheet not read."""
    if norm(title) in expected or look is None:
        return norm(title) if norm(title) in expected else None
    known = expected[norm(look.sheet.name)]
    key = read_as(look, lambda: _header_of(wb[title], known), issues)
    if key is None:
        unread[look.sheet.name] = title
    return key


def _header_of(ws: Any, known: tuple[str, ...]) -> set[str]:
    """The column names of the sheet's header row, as read (`_search_header`); none without."""
    searched, header_row = _search_header(ws.iter_rows(max_row=HEADER_SEARCH_ROWS), known)
    named = [c.value for c in searched[-1][1] if c.value is not None] if header_row else []
    return {name for name, _ in header_names(named, known)}


def _raised_by_the_parser(exc: BaseException) -> bool:
    """The exception came from openpyxl's (or its XML library's) code, not forcegen's."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and "openpyxl" in tb.tb_frame.f_code.co_filename


# (row, the table's column letters) -> the first row from there on with something in one of
# those columns, or None
FilledBelow = Callable[[int, Collection[str]], "int | None"]


@dataclass
class _InXml:
    """What the sheet's XML says that read-only reading does not: where the table's next
    filled row is below a row (`first_filled_row`), and its Excel tables' totals rows
    (`totals_rows`)."""

    filled_below: FilledBelow
    totals: dict[int, tuple[int, int]]


def _in_xml(path: Path, member: str | None) -> _InXml:
    """`_InXml` of the sheet at `member`; without the sheet's part, nothing."""
    if member is None:
        return _InXml(lambda row, columns: None, {})
    return _InXml(
        lambda row, columns: first_filled_row(path, member, row, columns),
        totals_rows(path, member),
    )


def _read_sheet(
    ws: Any,
    title: str,
    known: tuple[str, ...],
    issues: Issues,
    in_xml: _InXml,
    copies: bool = False,
) -> RawSheet | None:
    """The sheet's header and data rows with their addresses; None if no header is found."""
    if hasattr(ws, "reset_dimensions"):
        # ignore the declared extent: a stray cell at XFD1048576 must not pad every row to
        # 16,384 columns (rows are then as wide as their own last cell)
        ws.reset_dimensions()
    rows = ws.iter_rows()
    searched, header_row = _search_header(rows, known)
    if not header_row:
        return _without_header(searched, title, known, issues)
    columns, positions = _header_columns(searched[-1][1], title, header_row, issues, known)
    typed = {
        name: str(copied_value(cell.value)).strip()  # a date as ISO text, as its cells
        for cell in searched[-1][1]
        if (name := positions.get(getattr(cell, "column", -1)))
    }
    sheet = RawSheet(
        title, header_row, columns, typed=typed, declared=frozenset(known), copies=copies
    )
    sheet.totals = in_xml.totals  # a total is no data: its cells are not read
    below = _Below(lambda row: ws.iter_rows(min_row=row), in_xml.filled_below)
    _read_rows(rows, sheet, positions, issues, below)
    return sheet


@dataclass
class _Below:
    """How reading goes on below a long run of empty rows: the sheet's rows from a row on
    (`rows_from`), and where the table's next filled row is (`filled`)."""

    rows_from: Callable[[int], Iterator[tuple[Any, ...]]]
    filled: FilledBelow


def _search_header(
    rows: Iterator[tuple[Any, ...]], known: tuple[str, ...]
) -> tuple[list[tuple[int, tuple[Any, ...]]], int]:
    """The rows read looking for the header (the first naming a known column, within
    HEADER_SEARCH_ROWS), and the header's row number (0 when not found)."""
    searched: list[tuple[int, tuple[Any, ...]]] = []
    for index, cells in enumerate(rows, start=1):
        searched.append((index, cells))
        named = [c.value for c in cells if c.value is not None]
        if {name for name, _ in header_names(named, known)} & set(known):
            return searched, index
        if index >= HEADER_SEARCH_ROWS:
            break
    return searched, 0


def _without_header(
    searched: list[tuple[int, tuple[Any, ...]]], title: str, known: tuple[str, ...], issues: Issues
) -> RawSheet | None:
    """An empty sheet (no columns, no rows), or an error: values but no header."""
    if not any(c.value is not None for _, cells in searched for c in cells):
        return RawSheet(title, 1, {})
    issues.error(
        sheet_in_reference(title),
        f"header row not found in the first {HEADER_SEARCH_ROWS} rows "
        f"(expected column names such as {', '.join(known[:3])}); put the column names in "
        f"one row within the first {HEADER_SEARCH_ROWS} rows (delete title rows above them)",
    )
    return None


def _header_columns(
    cells: tuple[Any, ...], title: str, header_row: int, issues: Issues, known: tuple[str, ...]
) -> tuple[dict[str, str], dict[int, str]]:
    """Column letter by normalised name, and name by column number; a repeated name is an error.
    A name that is a known one written another way (`cost per unit`, `Hard?`: `header_names`)
    is read as it, with a warning: ignored, its pledges silently took the default cost."""
    columns: dict[str, str] = {}
    positions: dict[int, str] = {}
    cells = tuple(cell for cell in cells if cell.value is not None)
    for cell, (name, loose) in zip(
        cells, header_names([c.value for c in cells], known), strict=True
    ):
        letter = get_column_letter(cell.column)
        if loose:
            issues.warn(
                address(title, f"{letter}{header_row}"), f"column '{cell.value}' is read as {name}"
            )
        if name in columns:
            issues.error(
                address(title, f"{letter}{header_row}"),
                f"column '{cell.value}' appears twice (also in column {columns[name]}); "
                "delete or rename one",
            )
            # its values are not read, as a private column's: the header's error says why (each
            # said `a value under a column without a header`, of a column with one: a trial)
            positions[cell.column] = f"_repeated {name}"
            continue
        columns[name] = letter
        positions[cell.column] = name
    return columns, positions


def _read_rows(
    rows: Iterator[tuple[Any, ...]],
    sheet: RawSheet,
    positions: dict[int, str],
    issues: Issues,
    below: _Below,
) -> None:
    """The data rows below the header into `sheet.rows`. After MAX_BLANK_RUN empty rows in a
    row, reading ends unless the sheet's XML has something in the table's columns further
    down (`below.filled`): reading then goes on from that row, which is read with a warning
    (a leftover far below the table is easily missed). Cells far below in no column of the
    table are not read (a stray cell at XFD1048576 makes no row 16,384 wide)."""
    start, blank_run, skipped = sheet.header_row + 1, 0, 0
    more: Iterator[tuple[Any, ...]] | None = rows
    while more is not None:
        rows, more = more, None
        for index, cells in enumerate(rows, start=start):
            values, where = _row_values(cells, index, sheet, positions, issues)
            if values:
                if skipped:
                    issues.warn(
                        row_address(sheet.title, index),
                        f"this row follows {skipped + blank_run:,} empty rows and is read as "
                        "part of the table; delete it if it is a leftover",
                    )
                sheet.rows.append(RawRow(index, values, where))
                blank_run = skipped = 0
                continue
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                found = below.filled(index + 1, sheet.columns.values())
                if found is not None:  # the empty rows up to it are not read one by one;
                    # the run starts again there, so the sheet is searched once per run
                    more, start = below.rows_from(found), found
                    skipped += blank_run + found - index - 1
                    blank_run = 0
                break


def _row_values(
    cells: tuple[Any, ...], index: int, sheet: RawSheet, positions: dict[int, str], issues: Issues
) -> tuple[dict[str, Any], dict[str, str]]:
    """One row's values and addresses by column name; a value without a header is an error
    instead, and so is an Excel error value in a column forcegen reads. Elsewhere it is not
    read: in a `_` column it is left out, in a copied or ignored column it is its text
    (`#N/A`), as a copy shows it, its cell noted (`RawSheet.error_cells`)."""
    title = sheet.title
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    for cell in cells:
        value = getattr(cell, "value", None)
        if value is None or sheet.in_totals(index, getattr(cell, "column", 0)):
            continue
        if isinstance(value, str) and not value.strip():
            continue
        at = address(title, f"{get_column_letter(cell.column)}{index}")
        column_name = positions.get(cell.column)
        if column_name is None:
            issues.error(at, "a value under a column without a header; add a header or delete it")
            continue
        if cell.data_type == "e":
            use = sheet.use(column_name)
            if use == "declared":
                issues.error(at, _error_value_text(value, cell))
            if use in ("declared", "private"):
                continue
            value = str(value)
            sheet.error_cells.add(at)
        if isinstance(value, int | float) and "%" in str(getattr(cell, "number_format", "")):
            sheet.percent_cells.add(at)
        values[column_name] = value
        where[column_name] = at
    return values, where


def error_value(value: object) -> str:
    """How a message names a cell's Excel error value: `Excel error value #N/A`."""
    return f"Excel error value {value}"


def _error_value_text(value: Any, cell: Any) -> str:
    """What an Excel error value in a column forcegen reads says. openpyxl reads a date cell
    whose serial number lies beyond the dates Excel knows (1e+300) as #VALUE! too, its
    format still a date's."""
    if is_date_format(getattr(cell, "number_format", None)):
        return (
            f"{error_value(value)} in a date cell (a formula's error, or a number beyond "
            "the dates Excel knows); fix the formula or type the date"
        )
    return f"{error_value(value)}; fix the formula or type the value"
