"""A lock that must give way where a caveat keeps its option out names that caveat in the
smallest change that gives a plan (explain/give_way.py): there all its units must go, and the
conflict may not name the caveat at all (`replanning.md`)."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .baseline_infeasible_case import locked
from .time_cases import months, timed_case
from .workbooks import simple_case


def test_a_minimum_contingent_above_the_pledge_gives_way_by_the_pledge_it_needs(
    tmp_path: Path,
) -> None:
    """A's 2 INF at S1 are locked; A pledges 1 and caveat M1 asks at least 2 units of A or
    none. The conflict is the lock and A's pledge (2 locked, 1 pledged: M1 is not needed for
    it). Unlocking 1 unit is not enough (M1 then keeps A's 1 out of S1), so the lock would give
    way by all its 2 units; but 1 unit more of A's pledge keeps the lock and M1 both: the
    smallest change (an infeasibility trial: the model built to explain removed A's option for
    M1 by its bound min(pledged, required), so a change of the pledge could not bring it back,
    and said `by 2 units` of the lock). Made, it gives a plan."""
    sheets: dict = {
        "caveats": [{"id": "M1", "contributor": "A", "caveat": "min_contingent", "value": 2}],
        "baseline": [locked(2)],
    }
    b_pledge = {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1}

    def pledges(a: int) -> list[dict]:
        return [{"contributor": "A", "capability": "INF", "units": a, "cost_per_unit": 1}, b_pledge]

    result = api.solve(simple_case(tmp_path / "w.xlsx", pledges=pledges(1), **sheets))
    assert result.status == "infeasible" and result.conflict is not None
    assert [rid for rid, _ in result.conflict.rules] == ["locked:A/INF/S1", "pledge:A/INF"]
    assert result.conflict.give_way == [("A pledges 1 INF", 1.0, "unit")]
    assert "  - A pledges 1 INF: by 1 unit" in result.conflict.lines()
    fixed = api.solve(simple_case(tmp_path / "f.xlsx", pledges=pledges(2), **sheets))
    assert fixed.status == "optimal"


def test_in_time_the_caveat_is_named_of_the_periods_it_keeps_the_lock_out_of(
    tmp_path: Path,
) -> None:
    """Timed, P1..P3: A's 1 INF at S1 is locked in P1..P3; caveat X1 excludes S1 for A in P3
    only. The lock gives way in P3 alone, where X1 keeps it out: `its units in P3, kept out by
    caveat X1 (... P3)`."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {
                "id": "X1",
                "contributor": "A",
                "caveat": "exclude",
                "site": "S1",
                "from": "P3",
                "to": "P3",
            }
        ],
        baseline=[locked(1, **{"from": "P1", "to": "P3"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.give_way == [
        (
            "locked: A 1 INF at S1 in P1..P3, its units in P3, kept out by caveat X1 (A exclude "
            "site=S1, P3)",
            1.0,
            "unit",
        )
    ]
