"""`verify INPUT PLAN --baseline FILE`: every file's problems in one run.

Each file was read in turn and the first refused stopped the run: a plan missing its `units`
column hid the baseline's bad cells, a bad cell of the input hid both files' (a re-plan trial
fixed one file, ran again and only then met the next one's). Where one file is refused, the
others are still read as far as they can be: against the input where it was read, else what
needs no input (each file's own unreadable cells, with a warning that its names and periods
are not checked). Every error then names its file, `plan.xlsx Tours!G4`, as two of them may
have the same sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..data import Data
from ..errors import WARNING, InputError, Issue, Issues
from ..io.baseline_cells import UNCHECKED, baseline_alone
from ..io.baseline_input import read_baseline
from ..io.schema_types import norm
from .reader import ALLOCATION, KEY_COLUMNS, TOURS, RawAllocation, missing_sheet, plan_cell
from .tours_sheet import read_tours


def refused(step: Callable[..., Any], *args: Any) -> tuple[Any, InputError | None]:
    """`step(*args)` and None, or None and the InputError it raised."""
    try:
        return step(*args), None
    except InputError as exc:
        return None, exc


def every_file_refused(
    paths: tuple[Path, Path, Path | None],
    input_refused: InputError | None,
    plan: RawAllocation | InputError,
    data: Data | None,
) -> InputError:
    """One InputError of every file's problems (`paths`: input, plan, baseline) once the input
    (`input_refused`; `data` None) or the plan is refused (`plan`: the plan as read, or the
    InputError its reading raised). A plan read is checked for what needs no input
    (`plan_alone`); the baseline file is read against the input where it was read, else as far
    as it can be alone (io/baseline_cells.py)."""
    workbook, allocation, baseline = paths
    names = file_names(paths)
    own: list[list[Issue]] = [[], []]  # the input's errors, the plan's
    warnings: list[Issue] = []
    if input_refused is not None:
        own[0], warnings = input_refused.errors, list(input_refused.warnings)
    if isinstance(plan, InputError):
        own[1] = plan.errors
        warnings += plan.warnings
    elif data is None:
        own[1] = plan_alone(plan)
        unchecked = UNCHECKED.format(workbook=workbook.name)
        warnings.append(Issue(names[allocation], unchecked, WARNING))
    found: list[Issue] = []  # the baseline's, each named with its file already
    if baseline is not None:
        found, notes = _baseline_errors(baseline, data, workbook.name)
        warnings += notes
    if sum(bool(e) for e in (*own, found)) > 1:  # which file: two may have the same sheets
        own = [in_file(own[0], names[workbook]), in_file(own[1], names[allocation])]
    return InputError([*own[0], *own[1], *found], warnings)


def plan_alone(raw: RawAllocation) -> list[Issue]:
    """The plan's errors that need no input: a missing sheet or column, a blank name or
    period, units not a whole number >= 0 (its Tours where it has one, else its Allocation)."""
    if raw.tours is not None or any(norm(t) == TOURS for t in raw.titles):
        _, exc = refused(read_tours, raw)
        return exc.errors if exc is not None else []
    issues = Issues(list(raw.issues.items))
    sheet = raw.sheet
    if sheet is None and not any(norm(t) == ALLOCATION for t in raw.titles):
        issues.items.append(missing_sheet(raw, "Allocation"))
    if sheet is not None and not sheet.lacks((*KEY_COLUMNS, "units"), issues):
        for row in sheet.rows:
            for name in (*KEY_COLUMNS, "units"):
                plan_cell(sheet, row, name, issues)
    return issues.errors


def _baseline_errors(
    path: Path, data: Data | None, workbook: str
) -> tuple[list[Issue], list[Issue]]:
    """The baseline file's errors (named with the file already) and warnings to say beside
    them: read against `data` (a copy: nothing is kept), else alone."""
    if data is None:
        return baseline_alone(path, workbook)
    _, exc = refused(read_baseline, path, replace(data, warnings=list(data.warnings)))
    return (exc.errors, exc.warnings) if exc is not None else ([], [])


def file_names(paths: tuple[Path, Path, Path | None]) -> dict[Path, str]:
    """Each file's name as its messages give it: its path where two share a name
    (out/plan.xlsx against plan.xlsx)."""
    given = [p for p in paths if p is not None]
    return {p: str(p) if sum(q.name == p.name for q in given) > 1 else p.name for p in given}


def in_file(issues: list[Issue], name: str) -> list[Issue]:
    """`issues` with their places prefixed by the file's name (`plan.xlsx Tours!G4`), unless
    they name it already (its name, or its path: `out/gone.xlsx: file not found`)."""
    return [
        i
        if i.where.startswith(name) or Path(i.where).name == Path(name).name
        else Issue(f"{name} {i.where}".strip(), i.message, i.level)
        for i in issues
    ]
