"""A rolling re-plan whose baseline's periods are several months long and named by their first
month (`2027-03` of two months): the file's own calendar, not the name alone, says when its
tours ended (a review: a tour to `2027-08` of two months was read as ending a month early, and
its units' dwell with it).

The hand-worked case. The first plan, over 2027-01 (2 months) and 2027-03 (2 months): S1 needs
2 INF, A pledges 2 (dwell 3 months): A's 2 units at S1 throughout, one tour of 4 months ending
at the start of 2027-05. The re-plan, over 2027-05..2027-10 monthly: S1 needs 2 INF; A pledges
2 (dwell 3), B 1 (no dwell). A's units are home in 2027-05..2027-07, so only B's unit holds S1
there: short 1 unit in each of 3 months, shortfall.p1 = 3. Read by the names alone, the tour
ended at the start of 2027-04 and A's units were home only in 2027-05..2027-06 (shortfall 2)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
from solver.verify import verify_file

from .baseline_input_case import solved_output
from .time_cases import timed_case


def test_a_tour_ending_in_a_longer_period_named_by_its_first_month(tmp_path: Path) -> None:
    line = [{"site": "S1", "capability": "INF", "units": 2, "priority": 1}]
    a = {"contributor": "A", "capability": "INF", "units": 2, "dwell_months": 3}
    periods = [{"period": "2027-01", "months": 2}, {"period": "2027-03", "months": 2}]
    first = timed_case(tmp_path / "first.xlsx", periods=periods, requirements=line, pledges=[a])
    plan = solved_output(tmp_path, first, "plan.xlsx")
    tours = list(load_workbook(plan)["Tours"].iter_rows(min_row=2, max_col=7, values_only=True))
    assert tours == [("A", "INF", "S1", "2027-01", "2027-03", 4, 2)]
    b = {"contributor": "B", "capability": "INF", "units": 1}
    monthly = [{"period": f"2027-{m:02d}", "months": 1} for m in range(5, 11)]
    later = timed_case(
        tmp_path / "later.xlsx", periods=monthly, requirements=line, pledges=[dict(a), b]
    )
    data = api.read(later)
    baseline = api.read_baseline(plan, data)
    assert baseline.history is not None
    assert baseline.history[["contributor", "start", "end", "units"]].values.tolist() == [
        ["A", -4, 0, 2]
    ]
    result = api.solve(data, baseline=plan)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values["shortfall.p1"] == 3
    out = tmp_path / "replan.xlsx"
    api.write(result, out)
    assert verify_file(later, out, baseline=plan).ok
