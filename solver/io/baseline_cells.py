"""A baseline file's own bad cells, said beside a workbook that is refused.

A workbook with errors stops before its baseline is read against it (the rows need its keys
and periods), so a re-plan trial fixed the workbook's one cell, ran again and only then met
the baseline's five. The cells that need no workbook to judge are read here: each row of the
plan sheet (a timed output's Tours, else the Allocation) must name a contributor, capability
and site, its units must be a whole number >= 0, and its lock yes or no.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Issue, Issues
from .baseline_odd import KEYS
from .coerce import Bad, coerce
from .excel import read_workbook
from .schema_baseline import BASELINE

TYPED = {"units": BASELINE.column("units"), "lock": BASELINE.column("lock")}


def own_cell_errors(path: Path) -> list[Issue]:
    """The file's errors that need no workbook, each at `file Sheet!Cell`; none where it cannot
    be read as a plan at all (the whole reading says so once the workbook is right)."""
    issues = Issues()
    columns: tuple[str, ...] = (*KEYS, "units", "lock")
    expected = {"tours": columns, "allocation": columns}
    try:
        raw = read_workbook(path, expected, issues)
    except (InputError, OSError, ValueError):
        return []
    sheet = raw.sheets.get("tours") or raw.sheets.get("allocation")
    if sheet is None or any(column not in sheet.columns for column in (*KEYS, "units")):
        return []
    for row in sheet.rows:
        for column in columns:
            value = row.values.get(column)
            where = row.where.get(column) or sheet.address(column, row.row)
            if value is None and column != "lock":
                issues.missing(where, f"{column} is required; fill in the cell")
            elif value is not None and column in TYPED:
                try:
                    coerce(TYPED[column], value)
                except Bad as bad:
                    issues.error(where, str(bad))
    return [Issue(f"{path.name} {i.where}", i.message, i.level) for i in issues.errors]
