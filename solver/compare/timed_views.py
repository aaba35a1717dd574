"""One timed output (contract `time.md`, Output) as `compare` reads it: its Summary, its tours
(Tours), coverage per line and period (Coverage) and unit-months short per line (Sustainability),
as they stand in the file. A timed output is told by its `Tours` sheet.

A plan as solved is compared as written: its stage values are the Summary's, and its rules are
checked by `forcegen verify` (which reads the Tours sheet). A plan whose Tours were edited after
solving is found as the briefing finds it (`mark_edited`: its Tours rows against the Summary's
`tours_sha256`) and said to be `edited`; its tours are compared as edited, and its stage values,
coverage and unit-months short are the edited plan's, recomputed from its Tours with its input
workbook (timed_audit.py), or left blank, said not recomputed, when that input is not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Issues, UsageError
from ..io.coerce import Bad, coerce
from ..io.excel import read_workbook
from ..io.filecheck import sheet_names
from ..io.raw_sheet import RawSheet
from ..io.schema_types import Column
from ..outputs.load import PLAN_STATUSES
from ..results.digest import tours_edited
from ..results.hand_edit import tours_cells_edited
from ..verify.baseline import plan_lock_warnings
from .views import check_status, note_in_file, number

TOUR_COLUMNS = ("contributor", "capability", "site", "from", "to", "units")
COVERAGE_COLUMNS = ("site", "capability", "period", "required", "allocated", "priority")
SUSTAIN_COLUMNS = ("site", "capability", "priority", "periods_short", "unit_months_short")
BURDEN_COLUMNS = ("contributor", "period")  # read for its periods (optional: not in SHEETS)
SHEETS = {
    "summary": ("key", "value"),
    "tours": TOUR_COLUMNS,
    "coverage": COVERAGE_COLUMNS,
    "sustainability": SUSTAIN_COLUMNS,
}
_INT = Column("units", "int", "", minimum=0)
_NUM = Column("number", "number", "", minimum=0)
_TEXT = Column("text", "text", "")
PERIOD_COLUMNS = ("from", "to", "period")
COLUMN_TYPES = {  # a timed sheet's columns read as numbers; the rest as text
    "units": _INT,
    "required": _INT,
    "allocated": _INT,
    "priority": _INT,
    "periods_short": _INT,
    "unit_months_short": _NUM,
}


@dataclass
class TimedView:
    """What is compared of one timed output; `periods` in time order (merged from the sheets)."""

    name: str
    status: str
    source: str
    summary: dict[str, Any]
    tours: pd.DataFrame
    coverage: pd.DataFrame
    sustainability: pd.DataFrame
    periods: list[str]
    stages: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    edited: bool = False  # the Tours sheet differs from the plan solved (`status` is the solve's)
    # where the stage values, coverage and unit-months short come from: Summary (the file's, as
    # solved) | recomputed (an edited plan's, from its Tours and its input) | unknown (an edited
    # plan whose input was not found, or does not fit: left blank)
    stages_from: str = "Summary"
    violations: list[str] | None = None  # verify's findings on an edited plan; None: not checked
    input_used: str = ""  # the input workbook an edited plan was recomputed with
    not_recomputed: str = ""  # why an edited plan's figures could not be recomputed
    input_unfit: int = 0  # its input was found and does not fit it: the cells that say why
    horizon: list[str] = field(default_factory=list)  # every period, from Burden ([]: none)

    @property
    def has_plan(self) -> bool:
        """Whether the output holds a plan (an edited one: its solve gave one)."""
        return self.status in PLAN_STATUSES

    @property
    def has_figures(self) -> bool:
        """Whether its stage values, coverage and unit-months short are its plan's: it holds a
        plan, and an edited one was recomputed."""
        return self.has_plan and self.stages_from != "unknown"


def _then(view: TimedView, workbook: str) -> str:
    """What else to do: correct the cell the note names where the input was found but does
    not fit (passing it with --input would only make that an error), else give the input."""
    if view.input_unfit:
        cells = "cell" if view.input_unfit == 1 else "cells"
        return f"correct the {cells} named (or pass --input WORKBOOK if the plan is another's)"
    return f"pass --input {workbook} to compare it"


def mark_edited(view: TimedView) -> None:
    """Mark `view` edited when its Tours rows no longer give the Summary's `tours_sha256`
    (`results.digest.tours_edited`, as the briefing judges it; an output without that key is
    taken as solved)."""
    view.edited = view.has_plan and tours_edited(view.summary, view.tours[list(TOUR_COLUMNS)])
    if view.has_plan and not view.edited and tours_cells_edited(Path(view.source)):
        view.notes.append(
            f"{Path(view.source).name}: Tours cells that follow from from, to and units "
            "(months, personnel, start_date or end_date) were edited by hand: they change no "
            "tour, and its figures are read from from, to and units (forcegen verify names them)"
        )


def edited_note(view: TimedView) -> str:
    """What the comparison says of an edited timed plan: that its figures are recomputed from
    its Tours (and with which input), or why they could not be and how to check it."""
    name = Path(view.source).name
    edited = f"{name}: the Tours sheet was edited after solving (solved as {view.status})"
    if view.stages_from == "recomputed":
        return (
            f"{edited}; its stage values, coverage and unit-months short are recomputed from "
            f"the Tours as they stand, with {view.input_used}, as `forcegen verify "
            f"{view.input_used} {name}` reads them"
        )
    workbook = input_name(view)
    if view.stages_from == "unknown":
        return (
            f"{edited}; {view.not_recomputed or workbook + ' was not found'}, so its stage "
            "values, coverage and unit-months short could not be recomputed and are left blank "
            "(the Summary's are the solved plan's), and its rules were not checked: `forcegen "
            f"verify {workbook} {name}` checks the edited plan, or {_then(view, workbook)}"
        )
    return (
        f"{edited}; its tours are compared as edited, its stage values, coverage and unit-months "
        f"short are the Summary's (the solved plan's): `forcegen verify {workbook} {name}` "
        "checks the edited plan and recomputes its stages"
    )


def allocation_only_note(view: TimedView, state: str) -> str:
    """What the comparison says of a timed output whose Allocation sheet alone was `state`
    ("edited" or "deleted", `hand_edit.allocation_state`): the edit is not in the plan, its Tours
    are."""
    name = Path(view.source).name
    return (
        f"{name}: the Allocation sheet was {state} after solving, but the Tours "
        "sheet was not: a timed plan is its Tours, so its figures here are the solved plan's "
        f"(make a change in the Tours; `forcegen verify {input_name(view)} {name}` checks them "
        "and names Allocation units that differ from them)"
    )


def input_name(view: TimedView) -> str:
    """The input workbook the Summary names (`input_file`), else `INPUT.xlsx`."""
    given = view.summary.get("input_file")
    return str(given) if isinstance(given, str) and given.strip() else "INPUT.xlsx"


def stale_replan_note(view: TimedView, base: Path) -> str:
    """What the comparison says of an edited re-plan of the base: its Asks and Changes sheets
    are the solved re-plan's, and are not shown (as the briefing leaves them out)."""
    name = Path(view.source).name
    return (
        f"{name} is a re-plan of {Path(base).name} edited after solving: its Asks and Changes "
        "sheets are the solved re-plan's, not the edited plan's, and are not shown (`forcegen "
        f"verify INPUT.xlsx {name} --baseline {Path(base).name}` recomputes its changes)"
    )


def is_timed_output(path: Path) -> bool:
    """Whether `path` is a workbook with a `Tours` sheet (False when it cannot be opened: the
    snapshot reader then says what is wrong with it)."""
    return "tours" in (sheet_names(path) or set())


def read_timed(path: Path) -> TimedView:
    """The timed output at `path`; every unreadable cell reported at once (exit 2). Its notes
    say what reading it warned about, a `lock` cell of its Tours a re-plan against it refuses
    too (`plan_lock_warnings`)."""
    from ..outputs.order import merge_orders

    path = Path(path)
    issues = Issues()
    raw = read_workbook(path, {**SHEETS, "burden": BURDEN_COLUMNS}, issues)
    issues.drop(lambda i: i.at_sheet("Burden"))  # it serves only a note (`_horizon`)
    summary = (
        {
            str(r.values["key"]).strip(): r.values.get("value")
            for r in raw.sheets["summary"].rows
            if "key" in r.values
        }
        if "summary" in raw.sheets
        else {}
    )
    if "summary" in raw.sheets:
        check_status(raw.sheets["summary"], summary, issues)
    planned = str(summary.get("status")) in PLAN_STATUSES
    for key in SHEETS:
        if key not in raw.sheets and (planned or key in ("summary", "tours")):
            issues.error(
                path.name,
                f"sheet '{key.capitalize()}' is missing: not a timed output of forcegen solve",
            )
    tours = _frame(raw.sheets.get("tours"), TOUR_COLUMNS, issues)
    coverage = _frame(raw.sheets.get("coverage"), COVERAGE_COLUMNS, issues)
    sustain = _frame(raw.sheets.get("sustainability"), SUSTAIN_COLUMNS, issues)
    horizon = _horizon(raw.sheets.get("burden"))
    issues.items += plan_lock_warnings(raw.sheets.get("tours"), path.name, "compare")
    issues.raise_if_errors()  # every problem of every sheet at once, the lock cells' too
    sequences = [list(g["period"]) for _, g in coverage.groupby(["site", "capability"], sort=False)]
    sequences += [[a, b] for a, b in zip(tours["from"], tours["to"], strict=True)]
    return TimedView(
        name=str(summary.get("scenario") or path.stem),
        status=str(summary.get("status") or "error"),
        source=str(path),
        summary=summary,
        tours=tours,
        coverage=coverage,
        sustainability=sustain,
        periods=merge_orders(sequences),
        stages={k: number(v) for k, v in summary.items() if k.startswith("objective.")},
        notes=[note_in_file(w, path.name) for w in issues.warnings],
        horizon=horizon,
    )


def _horizon(burden: RawSheet | None) -> list[str]:
    """Every period of the plan, in order, from its Burden sheet (one row per contributor and
    period); [] when the sheet is missing or unreadable (it only serves a note)."""
    issues = Issues()
    frame = _frame(burden, BURDEN_COLUMNS, issues)
    if burden is None or issues.errors:
        return []
    return list(dict.fromkeys(frame["period"].astype(str)))


def _frame(sheet: RawSheet | None, columns: tuple[str, ...], issues: Issues) -> pd.DataFrame:
    """The sheet's `columns`, typed; a missing column or a bad cell is an error at its cell
    (a missing sheet is reported by the caller)."""
    if sheet is None:
        return pd.DataFrame(columns=list(columns))
    if sheet.lacks(columns, issues):  # one error per column, at the header, as verify says it
        return pd.DataFrame(columns=list(columns))
    records = []
    for row in sheet.rows:
        record: dict[str, Any] = {}
        for name in columns:
            value = row.values.get(name)
            where = row.where.get(name) or sheet.address(name, row.row)
            if value is None:
                if name in ("periods_short", "unit_months_short"):
                    record[name] = 0
                    continue
                issues.missing(where, f"{name} is required")
                break
            try:
                record[name] = coerce(_column(name), value)
            except Bad as bad:
                issues.error(where, str(bad))
                break
        else:
            records.append(record)
    return pd.DataFrame.from_records(records, columns=list(columns))


def _column(name: str) -> Column:
    """How a cell of column `name` is read: a period cell (a Tours sheet's from and to, the
    Coverage's period) that Excel made a date is that month's key, as verify reads it (a
    planner typing 2027-03 gets a date); the rest by COLUMN_TYPES, else text."""
    if name in PERIOD_COLUMNS:
        return replace(_TEXT, name=name, month_dates=True)
    return replace(COLUMN_TYPES.get(name, _TEXT), name=name)


def mixed_kinds(paths: list[Path], timed: list[bool]) -> UsageError:
    """The error for timed and snapshot outputs given together."""
    names = [Path(p).name for p in paths]
    t = ", ".join(n for n, k in zip(names, timed, strict=True) if k)
    s = ", ".join(n for n, k in zip(names, timed, strict=True) if not k)
    return UsageError(
        f"cannot compare timed output(s) ({t}) with snapshot output(s) ({s}): a timed plan "
        "holds tours over periods, a snapshot one placement; compare outputs of the same kind "
        "(solve both workbooks timed, or both as snapshots)"
    )
