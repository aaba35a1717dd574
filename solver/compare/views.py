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

from ..data import Data
from ..errors import InputError, Issue, Issues
from ..io.coerce import Bad, coerce
from ..io.excel import RawSheet, read_workbook
from ..io.schema import Column
from ..results.stages import stage_values
from ..results.tables import Tables

PLAN_STATUSES = ("optimal", "feasible", "interrupted")
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
        allocation=_typed_alloc(alloc),
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
    """Read an output workbook of forcegen (possibly hand-edited).

    With `data` (the input, with the scenario applied) the requirement lines, contributors,
    personnel and every objective stage are recomputed from the Allocation sheet; without it the
    stages are the Summary's, and a note says so when the Allocation no longer matches them.
    """
    view = read_output(path)
    settle(view, data)
    return view


def read_output(path: Path) -> ScenarioView:
    """The output workbook as written (stages from its Summary)."""
    path = Path(path)
    issues = Issues()
    raw = read_workbook(path, dict(SHEETS), issues)
    for sheet in ("summary", "allocation"):
        if sheet not in raw.sheets:
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
    alloc = _read_allocation(raw.sheets["allocation"], issues)
    lines = _read_lines(raw.sheets.get("coverage"), issues)
    contributors = _read_contributors(raw.sheets.get("contributors"))
    issues.raise_if_errors()
    return ScenarioView(
        name=str(summary.get("scenario") or path.stem),
        status=str(summary.get("status") or "error"),
        summary=summary,
        allocation=alloc,
        lines=lines,
        contributors=contributors,
        stages={k: _number(v) for k, v in summary.items() if k.startswith("objective.")},
        stages_from="Summary",
        source=str(path),
        notes=[str(w) for w in issues.warnings],
    )


def settle(view: ScenarioView, data: Data | None) -> None:
    """Recompute from `data`, or note that the Summary's stages may not fit an edited plan."""
    if data is not None:
        recompute(view, data)
    elif view.has_plan and _edited(view):
        view.notes.append(
            f"{Path(view.source).name}: the Allocation sheet differs from its Summary (edited by "
            "hand?); the stage values shown are the Summary's: pass --input WORKBOOK to "
            "recompute them"
        )


def recompute(view: ScenarioView, data: Data) -> None:
    """Take lines, contributors, personnel and stages from the input instead of the file."""
    known = set(data.contributors["contributor"])
    unknown = sorted(set(view.allocation["contributor"]) - known)
    if unknown:
        raise InputError(
            [
                Issue(
                    view.source,
                    f"contributor(s) {', '.join(unknown)} of the Allocation sheet are "
                    f"not in the input {data.source_name}",
                )
            ]
        )
    ppu = data.pledge_ppu()
    alloc = view.allocation.copy()
    if len(alloc):
        key = pd.MultiIndex.from_arrays([alloc["contributor"], alloc["capability"]])
        size = ppu.reindex(key).to_numpy()
        given = alloc["personnel"].to_numpy()
        alloc["personnel"] = [
            int(u * s) if pd.notna(s) else int(g)
            for u, s, g in zip(alloc["units"], size, given, strict=True)
        ]
    view.allocation = alloc
    rq = data.requirements
    view.lines = pd.DataFrame(
        {
            "site": rq["site"].to_numpy(),
            "capability": rq["capability"].to_numpy(),
            "required": rq["units"].astype("int64").to_numpy(),
            "priority": rq["priority"].astype("int64").to_numpy(),
        }
    )
    view.contributors = list(data.contributors["contributor"])
    if view.has_plan:
        before = {k: _number(v) for k, v in view.stages.items()}
        view.stages = stage_values(data, alloc[["contributor", "capability", "site", "units"]])
        moved = [k for k, v in view.stages.items() if not _close(v, before.get(k))]
        if moved:
            view.notes.append(
                f"{Path(view.source).name}: recomputed {', '.join(moved)} from the Allocation "
                "sheet (they differ from its Summary: edited by hand?)"
            )
    view.stages_from = "recomputed"
    sha = view.summary.get("input_sha256")
    if isinstance(sha, str) and sha and sha != data.source_sha256:
        view.notes.append(
            f"{Path(view.source).name} was solved from another version of {data.source_name} "
            "(input_sha256 differs)"
        )


def _edited(view: ScenarioView) -> bool:
    """True when the Allocation's totals are not the ones its Summary reports."""
    units = int(view.allocation["units"].sum()) if len(view.allocation) else 0
    personnel = int(view.allocation["personnel"].sum()) if len(view.allocation) else 0
    summary = view.summary
    allocated = _number(summary.get("allocated_units"))
    deployed = _number(summary.get("deployed_personnel"))
    lines = view.lines
    if len(lines):
        got = view.allocation.groupby(["site", "capability"])["units"].sum()
        key = pd.MultiIndex.from_arrays([lines["site"], lines["capability"]])
        units = int(got.reindex(key).fillna(0).sum()) if len(view.allocation) else 0
    return (allocated is not None and allocated != units) or (
        deployed is not None and deployed != personnel
    )


def _read_allocation(sheet: RawSheet, issues: Issues) -> pd.DataFrame:
    records = []
    for row in sheet.rows:
        record: dict[str, Any] = {}
        for name in ALLOC_COLUMNS:
            where = row.where.get(name) or sheet.address(name, row.row)
            value = row.values.get(name)
            if value is None:
                if name == "personnel":
                    record[name] = 0
                    continue
                issues.error(where, f"{name} is required")
                break
            try:
                record[name] = coerce(_INT if name in ("units", "personnel") else _TEXT, value)
            except Bad as bad:
                issues.error(where, str(bad).replace("units", name, 1))
                break
        else:
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=ALLOC_COLUMNS)
    return _typed_alloc(frame)


def _typed_alloc(frame: pd.DataFrame | None) -> pd.DataFrame:
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


def _read_lines(sheet: RawSheet | None, issues: Issues) -> pd.DataFrame:
    if sheet is None:
        issues.warn("Coverage", "sheet missing: no requirement lines, coverage not computed")
        return pd.DataFrame(columns=LINE_COLUMNS)
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
            issues.error(f"{sheet.title}!{row.row}", f"unreadable requirement line ({exc})")
    return pd.DataFrame.from_records(records, columns=LINE_COLUMNS)


def _read_contributors(sheet: RawSheet | None) -> list[str]:
    if sheet is None:
        return []
    return [coerce(_TEXT, r.values["contributor"]) for r in sheet.rows if "contributor" in r.values]


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))
