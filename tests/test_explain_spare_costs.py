"""`not used although spare: no single rule blocks it`: what filling the line would cost is
said only where it can exist. A line of a more important priority, or another of the line's
own priority, that the pledge's units can also fill; in time, another period. A priority-1
line read "would cost a higher-priority line or another period", and no line is above it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from solver import api
from solver.explain.gaps import GapExplainer
from solver.wording import SPARE

from .explain_time_case import gaps, reasons, solved
from .workbooks import write_workbook

UNEVEN = [
    {"period": "P1", "months": 1},
    {"period": "P2", "months": 1},
    {"period": "P3", "months": 3},
    {"period": "P4", "months": 3},
]
RULES = "or break a combination of rules (see --price-caveats)"


def _spare(result: api.Result) -> set[str]:
    return {row[-1] for row in gaps(result) if row[-1].startswith(SPARE)}


def test_the_only_line_of_priority_1_costs_another_period_only(tmp_path: Path) -> None:
    """The tester's unev4: S1/INF (p1) alone, A's 2 units on tours of at most 3 months with 4
    of dwell. S1 is short in P2 with a unit spare: filling it would cost another period, never
    a line above p1. The plan: one unit in P1 (month 1), home in dwell for months 2-5, which is
    P2 and P3 (months 3-5); the other in P3, and the first again in P4. The spare unit sent in
    P2 (month 2) would be home for months 3-6, so in P3 both units would be home: it is held
    for P3, and the reason says so (a planner trial read `spare` of such a unit as idle)."""
    result = solved(
        tmp_path,
        periods=UNEVEN,
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": 3,
                "dwell_months": 4,
            }
        ],
    )
    said = (
        f"{SPARE} — filling this line then would cost another period (a tour then keeps a unit "
        "at home for 4 months after it, into P3, when all A's 2 units are taken: 1 at S1 (p1), "
        f"1 in dwell until P3), {RULES}"
    )
    assert _spare(result) == {said}
    assert reasons(result) == {("S1", "INF"): said}


def test_two_lines_of_priority_1_cost_each_other(tmp_path: Path) -> None:
    """S1 and S2 (both p1) need 1 INF each; A's 2 units serve one-month tours with 2 months
    of dwell. One line is short in P1 with a unit spare: filling it would cost the other p1
    line or another period; there is no higher priority. One-month tours cannot cover P3 or P4
    (3 months), so the plan serves S1 in P1 with one unit and in P2 with the other; the spare
    unit sent to S2 in P1 would be home for months 2-3, with the first: none for P2."""
    result = solved(
        tmp_path,
        periods=UNEVEN,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": 1,
                "dwell_months": 2,
            }
        ],
    )
    assert _spare(result) == {
        f"{SPARE} — filling this line then would cost an equal-priority line or another "
        "period (a tour then keeps a unit at home for 2 months after it, into P2, when all A's "
        f"2 units are taken: 1 at S1 (p1), 1 in dwell until P3), {RULES}"
    }


def test_a_snapshot_names_the_lines_the_pledge_could_fill(tmp_path: Path) -> None:
    """A snapshot: S1 and S2 (p1) and S3 (p2) need INF; A may fill all three, B only S1 (its
    `only`). The fallback for each (line, pledge), in the lexicographic order's words: A on
    S1 could cost S2 (equal), A on S3 could cost S1 or S2 (higher); B on S1 has no other line
    (only rules)."""
    path = write_workbook(
        tmp_path / "case.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1"}, {"site": "S2"}, {"site": "S3"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S3", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
        ],
        caveats=[{"id": "C1", "contributor": "B", "caveat": "only", "site": "S1"}],
    )
    result = api.solve(path)
    assert result.ctx.x is not None and result.outcome.x is not None
    xval = result.outcome.x[result.ctx.x["col"].to_numpy()]
    g = GapExplainer(result.ctx, np.round(xval))
    head = f"{SPARE} — filling this line would"
    assert g.no_single_rule(0, 0) == f"{head} cost an equal-priority line, {RULES}"
    assert g.no_single_rule(2, 0) == f"{head} cost a higher-priority line, {RULES}"
    assert g.no_single_rule(0, 1) == f"{head} {RULES.removeprefix('or ')}"


def test_a_unit_is_not_said_held_for_a_period_past_its_pledge_s_mandate() -> None:
    """A review: A's 2 units (12 months of dwell) are pledged to P3; spare per period 1, 1, 1
    and 0 from P4, where the mandate has ended (no unit spare, none taken). A spare unit in P2
    was said held `into P4, when all A's 2 units are taken:` with no place named. Past the
    pledge's `to` nothing is held for; within it, P3 all taken, the unit is held for P3."""
    from types import SimpleNamespace

    from solver.explain.gaps_time import held_for_later

    def explainer(spare: list[float], units: int = 2) -> SimpleNamespace:
        return SimpleNamespace(
            pledge_rows=[
                {"contributor": "A", "capability": "INF", "units": units}
                | {"dwell_months": 12, "to_t": 2}
            ],
            months=[1] * 6,
            names=[f"P{i}" for i in range(1, 7)],
            data=SimpleNamespace(periods=pd.DataFrame({"offset": range(6)})),
            sol=SimpleNamespace(spare_t=np.array([spare], dtype=float)),
            used_by_pledge={},
            dwell={},
        )

    assert held_for_later(explainer([1, 1, 1, 0, 0, 0]), 0, 1) == ""  # type: ignore[arg-type]
    held = held_for_later(explainer([1, 1, 0, 0, 0, 0]), 0, 1)  # type: ignore[arg-type]
    assert held.startswith("a tour then keeps a unit at home for 12 months after it, into P3")
    assert "when all A's 2 units are taken: " in held
    one = held_for_later(explainer([1, 1, 0, 0, 0, 0], units=1), 0, 1)  # type: ignore[arg-type]
    assert "when A's 1 unit is taken: " in one  # a trial: `when all B's 1 unit are taken`
