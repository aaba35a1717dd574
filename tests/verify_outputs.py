"""Hand-written timed output workbooks (Summary, Tours, Allocation), for `verify` tests.

path = write_plan(tmp_path / "plan.xlsx",
    tours=[("A", "INF", "S1", "P1", "P3", 2)],          # contributor, capability, site, from, to, units
    allocation=[("A", "INF", "S1", "P1", 2), ...],       # with `period`; None: no Allocation sheet
    summary={"objective.cost": 6},
)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

TOUR_HEADER = ["contributor", "capability", "site", "from", "to", "units"]
ALLOCATION_HEADER = ["contributor", "capability", "site", "period", "units"]


def write_plan(
    path: Path,
    tours: list[tuple[Any, ...]] | None = None,
    *,
    allocation: list[tuple[Any, ...]] | None = None,
    summary: dict[str, Any] | None = None,
    tour_header: list[str] | None = None,
) -> Path:
    """Write an output workbook as a planner would leave it after editing the Tours sheet.

    `tours` rows follow `tour_header` (default TOUR_HEADER); None leaves the Tours sheet out.
    `allocation` None leaves the Allocation sheet out."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["key", "value"])
    for key, value in (summary or {"scenario": "base"}).items():
        ws.append([key, value])
    if tours is not None:
        ws = wb.create_sheet("Tours")
        ws.append(tour_header or TOUR_HEADER)
        for row in tours:
            ws.append(list(row))
    if allocation is not None:
        ws = wb.create_sheet("Allocation")
        ws.append(ALLOCATION_HEADER)
        for row in allocation:
            ws.append(list(row))
    wb.save(path)
    return path
