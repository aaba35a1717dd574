"""`only`: the contributor sends only what matches at least one of its `only` rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world

REQUIREMENTS = [need("S1", "INF", 2), need("S2", "INF", 1), need("S1", "AD", 1)]
PLEDGES = [pledge("A", "INF", 3, 1), pledge("A", "AD", 1, 1), pledge("B", "INF", 1, 5)]


def only(cid: str, contributor: str = "A", **filters: Any) -> dict:
    return {"id": cid, "contributor": contributor, "caveat": "only", **filters}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"capability": "AD"}, {"site": "S2"}),
        ({"category": "air"}, {"zone": "rear"}),
        ({"capability": "AD", "site": "S1"}, {"country": "Y"}),
    ],
)
def test_only_rows_are_a_union(
    tmp_path: Path, solve_both, first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Two `only` rows of A: AD anywhere (or at S1), or anything at S2 (zone rear, country Y).

    Allowed for A: AD->S1 and INF->S2; removed: A INF->S1. S1 INF then gets only B's unit:
    B->S1 INF 1, A->S2 INF 1, A->S1 AD 1 is the unique best fill, p1 shortfall 1.
    Cost 5 + 1 + 1 = 7; presence 3. Both rows bind together: yes (A INF->S1 would fill the
    short S1 INF from a spare A unit).
    """
    caveats = [only("O1", **first), only("O2", **second)]
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=caveats)
    check(
        solve_both(path),
        {("B", "INF", "S1"): 1, ("A", "INF", "S2"): 1, ("A", "AD", "S1"): 1},
        stages(7, 3, p1=1),
        {"O1": "yes", "O2": "yes"},
    )


def test_only_single_row(tmp_path: Path, solve_both) -> None:
    """`A only zone=rear`: A may only send to S2, so A AD->S1 goes too.

    B->S1 INF 1 and A->S2 INF 1 (the only 2-unit fill); short: S1 INF 1 + S1 AD 1 = 2.
    Cost 5 + 1 = 6; presence 2. Binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[only("O1", zone="rear")],
    )
    check(
        solve_both(path),
        {("B", "INF", "S1"): 1, ("A", "INF", "S2"): 1},
        stages(6, 2, p1=2),
        {"O1": "yes"},
    )


def test_only_backfilled_is_not_binding(tmp_path: Path, solve_both) -> None:
    """`A only zone=front`: A INF->S2 is removed, B's unit backfills S2.

    A INF->S1 2, A AD->S1 1, B->S2 1 is the unique full fill (shortfall 0).
    Cost 2 + 1 + 5 = 8; presence (A,S1), (B,S2) = 2. No requirement is short: binding no.
    Only rows of another contributor (B only country=Y) do not restrict A.
    """
    caveats = [only("O1", zone="front"), only("O2", contributor="B", country="Y")]
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=caveats)
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "AD", "S1"): 1, ("B", "INF", "S2"): 1},
        stages(8, 2, p1=0),
        {"O1": "no", "O2": "no"},
    )


def test_only_rows_golden(tmp_path: Path) -> None:
    """The rows only adds, pinned as text in golden/only.lp, on the worlds above: A only to the rear (removes A's options at S1)."""
    assert_golden(
        tmp_path,
        "only",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[only("O1", zone="rear")],
    )
