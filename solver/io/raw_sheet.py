"""A sheet as read from a workbook: raw cells with the addresses a planner finds in Excel.

`excel.read_workbook` makes these; `validate.py` and the readers of outputs interpret them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..addresses import address, row_address
from ..errors import Issues


@dataclass
class RawRow:
    """One data row: values by normalised column name, and where each came from."""

    row: int
    values: dict[str, Any]
    where: dict[str, str]


@dataclass
class RawSheet:
    """A sheet as read: its title in the workbook, header columns and data rows."""

    title: str
    header_row: int
    columns: dict[str, str]  # normalised column name -> column letter
    rows: list[RawRow] = field(default_factory=list)
    # normalised column name -> the header as typed (`Rationale`), for a column an output copies
    typed: dict[str, str] = field(default_factory=dict)
    # the column names the reader declares (its schema's), and whether the sheet's other
    # columns are copied to an output (the Caveats sheet) rather than ignored
    declared: frozenset[str] = frozenset()
    copies: bool = False
    # the cells of its other columns whose Excel error value is read as its text (`#N/A`): a
    # reader of such a column tells the error from the same text typed
    error_cells: set[str] = field(default_factory=set)
    # the cells of numbers formatted as a percentage (50% holds 0.5): said where one is refused
    percent_cells: set[str] = field(default_factory=set)
    # the cells of its other columns holding a formula without a calculated value (read as
    # blank), each with its formula: a reader of such a column tells it from a blank cell
    formula_cells: dict[str, str] = field(default_factory=dict)
    # the cells read as a formula's calculated value: nothing typed there (a formula giving
    # text where a number is read is no number typed as text)
    formula_values: set[str] = field(default_factory=set)
    # the rows of an Excel table's totals row, each with the columns (first, last; 1-based) the
    # table spans there (`sheet_xml.totals_rows`): a total, not data, so not read
    totals: dict[int, tuple[int, int]] = field(default_factory=dict)

    def in_totals(self, row: int, column: int) -> bool:
        """Whether the cell (row, column number) is in an Excel table's totals row."""
        first, last = self.totals.get(row, (0, -1))
        return first <= column <= last

    @property
    def blank(self) -> bool:
        """Nothing on the sheet: no header, no rows (an optional sheet so is read as absent)."""
        return not self.columns and not self.rows

    def use(self, column: str) -> str:
        """What reading does with `column`: `declared` (read and checked), `private` (a
        `_` header: neither read nor said), `copied` (to the output as it is) or `ignored`
        (said once, at its header)."""
        if column in self.declared:
            return "declared"
        if column.startswith("_"):
            return "private"
        return "copied" if self.copies else "ignored"

    def address(self, column: str, row: int) -> str:
        letter = self.columns.get(column)
        return address(self.title, f"{letter}{row}") if letter else row_address(self.title, row)

    def lacks(self, needed: list[str] | tuple[str, ...], issues: Issues) -> bool:
        """Report every needed column the header row lacks (one error each, on that row);
        True when any is missing."""
        missing = [c for c in needed if c not in self.columns]
        found = ", ".join(self.columns) or "none"
        for column in missing:
            issues.error(
                row_address(self.title, self.header_row),
                f"required column '{column}' is missing (columns found: {found})",
            )
        return bool(missing)


@dataclass
class RawWorkbook:
    """Every sheet of the workbook that forcegen reads, by normalised sheet name."""

    path: Path
    sheets: dict[str, RawSheet]
    titles: list[str]
    # an optional sheet the workbook lacks -> its sheet of a name like it, not read as it
    # (`sheet_lookalikes`): a message about what the sheet's absence makes names it
    unread: dict[str, str] = field(default_factory=dict)
