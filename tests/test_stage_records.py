"""A Summary's stage keys read one way (`model/stage_names.stage_records`): the console, the
briefing, compare's marks, the sweep's notes and check's pins all read the stages through it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.model.stage_names import StageRecord, stage_records

from .sweep_case import small_case


def test_stage_records_read_status_gap_and_stop_in_the_summarys_order() -> None:
    summary = {
        "status": "feasible",
        "stage.shortfall.p1.status": "optimal",
        "objective.cost": 12.0,
        "stage.cost.status": "feasible",
        "stage.cost.gap": 0.0213,
        "stage.cost.stopped": "share",
        "stage.presence.status": "not_solved",
        "stage.presence.gap": "n/a",  # a cell typed over: no number, no gap
        "stage.changes.gap": 0.5,  # a gap without its status is no stage
    }
    assert stage_records(summary) == [
        StageRecord("shortfall.p1", "optimal", None, ""),
        StageRecord("cost", "feasible", 0.0213, "share"),
        StageRecord("presence", "not_solved", None, ""),
    ]
    assert [r.proven for r in stage_records(summary)] == [True, False, False]
    assert stage_records({"status": "optimal"}) == []


def test_a_written_summary_reads_back_as_the_solve_recorded_it(tmp_path: Path) -> None:
    """The writer (results/report.py) and the reader agree: each stage of a solve reads back
    with its name, status and stop, in the solve's order."""
    case = small_case(tmp_path / "case.xlsx")
    result = api.solve(case)
    out = api.write(result, tmp_path / "out.xlsx", [case])
    book = load_workbook(out, read_only=True)  # closed: an open file warned in a later test
    try:
        rows = book["Summary"].iter_rows(min_row=2, values_only=True)
        read = stage_records({k: v for k, v, *_ in rows})
    finally:
        book.close()
    assert [(r.name, r.status, r.stopped) for r in read] == [
        (s.name, s.status, s.stopped) for s in result.outcome.stages
    ]
    assert read, "the case has stages"
