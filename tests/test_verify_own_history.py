"""verify of a rolling re-plan's output without its baseline file reads the output's own
History sheet (verify/own_history.py): an uneven-periods trial's re-plan, unedited, was said to
cost 46 against its stored 41 (its carried units, which stay and cost nothing, counted as new
tours), and an edit sending a unit still at home passed.

The case (test_baseline_history's carried one): A's one unit at S1 since 2027-03, tours of at
most 6 months, dwell 3; the re-plan over 2027-07..2027-12 keeps it to 2027-08 (cost 0: carried)
and sends it again in 2027-12 (cost 1): cost 1 stored and recomputed alike."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.verify import verify_file

from .test_baseline_history import _carried_cases


def test_an_unedited_rolling_re_plan_verifies_without_its_baseline(tmp_path: Path) -> None:
    later, plan = _carried_cases(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    report = verify_file(later, out)
    assert report.ok, [v.message for v in report.violations]
    cost = next(s for s in report.stages if s.stage == "objective.cost")
    assert (cost.recomputed, cost.stored) == (1, 1)
    assert any(n.startswith("the plan's History sheet was read") for n in report.notes)


def test_a_carried_tour_extended_past_its_limit_is_said_as_read(tmp_path: Path) -> None:
    """The first plan (edited): A's one unit at S1 in 2027-05..2027-08, tours of at most 4
    months. Re-planned over 2027-07..2027-12, A's unit carried in having served 2 months; its
    tour from 2027-07 edited by hand to run to 2027-11, five months. verify reads it as a new
    tour (the carried unit, 2 + 5 = 7 > 4, cannot continue in it, so went home) and its length
    message says so (an uneven-periods trial was told of a length and a dwell it did not see)."""
    from openpyxl import load_workbook

    from .test_baseline_history import _months, _plan_of
    from .time_cases import timed_case

    a = {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 4}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-05", "2027-08", 4, 1]])
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    later = timed_case(
        tmp_path / "later.xlsx", periods=_months(7, 12), requirements=line, pledges=[a]
    )
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    book = load_workbook(out)
    row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[3].value == "2027-07")
    row[4].value = "2027-11"
    book.save(out)
    said = [v.message for v in verify_file(later, out, baseline=plan).violations]
    assert (
        "tour A/INF/S1 2027-07..2027-11: 5 months > tour_months 4 (read as a new tour: 1 unit "
        "carried in from before 2027-07, having served 2 months there, could not continue in it "
        "and went home as 2027-07 began)"
    ) in said, said


def test_a_history_sheet_missing_a_column_is_not_read_and_said(tmp_path: Path) -> None:
    """The re-plan's History sheet with its `carried` header renamed: none of its rows is read
    (each carried tour was read as ended, and verify then found rotation breaks and a cost
    that differs: a review), and a warning says so."""
    from openpyxl import load_workbook

    later, plan = _carried_cases(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    book = load_workbook(out)
    sheet = book["History"]
    header = [c.value for c in sheet[1]]
    sheet.cell(1, header.index("carried") + 1).value = "carried_in"
    book.save(out)
    report = verify_file(later, out)
    said = [w.message for w in report.warnings if w.where == "History"]
    assert said == [
        "the History sheet lacks its column carried, so none of its rows is read: the dwell "
        "and months served before the horizon are not counted"
    ], [str(w) for w in report.warnings]
    assert not [v for v in report.violations if v.rule == "rotation"]
