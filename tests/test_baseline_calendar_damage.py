"""A baseline file whose calendar is damaged or missing (a review of the re-cut reading,
io/baseline_calendar.py): its Burden deleted, a period's Burden rows deleted, the workbook's
own periods with a gap. The tours are read by their periods' names then, as before, and a
Burden deleted under a re-cut horizon is said."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .baseline_input_case import solved_output
from .test_baseline_history_periods import _first_plan, _monthly
from .time_cases import timed_case

LINE = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
A = {"contributor": "A", "capability": "INF", "units": 1}


def _damaged(plan: Path, burden_rows_of: str | None) -> Path:
    """`plan` without its Burden sheet (None), or without the Burden rows of one period."""
    book = load_workbook(plan)
    if burden_rows_of is None:
        del book["Burden"]
    else:
        sheet = book["Burden"]
        for row in range(sheet.max_row, 1, -1):
            if sheet.cell(row, 2).value == burden_rows_of:
                sheet.delete_rows(row)
    book.save(plan)
    return plan


def test_a_quarterly_plan_without_its_burden_re_planned_monthly_is_said(tmp_path: Path) -> None:
    """Quarters 2027-01 and 2027-04 (A's tour 2027-01..2027-04, months 6), the Burden deleted,
    re-planned monthly over 2027-01..2027-06: read by name (2027-01..2027-04, four months), and
    a warning at its months cell says the file cannot say otherwise."""
    quarters = [{"period": "2027-01", "months": 3}, {"period": "2027-04", "months": 3}]
    plan = _damaged(_first_plan(tmp_path, quarters), None)
    later = timed_case(
        tmp_path / "later.xlsx", periods=_monthly(1, 6), requirements=LINE, pledges=[A]
    )
    baseline = api.read_baseline(plan, api.read(later))
    assert baseline.rows[["first_t", "last_t"]].values.tolist() == [[0, 3]]
    said = [(w.where, w.message) for w in baseline.read_warnings]
    assert len(said) == 1 and said[0][0] == "plan.xlsx Tours!F2", said
    assert said[0][1].startswith(
        "1 tour of the baseline covers other months in this workbook's periods than its months "
        "cell says (6 here, 4 in this workbook's periods)"
    )


def _plan_with_line(tmp_path: Path, periods: list[dict], window: dict) -> Path:
    """A's tour over the line S1 needs in `window` (its from/to)."""
    line = [{**LINE[0], **window}]
    first = timed_case(tmp_path / "first.xlsx", periods=periods, requirements=line, pledges=[A])
    return solved_output(tmp_path, first, "plan.xlsx")


def test_a_period_s_burden_rows_deleted_stretch_nothing(tmp_path: Path) -> None:
    """Monthly 2027-01..2027-04, S1 needing a unit to 2027-02 (A's tour 2027-01..2027-02),
    the Burden's rows of 2027-03 deleted, re-planned over the same months: read as it is, no
    warning (a review: 2027-02 was stretched over 2027-03, and the tour read to 2027-03
    beside a false warning)."""
    plan = _damaged(_plan_with_line(tmp_path, _monthly(1, 4), {"to": "2027-02"}), "2027-03")
    later = timed_case(
        tmp_path / "later.xlsx", periods=_monthly(1, 4), requirements=LINE, pledges=[A]
    )
    baseline = api.read_baseline(plan, api.read(later))
    assert baseline.rows[["first_t", "last_t"]].values.tolist() == [[0, 1]]
    assert not baseline.read_warnings


def test_a_workbook_with_a_gap_re_plans_its_own_plan_by_name(tmp_path: Path) -> None:
    """Periods 2027-01, 2027-02, 2027-04 (a gap in March: validate warns of it), A's tour
    2027-02..2027-04 (S1's line from 2027-02); re-planned in the same workbook: read by name,
    no warning of periods cut otherwise (a review: 2027-02 read as 2027-02..2027-03)."""
    gapped = [{"period": f"2027-{m:02d}", "months": 1} for m in (1, 2, 4)]
    plan = _plan_with_line(tmp_path, gapped, {"from": "2027-02"})
    later = timed_case(tmp_path / "later.xlsx", periods=gapped, requirements=LINE, pledges=[A])
    baseline = api.read_baseline(plan, api.read(later))
    assert baseline.rows[["first_t", "last_t"]].values.tolist() == [[1, 2]]
    assert not [w for w in baseline.read_warnings if "cut otherwise" in w.message]
