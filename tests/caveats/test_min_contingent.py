"""`min_contingent`: each matching allocation x[c, k, s] is either 0 or at least `value`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world


def contingent(value: int, **filters: Any) -> dict:
    return {"id": "K1", "contributor": "A", "caveat": "min_contingent", "value": value, **filters}


SMALL_S2 = [need("S1", "INF", 3), need("S2", "INF", 1)]


def test_min_contingent_option_bound_below_minimum(tmp_path: Path, solve_both) -> None:
    """A (4 INF @1) sends contingents of at least 2; S2 needs only 1, so A cannot go there.

    A->S1 3 (S1 needs 3); S2 stays short 1 although A has a spare unit. Shortfall 1, cost 3,
    presence 1. Binding yes: the option too small to reach the minimum would fill S2.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=SMALL_S2,
        pledges=[pledge("A", "INF", 4, 1)],
        caveats=[contingent(2)],
    )
    check(solve_both(path), {("A", "INF", "S1"): 3}, stages(3, 1, p1=1), {"K1": "yes"})


@pytest.mark.parametrize("filters", [{"site": "S1"}, {"zone": "front"}, {"country": "X"}])
def test_min_contingent_filter_leaves_s2_alone(
    tmp_path: Path, solve_both, filters: dict[str, Any]
) -> None:
    """The same workbook, but the caveat's site filter leaves S2 alone.

    A->S1 3, A->S2 1: shortfall 0, cost 4, presence 2. The matching allocation (3 at S1) is
    above the minimum and nothing was removed: binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=SMALL_S2,
        pledges=[pledge("A", "INF", 4, 1)],
        caveats=[contingent(2, **filters)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 3, ("A", "INF", "S2"): 1},
        stages(4, 2, p1=0),
        {"K1": "no"},
    )


def test_min_contingent_at_the_minimum(tmp_path: Path, solve_both) -> None:
    """S1 needs 2 INF, S2 3; A has 4 @1 in contingents of 0 or >= 2; B 1 @3.

    A full fill (5) needs A 4 + B 1. A at S1 is 0 or 2 and at S2 0, 2 or 3: A = 4 means
    (S1 2, S2 2), since (1, 3) is forbidden; then B fills S2. Unique: A->S1 2, A->S2 2, B->S2 1.
    (Without the caveat, A 1 + 3 with B at S1 would tie on cost and presence.)
    Shortfall 0, cost 4 + 3 = 7, presence 3. Allocations at the minimum: binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2), need("S2", "INF", 3)],
        pledges=[pledge("A", "INF", 4, 1), pledge("B", "INF", 1, 3)],
        caveats=[contingent(2, capability="INF")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 2, ("B", "INF", "S2"): 1},
        stages(7, 3, p1=0),
        {"K1": "yes"},
    )


def test_min_contingent_above_the_minimum(tmp_path: Path, solve_both) -> None:
    """S1 needs 3; A (3 @1) sends all 3, above its minimum 2; B (3 @2) stays home.

    Cost 3, presence 1, binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 3)],
        pledges=[pledge("A", "INF", 3, 1), pledge("B", "INF", 3, 2)],
        caveats=[contingent(2)],
    )
    check(solve_both(path), {("A", "INF", "S1"): 3}, stages(3, 1, p1=0), {"K1": "no"})


def test_min_contingent_rows_golden(tmp_path: Path) -> None:
    """The rows min_contingent adds, pinned as text in golden/min_contingent.lp, on the at-the-minimum world above: A's INF in contingents of 0 or >= 2."""
    assert_golden(
        tmp_path,
        "min_contingent",
        requirements=[need("S1", "INF", 2), need("S2", "INF", 3)],
        pledges=[pledge("A", "INF", 4, 1), pledge("B", "INF", 1, 3)],
        caveats=[contingent(2, capability="INF")],
    )
