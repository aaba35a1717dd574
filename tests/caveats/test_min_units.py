"""`min_units`: the matching units of the contributor total at least `value` (a firm commitment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import assert_infeasible, check, need, pledge, stages, world

REQUIREMENTS = [need("S1", "INF", 2), need("S2", "INF", 1)]


def min_units(value: int, **filters: Any) -> dict:
    return {"id": "N1", "contributor": "A", "caveat": "min_units", "value": value, **filters}


@pytest.mark.parametrize(
    "filters",
    [{"site": "S2"}, {"zone": "rear"}, {"country": "Y"}, {"capability": "INF", "site": "S2"}],
)
def test_min_units_commits_an_expensive_contributor(
    tmp_path: Path, solve_both, filters: dict[str, Any]
) -> None:
    """A (3 INF @5) commits at least 1 unit to S2; B (3 INF @1) would cover everything alone.

    S2 needs 1, so A->S2 is exactly 1 and B fills S1 with 2 (A at S1 would only cost more).
    Shortfall 0, cost 5 + 2 = 7, presence 2. A is exactly at its commitment: binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=[pledge("A", "INF", 3, 5), pledge("B", "INF", 3, 1)],
        caveats=[min_units(1, **filters)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S2"): 1, ("B", "INF", "S1"): 2},
        stages(7, 2, p1=0),
        {"N1": "yes"},
    )


def test_min_units_beats_priority(tmp_path: Path, solve_both) -> None:
    """A's only unit is committed to S2 (priority 2) although S1 (priority 1) needs it.

    The caveat is a constraint, the priorities only an objective: A->S2 1.
    Shortfall p1 = 1, p2 = 0; cost 1, presence 1; binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1, priority=1), need("S2", "INF", 1, priority=2)],
        pledges=[pledge("A", "INF", 1, 1)],
        caveats=[min_units(1, zone="rear")],
    )
    check(solve_both(path), {("A", "INF", "S2"): 1}, stages(1, 1, p1=1, p2=0), {"N1": "yes"})


def test_min_units_exceeded_is_not_binding(tmp_path: Path, solve_both) -> None:
    """A (3 INF @5) commits 1 unit; B has 1 unit @1. Filling all 3 needs A 2 + B 1 anyway.

    Cost 2 x 5 + 1 = 11 wherever B goes; presence decides: B->S2 lets A keep both units at S1
    (pairs (A,S1), (B,S2) = 2) whereas B->S1 needs A at both sites (3). So A->S1 2, B->S2 1.
    A deploys 2 > 1: binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=[pledge("A", "INF", 3, 5), pledge("B", "INF", 1, 1)],
        caveats=[min_units(1)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("B", "INF", "S2"): 1},
        stages(11, 2, p1=0),
        {"N1": "no"},
    )


@pytest.mark.parametrize(
    ("value", "filters"),
    [(4, {}), (3, {"zone": "front"}), (1, {"capability": "AD"})],
)
def test_min_units_unreachable_is_infeasible(
    tmp_path: Path, solve_both, value: int, filters: dict[str, Any]
) -> None:
    """A pledges 5 INF but the requirements take only 3 (S1 2, S2 1), none of them AD.

    At least 4 in all, 3 at the front (S1 takes 2) or 1 AD cannot be reached: infeasible,
    exit code 3, nothing allocated.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=[pledge("A", "INF", 5, 1)],
        caveats=[min_units(value, **filters)],
    )
    assert_infeasible(solve_both(path))


def test_min_units_rows_golden(tmp_path: Path) -> None:
    """The rows min_units adds, pinned as text in golden/min_units.lp, on the first world above: A commits at least 1 unit to the rear."""
    assert_golden(
        tmp_path,
        "min_units",
        requirements=REQUIREMENTS,
        pledges=[pledge("A", "INF", 3, 5), pledge("B", "INF", 3, 1)],
        caveats=[min_units(1, zone="rear")],
    )
