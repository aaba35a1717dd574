"""A rolling re-plan: the baseline file was solved over another horizon than the workbook's
(io/baseline_horizon.py). Its tours wholly before (or after) the workbook's periods are no part
of the baseline, those running across its first (or last) period are the baseline within it;
a slip in a plan of the same horizon is still an error (tests/test_baseline_period_names.py)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api
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
            "only its part within them is the baseline (and a lock holds that part)",
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
        "its part within them is the baseline (and a lock holds that part)"
    ]
