"""A gap a baseline lock causes names the lock (Gaps and Sustainability): a trial found a
priority-1 line short because the only unit was locked at a priority-2 line, explained as
`pledge exhausted: 1 at S2 (p2)`, as if the plan had chosen to put it there."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .time_cases import months, timed_case
from .workbooks import write_workbook

LOCKED = [{"contributor": "A", "capability": "INF", "site": "S2", "units": 1, "lock": "yes"}]


def one_nation(
    path: Path, baseline: list[dict], pledged: int = 1, s1: tuple[int, int] = (1, 1)
) -> Path:
    """A pledges `pledged` INF; S1 needs s1 = (units, priority) INF, S2 1 at priority 2; the
    Baseline sheet's rows are `baseline`."""
    return write_workbook(
        path,
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 100}],
        sites=[{"site": "S1"}, {"site": "S2"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": s1[0], "priority": s1[1]},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": pledged}],
        baseline=baseline,
    )


def test_a_unit_locked_elsewhere_is_said_locked_where_its_lock_is(tmp_path: Path) -> None:
    """S1 needs 1 INF at priority 1, S2 1 at priority 2; A pledges 1, locked at S2 (Baseline
    row 2). Without the lock A would fill S1 (priority 1 first); with it S1 is short 1, and its
    Gaps row says where the unit is and that it is locked there: `pledge exhausted: 1 at S2
    (p2, locked: Baseline!A2)`. Unlocked, the same baseline moves the unit to S1 (shortfall
    before changes), and S2's row says where it went, with no lock."""
    result = api.solve(one_nation(tmp_path / "locked.xlsx", LOCKED))
    gaps = result.tables.extra["Gaps"]
    assert gaps[["site", "contributor", "reason"]].values.tolist() == [
        ["S1", "A", "pledge exhausted: 1 at S2 (p2, locked: Baseline!A2)"]
    ]
    unlocked = [{**LOCKED[0], "lock": "no"}]
    gaps = api.solve(one_nation(tmp_path / "unlocked.xlsx", unlocked)).tables.extra["Gaps"]
    assert gaps[["site", "reason"]].values.tolist() == [["S2", "pledge exhausted: 1 at S1 (p1)"]]


def test_in_time_the_lock_is_named_in_its_periods_only(tmp_path: Path) -> None:
    """Periods P1..P2; S1 needs 1 INF (priority 1), S2 1 (priority 2); A pledges 1 with no
    tour limit, locked at S2 in P1 only (Baseline row 2). In P1 S1 is short (the unit is held
    at S2 by the lock); in P2 the unit is free and the plan takes it to S1 (priority 1), so S2
    is short in P2, its unit at S1 not locked then: `A's 1 unit: 1 at S1 (p1)`."""
    path = timed_case(
        tmp_path / "timed.xlsx",
        periods=months(2),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        baseline=[{**LOCKED[0], "from": "P1", "to": "P1"}],
    )
    result = api.solve(path)
    sustain = result.tables.timed["Sustainability"].set_index("site")["reason"]
    assert sustain["S1"] == "A's 1 unit: 1 at S2 (p2, locked: Baseline!A2)"
    assert sustain["S2"] == "A's 1 unit: 1 at S1 (p1)"


def test_a_lock_on_part_of_the_units_there_says_how_many(tmp_path: Path) -> None:
    """A review: A pledges 2 INF; S1 (priority 2) needs 2, S2 (priority 2) 1. The baseline has
    A 1 at S1 locked (row 2) and 1 more unlocked (row 3): the fewest changes keep both at S1,
    so S2 is short, its Gaps row saying `2 at S1 (p2, 1 locked: Baseline!A2)`: only one of the
    two is held by the lock (it said `locked`, as if both were)."""
    baseline = [LOCKED[0] | {"site": "S1"}, LOCKED[0] | {"site": "S1", "lock": "no"}]
    path = one_nation(tmp_path / "part.xlsx", baseline, pledged=2, s1=(2, 2))
    gaps = api.solve(path).tables.extra["Gaps"]
    assert gaps[["site", "reason"]].values.tolist() == [
        ["S2", "pledge exhausted: 2 at S1 (p2, 1 locked: Baseline!A2)"]
    ]
