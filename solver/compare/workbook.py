"""comparison.xlsx: the comparison tables as sheets, plus native Excel bar charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from ..results.safe_write import atomic_write
from ..results.writer import (
    OutSheet,
    build_workbook,
    print_setup,
    refuse_overwriting_inputs,
    workbook_bytes,
)
from .replan import replan_sheets
from .tables import DELTA, Comparison

MAX_SERIES = 8  # personnel chart: base and the first scenarios of the workbook
CHARTS = "Charts"


def comparison_sheets(cmp: Comparison) -> list[OutSheet]:
    """The sheets, with changed rows (or failed scenarios) highlighted."""
    ov = cmp.overview
    sheets = [
        OutSheet(
            "Scenarios",
            ov,
            highlight=(
                ~ov["status"].isin(["optimal", "feasible"])
                | (pd.to_numeric(ov["violations"], errors="coerce").fillna(0) > 0)
            ).to_numpy(),
            widths={"remark": 90},
        ),
        OutSheet("Sites", cmp.sites, highlight=_changed(cmp.sites)),
        OutSheet("Contributors", cmp.contributors, highlight=_changed(cmp.contributors)),
        OutSheet("Changes", cmp.changes),
    ]
    if cmp.robustness is not None:
        sheets.append(OutSheet("Robustness", cmp.robustness, widths={"where": 90}))
    return sheets + replan_sheets(cmp.replans)


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
    """Shortfall units per scenario, stacked by priority."""
    data = wb["Scenarios"]
    n = len(cmp.overview)
    headers = list(cmp.overview.columns)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Shortfall units per scenario (by priority)"
    _axes(chart, "units short", "scenario")
    for p in cmp.priorities:
        col = headers.index(f"shortfall_units.p{p}") + 1
        chart.add_data(
            Reference(data, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
        )
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=n + 1))
    chart.width, chart.height = max(16.0, 0.8 * n), 9.0
    wb[CHARTS].add_chart(chart, anchor)


def _personnel_chart(wb: Workbook, cmp: Comparison, anchor: str) -> None:
    """Deployed personnel per contributor, one series per scenario (base and the workbook's
    scenarios first; at most MAX_SERIES)."""
    data = wb["Contributors"]
    n = len(cmp.contributors)
    headers = list(cmp.contributors.columns)
    views = [v for v in cmp.views if v.has_plan]
    chosen = [v for v in views if not v.generated][:MAX_SERIES]
    chosen += [v for v in views if v.generated][: MAX_SERIES - len(chosen)]
    chart = BarChart()
    chart.type = "col"
    shown = "" if len(chosen) == len(views) else f" ({len(chosen)} of {len(views)} scenarios)"
    chart.title = "Deployed personnel per contributor" + shown
    _axes(chart, "personnel", "contributor")
    for view in chosen:
        col = headers.index(f"{view.name} personnel") + 1
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
