"""What a comparison trusts of a timed output: was its plan (the Tours sheet) edited after solving,
and what does the edited plan give?

- **edited** is decided by content, as the briefing decides it (`timed_views.mark_edited`: the
  Tours rows against the Summary's `tours_sha256`).
- An edited plan's input workbook is found as the snapshot audit finds it (`audit.Inputs`:
  `--input`, else the Summary's `input_file` where the briefing looks for it) and read with
  the scenario the Summary names. Its Tours are then read and checked by `verify`
  (`verify_timed`: its reader, its rules, its stages), and its figures are the edited plan's:
  the stage values verify recomputes; coverage per line and period and unit-months short per
  line rebuilt from the Tours as the briefing rebuilds them (report/edited_time.py: allocated
  = sum over nations of the units of their tours covering the period, shortfall = max(required
  - allocated, 0), unit_months_short = sum of months(t) x shortfall); coverage_pct as the
  briefing's Summary gives it; and the violations verify finds.
- Without its input (or with one that does not fit it and was not given with --input), an
  edited plan's stage values, coverage and unit-months short are left blank and said not
  recomputed: the Summary's and the Coverage sheet's belong to the plan that was solved.

A timed plan as solved is compared as written (its Summary's figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import InputError, Issue, UsageError
from ..results.hand_edit import allocation_state
from ..results.stages import as_stored
from .audit import Inputs, against, note_other_version
from .each_file import in_file
from .names import fold_names
from .timed_views import (
    COVERAGE_COLUMNS,
    SUSTAIN_COLUMNS,
    TimedView,
    allocation_only_note,
    input_name,
    mark_edited,
)
from .views import ScenarioView

if TYPE_CHECKING:
    from ..data import Data
    from ..outputs.load import Output

TOTALS = ("coverage_pct", "required_unit_months", "allocated_unit_months", "shortfall_unit_months")


def audit_timed(view: TimedView, inputs: Inputs, baseline: Path | None = None) -> None:
    """Mark an edit; recompute an edited plan from its Tours when its input is found, else
    leave its figures blank. An input given with --input that does not fit is an error. With
    `baseline` (the output this one re-plans), an edited plan has its locked tours checked."""
    mark_edited(view)
    if not view.edited:
        # an edit of the Allocation alone is not in the plan (a timed plan is its Tours)
        if view.has_plan and (state := allocation_state(Path(view.source))):
            view.notes.append(allocation_only_note(view, state))
        return
    from ..outputs.load import load_output
    from ..outputs.source import SEARCHED

    try:
        out = load_output(Path(view.source))
    except UsageError as exc:  # a Summary or sheet the briefing needs is gone
        _without_input(view, f"it cannot be read as a whole timed output ({exc})")
        return
    proxy = _proxy(view, out)
    workbook = inputs.workbook_for(proxy)
    if workbook is None:
        _without_input(view, f"{input_name(view)} was not found (looked in {SEARCHED})")
        return
    try:
        data = _timed_data(inputs, proxy, workbook)
    except InputError as exc:  # the input's own cells: named by its file
        view.notes.extend(proxy.notes)
        _unfit(view, inputs, workbook, exc, str(workbook))
        return
    try:
        recompute_timed(view, out, against(data, baseline))
        view.input_used = workbook.name
    except InputError as exc:  # the plan's cells the input does not fit: named by its file
        _unfit(view, inputs, workbook, exc, view.source)
    finally:
        view.notes.extend(proxy.notes)


def _unfit(view: TimedView, inputs: Inputs, workbook: Path, exc: InputError, whose: str) -> None:
    """The input does not fit the plan: with --input given an error, `exc`'s issues named by
    the file `whose` cells they are (the input's or the output's), else a note and the
    figures left blank."""
    if inputs.given is not None:
        raise in_file(exc, whose) from None
    _without_input(view, f"its input {workbook} was found but does not fit ({exc.listed})")
    view.input_unfit = max(len(exc.errors), 1)


def _timed_data(inputs: Inputs, proxy: ScenarioView, workbook: Path) -> Data:
    """The input with the output's scenario; a workbook without periods does not fit."""
    data = inputs.data_for(proxy, workbook)
    if not data.timed:
        why = "it has no Periods sheet: not a timed input"
        raise InputError([Issue(workbook.name, why)])
    return data


def _proxy(view: TimedView, out: Output) -> ScenarioView:
    """The view as `audit.Inputs` looks for an input: its lines and its contributors (the
    Contributors sheet's), which an input whose SHA-256 differs must hold."""
    contributors = list(out.contributors["contributor"].astype(str))
    proxy = ScenarioView(
        view.name, view.status, view.summary, lines=out.coverage, contributors=contributors
    )
    proxy.source = view.source
    return proxy


def recompute_timed(view: TimedView, out: Output, data: Data) -> None:
    """The edited plan's stage values, coverage, unit-months short, coverage_pct and
    violations, from its Tours as `verify` reads them (see the module's docstring)."""
    from ..outputs.rebuilt_time import rebuilt_sheets, rebuilt_totals
    from ..verify.own_history import with_plan_history
    from ..verify.reader import read_raw
    from ..verify.schedule import Schedule
    from ..verify.timed import verify_timed
    from ..verify.tours_sheet import read_tours

    view.tours, said = fold_names(view.tours, data, view.source, "Tours", periods=True)
    view.notes.extend(said)
    raw = read_raw(Path(view.source))
    data = with_plan_history(raw, data)
    schedule = Schedule(data, read_tours(raw, data))
    report = verify_timed(data, raw, raw.summary)
    sheets = rebuilt_sheets(out, schedule)
    totals = rebuilt_totals(sheets, schedule)
    view.stages = {
        s.stage: None if s.recomputed is None else as_stored(s.recomputed) for s in report.stages
    }
    view.coverage = _typed(sheets["Coverage"], COVERAGE_COLUMNS)
    view.sustainability = _typed(sheets["Sustainability"], SUSTAIN_COLUMNS)
    view.summary = {**view.summary, **{k: totals[k] for k in TOTALS}}
    view.violations = [v.message for v in report.violations]
    view.stages_from = "recomputed"
    note_other_version(view.notes, view.summary, view.source, data)


def _typed(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """`columns` of a rebuilt sheet as `read_timed` types them: keys as text, counts as whole
    numbers, unit_months_short as a number (a blank count is 0)."""
    typed = frame[list(columns)].copy()
    for column in columns:
        if column in ("site", "capability", "period"):
            typed[column] = typed[column].astype(str)
        elif column == "unit_months_short":
            typed[column] = pd.to_numeric(typed[column]).fillna(0).astype(float)
        else:
            typed[column] = pd.to_numeric(typed[column]).fillna(0).astype("int64")
    return typed.reset_index(drop=True)


def _without_input(view: TimedView, why: str) -> None:
    """An edited plan not recomputed: its figures blank (the file's are the solved plan's)."""
    view.stages = {k: None for k in view.stages}
    view.stages_from = "unknown"
    view.not_recomputed = why
