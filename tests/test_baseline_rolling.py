"""A rolling re-plan: the baseline file was solved over another horizon than the workbook's
(io/baseline_horizon.py). Its tours wholly before (or after) the workbook's periods are no part
of the baseline, those running across its first (or last) period are the baseline within it;
a slip in a plan of the same horizon is still an error (tests/test_baseline_period_names.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError
from solver.verify import verify_file

from .baseline_input_case import solved_output
from .time_cases import timed_case


def _months(first: int, last: int) -> list[dict[str, object]]:
    """Monthly periods 2027-MM, months `first`..`last` of 2027."""
    return [{"period": f"2027-{m:02d}", "months": 1} for m in range(first, last + 1)]


def _plan_of_january_to_june(tmp_path: Path) -> Path:
    """Solved over 2027-01..2027-06: A's 1 INF at S1 over the whole horizon (Tours row 2),
    locked by hand, and a tour of A's at S2 in 2027-01..2027-02 added by hand (row 3)."""
    first = timed_case(tmp_path / "first.xlsx", periods=_months(1, 6))
    plan = solved_output(tmp_path, first, "plan.xlsx")
    book = load_workbook(plan)
    tours = book["Tours"]
    assert [c.value for c in tours[2]][:5] == ["A", "INF", "S1", "2027-01", "2027-06"]
    tours.cell(1, tours.max_column + 1, "lock")
    tours.cell(2, tours.max_column, "yes")
    for column, value in enumerate(["A", "INF", "S2", "2027-01", "2027-02", 2, 1], start=1):
        tours.cell(3, column, value)
    book.save(plan)
    return plan


def test_a_plan_of_an_earlier_horizon_is_the_baseline_within_the_new_one(
    tmp_path: Path,
) -> None:
    """The workbook's periods 2027-04..2027-09. By hand: row 3 (2027-01..2027-02) ended before
    them: left out; row 2 (2027-01..2027-06) is the baseline in 2027-04..2027-06 (positions
    0..2), locked there. The re-plan keeps A at S1 and adds it in 2027-07..2027-09: 3
    unit-months changed, no shortfall; both said once, at their rows."""
    plan = _plan_of_january_to_june(tmp_path)
    later = timed_case(tmp_path / "later.xlsx", periods=_months(4, 9))
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["site", "first_t", "last_t", "lock"]].values.tolist() == [
        ["S1", 0, 2, True]
    ]
    said = [(w.where, w.message) for w in data.warnings if "of the baseline" in w.message]
    assert said == [
        (
            "plan.xlsx Tours!A3",
            "1 tour of the baseline lies wholly outside this workbook's periods "
            "(2027-04..2027-09) and is no part of its baseline: the baseline was solved over "
            "another horizon (a rolling re-plan)",
        ),
        (
            "plan.xlsx Tours!A2",
            "1 tour of the baseline runs beyond this workbook's periods (2027-04..2027-09): "
            "only its part within them is the baseline (its lock holds that part); the months "
            "served before the first period count toward tour_months, and units the plan "
            "withdraws as it begins go home into dwell",
        ),
    ]
    result = api.solve(data, baseline=plan)
    assert result.status == "optimal"
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values["shortfall.p1"] == 0 and values["changes"] == 3
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok


def test_a_plan_running_past_a_shorter_horizon_is_cut_at_its_end(tmp_path: Path) -> None:
    """The workbook's periods 2026-10..2027-03 (given as 2027 months 1..3 after three of 2026):
    row 2 (2027-01..2027-06) is the baseline in 2027-01..2027-03 (positions 3..5); row 3
    (2027-01..2027-02) lies within them and stays as it is."""
    plan = _plan_of_january_to_june(tmp_path)
    periods = [{"period": f"2026-{m}", "months": 1} for m in (10, 11, 12)] + _months(1, 3)
    earlier = timed_case(tmp_path / "earlier.xlsx", periods=periods)
    data = api.read(earlier)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["site", "first_t", "last_t"]].values.tolist() == [
        ["S1", 3, 5],
        ["S2", 3, 4],
    ]
    said = [w.message for w in data.warnings if "of the baseline" in w.message]
    assert said == [
        "1 tour of the baseline runs beyond this workbook's periods (2026-10..2027-03): only "
        "its part within them is the baseline (its lock holds that part)"
    ]


def test_quarters_named_either_way_two_tours_cut_alike_and_a_reversed_row(tmp_path: Path) -> None:
    """Quarters named `Q1-2027` (time.md's own form): a plan of Q1-2027..Q4-2027 with, by hand,
    two unlocked tours of A at S1, Q1-2027..Q4-2027 (2 units) and Q2-2027..Q4-2027 (1 unit):
    against a workbook of Q3-2027..Q2-2028 both are cut to Q3-2027..Q4-2027, the baseline's
    3 units there, and they are no row `appearing again` (two tours in the file); no lock is
    said to hold them. A row from Q2-2027 to Q1-2027 (both before the horizon, reversed) is
    an error as any, not a tour left out."""
    quarters = [{"period": f"Q{q}-2027", "months": 3} for q in (1, 2, 3, 4)]
    first = timed_case(
        tmp_path / "first.xlsx",
        periods=quarters,
        pledges=[{"contributor": "A", "capability": "INF", "units": 3}],
    )
    plan = solved_output(tmp_path, first, "plan.xlsx")
    book = load_workbook(plan)
    tours = book["Tours"]
    tours.delete_rows(2, tours.max_row)
    for row in (
        ["A", "INF", "S1", "Q1-2027", "Q4-2027", 12, 2],
        ["A", "INF", "S1", "Q2-2027", "Q4-2027", 9, 1],
    ):
        tours.append(row)
    book.save(plan)
    later_quarters = [
        {"period": f"Q{q}-{y}", "months": 3}
        for y, q in ((2027, 3), (2027, 4), (2028, 1), (2028, 2))
    ]
    later = timed_case(
        tmp_path / "later.xlsx",
        periods=later_quarters,
        pledges=[{"contributor": "A", "capability": "INF", "units": 3}],
    )
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.rows[["first_t", "last_t", "units"]].values.tolist() == [[0, 1, 2], [0, 1, 1]]
    said = [w.message for w in data.warnings]
    assert not any("appears again" in m for m in said), said
    assert [m for m in said if "of the baseline" in m] == [
        "2 tours of the baseline run beyond this workbook's periods (Q3-2027..Q2-2028): only "
        "their part within them is the baseline; the months served before the first period "
        "count toward tour_months, and units the plan withdraws as it begins go home into dwell "
        "(also Tours!A3)"
    ]
    book = load_workbook(plan)
    book["Tours"].append(["A", "INF", "S1", "Q2-2027", "Q1-2027", 3, 1])
    book.save(plan)
    with pytest.raises(InputError) as refused:
        api.read_baseline(plan, api.read(later))
    assert [str(e) for e in refused.value.errors] == [
        "plan.xlsx Tours!D4: from 'Q2-2027' is after to 'Q1-2027'"
    ]
