"""`not_with`: no site holds both a matching allocation of c and any allocation of `other`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world


def not_with(contributor: str, other: str, **filters: Any) -> dict:
    return {"id": "W1", "contributor": contributor, "caveat": "not_with", "other": other, **filters}


@pytest.mark.parametrize(
    ("holder", "other", "cost_a", "cost_b", "kept"),
    [
        ("A", "B", 1, 2, "A"),  # the other (B) is kept out
        ("A", "B", 2, 1, "B"),  # the caveat's own contributor (A) is kept out
        ("B", "A", 1, 2, "A"),  # the same two cases with the caveat written on B
        ("B", "A", 2, 1, "B"),
    ],
)
def test_not_with_both_directions(
    tmp_path: Path, solve_both, holder: str, other: str, cost_a: int, cost_b: int, kept: str
) -> None:
    """S1 needs 2 INF; A and B have 1 unit each, C 1 unit @9; A and B may not share S1.

    Full fill needs C plus the cheaper of A and B: cost 1 + 9 = 10 (the other pairing costs
    11, A with B is forbidden). Whichever side is dropped, the caveat binds: at S1 one of
    the two is present and the other is not. Presence 2.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[
            pledge("A", "INF", 1, cost_a),
            pledge("B", "INF", 1, cost_b),
            pledge("C", "INF", 1, 9),
        ],
        caveats=[not_with(holder, other)],
    )
    check(
        solve_both(path),
        {(kept, "INF", "S1"): 1, ("C", "INF", "S1"): 1},
        stages(10, 2, p1=0),
        {"W1": "yes"},
    )


FILTER_REQ = [need("S1", "INF", 2), need("S1", "AD", 1)]
FILTER_PLEDGES = [
    pledge("A", "INF", 1, 2),
    pledge("A", "AD", 1, 1),
    pledge("B", "INF", 1, 1),
    pledge("C", "INF", 1, 9),
]


@pytest.mark.parametrize("filters", [{"category": "ground"}, {"capability": "INF"}])
def test_not_with_capability_filter(tmp_path: Path, solve_both, filters: dict[str, Any]) -> None:
    """S1 needs 2 INF + 1 AD. A: INF @2, AD @1; B: INF @1; C: INF @9. Only A's ground units
    may not share a site with B, so A's AD can stand next to B.

    Full fills (3 units): B + C + A AD = 1 + 9 + 1 = 11; A INF + C + A AD = 12; A INF with B
    is forbidden. Unique: B, C, A AD; cost 11, presence 3. Binding yes (at S1 B is present,
    A's INF is not).
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=FILTER_REQ,
        pledges=FILTER_PLEDGES,
        caveats=[not_with("A", "B", **filters)],
    )
    check(
        solve_both(path),
        {("B", "INF", "S1"): 1, ("C", "INF", "S1"): 1, ("A", "AD", "S1"): 1},
        stages(11, 3, p1=0),
        {"W1": "yes"},
    )


def test_not_with_without_filter_counts_every_capability(tmp_path: Path, solve_both) -> None:
    """The same workbook with no filter: A's AD at S1 now excludes B from S1 as well.

    Fill 3 only with A INF + A AD + C (cost 2 + 1 + 9 = 12); with B the AD line stays empty
    (fill 2). Unique: A INF, A AD, C INF; presence (A,S1), (C,S1) = 2. Binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=FILTER_REQ,
        pledges=FILTER_PLEDGES,
        caveats=[not_with("A", "B")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("A", "AD", "S1"): 1, ("C", "INF", "S1"): 1},
        stages(12, 2, p1=0),
        {"W1": "yes"},
    )


@pytest.mark.parametrize("filters", [{"zone": "rear"}, {"site": "S2"}, {"country": "Y"}])
def test_not_with_elsewhere_has_no_effect(
    tmp_path: Path, solve_both, filters: dict[str, Any]
) -> None:
    """A not_with B only at S2 (rear, country Y); everything happens at S1.

    A and B share S1: A @1 + B @2 fill it, cost 3, presence 2; C (@9) stays home.
    No shared matching site: binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 1, 1), pledge("B", "INF", 1, 2), pledge("C", "INF", 1, 9)],
        caveats=[not_with("A", "B", **filters)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1},
        stages(3, 2, p1=0),
        {"W1": "no"},
    )


def test_not_with_both_absent(tmp_path: Path, solve_both) -> None:
    """S1 needs 1 INF; A and B @5, C @1: C goes, A and B stay home. At S1 neither A nor B is
    present: binding no. Cost 1, presence 1."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1)],
        pledges=[pledge("A", "INF", 1, 5), pledge("B", "INF", 1, 5), pledge("C", "INF", 1, 1)],
        caveats=[not_with("A", "B")],
    )
    check(solve_both(path), {("C", "INF", "S1"): 1}, stages(1, 1, p1=0), {"W1": "no"})


def test_not_with_rows_golden(tmp_path: Path) -> None:
    """The rows not_with adds, pinned as text in golden/not_with.lp, on the capability-filter world above: A's INF not with B (A's site indicators)."""
    assert_golden(
        tmp_path,
        "not_with",
        requirements=FILTER_REQ,
        pledges=FILTER_PLEDGES,
        caveats=[not_with("A", "B", capability="INF")],
    )
