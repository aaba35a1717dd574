"""The hand-worked timed case of tests/test_report_edited_time.py and its planner's edit, shared
with tests/test_report_edited_versions.py (its docstring works them by hand)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .time_cases import months, timed_case


def solved_output(tmp_path: Path) -> Path:
    """The case of tests/test_report_edited_time.py solved; input edit.xlsx beside its output
    edit-out.xlsx."""
    src = timed_case(
        tmp_path / "edit.xlsx",
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": 2}],
    )
    out = api.write(api.solve(src), tmp_path / "edit-out.xlsx", [src])
    tours = list(load_workbook(out)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "P1", "P2", 2, 1), ("A", "INF", "S1", "P3", "P4", 2, 1)]
    return out


def edit(output: Path) -> Path:
    """The docstring's edit: P1..P2 extended to P1..P3 (its `to` cell only), P3..P4 deleted."""
    book = load_workbook(output)
    tours = book["Tours"]
    tours["E2"] = "P3"
    tours.delete_rows(3)
    book.save(output)
    return output
