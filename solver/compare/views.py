"""One scenario's answer as the comparison reads it: from a solve's tables or from an output file.

Everything a comparison shows is derived here from three tables: the allocation (the plan), the
requirement lines (site, capability, required, priority) and the contributors. So a hand-edited
Allocation sheet is compared as it stands, not as its (stale) Coverage or Contributors sheets say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..addresses import address, sheet_in_reference
from ..data import Data
from ..errors import Issue, Issues
from ..io.baseline_kind import other_workbook
from ..io.coerce import Bad, coerce
from ..io.excel import read_workbook
from ..io.raw_sheet import RawSheet
from ..io.schema_types import Column
from ..outputs.load import PLAN_STATUSES, status_problem
from ..results.tables import Tables
from ..verify.baseline import plan_lock_warnings
from ..verify.reader import warn_duplicates

ALLOC_COLUMNS = ["contributor", "capability", "site", "units", "personnel"]
LINE_COLUMNS = ["site", "capability", "required", "priority"]
SHEETS = {
    "summary": ("key", "value"),
    "allocation": tuple(ALLOC_COLUMNS),
    "coverage": ("site", "capability", "required", "allocated", "shortfall", "priority"),
    "contributors": ("contributor", "pledged_units", "deployed_units", "deployed_personnel"),
}
_INT = Column("units", "int", "", minimum=0)
_TEXT = Column("text", "text", "")


@dataclass
class ScenarioView:
    """What is compared of one scenario; `status` is `error` when it has no output at all."""

    name: str
    status: str
    summary: dict[str, Any] = field(default_factory=dict)
    allocation: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ALLOC_COLUMNS))
    lines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LINE_COLUMNS))
    contributors: list[str] = field(default_factory=list)
    stages: dict[str, float | None] = field(default_factory=dict)
    stages_from: str = "solve"  # solve | Summary | recomputed
    error: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    generated: bool = False  # a scenario the sweep made (withdraw_<CODE>), not the workbook's
    edited: bool = False  # the Allocation sheet differs from the plan that was solved
    violations: list[str] | None = None  # verify's findings; None when not checked (no input)
    timed: bool = False  # counts are unit-months and person-months (sweep/timed_view.py)
    unfit: str = ""  # why its input, found beside it, does not fit its plan (compare/audit.py)
    # the names of its Allocation taken as the input's, case aside (compare/names.py): notes
    taken_as: list[str] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return self.status in PLAN_STATUSES


def from_tables(
    name: str, tables: Tables, *, source: str = "", generated: bool = False
) -> ScenarioView:
    """The view of a solve's tables (what `api.write` writes)."""
    summary = dict(tables.summary)
    status = str(summary.get("status", "error"))
    alloc = tables.allocation[ALLOC_COLUMNS].copy() if len(tables.allocation) else None
    return ScenarioView(
        name=name,
        status=status,
        summary=summary,
        allocation=typed_allocation(alloc),
        lines=tables.coverage[LINE_COLUMNS].reset_index(drop=True),
        contributors=list(tables.contributors["contributor"]),
        stages={k: v for k, v in tables.summary if k.startswith("objective.")},
        source=source,
        generated=generated,
    )


def error_view(
    name: str, error: str, *, status: str = "error", generated: bool = False
) -> ScenarioView:
    """A scenario that gave no output (invalid input, internal error, not run)."""
    return ScenarioView(name=name, status=status, error=error, generated=generated)


def load_output(path: Path, data: Data | None = None) -> ScenarioView:
    """Read an output workbook of forcegen (possibly hand-edited), audited as `compare` does.

    With `data` (the input, with the scenario applied) the requirement lines, contributors,
    personnel and every objective stage are recomputed from the Allocation sheet; without it
    they are, when the input the Summary names is found (see `audit`).
    """
    from .audit import Inputs, audit, recompute

    view = read_output(path)
    if data is None:
        audit(view, Inputs(None))
    else:
        recompute(view, data)
    return view


def read_output(path: Path) -> ScenarioView:
    """The output workbook as written (stages from its Summary); its notes say what reading it
    warned about, a `lock` cell a re-plan against it refuses too (`plan_lock_warnings`)."""
    path = Path(path)
    issues = Issues()
    raw = read_workbook(path, dict(SHEETS), issues)
    missing = [sheet for sheet in SHEETS if sheet not in raw.sheets]
    kind = other_workbook(raw.titles) if missing else ""
    if kind:  # a workbook forcegen wrote for another purpose: said as what it is, once
        issues.error(path.name, f"is {kind}, not an output of forcegen solve or sweep")
    else:  # every one, as report refuses them (outputs/load.py REQUIRED)
        for sheet in missing:
            issues.error(
                path.name,
                f"sheet '{sheet.capitalize()}' is missing: not an output of forcegen solve or sweep",
            )
    issues.raise_if_errors()
    summary = {
        str(r.values["key"]).strip(): r.values.get("value")
        for r in raw.sheets["summary"].rows
        if "key" in r.values
    }
    check_status(raw.sheets["summary"], summary, issues)
    alloc = _read_allocation(raw.sheets["allocation"], issues)
    lines = _read_lines(raw.sheets["coverage"], issues)
    contributors = _read_contributors(raw.sheets["contributors"])
    issues.items += plan_lock_warnings(raw.sheets["allocation"], path.name, "compare")
    issues.raise_if_errors()  # with the lock cells' warnings: every problem at once
    return ScenarioView(
        name=str(summary.get("scenario") or path.stem),
        status=str(summary.get("status") or "error"),
        summary=summary,
        allocation=alloc,
        lines=lines,
        contributors=contributors,
        stages={k: number(v) for k, v in summary.items() if k.startswith("objective.")},
        stages_from="Summary",
        source=str(path),
        notes=[note_in_file(w, path.name) for w in issues.warnings],
    )


def check_status(sheet: RawSheet, summary: dict[str, Any], issues: Issues) -> None:
    """An error at the Summary's status cell (the sheet, without one) where it holds no status
    a solve writes (`outputs.load.status_problem`)."""
    problem = status_problem(summary.get("status"))
    if problem is None:
        return
    row = next((r for r in sheet.rows if str(r.values.get("key", "")).strip() == "status"), None)
    if row is None:
        issues.error(sheet_in_reference(sheet.title), problem)
    else:  # a blank cell has no `where`: its address by its column
        issues.error(row.where.get("value") or sheet.address("value", row.row), problem)


def note_in_file(warning: Issue, name: str) -> str:
    """`b.xlsx: Allocation!A9: ...`: a warning about one output among several names its file
    (once: a warning about the file as a whole names it already)."""
    if not warning.where:
        return f"{name}: {warning.message}"
    where = warning.where if warning.where.startswith(name) else f"{name}: {warning.where}"
    return f"{where}: {warning.message}"


def _read_allocation(sheet: RawSheet, issues: Issues) -> pd.DataFrame:
    """The Allocation rows, typed; rows naming the same (contributor, capability, site) are
    added up, with a warning naming the cell (as verify does), but in a timed plan's, where a
    key has a row per period. A column missing is one error at the header (it was one per
    row: 99 lines of `contributor is required` for a renamed header)."""
    records = []
    if sheet.lacks([c for c in ALLOC_COLUMNS if c != "personnel"], issues):
        return typed_allocation(None)
    for row in sheet.rows:
        record: dict[str, Any] = {"row": row.row}
        for name in ALLOC_COLUMNS:
            where = row.where.get(name) or sheet.address(name, row.row)
            value = row.values.get(name)
            if value is None:
                if name == "personnel":
                    record[name] = 0
                    continue
                issues.missing(where, f"{name} is required")
                break
            try:
                record[name] = coerce(_INT if name in ("units", "personnel") else _TEXT, value)
            except Bad as bad:
                issues.error(where, str(bad).replace("units", name, 1))
                break
        else:
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*ALLOC_COLUMNS, "row"])
    if "period" not in sheet.columns:  # a timed plan's Allocation: a row per key and period
        warn_duplicates(frame, sheet, issues)
    return typed_allocation(frame[ALLOC_COLUMNS])


def typed_allocation(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Rows with units > 0, equal keys added up, sorted by contributor, capability, site."""
    if frame is None or not len(frame):
        return pd.DataFrame(
            {
                "contributor": pd.Series(dtype=object),
                "capability": pd.Series(dtype=object),
                "site": pd.Series(dtype=object),
                "units": pd.Series(dtype="int64"),
                "personnel": pd.Series(dtype="int64"),
            }
        )
    keys = ["contributor", "capability", "site"]
    frame = frame.astype({"units": "int64", "personnel": "int64"})
    frame = frame.groupby(keys, as_index=False, sort=True)[["units", "personnel"]].sum()
    return frame[frame["units"] > 0].reset_index(drop=True)[ALLOC_COLUMNS]


def _read_lines(sheet: RawSheet, issues: Issues) -> pd.DataFrame:
    records = []
    for row in sheet.rows:
        try:
            records.append(
                {
                    "site": coerce(_TEXT, row.values["site"]),
                    "capability": coerce(_TEXT, row.values["capability"]),
                    "required": coerce(_INT, row.values["required"]),
                    "priority": coerce(_INT, row.values["priority"]),
                }
            )
        except (KeyError, Bad) as exc:
            issues.error(address(sheet.title, row.row), f"unreadable requirement line ({exc})")
    return pd.DataFrame.from_records(records, columns=LINE_COLUMNS)


def _read_contributors(sheet: RawSheet) -> list[str]:
    return [coerce(_TEXT, r.values["contributor"]) for r in sheet.rows if "contributor" in r.values]


def number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))
