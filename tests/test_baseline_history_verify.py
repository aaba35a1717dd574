"""`verify` of a rolling re-plan's output against the history before its horizon (split from
test_baseline_history.py, whose cases it reads): units home from a tour before the horizon,
a carried tour kept too long, a pledge cut below the units kept deployed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.verify import verify_file

from .test_baseline_history import _carried_cases, _cases, _pledge_cut


def test_verify_names_units_home_from_before_the_horizon(tmp_path: Path) -> None:
    """The re-plan's output edited by hand to send A's unit from 2027-08: verify against the
    first plan says 1 deployed + 2 in dwell > 2 pledged there, naming the baseline's tour.
    Without the baseline file, verify reads the plan's own History sheet and says the same
    (an uneven-periods trial: it said "the plan holds"), with a note that it did; with that
    sheet deleted too, no history is known and the edit passes the rotation rule."""
    later, plan = _cases(tmp_path)
    result = api.solve(api.read(later), baseline=plan)
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    book = load_workbook(out)
    tours = book["Tours"]
    row = next(r for r in tours.iter_rows(min_row=2) if r[0].value == "A")
    row[3].value = "2027-08"
    book.save(out)
    report = verify_file(later, out, baseline=plan)
    said = [v.message for v in report.violations if v.rule == "rotation"]
    assert said == [
        "A/INF in 2027-08..2027-09: 1 unit deployed + 2 in dwell > 2 pledged; deployed: 1 at S1 "
        "2027-08..2027-12 (Tours!A2); in dwell: 2 back from S1 (the baseline's tours that ended "
        "before 2027-07)"
    ]
    alone = verify_file(later, out)
    assert [v.message for v in alone.violations if v.rule == "rotation"] == said
    assert any(n.startswith("the plan's History sheet was read") for n in alone.notes)
    del book["History"]
    book.save(out)
    bare = verify_file(later, out)
    assert not [v for v in bare.violations if v.rule == "rotation"]


def test_verify_reads_a_carried_tour_kept_too_long_as_withdrawn_and_relieved(
    tmp_path: Path,
) -> None:
    """The re-plan's first tour edited by hand to 2027-07..2027-09: carried, A's unit would
    serve 4 + 3 = 7 months > 6, so verify reads it as withdrawn as 2027-07 began (home in
    2027-07..2027-09) and relieved by the same pledge's only unit: 1 deployed + 1 in dwell > 1
    pledged there, naming the withdrawn tour and why it could not continue (4 months served + 3
    > 6: a planner trial lengthened a carried tour and was told only of the rotation); and A's unit, home after that tour in
    2027-10..2027-12, cannot be back in 2027-12."""
    later, plan = _carried_cases(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    book = load_workbook(out)
    row = next(r for r in book["Tours"].iter_rows(min_row=2) if r[3].value == "2027-07")
    row[4].value = "2027-09"
    book.save(out)
    said = [v.message for v in verify_file(later, out, baseline=plan).violations]
    assert said == [
        "A/INF in 2027-07..2027-09: 1 unit deployed + 1 in dwell > 1 pledged; deployed: 1 at S1 "
        "2027-07..2027-09 (Tours!A2); in dwell: 1 back from S1 (the baseline's tours withdrawn "
        "as 2027-07 began; having served 4 months, the youngest could not continue in Tours!A2 "
        "(2027-07..2027-09): 4 + 3 months > tour_months 6)",
        "A/INF in 2027-12: 1 unit deployed + 1 in dwell > 1 pledged; deployed: 1 at S1 2027-12 "
        "(Tours!A3); in dwell: 1 back from S1 2027-07..2027-09 (Tours!A2)",
    ]


def test_verify_a_pledge_cut_below_the_units_kept_deployed(tmp_path: Path) -> None:
    """The pledge-cut case above, its output edited to keep both carried units to 2027-10: two
    deployed against the pledge of 1, whatever was committed before the horizon."""
    later, plan = _pledge_cut(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    book = load_workbook(out)
    book["Tours"]["G2"] = 2
    book.save(out)
    said = [v.message for v in verify_file(later, out, baseline=plan).violations]
    assert said and said[0].startswith("A/INF in 2027-07..2027-10: 2 units deployed > 1 pledged")


def test_a_carried_history_row_edited_to_end_elsewhere_is_said(tmp_path: Path) -> None:
    """The re-plan's History sheet carries A's tour 2027-03..2027-06 into its first period,
    2027-07. A planner trial edited such a `to` to an earlier month: no Tours row continues
    the row then, so it is read as a tour that ended, and verify's cost and verdict changed
    without a word. Read as written still, but said at the cell, by verify of the plan alone
    and by a re-plan against it."""
    later, plan = _carried_cases(tmp_path)
    out = tmp_path / "replan.xlsx"
    api.write(api.solve(api.read(later), baseline=plan), out)
    book = load_workbook(out)
    history = book["History"]
    header = [c.value for c in history[1]]
    row = next(r for r in history.iter_rows(min_row=2) if r[header.index("carried")].value == "yes")
    assert row[header.index("to")].value == "2027-06"
    row[header.index("to")].value = "2027-05"
    cell = row[header.index("to")].coordinate
    book.save(out)
    said = (
        f"History!{cell}: this History row is carried (it runs into the plan's first period), "
        "so it ends 2027-06, the month before that period; it ends elsewhere"
    )
    report = verify_file(later, out)
    assert any(said in str(w) for w in report.warnings), report.warnings
    again = api.solve(api.read(later), baseline=out)
    assert again.data.baseline is not None
    assert any(said in str(w) for w in again.data.baseline.read_warnings)
