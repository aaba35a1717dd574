"""The sheets of a timed output in reading order, with their formats (`output_sheets` calls
`timed_sheets`): Dashboard, Summary, Tours, Allocation, Coverage, Sustainability, Burden,
Timeline."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .dashboard import RED_FILL, RED_FONT
from .tables import Tables
from .time_dashboard import timed_dashboard_sheet
from .timeline import timeline_sheet
from .writer import OutSheet


def timed_sheets(
    tables: Tables, summary: OutSheet, allocation: OutSheet, coverage: OutSheet
) -> list[OutSheet]:
    """Dashboard, Summary, Tours, Allocation, Coverage, Sustainability, Burden, Timeline."""
    assert tables.periods is not None
    sus = tables.timed["Sustainability"]
    return [
        timed_dashboard_sheet(tables),
        summary,
        OutSheet("Tours", tables.timed["Tours"], cells=True, decorate=date_format),
        allocation,
        coverage,
        OutSheet("Sustainability", sus, widths={"reason": 60}, decorate=short_rows(sus)),
        OutSheet("Burden", tables.timed["Burden"]),
        timeline_sheet(
            tables.coverage,
            tables.allocation,
            tables.periods,
            [str(c) for c in tables.contributors["contributor"]],
        ),
    ]


def date_format(ws: Worksheet) -> None:
    """Tours' start_date and end_date shown as dates (yyyy-mm-dd)."""
    for j in range(1, ws.max_column + 1):
        if ws.cell(row=1, column=j).value in ("start_date", "end_date"):
            for i in range(2, ws.max_row + 1):
                ws.cell(row=i, column=j).number_format = "yyyy-mm-dd"


def short_rows(frame: pd.DataFrame) -> Callable[[Worksheet], None]:
    """Sustainability: rows of lines short in some period red (a live rule on periods_short)."""

    def apply(ws: Worksheet) -> None:
        if not len(frame):
            return
        col = get_column_letter(list(frame.columns).index("periods_short") + 1)
        cells = f"A2:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        ws.conditional_formatting.add(
            cells, FormulaRule(formula=[f"${col}2>0"], fill=RED_FILL, font=RED_FONT)
        )

    return apply
