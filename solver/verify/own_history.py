"""A rolling re-plan's output verified without its baseline file: its own History sheet.

A re-plan against a baseline of an earlier horizon writes the tours before its first period to
its `History` sheet (io/baseline_history.py): units at home from tours that ended, units carried
in with months served. `verify INPUT OUTPUT` without `--baseline` read none of it, so an edit
sending a nation's unit while it was still at home passed ("the plan holds"), and the unedited
plan's cost, whose carried units cost nothing, was said to differ (46 against 41: an
uneven-periods trial). Now, without `--baseline`, the plan's History sheet is read as the
baseline's history (its rows alone: the plan's locks and changes need the baseline file,
which the warning beside says), so dwell, months served and cost are checked as a re-plan
against its file checks them; a note says so."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..baseline import BASELINE_COLUMNS, HISTORY_COLUMNS, Baseline
from ..data import Data
from ..errors import Issue, Issues
from ..io.baseline_history import read_history
from ..io.baseline_horizon import Horizon
from ..io.period_names import calendar_of
from .reader import RawAllocation


def history_of_plan(raw: RawAllocation, data: Data) -> tuple[Baseline | None, list[Issue]]:
    """A baseline of the history alone (`Baseline.history_only`) from the plan's History sheet
    where it has one and `data` (timed, on a calendar) has no baseline of its own; and what
    reading it warned about. (None, []) otherwise."""
    calendar = calendar_of(data.periods) if data.periods is not None else None
    if raw.history is None or data.baseline is not None or not calendar:
        return None, []
    issues = Issues()
    horizon = Horizon(list(data.period_names))
    horizon.first_month = calendar[0][0]
    horizon.file = read_history(raw.history, issues, calendar[0][0])
    history = pd.DataFrame.from_records(horizon.history(), columns=HISTORY_COLUMNS)
    if not len(history):
        return None, issues.warnings
    empty = pd.DataFrame({c: [] for c in BASELINE_COLUMNS})
    return Baseline(empty, history=history, history_only=True), issues.warnings


def with_plan_history(raw: RawAllocation, data: Data) -> Data:
    """`data` with the plan's own History sheet as its baseline (`history_of_plan`) where it has
    none, else `data` itself (a copy: the caller's, which may serve other outputs, is left as it
    was). What a hand-edited rolling re-plan's page and comparison check and rebuild it against,
    as verify does without --baseline: before, they read no history, and a page said an edit
    sending a unit while still at home from a tour before the horizon kept every rule and was
    better than the solved plan."""
    own, _ = history_of_plan(raw, data)  # what reading it warned about is verify's to say
    return data if own is None else dataclasses.replace(data, baseline=own)


def history_note(baseline: Baseline | None, first: str) -> str | None:
    """What a check of the plan's own History sheet covered, or None."""
    if baseline is None or not baseline.history_only:
        return None
    return (
        f"the plan's History sheet was read: units at home and months served before {first} "
        "are checked (give the baseline file with --baseline to check its locks and changes too)"
    )
