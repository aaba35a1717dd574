"""Lock columns a planner typed where they lock nothing: a header that only looks like `lock`,
or locks typed into a timed output's Allocation (its plan is its Tours). Each is said at its
cells, or a planner's locks are lost without a word."""

from __future__ import annotations

from ..addresses import address
from ..errors import Issues
from ..wording import cells_text, count
from .coerce import suggest
from .raw_sheet import RawSheet
from .schema_baseline import locks


def warn_lock_lookalikes(sheet: RawSheet, issues: Issues) -> None:
    """A header that looks like `lock` but is not it (`Locked`, `locks`) locks nothing: say so
    at its cell, or a planner's locks are lost without a word."""
    if "lock" in sheet.columns:
        return
    for column, letter in sheet.columns.items():
        hint = suggest(column, ["lock"])
        if hint:
            issues.warn(
                address(sheet.title, f"{letter}{sheet.header_row}"),
                f"column '{column}' is not read, so no row is locked by it{hint}",
            )


def warn_locks_not_read(alloc: RawSheet, issues: Issues) -> None:
    """A timed output's plan is its Tours: locks typed into its Allocation lock nothing. Say so
    at their cells, or a planner's locks are lost without a word."""
    if "lock" not in alloc.columns:
        return
    at = [
        row.where.get("lock") or alloc.address("lock", row.row)
        for row in alloc.rows
        if locks(row.values.get("lock"))
    ]
    if at:
        issues.warn(
            at[0],
            f"the Allocation's lock column locks nothing ({count(len(at), 'row')} locked: "
            f"{cells_text(at)}): a timed re-plan reads its baseline and its locks from the Tours "
            "sheet; type the locks there",
        )
