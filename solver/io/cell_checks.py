"""Checks made after a workbook's sheets are read: what reading values alone cannot see.

A formula without a cached value reads as a blank, and a merged range reads as one value and
blanks: both are reported at their cells instead. Hidden data rows are read, with a warning.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from ..addresses import address, sheet_in_reference
from ..errors import Issues
from ..wording import cells_text
from .open_book import open_workbook
from .raw_sheet import RawRow, RawSheet
from .schema import INPUT_SHEETS
from .schema_types import norm
from .sheet_xml import merged_and_hidden


def check_formulas(
    path: Path, titles: list[str], sheets: dict[str, RawSheet], issues: Issues, reach: int
) -> None:
    """A formula whose cached value is missing reads as blank: in a column forcegen reads,
    report it as an error; in a column copied to the output, warn once that it is copied as
    blank; in an ignored or `_` column, nothing (it is not read). Cells are looked at down
    to `reach` rows below the last row read."""
    by_title = {s.title: s for s in sheets.values()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handle = path.open("rb")
        wb = open_workbook(handle, data_only=False)
    try:
        for title in titles:
            sheet = by_title.get(title)
            if sheet is not None:
                _check_sheet_formulas(wb[title], sheet, issues, reach)
    finally:
        wb.close()
        handle.close()


def _check_sheet_formulas(ws: Any, sheet: RawSheet, issues: Issues, reach: int) -> None:
    """`check_formulas` on one sheet; the cells of its columns not read are noted
    (`RawSheet.formula_cells`), and those read as a formula's value (`formula_values`)."""
    title = sheet.title
    name_of = {letter: name for name, letter in sheet.columns.items()}
    present = {(r.row, letter) for r in sheet.rows for letter in _letters(sheet, r)}
    blank_copies: dict[str, list[str]] = {}  # a copied column's letter -> its cells
    # no further than reading went: a sheet styled down to row 1,048,576 stays quick
    last = (sheet.rows[-1].row if sheet.rows else sheet.header_row) + reach
    for cells in ws.iter_rows(min_row=sheet.header_row, max_row=last):
        for cell in cells:
            if getattr(cell, "data_type", None) != "f" or sheet.in_totals(cell.row, cell.column):
                continue  # a totals row's SUBTOTAL is not read
            letter = get_column_letter(cell.column)
            at = address(title, f"{letter}{cell.row}")
            if cell.row == sheet.header_row:
                if letter not in name_of:
                    _header_formula(issues, title, letter, at, str(cell.value))
                continue
            if issues.has_error_at(at):  # an Excel error value, said already
                continue
            if (cell.row, letter) in present:  # read as its calculated value
                sheet.formula_values.add(at)
                continue
            if letter not in name_of:
                continue
            use = sheet.use(name_of[letter])
            if use == "declared":
                issues.error(
                    at,
                    f"{no_calculated_value(cell.value)}; open and save it in Excel, or type "
                    "the value",
                )
                continue
            if use != "private":
                sheet.formula_cells[at] = str(cell.value)
            if use == "copied":
                blank_copies.setdefault(letter, []).append(at)
    for letter, addresses in blank_copies.items():
        header = sheet.typed.get(name_of[letter], name_of[letter])
        issues.warn(
            address(title, f"{letter}{sheet.header_row}"),
            f"column '{header}': {cells_text(addresses)} "
            f"{'is a formula' if len(addresses) == 1 else 'are formulas'} with no calculated "
            f"value (the file was written by a program, not Excel), copied to the output's "
            f"{title} sheet as blank; open and save the file in Excel to copy the values",
        )


def no_calculated_value(formula: object) -> str:
    """How a message names a cell holding `formula` without a calculated value: `formula
    =SUM(A1:A3) has no calculated value (the file was written by a program, not Excel)`."""
    return (
        f"formula {str(formula)[:60]} has no calculated value (the file was written by a "
        "program, not Excel)"
    )


def _header_formula(issues: Issues, title: str, letter: str, at: str, formula: str) -> None:
    """A header that is a formula without a calculated value: said at the header's cell, in
    place of the error at every value below it (`a value under a column without a header`)."""
    below = re.compile(re.escape(address(title, letter)) + r"\d+$")
    issues.drop(
        lambda i: (
            bool(below.match(i.where)) and i.message.startswith("a value under a column without")
        )
    )
    issues.error(
        at,
        f"the header is formula {formula[:60]} with no calculated value (the file was written "
        "by a program, not Excel); type the column's name",
    )


def _labels(sheets: dict[str, RawSheet]) -> dict[str, set[str]]:
    """Per input sheet read (by its key), its label columns: text for display only, which no
    rule reads (free text, and columns whose bad cell keeps its row: `phase`). A planner merges
    such a label down the rows it covers (a phase over its periods: a trial)."""
    out: dict[str, set[str]] = {}
    for spec in INPUT_SHEETS:
        if norm(spec.name) in sheets:
            out[norm(spec.name)] = {
                c.name for c in spec.columns if c.kind == "text" and (c.free or c.keeps_row)
            }
    return out


def _label_filled_down(sheet: RawSheet, ref: str, labels: set[str]) -> str | None:
    """A range merged down one label column below the header: its first cell's value, put in
    each of its other rows read (their cells read as blank); None for any other range."""
    first_col, first_row, last_col, last_row = range_boundaries(ref)
    letter = get_column_letter(first_col)
    names = [n for n, at in sheet.columns.items() if at == letter and n in labels]
    if first_col != last_col or first_row <= sheet.header_row or not names:
        return None
    name = names[0]
    top = next((r for r in sheet.rows if r.row == first_row and name in r.values), None)
    if top is None:
        return None
    for row in sheet.rows:
        if first_row < row.row <= last_row and name not in row.values:
            row.values[name] = top.values[name]
            row.where[name] = address(sheet.title, f"{letter}{row.row}")
    return str(top.values[name])


def _merged_in_table(sheet: RawSheet, ref: str) -> bool:
    """Whether merged range `ref` misreads the table: it reaches a column with a header at or
    below the header row, and its first cell holds something (the others read as blanks). A
    title merged across the top, a note merged beside the table (its value is an error of its
    own there) or blank cells merged together change nothing that is read."""
    first_col, first_row, last_col, last_row = range_boundaries(ref)
    if last_row < sheet.header_row:
        return False
    headed = {column_index_from_string(letter) for letter in sheet.columns.values()}
    if not any(first_col <= c <= last_col for c in headed):
        return False
    if first_row <= sheet.header_row:
        return True
    names = {
        name for name, letter in sheet.columns.items() if letter == get_column_letter(first_col)
    }
    return any(r.row == first_row and names & r.values.keys() for r in sheet.rows)


def _letters(sheet: RawSheet, row: RawRow) -> list[str]:
    return [sheet.columns[name] for name in row.values if name in sheet.columns]


def check_merged_and_hidden(
    path: Path, wb: Any, sheets: dict[str, RawSheet], issues: Issues
) -> None:
    """Merged cells in the table are errors (all but the first read as blanks), but for a label
    merged down its column (`_labels`), read in each of its rows with a warning; hidden data
    rows are worth a warning."""
    by_title = {s.title: s for s in sheets.values()}
    labels = {sheets[key].title: names for key, names in _labels(sheets).items()}
    for title, merged, hidden_rows in merged_and_hidden(path, wb, by_title):
        sheet = by_title[title]
        for ref in merged:
            if not _merged_in_table(sheet, ref):
                continue
            label = _label_filled_down(sheet, ref, labels.get(title, set()))
            if label is not None:
                issues.warn(
                    address(title, ref),
                    f"merged cells: a label, read as {label!r} in each of their rows (unmerge "
                    "them and fill every cell to silence this warning)",
                )
                continue
            issues.error(
                address(title, ref),
                "merged cells; unmerge them and fill every cell (merged cells read as blanks)",
            )
        hidden = [r for r in hidden_rows if r > sheet.header_row]
        if hidden:
            shown = ", ".join(map(str, hidden[:5])) + (" ..." if len(hidden) > 5 else "")
            issues.warn(
                sheet_in_reference(title),
                f"hidden rows {shown} are read like visible ones (unhide them to check them, "
                "or delete the rows that are not meant to count)",
            )
