"""A re-plan's cost against its baseline's, both priced by the workbook solved
(solver/results/baseline_cost.py): a session's note, a re-plan never stated what it costs beside
the plan nations were already asked for. Each figure is worked by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from solver import api
from solver.results.console import replan_lines

from .test_baseline_history import _carried_cases
from .workbooks import simple_case


def _summary(path: Path) -> dict:
    frame = pd.read_excel(path, sheet_name="Summary")
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))


def test_the_baseline_is_priced_by_the_workbook_solved(tmp_path: Path) -> None:
    """S1 needs 2 INF; A now pledges 1 (cost 10 a unit), B 2 (cost 4). The Baseline sheet has
    A's 2 at S1, and a row of B's ENG, which B no longer pledges. The plan keeps A's 1 and adds B's 1:
    cost 10 + 4 = 14. The baseline priced by this workbook: 2 x 10 = 20 (B's ENG row left out
    and counted): -6, -30.0%."""
    path = simple_case(
        tmp_path / "w.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 10},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 4},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 2},
            {"contributor": "B", "capability": "ENG", "site": "S2", "units": 1},
        ],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ENG", "category": "ground", "personnel_per_unit": 50},
        ],
    )
    result = api.solve(path)
    assert result.status == "optimal"
    out = tmp_path / "out.xlsx"
    api.write(result, out)
    summary = _summary(out)
    assert (summary["objective.cost"], summary["baseline_cost"]) == (14, 20)
    assert summary["baseline_unpriced_rows"] == 1
    assert replan_lines(result.tables)[-1] == (
        "cost 14 against the baseline's 20 (1 row of pledges or sites the workbook no longer "
        "has left out), both priced by this workbook: -6, -30.0%"
    )


def test_a_carried_tour_costs_nothing_on_either_side(tmp_path: Path) -> None:
    """The carried case of test_baseline_history.py: A's one unit (cost 1) carried into
    2027-07, kept to 2027-08, and a new tour in 2027-12. The baseline's row from 2027-07 is the
    carried tour: 1 - 1 = 0. The plan's cost is its one new tour: 1. No share of 0."""
    later, plan = _carried_cases(tmp_path)
    result = api.solve(api.read(later), baseline=plan)
    assert result.status == "optimal"
    assert replan_lines(result.tables)[-1] == (
        "cost 1 against the baseline's 0, both priced by this workbook: +1"
    )


def test_a_carried_tour_past_its_limit_is_priced_as_the_plan_would_be(tmp_path: Path) -> None:
    """A's 2 units (cost 1 each; tours of at most 6 months, dwell 3) at S1 in the first plan's
    tour 2027-03..2027-10; the re-plan's horizon 2027-07..2027-12. Carried in having served 4
    months, A's units cannot stay to 2027-10 (4 + 4 = 8 > 6): as a plan's tours are read, they
    are withdrawn as 2027-07 begins, and the tour 2027-07..2027-10 is a new one, 2 x 1 = 2. Its
    cost is what `objective.cost` would say of that plan (a copy of the carried rule priced it
    0: every carried unit in a first-period tour counted as staying)."""
    from dataclasses import replace

    from solver.results.baseline_cost import baseline_cost

    from .test_baseline_history import _months, _plan_of
    from .time_cases import timed_case

    a = {"contributor": "A", "capability": "INF", "units": 2, "tour_months": 6, "dwell_months": 3}
    plan = _plan_of(tmp_path, a, [["A", "INF", "S1", "2027-03", "2027-10", 8, 2]])
    line = [{"site": "S1", "capability": "INF", "units": 1, "priority": 1}]
    later = timed_case(
        tmp_path / "later.xlsx", periods=_months(7, 12), requirements=line, pledges=[a]
    )
    data = api.read(later)
    data = replace(data, baseline=api.read_baseline(plan, data))
    assert data.baseline is not None
    cost = baseline_cost(data)
    assert cost is not None and (cost.cost, cost.unpriced) == (2.0, 0)


def test_a_row_at_a_site_the_scenario_drops_is_left_out_not_priced_at_nothing(
    tmp_path: Path,
) -> None:
    """The Baseline sheet has A's 1 INF at S1 and 1 at S2; A's cost is distance-based: A and S1
    at (0, 0), S2 at (0, 1), one degree of longitude on the equator, about 111.2 km, times 100
    people: about 11,120 person-km, S1's 0. Scenario `noS2` drops S2: its row has no place to
    measure from (a review: it read 0 km, +0 against the plan), so it is left out and
    counted. With a cost_per_unit (10) the row is priced all the same: 20 in both."""
    rows = [{"contributor": "A", "capability": "INF", "site": s, "units": 1} for s in ("S1", "S2")]
    lines = [{"site": s, "capability": "INF", "units": 1} for s in ("S1", "S2")]
    drop = [{"scenario": "noS2", "sheet": "Sites", "key": "S2", "column": "drop"}]

    def priced(name: str, pledge: dict, scenario: str) -> tuple[float, int]:
        path = simple_case(
            tmp_path / name, requirements=lines, pledges=[pledge], baseline=rows, scenarios=drop
        )
        summary = dict(api.solve(path, scenario=scenario).tables.summary)
        return summary["baseline_cost"], summary["baseline_unpriced_rows"]

    km = {"contributor": "A", "capability": "INF", "units": 2}
    base, left_out = priced("km.xlsx", km, "base")
    assert abs(base - 11_120) < 5 and left_out == 0
    assert priced("km.xlsx", km, "noS2") == (0, 1)
    per_unit = {**km, "cost_per_unit": 10}
    assert priced("unit.xlsx", per_unit, "base") == priced("unit.xlsx", per_unit, "noS2") == (20, 0)


def test_the_cost_sentence_adds_up_as_shown() -> None:
    """30,337,405.4 against 25,366,600.6 is shown 30,337,405 against 25,366,601: the change
    said is that of the figures shown, +4,970,804 (a briefing trial read +4,970,805); the
    share is of the costs as they are."""
    from solver.results.baseline_cost import cost_sentence

    said = cost_sentence({"baseline_cost": 25_366_600.6, "objective.cost": 30_337_405.4})
    assert said == (
        "cost 30,337,405 against the baseline's 25,366,601, both priced by this workbook: "
        "+4,970,804, +19.6%"
    )
