"""A baseline file's own bad cells, said beside a workbook that is refused.

A workbook with errors stops before its baseline is read against it (the rows need its keys
and periods), so a re-plan trial fixed the workbook's one cell, ran again and only then met
the baseline's five. The cells that need no workbook to judge are read here: each row of the
plan sheet (a timed output's Tours, else the Allocation) must name a contributor, capability
and site, its units must be a whole number >= 0, and its lock yes or no.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import WARNING, InputError, Issue, Issues
from .baseline_odd import KEYS
from .coerce import Bad, coerce
from .excel import read_workbook
from .filecheck import check_file
from .schema_baseline import BASELINE

TYPED = {"units": BASELINE.column("units"), "lock": BASELINE.column("lock")}
# said of a briefing page given as --baseline (io/filecheck.check_file)
AN_OUTPUT_WORKBOOK = (
    "--baseline takes the output workbook (.xlsx) of an earlier forcegen solve, not its page"
)
# a refused workbook has no keys or periods to read the file's against: said, not passed over
UNCHECKED = (
    "its contributors, capabilities, sites and periods are not checked against {workbook}, "
    "which could not be read (its errors say why): they are once it reads"
)


@contextlib.contextmanager
def said_with_baseline_file(baseline: object, workbook: str = "the workbook") -> Iterator[None]:
    """Within: a workbook refused (InputError) is refused with what can be said of the
    baseline file given (a path) without it (`baseline_alone`), which the workbook's errors
    stop before its baseline is read against it: a planner fixing both learns of both at
    once."""
    try:
        yield
    except InputError as exc:
        if isinstance(baseline, str | Path):
            errors, notes = baseline_alone(Path(baseline), workbook)
            raise InputError([*exc.errors, *errors], [*exc.warnings, *notes], exc.note) from None
        raise


def baseline_alone(path: Path, workbook: str = "the workbook") -> tuple[list[Issue], list[Issue]]:
    """What a baseline file's reading says without its workbook (refused): the errors that make
    it no workbook at all (missing, a folder, not .xlsx, a briefing page), else its own bad
    cells (`own_cell_errors`) and a warning that its keys and periods are not checked against
    `workbook` (its name, as messages give it)."""
    try:
        check_file(path, takes=AN_OUTPUT_WORKBOOK)
    except InputError as bad:
        return bad.errors, []
    unchecked = Issue(path.name, UNCHECKED.format(workbook=workbook), WARNING)
    return own_cell_errors(path), [unchecked]


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
