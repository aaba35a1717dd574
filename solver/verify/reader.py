"""Reading an output workbook's (hand-edited) `Allocation` sheet and its `Summary` for `verify`.

Every problem is reported as `Allocation!D7: what is wrong`, all at once, as an `InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import Data
from ..errors import Issue, Issues
from ..io.baseline_history import SHEET_COLUMNS as HISTORY_COLUMNS
from ..io.coerce import Bad, coerce, suggest
from ..io.excel import read_workbook
from ..io.raw_sheet import RawRow, RawSheet
from ..io.refs import suggest_contributor
from ..io.repeats import repeats_merged
from ..io.schema_types import Column, norm
from ..io.text import warn_if_cleaned, warn_numbers_as_text

ALLOCATION, SUMMARY, TOURS, HISTORY = "allocation", "summary", "tours", "history"
KEY_COLUMNS = ("contributor", "capability", "site")
UNITS = Column("units", "int", "units allocated", minimum=0)
PERSONNEL = Column("personnel", "int", "personnel allocated", minimum=0)
SHEET_OF = {"contributor": "Contributors", "capability": "Capabilities", "site": "Sites"}


@dataclass
class AllocationFile:
    """The allocation as read: one row per (contributor, capability, site), and the Summary."""

    alloc: pd.DataFrame  # contributor, capability, site, units, row (sheet row)
    summary: dict[str, Any]
    warnings: list[Issue] = field(default_factory=list)
    personnel: dict[int, tuple[str, int]] = field(default_factory=dict)  # row -> (cell, value)


@dataclass
class RawAllocation:
    """The output workbook as read, before its rows are checked against an input."""

    path: Path
    sheet: RawSheet | None
    summary: dict[str, Any]
    issues: Issues
    tours: RawSheet | None = None  # a timed plan's Tours sheet (None when there is none)
    titles: tuple[str, ...] = ()
    history: RawSheet | None = None  # a rolling re-plan's History sheet (own_history.py)


def read_raw(path: Path) -> RawAllocation:
    """Read the Allocation, Summary and (a timed plan's) Tours sheets; file-level problems raise
    `InputError` at once. A missing Allocation sheet is reported by `read_allocation`."""
    path = Path(path)
    issues = Issues()
    expected = {
        ALLOCATION: (*KEY_COLUMNS, "units", "personnel", "period"),
        SUMMARY: ("key", "value"),
        TOURS: (*KEY_COLUMNS, "from", "to", "units"),
        HISTORY: HISTORY_COLUMNS,
    }
    raw = read_workbook(path, expected, issues)
    summary_sheet = raw.sheets.get(SUMMARY)
    summary = (
        {}
        if summary_sheet is None
        else {
            str(r.values["key"]).strip(): r.values.get("value")
            for r in summary_sheet.rows
            if "key" in r.values
        }
    )
    return RawAllocation(
        path,
        raw.sheets.get(ALLOCATION),
        summary,
        issues,
        raw.sheets.get(TOURS),
        tuple(raw.titles),
        raw.sheets.get(HISTORY),
    )


def missing_sheet(raw: RawAllocation, title: str) -> Issue:
    """`plan.xlsx: sheet 'Tours' is missing (sheets found: ...)`."""
    return Issue(
        raw.path.name,
        f"sheet '{title}' is missing (sheets found: {', '.join(raw.titles) or 'none'})"
        + suggest(title, raw.titles),
    )


def read_allocation(raw: RawAllocation, data: Data) -> AllocationFile:
    """Check the Allocation rows against the input's keys; raise `InputError` listing all."""
    issues = Issues(list(raw.issues.items))
    sheet = raw.sheet
    if not any(norm(t) == ALLOCATION for t in raw.titles):
        issues.items.append(missing_sheet(raw, "Allocation"))
    frame, personnel = _rows(sheet, data, issues) if sheet is not None else (_empty(), {})
    issues.raise_if_errors()
    warn_duplicates(frame, sheet, issues)
    return AllocationFile(frame, raw.summary, repeats_merged(list(issues.warnings)), personnel)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (*KEY_COLUMNS, "units", "row")})


def _rows(
    sheet: RawSheet, data: Data, issues: Issues
) -> tuple[pd.DataFrame, dict[int, tuple[str, int]]]:
    if sheet.lacks((*KEY_COLUMNS, "units"), issues):
        return _empty(), {}
    keys = {
        "contributor": list(data.contributors["contributor"]),
        "capability": list(data.capabilities["capability"]),
        "site": list(data.sites["site"]),
    }
    records: list[dict[str, Any]] = []
    personnel: dict[int, tuple[str, int]] = {}
    for raw in sheet.rows:
        record: dict[str, Any] = {"row": raw.row}
        ok = True
        for name in (*KEY_COLUMNS, "units"):
            where = raw.where.get(name) or sheet.address(name, raw.row)
            typed = plan_cell(sheet, raw, name, issues)
            if typed is None:
                ok = False
                continue
            if name in keys:
                typed = _resolve(name, typed, keys[name], where, issues, data)
                ok = ok and typed is not None
            record[name] = typed
        if "personnel" in raw.values:
            personnel[raw.row] = (raw.where["personnel"], raw.values["personnel"])
        if ok:
            records.append(record)
    warn_units_as_text(sheet, issues)
    frame = pd.DataFrame.from_records(records, columns=[*KEY_COLUMNS, "units", "row"])
    return frame, personnel


def warn_units_as_text(sheet: RawSheet, issues: Issues) -> None:
    """A plan's `units` typed as text (`'1 '`): read as the number, and said once for the
    column, as `validate` says of the input's numbers: Excel's sums skip such cells, so a
    planner's own totals of the plan go wrong without a word (a planner trial's edit passed
    verify in silence)."""
    found = []
    for raw in sheet.rows:
        value = raw.values.get("units")
        where = raw.where.get("units") or sheet.address("units", raw.row)
        if not isinstance(value, str) or where in sheet.formula_values:
            continue
        try:
            coerce(UNITS, value)
        except Bad:
            continue  # not a number: its error is said already
        found.append((where, value))
    if found:
        warn_numbers_as_text("units", found, issues)


PERIOD_CELLS = ("from", "to")  # a plan's cells that name periods (the Tours sheet's)
# a blank a Baseline row reads as the horizon's end does not read so in a plan (a planner trial)
_BLANK_HINT = {
    "from": " (a tour's first period: a plan's tour names both its ends)",
    "to": " (a tour's last period: a plan's tour names both its ends; only a Baseline row's "
    "blank to means the last period)",
}


def plan_cell(sheet: RawSheet, raw: RawRow, name: str, issues: Issues) -> Any:
    """A key or `units` cell of a plan's row, typed; None (with its error) when it is blank or
    cannot be read."""
    where = raw.where.get(name) or sheet.address(name, raw.row)
    value = raw.values.get(name)
    if value is None:
        issues.missing(where, f"{name} is required" + _BLANK_HINT.get(name, ""))
        return None
    # a Tours sheet's from/to: a typed 2027-09 that Excel made a date is that period
    column = (
        UNITS if name == "units" else Column(name, "text", "", month_dates=name in PERIOD_CELLS)
    )
    try:
        typed = coerce(column, value)
    except Bad as bad:
        issues.error(where, str(bad))
        return None
    if name != "units" and isinstance(value, str):
        warn_if_cleaned(name, value, typed, where, issues)  # as the input sheets' keys are
    return typed


def _resolve(
    name: str, value: str, known: list[str], where: str, issues: Issues, data: Data
) -> str | None:
    """An input key; a unique match differing only in case is taken, with a warning."""
    if value in known:
        return value
    folded = [k for k in known if k.casefold() == value.casefold()]
    if len(folded) == 1:
        issues.warn(where, f"{name} '{value}' taken as '{folded[0]}' (case differs)")
        return folded[0]
    issues.error(where, dropped_text(data, name, value) or unknown_text(name, value, known, data))
    return None


def unknown_text(name: str, value: Any, known: list[str], data: Data) -> str:
    """A plan's key the input does not have, with a did-you-mean (of a contributor: by the
    nations' names too, `refs.suggest_contributor`)."""
    near = (
        suggest_contributor(str(value), known, data.contributors)
        if name == "contributor"
        else suggest(str(value), known)
    )
    return f"{name} '{value}' is not on the {SHEET_OF[name]} sheet of the input" + near


def dropped_text(data: Data, name: str, value: Any) -> str | None:
    """A plan's key that the scenario checked against drops (`Data.dropped`), said as such: the
    plan of base deploys Italy, and `-s italy_out` read 'ITA is not on the Contributors
    sheet'; None for any other key."""
    cells = data.dropped.get(SHEET_OF.get(name, ""), {})
    cell = next((c for k, c in cells.items() if k.casefold() == str(value).casefold()), None)
    if cell is None:
        return None
    return (
        f"{name} '{value}' is dropped by scenario '{data.scenario}' ({cell}), and this plan "
        f"has it: the plan cannot hold under the scenario (`forcegen solve -s {data.scenario}` "
        "plans without it)"
    )


REPEATED = "appears again"  # in the warning of an Allocation row repeating an earlier row's key


def warn_duplicates(frame: pd.DataFrame, sheet: RawSheet | None, issues: Issues) -> None:
    """Rows naming the same (contributor, capability, site) are added up, with a warning at the
    repeat's cell (`row`: each row's sheet row): a row pasted twice doubles its units, and the
    planner should know. verify's, and compare's of an output's Allocation."""
    first: dict[tuple[str, str, str], int] = {}
    for c, k, s, row in zip(
        frame["contributor"], frame["capability"], frame["site"], frame["row"], strict=True
    ):
        if (c, k, s) in first:
            where = sheet.address("contributor", row) if sheet is not None else f"row {row}"
            issues.warn(
                where,
                f"{c}/{k}/{s} {REPEATED} (first at row {first[(c, k, s)]}); its units are added up",
            )
        else:
            first[(c, k, s)] = row


def check_personnel(file: AllocationFile, ppu: dict[tuple[str, str], int]) -> list[Issue]:
    """Warnings where a `personnel` cell disagrees with units x unit size (units are what count)."""
    out = []
    for c, k, units, row in zip(
        file.alloc["contributor"],
        file.alloc["capability"],
        file.alloc["units"],
        file.alloc["row"],
        strict=True,
    ):
        if row not in file.personnel or (c, k) not in ppu:
            continue
        where, value = file.personnel[row]
        expected = int(units) * ppu[(c, k)]
        try:
            given = coerce(PERSONNEL, value)
        except Bad:
            given = None
        if given != expected:
            out.append(
                Issue(
                    where,
                    f"personnel {value!r} is not {units} x {ppu[(c, k)]} = "
                    f"{expected}; verify counts units (personnel is derived)",
                    "warning",
                )
            )
    return out


def load(raw: RawAllocation, data: Data) -> AllocationFile:
    """Check the allocation rows and add the personnel warnings."""
    file = read_allocation(raw, data)
    ppu = {
        (c, k): int(p)
        for c, k, p in zip(
            data.pledges["contributor"],
            data.pledges["capability"],
            data.pledges["personnel_per_unit"],
            strict=True,
        )
    }
    file.warnings.extend(check_personnel(file, ppu))
    return file
