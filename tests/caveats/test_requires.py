"""`requires`: the contributor deploys (what matches) only if `other` deploys at least one unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .golden import assert_golden
from .helpers import CONTRIBUTORS, check, need, pledge, stages, world


def requires(cid: str, contributor: str, other: str, **filters: Any) -> dict:
    return {"id": cid, "contributor": contributor, "caveat": "requires", "other": other, **filters}


def without(*unavailable: str) -> list[dict]:
    """The standard contributors with some marked unavailable."""
    return [
        {**c, "status": "unavailable" if c["contributor"] in unavailable else "available"}
        for c in CONTRIBUTORS
    ]


def test_requires_pulls_the_other_in(tmp_path: Path, solve_both) -> None:
    """S1 needs 2 INF; A (2 units, cost 1) requires B (2 units, cost 10).

    Full fills: A2 alone is forbidden (B deploys nothing); A1+B1 costs 11; B2 costs 20.
    Unique optimum A1, B1: shortfall 0, cost 11, presence 2. B deploys: binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 2, 10)],
        caveats=[requires("R1", "A", "B")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1},
        stages(11, 2, p1=0),
        {"R1": "no"},
    )


def test_requires_unavailable_other(tmp_path: Path, solve_both) -> None:
    """A requires B, B is unavailable: A deploys nothing; only C's single unit (cost 7) is left.

    S1 needs 2: C->S1 1, shortfall 1, cost 7, presence 1. Binding yes (B deploys nothing and
    A's options are held back).
    """
    path = world(
        tmp_path / "c.xlsx",
        contributors=without("B"),
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 2, 1), pledge("C", "INF", 1, 7)],
        caveats=[requires("R1", "A", "B")],
    )
    check(solve_both(path), {("C", "INF", "S1"): 1}, stages(7, 1, p1=1), {"R1": "yes"})


def test_requires_with_capability_filter(tmp_path: Path, solve_both) -> None:
    """A requires B for INF only, B unavailable: A's INF stays home, its AD still deploys.

    S1 needs 1 INF + 1 AD; A pledges one of each (cost 1). A->S1 AD 1; INF short 1.
    Cost 1, presence 1, binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        contributors=without("B"),
        requirements=[need("S1", "INF", 1), need("S1", "AD", 1)],
        pledges=[pledge("A", "INF", 1, 1), pledge("A", "AD", 1, 1)],
        caveats=[requires("R1", "A", "B", capability="INF")],
    )
    check(solve_both(path), {("A", "AD", "S1"): 1}, stages(1, 1, p1=1), {"R1": "yes"})


def test_requires_itself_has_no_effect(tmp_path: Path, solve_both) -> None:
    """A requires A: no effect. A->S1 2 (cost 2, presence 1), binding no."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1)],
        caveats=[requires("R1", "A", "A")],
    )
    check(solve_both(path), {("A", "INF", "S1"): 2}, stages(2, 1, p1=0), {"R1": "no"})


def test_requires_cycle_neither(tmp_path: Path, solve_both) -> None:
    """A requires B and B requires A: both deploy or neither.

    S1 needs 2; A 2 units cost 1, B 1 unit cost 10, C 2 units cost 3. Full fills: A2 alone,
    A1+C1 and B1+C1 break the cycle rule; A1+B1 costs 11; C2 costs 6. Unique optimum C2:
    shortfall 0, cost 6, presence 1. Neither deploys: both caveats bind (yes).
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 1, 10), pledge("C", "INF", 2, 3)],
        caveats=[requires("R1", "A", "B"), requires("R2", "B", "A")],
    )
    check(
        solve_both(path),
        {("C", "INF", "S1"): 2},
        stages(6, 1, p1=0),
        {"R1": "yes", "R2": "yes"},
    )


def test_requires_cycle_both(tmp_path: Path, solve_both) -> None:
    """The same cycle with C at cost 20: C2 costs 40, A1+B1 costs 11, so both deploy.

    A->S1 1, B->S1 1: shortfall 0, cost 11, presence 2. Binding no for both.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 1, 10), pledge("C", "INF", 2, 20)],
        caveats=[requires("R1", "A", "B"), requires("R2", "B", "A")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1},
        stages(11, 2, p1=0),
        {"R1": "no", "R2": "no"},
    )


def test_requires_chain_with_unavailable_end(tmp_path: Path, solve_both) -> None:
    """A requires B, B requires C, C unavailable: B cannot deploy, hence A cannot either.

    S1 needs 3; A (2, cost 1) and B (2, cost 2) are out, C is unavailable; D's one unit
    (cost 9) is all that is left: D->S1 1, shortfall 2, cost 9, presence 1. Both bind.
    """
    path = world(
        tmp_path / "c.xlsx",
        contributors=without("C"),
        requirements=[need("S1", "INF", 3)],
        pledges=[
            pledge("A", "INF", 2, 1),
            pledge("B", "INF", 2, 2),
            pledge("C", "INF", 2, 1),
            pledge("D", "INF", 1, 9),
        ],
        caveats=[requires("R1", "A", "B"), requires("R2", "B", "C")],
    )
    check(
        solve_both(path),
        {("D", "INF", "S1"): 1},
        stages(9, 1, p1=2),
        {"R1": "yes", "R2": "yes"},
    )


def test_requires_chain_all_available(tmp_path: Path, solve_both) -> None:
    """A requires B requires C, all available: A deploys only with B and C present.

    S1 needs 3; A 2 @1, B 1 @2, C 1 @50, D 3 @30. Full fills of 3: A2+B1 (needs C: would
    exceed 3 units), A1+B1+C1 = 53, D3 = 90, B1+C1+D1 = 82, C1+D2 = 110, A with D but no B is
    forbidden. Unique optimum A1, B1, C1: shortfall 0, cost 53, presence 3. Nobody's `other`
    stays home: binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 3)],
        pledges=[
            pledge("A", "INF", 2, 1),
            pledge("B", "INF", 1, 2),
            pledge("C", "INF", 1, 50),
            pledge("D", "INF", 3, 30),
        ],
        caveats=[requires("R1", "A", "B"), requires("R2", "B", "C")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1, ("C", "INF", "S1"): 1},
        stages(53, 3, p1=0),
        {"R1": "no", "R2": "no"},
    )


def test_requires_rows_golden(tmp_path: Path) -> None:
    """The rows requires adds, pinned as text in golden/requires.lp, on the pull-in world above (A requires B: a row), plus C requiring D, who pledges
    nothing (C's options are removed)."""
    assert_golden(
        tmp_path,
        "requires",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 2, 10), pledge("C", "INF", 1, 1)],
        caveats=[requires("R1", "A", "B"), requires("R2", "C", "D")],
    )
