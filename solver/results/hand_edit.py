"""Whether a forcegen output is still the plan its solve wrote, or a planner's work: a plan
edited by hand after it was solved (its Allocation or Tours no longer give the digest its Summary
recorded, `digest.py`), or a `lock` column a planner added that locks a row (or may: a lock cell
no reader can judge). The output guards (`overwrite_guard`, a sweep's earlier outputs), a
baseline file's reading and compare ask it; the output's sheets are read as they stand, their
headers as forcegen writes them (`tidied_headers`, as `outputs.load` reads a plan too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..addresses import address
from ..io.cell_checks import no_calculated_value
from ..io.open_book import open_workbook
from ..io.schema_baseline import locks
from ..io.schema_types import norm
from .comments import commented_sheets
from .digest import CANNOT_READ, KEYS, allocation_digest, derived_edited, tours_edited

SEP = ", "  # between the names the Summary's `output_sheets` and `columns.<sheet>` record


@dataclass
class Recorded:
    """An output as `_recorded` reads it: its Summary's keys and values, the sheets asked for
    as they stand, and the names of all its sheets."""

    stored: dict[Any, Any]
    sheets: dict[str, pd.DataFrame]
    names: list[str]
    blank: set[str]  # the sheets its solve did not write with no value in any cell


# why a forcegen output is a planner's work (`hand_edit`), as the output guards say it
EDITED = "holds a plan edited by hand after it was solved"
# Tours cells that follow from from, to and units changed by hand (end_date, months): no change
# of the plan, but the planner's (verify warns at them)
DERIVED_EDITED = (
    "holds Tours cells edited by hand after it was solved (months, personnel, start_date or "
    "end_date; the plan is from, to and units, as verify says)"
)
LOCKED = "holds a plan with rows locked in a lock column (a baseline for a re-plan)"
# a planner's additions to an output whose plan is as solved: sheets, plan columns or rows its solve
# did not write (`output_sheets`, `columns.<plan sheet>` in its Summary): notes a solve would lose
ADDED = "holds a planner's additions ({what})"
# a lock cell no reader can judge: a formula without a calculated value (openpyxl reads None)
UNREAD_LOCK = (
    "holds a lock cell, {at}, whose {formula}, so it may lock a row (a baseline for a re-plan)"
)


def hand_edit(path: Path) -> str:
    """Why `path` is a planner's work, "" when it is not: a forcegen output whose Allocation or
    Tours a planner gave a `lock` column locking a row (the baseline's locks, replanning.md:
    the digests do not read them; a cell that cannot be read as yes/no counts, to be safe), or
    whose Tours (timed) or Allocation no longer give the digest its Summary recorded. "" for
    anything else (no such file, no digest recorded, unreadable): the output guard judges
    those. The cells are read as they stand (openpyxl): pandas would read a capability `INF`
    as infinity. A `lock` cell holding a formula without a calculated value (a file written by
    a program that does not compute formulas) cannot be read at all: it may lock a row, and
    counts too (`UNREAD_LOCK`, naming the cell), as verify, compare and report warn at it."""
    found = _recorded(path, ("Allocation", "Tours"), alternatives=True)
    if found is None:
        return ""
    stored, sheets = found.stored, found.sheets
    commented = commented_sheets(path)
    on = f"cell comments on {', '.join(commented)}" if commented else ""
    added = ", ".join(filter(None, [additions(found), on]))
    if any(_locks_a_row(sheet) for sheet in sheets.values()):
        return LOCKED
    locked = [name for name, sheet in sheets.items() if _has_lock_column(sheet)]
    unread = _uncalculated_lock(path, locked) if locked else ""
    if unread:
        return unread
    tours = stored.get("tours_sha256")
    timed = isinstance(tours, str) and bool(tours) and "Tours" in sheets
    if timed and tours_edited(stored, sheets["Tours"]) and not _notes_alone(stored, sheets):
        return EDITED
    if timed and derived_edited(stored, _with_units(sheets["Tours"])):
        return DERIVED_EDITED
    if "Allocation" in sheets and _allocation_edited(sheets["Allocation"], stored):
        return EDITED
    return ADDED.format(what=added) if added else ""


def _notes_alone(stored: dict[Any, Any], sheets: dict[str, pd.DataFrame]) -> bool:
    """The Tours' rows with units still give the digest: what differs is rows noted below the
    table (no units), a planner's addition, not an edit of the plan (a review: such a note was
    said `a plan edited by hand`, where the same below the Allocation was an addition)."""
    tours = sheets["Tours"]
    return "units" in tours.columns and not tours_edited(stored, _with_units(tours))


def _with_units(tours: pd.DataFrame) -> pd.DataFrame:
    """The rows of a plan sheet with a units cell (a note below the table has none)."""
    return tours[tours["units"].notna()] if "units" in tours.columns else tours


def additions(found: Recorded) -> str:
    """What a planner added to the output (`sheet 'Notes'`, `Tours column 'note'`,
    `Allocation rows below its table`), as its Summary's `output_sheets` and `columns.Tours`,
    `columns.Allocation` record what its solve wrote; "" for none, or for an output that
    records none of them (older ones). An added sheet with nothing in it is no addition."""
    written = found.stored.get("output_sheets")
    if not isinstance(written, str):
        return ""
    added = [
        f"sheet '{n}'" for n in found.names if n not in written.split(SEP) and n not in found.blank
    ]
    for key, columns in found.stored.items():
        plan = str(key).removeprefix("columns.")
        frame = found.sheets.get(plan) if str(key).startswith("columns.") else None
        if isinstance(columns, str) and frame is not None:
            added += _added_to(plan, frame, set(columns.split(SEP)))
    return ", ".join(dict.fromkeys(added))


def _added_to(plan: str, frame: pd.DataFrame, kept: set[str]) -> list[str]:
    """A plan sheet's columns its solve did not write (`lock` aside: a baseline's own), cells
    beside its table, and rows below it (a note: a row with no units)."""
    added = []
    for j, column in enumerate(frame.columns):
        if not isinstance(column, str) and pd.isna(column):  # no header
            if frame.iloc[:, j].notna().any():
                added.append(f"{plan} cells beside its table")
        elif column not in kept and not _is_lock(column):
            added.append(f"{plan} column '{column}'")
    if "units" in frame.columns:
        noted = [j for j, c in enumerate(frame.columns) if not _is_lock(c)]
        beyond = frame["units"].isna() & frame.iloc[:, noted].notna().any(axis=1)
        if beyond.any():  # a lock cell there is read as the lock column's (it locks nothing)
            added.append(f"{plan} rows below its table")
    return added


def tours_cells_edited(path: Path) -> bool:
    """Whether a timed output's Tours cells that follow from from, to and units were typed
    over by hand (`digest.derived_edited`, the sheet read as it stands); False when nothing
    is recorded or it cannot be read."""
    found = _recorded(path, ("Tours",))
    if found is None or "Tours" not in found.sheets:
        return False
    return derived_edited(found.stored, found.sheets["Tours"])


def plan_as_solved(path: Path, timed: bool) -> bool:
    """Whether `path` is a forcegen output whose plan is the one its solve wrote: its Summary
    records the plan's digest (`tours_sha256` of a `timed` output's Tours, else
    `allocation_sha256` of its Allocation) and the plan sheet as it stands gives it (a `lock`
    column a planner added is no edit). False for anything else: an edited plan, no digest
    recorded (an older output, whose edits cannot be told), a file that cannot be read."""
    sheet = "Tours" if timed else "Allocation"
    found = _recorded(path, (sheet,))
    if found is None or sheet not in found.sheets:
        return False
    stored, sheets = found.stored, found.sheets
    if not timed:
        return not _allocation_edited(sheets[sheet], stored)
    tours = stored.get("tours_sha256")
    return isinstance(tours, str) and bool(tours) and not tours_edited(stored, sheets[sheet])


def _locks_a_row(sheet: pd.DataFrame) -> bool:
    """A column headed `lock` (as the baseline's reading matches it) with a cell that locks
    (`schema_baseline.locks`)."""
    return any(
        any(locks(value) for value in sheet.iloc[:, j])
        for j, column in enumerate(sheet.columns)
        if norm(column) == "lock"
    )


def _has_lock_column(sheet: pd.DataFrame) -> bool:
    """A column headed `lock`, as `_locks_a_row` matches it."""
    return any(norm(column) == "lock" for column in sheet.columns)


def _uncalculated_lock(path: Path, names: list[str]) -> str:
    """`UNREAD_LOCK` for the first `lock` cell of the sheets `names` of the output `path` that
    holds a formula without a calculated value (its formula read as written, its value None as
    read), "" when none does or the file cannot be read again."""
    try:
        formulas = open_workbook(path, data_only=False)
        values = open_workbook(path)
    except CANNOT_READ:
        return ""
    try:
        for name in names:
            found = _formula_without_value(formulas[name], values[name])
            if found:
                return UNREAD_LOCK.format(at=found[0], formula=no_calculated_value(found[1]))
        return ""
    except CANNOT_READ:
        return ""
    finally:
        formulas.close()
        values.close()


def _formula_without_value(formulas: Any, values: Any) -> tuple[str, str] | None:
    """(reference, formula) of the first cell under a `lock` header of a sheet, read as
    written (`formulas`) and as calculated (`values`), that is a formula with no value."""
    rows = zip(formulas.iter_rows(), values.iter_rows(values_only=True), strict=False)
    header = next(rows, None)
    if header is None:
        return None
    columns = [j for j, cell in enumerate(header[0]) if norm(cell.value) == "lock"]
    for cells, row in rows:
        for j in columns:
            cell = cells[j] if j < len(cells) else None
            value = row[j] if j < len(row) else None
            if cell is not None and getattr(cell, "data_type", None) == "f" and value is None:
                return address(formulas.title, cell.coordinate), str(cell.value)
    return None


def allocation_state(path: Path) -> str:
    """Of a forcegen output, its Allocation sheet against the digest its Summary recorded:
    "deleted" (no such sheet), "edited" (other rows, or a key or units cell that is no longer
    read as one) or "" (as solved, or nothing to judge by: no digest, unreadable). Read on its
    own and leniently (openpyxl, values as they stand): a note typed beside the table, a merged
    cell or a formula without a value is no edit of the plan and never an error here."""
    found = _recorded(path, ("Allocation",))
    if found is None:
        return ""
    stored, alloc = found.stored, found.sheets.get("Allocation")
    if alloc is None:
        return "deleted"
    return "edited" if _allocation_edited(alloc, stored) else ""


def _allocation_edited(alloc: pd.DataFrame, stored: dict[Any, Any]) -> bool:
    """The Allocation rows as they stand no longer give the digest the Summary recorded."""
    if any(c not in alloc.columns for c in [*KEYS, "units"]):
        return True
    # a row without units is no plan row (a note below the table); a plan row emptied of its
    # units changes the digest, as its deletion would
    alloc = alloc[alloc["units"].notna()]
    try:
        return bool(allocation_digest(alloc) != stored["allocation_sha256"])
    except (TypeError, ValueError):  # a units or personnel cell that is no number
        return True


def _recorded(path: Path, names: tuple[str, ...], alternatives: bool = False) -> Recorded | None:
    """The Summary's keys and values, those of the sheets `names` the output has (with
    `alternatives`, their alternatives' too: `Tours.2`, ...), as they stand, and its sheets'
    names; None when it cannot be read or its Summary records no `allocation_sha256`."""
    try:
        book = open_workbook(path)
    except CANNOT_READ:
        return None
    try:
        if "Summary" not in book.sheetnames:
            return None
        stored = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
        recorded = stored.get("allocation_sha256")
        if not isinstance(recorded, str) or not recorded:
            return None
        sheets = {
            n: _sheet(book, n)
            for n in book.sheetnames
            if n in names or (alternatives and f"columns.{n}" in stored)
        }
        # only a sheet the solve did not write can be an addition: none read otherwise
        written = str(stored.get("output_sheets") or "").split(SEP)
        blank = {n for n in book.sheetnames if n not in written and not _any_value(book[n])}
        return Recorded(stored, sheets, list(book.sheetnames), blank)
    except CANNOT_READ:
        return None
    finally:
        book.close()


def _is_lock(column: Any) -> bool:
    """A `lock` column, as the baseline's reading matches its header."""
    return isinstance(column, str) and norm(column) == "lock"


def _any_value(sheet: Any) -> bool:
    """Some cell of the sheet holds a value (read up to the first that does); a chart sheet,
    which has no cells, holds its chart (a review: it made the guard fail)."""
    if not hasattr(sheet, "iter_rows"):
        return True
    return any(v is not None for row in sheet.iter_rows(values_only=True) for v in row)


def _sheet(book: Any, name: str) -> pd.DataFrame:
    """The sheet's rows under its headers as forcegen writes them (a header tidied to `Site`
    or ` units ` is no edit of the plan)."""
    sheet = book[name]
    if not hasattr(sheet, "iter_rows"):  # a chart sheet: no table
        return pd.DataFrame()
    header, *rows = list(sheet.iter_rows(values_only=True)) or [()]
    names = tidied_headers(list(header))
    columns = [names.get(h, h) for h in header]
    return pd.DataFrame([r for r in rows if any(v is not None for v in r)], columns=columns)


def header_name(header: Any) -> Any:
    """A header as forcegen writes it: lower case, no spaces around."""
    return header.strip().lower() if isinstance(header, str) else header


def tidied_headers(headers: list[Any]) -> dict[Any, Any]:
    """Header -> forcegen's name for it, for each header tidied by hand (`Site `); one whose
    name another column has already (a `Site ` column of notes beside `site`) keeps its own,
    and is a column forcegen does not read."""
    taken = {h for h in headers if header_name(h) == h}
    out = {}
    for h in headers:
        name = header_name(h)
        if name != h and name not in taken:
            out[h] = name
            taken.add(name)
    return out
