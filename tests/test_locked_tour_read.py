"""A locked tour under a tour limit comes back as one tour of the plan's Tours (a re-plan
trial): its arrival and its departure paired with other units, first in, first out, it was
read as no tour first..last, and the plan was cheaper than the lock allows.

The case: periods 2027-01..2027-04 of one month; S1 needs 2 INF in each; C pledges 2 INF at 10
an arrival (tours of at most 3 months, no dwell), B 2 at 100. The Baseline sheet: C's 1 unit at
S1 in 2027-02..2027-03, locked. Worked by hand: both of C's units are needed in every period (B
costs 10 times as much). The locked unit's tour is exactly 02..03, so that unit serves 01..01,
02..03 (locked) and 04..04: three arrivals; the other serves at most 3 months at once, 01..03,
then 04..04: two more. 5 arrivals, cost 50 (before: 40, as tours 01..01, 01..03, 02..04 and
04..04, in which no tour is 02..03). Shortfall 0; changes |x - b| = 2 + 1 + 1 + 2 = 6
unit-months; presence 1."""

from __future__ import annotations

from pathlib import Path

from solver import api
from solver.verify import verify_file

from .time_cases import timed_case


def test_a_locked_tour_under_a_tour_limit_is_one_tour_of_the_plan(tmp_path: Path) -> None:
    periods = [{"period": f"2027-0{m}", "months": 1} for m in range(1, 5)]
    path = timed_case(
        tmp_path / "lock.xlsx",
        periods=periods,
        contributors=[{"contributor": c, "lat": 0, "lon": 0} for c in ("B", "C")],
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {
                "contributor": "C",
                "capability": "INF",
                "units": 2,
                "cost_per_unit": 10,
                "tour_months": 3,
                "dwell_months": 0,
            },
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 100},
        ],
        baseline=[
            {
                "contributor": "C",
                "capability": "INF",
                "site": "S1",
                "from": "2027-02",
                "to": "2027-03",
                "units": 1,
                "lock": "yes",
            }
        ],
    )
    result = api.solve(path)
    assert result.status == "optimal" and result.plan is not None
    values = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert values == {"shortfall.p1": 0, "changes": 6, "cost": 50, "presence": 1}
    names = list(result.data.periods["period"])  # type: ignore[index]
    tours = {(names[f], names[t]): int(n) for *_, f, t, n in result.plan.tours.itertuples(False)}
    assert tours.get(("2027-02", "2027-03"), 0) >= 1
    out = tmp_path / "out.xlsx"
    api.write(result, out)
    assert verify_file(path, out).ok
