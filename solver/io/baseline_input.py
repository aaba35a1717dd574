"""The baseline of a re-plan as input (contract `replanning.md`): the `Baseline` sheet of the
workbook, or `--baseline FILE`, an earlier forcegen output (its `Allocation` for a snapshot,
its `Tours` for a timed workbook, with a `lock` column if a planner added one).

The sheet is typed, its keys and periods resolved like every other sheet's (validate.py,
validate_time.py); here its rows become a `Baseline` and what looks odd is warned about. A file
is read here whole; every bad cell is named `file Sheet!Cell`, all at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from ..baseline import BASELINE_COLUMNS, HISTORY_COLUMNS, Baseline
from ..data import Data, is_blank
from ..errors import InputError, Issue, Issues
from ..results.digest import baseline_sha256
from ..results.hand_edit import plan_as_solved
from .baseline_calendar import OwnPeriods, Recut, contiguous, file_periods, warn_months_disagree
from .baseline_cells import AN_OUTPUT_WORKBOOK
from .baseline_history import SHEET_COLUMNS, FileHistory, read_history
from .baseline_horizon import DROP, KEEP, REVERSED, Horizon, TypedPeriods, period_at
from .baseline_keys import take_case_slips, warn_unknown_keys
from .baseline_kind import (
    an_input_workbook,
    emptied_plan,
    not_a_plan,
    refuse_a_planless_output,
)
from .baseline_locks import warn_lock_lookalikes, warn_locks_not_read
from .baseline_odd import KEYS, locks_on_nothing, odd_rows
from .cell_checks import no_calculated_value
from .coerce import Bad, coerce
from .dates_as_periods import warn_dates_as_periods
from .excel import error_value, read_workbook
from .filecheck import check_file
from .period_names import calendar_of
from .raw_sheet import RawSheet, RawWorkbook
from .repeats import repeats_merged
from .schema_baseline import BASELINE
from .schema_types import Column, norm
from .text import warn_if_cleaned

LOCK = BASELINE.column("lock")
UNITS = BASELINE.column("units")
SHEET = norm(BASELINE.name)
AN_OUTPUT = "--baseline takes the output of an earlier forcegen solve (its plan is the baseline)"


def baseline_from_sheet(frame: pd.DataFrame, data: Data, issues: Issues) -> Baseline | None:
    """The typed `Baseline` sheet as a `Baseline` (None when the sheet has no rows); warns
    about keys the scenario dropped (kept, as a file's keys the workbook lacks) and rows that
    look odd (`odd_rows`)."""
    if not len(frame):
        return None
    keyed = [
        {
            **{k: r[k] for k in KEYS},
            "units": r["units"],
            "lock": bool(r["lock"]) and not is_blank(r["lock"]),
            "at": {k: r[f"_at_{k}"] for k in KEYS},
        }
        for r in frame.to_dict("records")
    ]
    # validation lets through only keys the scenario dropped; the label names the scenario
    warn_unknown_keys(keyed, data, issues, "in this scenario (it drops it)", dropped_only=True)
    timed = "from_t" in frame
    rows = pd.DataFrame(
        {
            **{k: frame[k].to_numpy(dtype=object) for k in KEYS},
            "first_t": frame["from_t"].to_numpy() if timed else 0,
            "last_t": frame["to_t"].to_numpy() if timed else 0,
            "units": frame["units"].to_numpy(),
            "lock": [bool(v) and not is_blank(v) for v in frame["lock"]],
            "where": frame["_at_contributor"].to_numpy(dtype=object),
        }
    )
    for where, message in locks_on_nothing(rows, data):  # rows `Baseline` drops: said now
        issues.warn(where, message)
    # every warning at the sheet's cells so far (its cells as read, its keys, its locks on
    # nothing), none of odd_rows': a Data checked again says those anew
    read_warnings = tuple(w for w in issues.warnings if w.at_sheet(BASELINE.name))
    baseline = Baseline(rows[BASELINE_COLUMNS], read_warnings=read_warnings)
    for where, message in odd_rows(baseline, data):
        issues.warn(where, message)
    return baseline


def read_baseline(path: str | Path, data: Data) -> Baseline:
    """The baseline an earlier output gives: its `Tours` (a timed output, for a timed
    workbook) or its `Allocation` (a snapshot output, for a snapshot workbook). Keys no longer
    in the workbook are kept (their units are changes no plan can avoid) with a warning; raises
    `InputError` naming `file Sheet!Cell` for every bad cell.

    The file sets the workbook's `Baseline` sheet aside, so the sheet's warnings leave
    `data.warnings` (`set_aside_sheet`).

    Its `sha256` (the re-plan's Summary `baseline_sha256`) is the file's content without its
    timing cells (`results.digest.baseline_sha256`: a stable sweep records the same for base's
    output), so the same baseline solved twice at two speeds is the same baseline; the file's
    SHA-256 for a workbook without a Summary sheet. Its `as_solved` says whether its plan is
    the one its solve wrote (`results.hand_edit.plan_as_solved`)."""
    path = Path(path)
    issues = Issues()
    expected = {
        "allocation": (*KEYS, "units", "personnel", "period", "lock"),
        "tours": (*KEYS, "from", "to", "months", "units", "personnel", "lock"),
        "summary": ("key", "value"),
        "history": SHEET_COLUMNS,  # a rolling re-plan's (io/baseline_history.py)
        "burden": ("contributor", "period"),  # every period of its plan (baseline_horizon.py)
    }
    check_file(path, takes=AN_OUTPUT_WORKBOOK)  # a briefing page: named as one
    raw = read_workbook(path, expected, issues)
    # the input's own name too (out/plan.xlsx against plan.xlsx): its path as given, so that
    # a message names the file it means (a planner trial could not tell the two apart)
    name = str(path) if path.name == data.source_name else path.name
    sheet = _plan_sheet(raw, data, name, expected)
    alloc = raw.sheets.get("allocation")
    refuse_a_planless_output(raw.sheets.get("summary"), name, planned=bool(sheet.rows))
    if emptied := emptied_plan(raw.sheets.get("summary"), bool(sheet.rows)):
        issues.warn(sheet.title, emptied)
    warn_lock_lookalikes(sheet, issues)
    if data.timed and alloc is not None:
        warn_locks_not_read(alloc, issues)
    own = file_periods(raw.sheets) if data.timed else OwnPeriods()  # baseline_calendar.py
    first = min((s for s, _ in own.spans.values()), default=None) if own.whole else None
    past = read_history(raw.sheets.get("history") if data.timed else None, issues, first)
    records, history = _records(sheet, data, issues, own, past)
    for record in [*records, *history]:  # every later message about a row names its file
        record["where"] = f"{name} {record['where']}"
    errors = [_in_file(i, name) for i in issues.errors]
    if errors:
        raise InputError(errors, [_in_file(i, name) for i in repeats_merged(issues.warnings)])
    rows = pd.DataFrame.from_records(records, columns=BASELINE_COLUMNS)
    clipped = frozenset(r["where"] for r in records if r.get("clipped"))  # baseline_horizon.py
    for where, message in locks_on_nothing(rows, data, name):
        issues.warn(where.removeprefix(f"{name} "), message)
    # a slip repeated down the file (a key retyped in every row): one warning naming its cells
    read_warnings = tuple(_in_file(i, name) for i in repeats_merged(issues.warnings))
    content = path.read_bytes()
    baseline = Baseline(
        rows,
        path.name,
        baseline_sha256(content),
        read_warnings,
        plan_as_solved(path, data.timed),
        _unit_personnel(records),
        hashlib.sha256(content).hexdigest(),
        clipped,
        pd.DataFrame.from_records(history, columns=HISTORY_COLUMNS),
    )
    set_aside_sheet(data)
    data.warnings += read_warnings
    data.warnings += [Issue(w, m, "warning") for w, m in odd_rows(baseline, data)]
    return baseline


def _plan_sheet(
    raw: RawWorkbook, data: Data, name: str, expected: dict[str, tuple[str, ...]]
) -> RawSheet:
    """The sheet the baseline's plan is on: `Tours` for a timed workbook, `Allocation` for a
    snapshot one; `InputError` where the file is no plan (an input workbook, another kind of
    output), the other kind of output, or lacks that sheet (or its header row)."""
    tours, alloc = raw.sheets.get("tours"), raw.sheets.get("allocation")
    timed_output = tours is not None or (alloc is not None and "period" in alloc.columns)
    if tours is None and alloc is None and (other := not_a_plan(raw)):
        raise InputError([Issue(name, f"this is {other}; {AN_OUTPUT}")])
    if timed_output != data.timed:
        what = "a timed output (it has a Tours sheet)" if timed_output else "a snapshot output"
        need = "timed" if data.timed else "snapshot"
        raise InputError(
            [
                Issue(
                    name,
                    f"the baseline is {what} but the workbook is a {need} workbook; give the "
                    f"output of a {need} solve of this workbook as its baseline",
                )
            ]
        )
    sheet = tours if data.timed else alloc
    if sheet is not None:
        return sheet
    wanted = "Tours" if data.timed else "Allocation"
    if wanted.lower() in (t.lower() for t in raw.titles):
        columns = ", ".join(expected[wanted.lower()][:4])
        message = (
            f"sheet '{wanted}' has no header row with the columns of a forcegen output "
            f"({columns}, ...): give the output of a forcegen solve"
        )
    else:
        found = ", ".join(raw.titles) or "none"
        message = f"sheet '{wanted}' is missing (sheets found: {found})"
        if an_input_workbook(raw):
            message += f": this is an input workbook; {AN_OUTPUT}"
    raise InputError([Issue(name, message)])


def set_aside_sheet(data: Data) -> None:
    """Drop the warnings about the workbook's `Baseline` sheet (at its cells, `Baseline!A90`)
    from `data.warnings`: a baseline given in its place sets the sheet aside, and a warning about
    rows no plan reads would send a planner to fix them for nothing. Its errors are not dropped:
    they stopped the read before any baseline was given (docs/workbook.md, Re-planning)."""
    data.warnings = [w for w in data.warnings if not w.at_sheet(BASELINE.name)]


def _records(
    sheet: RawSheet, data: Data, issues: Issues, own: OwnPeriods, past: FileHistory
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One baseline row per sheet row with every cell good; an error for each bad cell; and the
    history of a rolling re-plan's file (io/baseline_horizon.py `Horizon.remember`). A date
    Excel made of a typed period in `from`/`to` is read as its month's key, with one warning per
    column naming its cells, and a key or period typed with spaces or invisible characters is
    read without them, with a warning at its cell (`text.warn_if_cleaned`), as verify reads the
    same Tours (verify/tours_sheet.py)."""
    timed = data.periods is not None
    needed = (*KEYS, "from", "to", "units") if timed else (*KEYS, "units")
    if sheet.lacks(needed, issues):
        return [], []
    names = [] if data.periods is None else list(data.periods["period"])
    records = []
    dated: dict[str, list[tuple[str, dt.date]]] = {"from": [], "to": []}
    horizon = Horizon([str(name) for name in names], own)  # own: io/baseline_horizon.py
    calendar = calendar_of(data.periods) if data.periods is not None else None
    horizon.first_month = calendar[0][0] if calendar else None
    horizon.file = past
    horizon.recut = Recut(horizon.periods, calendar, own, contiguous(calendar))
    for raw in sheet.rows:
        typed_periods = TypedPeriods()
        at = {k: raw.where.get(k) or sheet.address(k, raw.row) for k in KEYS}
        record: dict[str, Any] = {
            "where": at["contributor"],
            "at": at,
            "first_t": 0,
            "last_t": 0,
            "lock": False,
        }
        ok = True
        for column in (*needed, "lock"):
            where = raw.where.get(column) or sheet.address(column, raw.row)
            value = raw.values.get(column)
            if value is None:
                if column != "lock":
                    issues.missing(where, f"{column} is required; fill in the cell")
                    ok = False
                continue
            try:
                typed = lock_cell(value) if column == "lock" else coerce(_column(column), value)
            except Bad as bad:
                issues.error(where, str(bad))
                ok = False
                continue
            if column in dated and isinstance(value, dt.date):
                dated[column].append((where, value))
            if column in (*KEYS, "from", "to") and isinstance(value, str):
                warn_if_cleaned(column, value, typed, where, issues)  # as verify reads the plan
            if column in ("from", "to"):
                t = period_at(column, typed, where, data, horizon, issues, typed_periods)
                ok = ok and t is not None
                record["first_t" if column == "from" else "last_t"] = t
            else:
                record[column] = typed
        locked = bool(record["lock"])
        judged = horizon.judge(record["where"], typed_periods, locked) if ok else KEEP
        if ok and judged != REVERSED:
            horizon.remember(record, typed_periods, judged)
        if judged == DROP:
            continue
        record["clipped"] = bool(typed_periods.sides)  # cut to the horizon, if kept
        if ok and (judged == REVERSED or record["first_t"] > record["last_t"]):
            issues.error(
                raw.where.get("from") or sheet.address("from", raw.row),
                f"from '{typed_periods.said['from']}' is after to '{typed_periods.said['to']}'",
            )
            ok = False
        if ok:
            record["per_unit"] = _per_unit(raw.values.get("personnel"), record["units"])
            record["months_said"] = (raw.where.get("months"), raw.values.get("months"))
            records.append(record)
    for column, found in dated.items():
        warn_dates_as_periods(column, found, issues)
    horizon.warn(issues)
    warn_months_disagree(records, data.periods, own, issues)  # io/baseline_calendar.py
    _keys_against(records, horizon, data, issues)
    return records, horizon.history()


def _keys_against(
    records: list[dict[str, Any]], horizon: Horizon, data: Data, issues: Issues
) -> None:
    """The rows' keys against the workbook's: a case slip taken (the history's rows too, those
    left out as ended before the horizon among them), a key it lacks warned about, saying
    which reading lacks it (a scenario may drop a row the workbook has)."""
    reading = (
        "of the workbook"
        if data.scenario == "base"
        else f"in scenario '{data.scenario}' (it drops it, or the workbook lacks it)"
    )
    kept = {id(r) for r in records}
    left_out = [r for r, *_ in horizon.remembered if id(r) not in kept]
    take_case_slips([*records, *left_out], data, issues)
    warn_unknown_keys(records, data, issues, reading, file=True)


def _per_unit(personnel: Any, units: int) -> float | None:
    """A row's personnel per unit as its output wrote it: personnel / units; None for a row
    of no units or a personnel cell that is not a number >= 0 (edited, or left blank)."""
    if units <= 0 or isinstance(personnel, bool) or not isinstance(personnel, int | float):
        return None
    return float(personnel) / units if personnel >= 0 else None


def _unit_personnel(records: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    """(contributor, capability) -> personnel per unit, from the first row of each that gives
    it (every row of a pledge has the same in a solve's output)."""
    found: dict[tuple[str, str], float] = {}
    for record in records:
        if record["per_unit"] is not None:
            found.setdefault((record["contributor"], record["capability"]), record["per_unit"])
    return found


def lock_cell(value: object) -> bool:
    """A `lock` cell of a baseline file's row read as yes or no (blank: no); raises `Bad`
    saying what is wrong (`lock must be yes or no, got 'perhaps'`)."""
    return False if value is None else bool(coerce(LOCK, value))


def unreadable_locks(sheet: RawSheet) -> list[tuple[str, str]]:
    """(cell, what is wrong) of each `lock` cell of the plan sheet `sheet` (an output's
    Allocation, or a timed one's Tours) that reading the file as a baseline refuses
    (`lock_cell`; a cell holding an Excel error value, `Excel error value #N/A`, or a formula
    without a calculated value, which reads as blank, as the baseline's reader says it), in the
    sheet's order: for a command that reads the plan but not
    its locks (`verify` of the file itself, compare, report), to say now what a re-plan against
    it will refuse. `sheet` is read with `lock` among its columns not read (an error value is
    its text, its cell in `error_cells`; a formula's cell is in `formula_cells`)."""
    out = []
    for row in sheet.rows:
        at = row.where.get("lock") or sheet.address("lock", row.row)
        value = row.values.get("lock")
        if at in sheet.error_cells:
            out.append((at, error_value(value)))
            continue
        if at in sheet.formula_cells:
            out.append((at, no_calculated_value(sheet.formula_cells[at])))
            continue
        try:
            lock_cell(value)
        except Bad as bad:
            out.append((at, str(bad)))
    return out


def _column(name: str) -> Column:
    if name == "units":
        return UNITS
    # a Tours sheet's from/to: a typed 2027-09 that Excel made a date is that period
    return Column(name, "text", "", month_dates=name in ("from", "to"))


def _in_file(issue: Issue, name: str) -> Issue:
    """The issue with its place prefixed by the file's name (`plan.xlsx Tours!B4`)."""
    where = issue.where if issue.where.startswith(name) else f"{name} {issue.where}"
    return Issue(where, issue.message, issue.level)
