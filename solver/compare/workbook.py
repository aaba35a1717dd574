"""comparison.xlsx: the comparison tables as sheets, plus native Excel bar charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from ..results.overwrite_guard import refuse_overwriting_inputs
from ..results.safe_write import atomic_write
from ..results.writer import OutSheet, build_workbook, print_setup, workbook_bytes
from .replan import replan_sheets
from .tables import DELTA, Comparison
from .unplanned import with_not_compared

MAX_SERIES = 8  # personnel chart: base and the first scenarios of the workbook
CHARTS = "Charts"


def comparison_sheets(cmp: Comparison) -> list[OutSheet]:
    """The sheets, with changed rows (or failed scenarios) highlighted; a timed sweep's headers
    name unit-months and person-months (`in_months`)."""
    ov = cmp.overview
    sheets = [
        OutSheet(
            "Scenarios",
            _headers(ov, cmp.timed, in_months),
            highlight=(
                ~ov["status"].isin(["optimal", "feasible"])
                | (pd.to_numeric(ov["violations"], errors="coerce").fillna(0) > 0)
            ).to_numpy(),
            widths={"remark": 90},
        ),
        OutSheet(
            "Sites",
            _headers(cmp.sites, cmp.timed, _site_in_months(cmp.sites)),
            highlight=_changed(cmp.sites),
        ),
        OutSheet(
            "Contributors",
            _headers(cmp.contributors, cmp.timed, _contributor_in_months),
            highlight=_changed(cmp.contributors),
        ),
        OutSheet(
            "Changes",
            _headers(with_not_compared(cmp.changes, cmp.views), cmp.timed, _change_in_months),
            widths={"remark": 90},
        ),
    ]
    if cmp.robustness is not None:
        robustness = _headers(cmp.robustness, cmp.timed, in_months)
        sheets.append(OutSheet("Robustness", robustness, widths={"where": 90}))
    return sheets + replan_sheets(cmp.replans)


# A timed sweep compares unit-months (sum over periods of months x units) and person-months
# (sweep/timed_view.py); headers that say "units" or "personnel" would mislead there.
_COUNT_WORD = re.compile(r"(?<![A-Za-z])(units|personnel)\b")
_IN_MONTHS = {"units": "unit_months", "personnel": "person_months"}


def in_months(header: str) -> str:
    """`shortfall_units.p1` -> `shortfall_unit_months.p1`, `base_personnel` ->
    `base_person_months`: a header of a sheet whose headers hold no scenario names."""
    return _COUNT_WORD.sub(lambda m: _IN_MONTHS[m.group(1)], header)


def _site_in_months(sites: pd.DataFrame) -> Callable[[str], str]:
    """Sites: the requirement columns (`required`, `required <scenario>`: tables.sites lists
    them) count unit-months; the others are named by the scenario alone, which may begin with
    any word (a scenario `required more` is no requirement column)."""
    required = set(sites.attrs.get("required_columns", ["required"]))

    def rename(header: str) -> str:
        if header in required:
            return "required_unit_months" + header.removeprefix("required")
        return header

    return rename


# Changes: base's and the scenario's unit-months of each allocation row. Not `unit_months`
# alone: in a re-planned output's Changes sheet that is a change's size (docs/workbook.md)
_CHANGES_IN_MONTHS = {
    "base_units": "base_unit_months",
    "units": "scenario_unit_months",
    DELTA + "units": DELTA + "unit_months",
    "base_personnel": "base_person_months",
    "personnel": "scenario_person_months",
}


def _change_in_months(header: str) -> str:
    return _CHANGES_IN_MONTHS.get(header, header)


def _contributor_in_months(header: str) -> str:
    """Contributors: `<scenario> units` -> `<scenario> unit_months` (the suffix only)."""
    for word, months in _IN_MONTHS.items():
        if header.endswith(" " + word):
            return header.removesuffix(word) + months
    return header


def _headers(frame: pd.DataFrame, timed: bool, rename: Callable[[str], str]) -> pd.DataFrame:
    return frame.rename(columns=lambda c: rename(str(c))) if timed else frame


def _changed(frame: pd.DataFrame) -> np.ndarray:
    cols = [c for c in frame.columns if str(c).startswith(DELTA)]
    if not cols or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    values = frame[cols].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy()
    return (values != 0).any(axis=1)


def comparison_workbook(cmp: Comparison) -> Workbook:
    wb = build_workbook(comparison_sheets(cmp))
    ws = wb.create_sheet(CHARTS, 1)
    ws["A1"] = "Charts of the Scenarios and Contributors sheets"
    print_setup(ws, title_rows=None)
    _shortfall_chart(wb, cmp, "A3")
    _personnel_chart(wb, cmp, "A22")
    wb.active = 0
    return wb


def _shortfall_chart(wb: Workbook, cmp: Comparison, anchor: str) -> None:
    """Shortfall units (unit-months) per scenario, stacked by priority."""
    data = wb["Scenarios"]
    n = len(cmp.overview)
    headers = [cell.value for cell in data[1]]
    counted = "unit-months" if cmp.timed else "units"
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = f"Shortfall {counted} per scenario (by priority)"
    _axes(chart, f"{counted} short", "scenario")
    for p in cmp.priorities:
        named = f"shortfall_units.p{p}"
        col = headers.index(in_months(named) if cmp.timed else named) + 1
        chart.add_data(
            Reference(data, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
        )
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=n + 1))
    chart.width, chart.height = max(16.0, 0.8 * n), 9.0
    wb[CHARTS].add_chart(chart, anchor)


def _personnel_chart(wb: Workbook, cmp: Comparison, anchor: str) -> None:
    """Deployed personnel (person-months) per contributor, one series per scenario (base and
    the workbook's scenarios first; at most MAX_SERIES)."""
    data = wb["Contributors"]
    n = len(cmp.contributors)
    headers = [cell.value for cell in data[1]]
    counted = "person-months" if cmp.timed else "personnel"
    views = [v for v in cmp.views if v.has_plan]
    chosen = [v for v in views if not v.generated][:MAX_SERIES]
    chosen += [v for v in views if v.generated][: MAX_SERIES - len(chosen)]
    chart = BarChart()
    chart.type = "col"
    shown = "" if len(chosen) == len(views) else f" ({len(chosen)} of {len(views)} scenarios)"
    chart.title = f"Deployed {counted} per contributor" + shown
    _axes(chart, counted, "contributor")
    for view in chosen:
        named = f"{view.name} personnel"
        col = headers.index(_contributor_in_months(named) if cmp.timed else named) + 1
        chart.add_data(
            Reference(data, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
        )
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=n + 1))
    chart.width, chart.height = max(16.0, 0.6 * n * max(1, len(chosen)) ** 0.5), 10.0
    wb[CHARTS].add_chart(chart, anchor)


def _axes(chart: BarChart, y: str, x: str) -> None:
    """Axis titles, and axes shown (openpyxl >= 3.1 otherwise leaves them deleted in Excel)."""
    chart.y_axis.title, chart.x_axis.title = y, x
    chart.x_axis.delete = chart.y_axis.delete = False


def write_comparison(cmp: Comparison, output: Path, inputs: list[Path] | None = None) -> Path:
    """Write comparison.xlsx atomically (deterministic bytes), never over an input."""
    output = Path(output)
    refuse_overwriting_inputs(output, list(inputs or []), keeps_plans=True)
    atomic_write(output, workbook_bytes(comparison_workbook(cmp)))
    return output
