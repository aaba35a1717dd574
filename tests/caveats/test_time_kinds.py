"""Every caveat kind in time (`time.md`, "Caveats, each within its own from..to"): a hand-worked
case per kind where the per-period reading (or the window) decides the plan, and each kind's
timed rows pinned as text (`golden/<kind>.timed.lp`).

World (tests/time_cases.py): A and B, capability INF, sites S1 (country X, zone front) and S2
(country Y, zone rear); cost 1 per unit, so the cost stage counts tours' units.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver.caveats import KINDS
from tests.time_cases import months, solve_timed

from .golden import assert_golden

TWO_LINES = [
    {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
    {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
]


def caveat(kind: str, **cells: Any) -> dict:
    return {"id": "C1", "contributor": "A", "caveat": kind, **cells}


def test_exclude_in_its_window(tmp_path: Path) -> None:
    """A (1 unit) may not be at S1 in P3..P4: S1 P1-P2, then S2 (priority 2) P3-P4.
    p1 = 2 (S1 in P3, P4), p2 = 2 (S2 in P1, P2); 2 tours."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=TWO_LINES,
        caveats=[caveat("exclude", site="S1", **{"from": "P3", "to": "P4"})],
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P3", "P4", 1)}
    assert stages == {"shortfall.p1": 2.0, "shortfall.p2": 2.0, "cost": 2.0, "presence": 2.0}


def test_exclude_holds_back_nothing_while_the_units_are_deployed_or_in_dwell(
    tmp_path: Path,
) -> None:
    """A pledges 4 INF on tours of at most 2 months with 2 months of dwell; S1 needs 2
    (priority 1), S2 1 (priority 2); A may not be at S2 in P3..P4. The only way to hold S1 in
    all 4 months is 2 units P1-P2, then the other 2 P3-P4 (a unit sent to S2 in P1-P2 would be
    in dwell when S1 needs it): p1 0, p2 4. In P3..P4 A's 4 units are 2 at S1 and 2 in dwell:
    none spare, so the caveat keeps nothing from S2 there: binding no. (Read as one unbroken
    stay of 2 units, the least churn, A had 2 spare units then and the caveat read binding.)
    The Gaps sheet counts the same spare units in P3..P4: none."""
    from solver import api
    from tests.time_cases import timed_case

    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 4,
                "tour_months": 2,
                "dwell_months": 2,
            },
        ],
        caveats=[caveat("exclude", site="S2", **{"from": "P3", "to": "P4"})],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "optimal"
    stages = {s.name: round(float(s.value), 6) for s in result.outcome.stages}
    assert (stages["shortfall.p1"], stages["shortfall.p2"]) == (0.0, 4.0)
    assert result.tables.caveats["binding"].tolist() == ["no"]
    gaps = result.tables.extra["Gaps"]
    late = gaps[(gaps["period"] == "P3..P4") & (gaps["contributor"] == "A")]
    assert late["spare"].tolist() == [0]


def test_only_in_its_window(tmp_path: Path) -> None:
    """A only at S2 in P1..P2 (free afterwards): S2 P1-P2, S1 P3-P4; p1 2, p2 2."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=TWO_LINES,
        caveats=[caveat("only", site="S2", **{"from": "P1", "to": "P2"})],
    )
    assert tours == {("A", "INF", "S2", "P1", "P2", 1), ("A", "INF", "S1", "P3", "P4", 1)}
    assert stages["shortfall.p1"] == 2.0 and stages["shortfall.p2"] == 2.0


def test_requires_per_period(tmp_path: Path) -> None:
    """A requires B; B's mandate ends with P2. A serves S1 and B S2 in P1-P2; from P3 B is gone,
    so A may not deploy: both lines short in P3-P4 (p1 2, p2 2). Over the horizon B did deploy,
    which a horizon reading would have taken as enough. (Who serves which line in P1-P2 is a tie
    at equal cost.)"""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=TWO_LINES,
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "to": "P2"},
        ],
        caveats=[caveat("requires", other="B")],
    )
    assert {(c, f, t) for c, _, _, f, t, _ in tours} == {("A", "P1", "P2"), ("B", "P1", "P2")}
    assert {s for _, _, s, *_ in tours} == {"S1", "S2"}
    assert stages["shortfall.p1"] == 2.0 and stages["shortfall.p2"] == 2.0


@pytest.mark.parametrize("kind, value", [("max_units", 1), ("max_personnel", 100)])
def test_limit_counts_units_present_at_the_same_time(tmp_path: Path, kind: str, value: int) -> None:
    """A (2 units) may have 1 unit (100 personnel) present at a time in P3..P4: both lines
    filled in P1-P2, then only S1 (priority 1): p2 = 2 (S2 in P3, P4). Tours: S1 P1-P4,
    S2 P1-P2."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=TWO_LINES,
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[caveat(kind, value=value, **{"from": "P3", "to": "P4"})],
    )
    assert tours == {("A", "INF", "S1", "P1", "P4", 1), ("A", "INF", "S2", "P1", "P2", 1)}
    assert stages == {"shortfall.p1": 0.0, "shortfall.p2": 2.0, "cost": 2.0, "presence": 2.0}


def test_min_units_in_each_period_of_its_window(tmp_path: Path) -> None:
    """A (1 unit) must have 1 unit at S2 in P2..P3: S1 P1, S2 P2-P3, S1 P4 (3 tours);
    p1 = 2 (S1 in P2, P3), p2 = 2 (S2 in P1, P4)."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=TWO_LINES,
        caveats=[caveat("min_units", site="S2", value=1, **{"from": "P2", "to": "P3"})],
    )
    assert tours == {
        ("A", "INF", "S1", "P1", "P1", 1),
        ("A", "INF", "S2", "P2", "P3", 1),
        ("A", "INF", "S1", "P4", "P4", 1),
    }
    assert stages == {"shortfall.p1": 2.0, "shortfall.p2": 2.0, "cost": 3.0, "presence": 2.0}


def test_min_contingent_per_period(tmp_path: Path) -> None:
    """S1 needs 1 unit in P1-P2 and 2 in P3-P4 (Profile); A (2 units) sends 0 or at least 2 to
    S1 in each period: nothing in P1-P2 (2 would exceed the line), 2 in P3-P4. p1 = 2."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        profile=[{"site": "S1", "capability": "INF", "from": "P3", "to": "P4", "units": 2}],
        caveats=[caveat("min_contingent", value=2)],
    )
    assert tours == {("A", "INF", "S1", "P3", "P4", 2)}
    assert stages["shortfall.p1"] == 2.0


def test_max_sites_at_the_same_time(tmp_path: Path) -> None:
    """A (2 units) at 1 site at a time; S1 is active P1-P2 and S2 P3-P4: A can serve both in
    turn (shortfall 0), which a horizon reading (2 sites used) would forbid. With both lines
    active throughout, S2 (priority 2) goes short every period: p2 = 4."""
    lines = [
        {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "to": "P2"},
        {"site": "S2", "capability": "INF", "units": 1, "priority": 2, "from": "P3"},
    ]
    pledges = [{"contributor": "A", "capability": "INF", "units": 2}]
    sites = [caveat("max_sites", value=1)]
    tours, stages = solve_timed(
        tmp_path, periods=months(4), requirements=lines, pledges=pledges, caveats=sites
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P3", "P4", 1)}
    assert stages["shortfall.p1"] == 0.0 and stages["shortfall.p2"] == 0.0
    _, stages = solve_timed(
        tmp_path,
        "both.xlsx",
        periods=months(4),
        requirements=TWO_LINES,
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=sites,
    )
    assert stages["shortfall.p2"] == 4.0


def test_not_with_in_the_same_period(tmp_path: Path) -> None:
    """A not with B; S1 needs 2. A (1 unit, to P2) and B (1 unit, from P3) are never there at the
    same time: each serves in its months, 1 unit short in each period (4). With both available
    throughout only one may be at S1 in each period: still 4, and never both at once."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "to": "P2"},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P3"},
        ],
        caveats=[caveat("not_with", other="B")],
    )
    assert tours == {("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)}
    assert stages["shortfall.p1"] == 4.0


def test_not_with_of_two_never_at_one_site_at_once_says_why_it_has_no_row(
    tmp_path: Path,
) -> None:
    """The first case above: A (to P2) and B (from P3) both serve S1, never in one period, so
    the caveat has no row. Its remark said `the two share no site option` though they share S1
    (a trial); it now says they are never both possible there in one period. Apart in space
    too (B serves only S2), the old words stand."""
    from solver import api
    from tests.time_cases import timed_case

    def remark(name: str, b_site: str) -> str:
        path = timed_case(
            tmp_path / name,
            periods=months(4),
            requirements=[
                {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
                {"site": "S2", "capability": "AD", "units": 1, "priority": 1},
            ],
            capabilities=[
                {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
                {"capability": "AD", "category": "air", "personnel_per_unit": 50},
            ],
            pledges=[
                {"contributor": "A", "capability": "INF", "units": 1, "to": "P2"},
                {"contributor": "B", "capability": b_site, "units": 1, "from": "P3"},
            ],
            caveats=[caveat("not_with", other="B")],
        )
        return str(api.solve(path).tables.caveats["remark"].iloc[0])

    assert remark("time.xlsx", "INF") == (
        "the two are never both possible at one site in the same period: no row needed"
    )
    assert remark("space.xlsx", "AD") == "the two share no site option: no row needed"


def test_no_weakening_in_its_window(tmp_path: Path) -> None:
    """S1 (priority 2) is A's home line, hard in P2..P3 only: A (1 unit) leaves S2 (priority 1)
    for S1 then. p1 = 2 (S2 in P2, P3), p2 = 2 (S1 in P1, P4)."""
    tours, stages = solve_timed(
        tmp_path,
        periods=months(4),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 2},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        caveats=[caveat("no_weakening", country="X", **{"from": "P2", "to": "P3"})],
    )
    assert tours == {
        ("A", "INF", "S2", "P1", "P1", 1),
        ("A", "INF", "S1", "P2", "P3", 1),
        ("A", "INF", "S2", "P4", "P4", 1),
    }
    assert stages["shortfall.p1"] == 2.0 and stages["shortfall.p2"] == 2.0


@pytest.mark.parametrize("window, binding", [(("P1", "P2"), "no"), (("P2", "P3"), "yes")])
def test_no_weakening_binds_only_where_its_lines_require_units(
    tmp_path: Path, window: tuple[str, str], binding: str
) -> None:
    """A's home line S1 asks 1 unit from P3 on (its window); the caveat hardens it in P1..P2,
    where the line asks nothing: it makes nothing hard, binding no (it said yes). Over
    P2..P3 it hardens S1 in P3: yes. A's unit holds S1 in P3..P4 either way."""
    from solver import api
    from tests.time_cases import timed_case

    first, last = window
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "priority": 1, "from": "P3"}],
        caveats=[caveat("no_weakening", country="X", **{"from": first, "to": last})],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "optimal"
    assert result.tables.caveats["binding"].tolist() == [binding]


TIMED_CASES = {
    "exclude": {"site": "S1"},
    "only": {"site": "S2"},
    "requires": {"other": "B"},
    "max_units": {"value": 1},
    "max_personnel": {"value": 100},
    "min_units": {"value": 1, "site": "S2"},
    "min_contingent": {"value": 2},
    "max_sites": {"value": 1},
    "not_with": {"other": "B"},
    "no_weakening": {"country": "X"},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_timed_rows_are_pinned(tmp_path: Path, kind: str) -> None:
    """The kind's rows in time on the standard world over 3 periods, its caveat in P2..P3:
    one row per period of the window (or per option and period), keyed by the period."""
    assert_golden(
        tmp_path,
        kind,
        golden_name=f"{kind}.timed",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
        caveats=[caveat(kind, **TIMED_CASES[kind], **{"from": "P2", "to": "P3"})],
    )


def test_every_kind_has_a_timed_case() -> None:
    assert set(TIMED_CASES) == set(KINDS)
