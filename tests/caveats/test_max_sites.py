"""`max_sites`: the sites where the contributor has matching allocations number at most `value`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world

REQUIREMENTS = [need("S1", "INF", 1), need("S2", "INF", 2), need("S3", "AD", 1)]
PLEDGES = [
    pledge("A", "INF", 3, 1),
    pledge("A", "AD", 1, 1),
    pledge("B", "INF", 1, 5),
    pledge("B", "AD", 1, 9),
]
# Without the caveat A alone fills all three sites at cost 4.
A_EVERYWHERE = {("A", "INF", "S1"): 1, ("A", "INF", "S2"): 2, ("A", "AD", "S3"): 1}
A_S2_S3 = {("A", "INF", "S2"): 2, ("A", "AD", "S3"): 1, ("B", "INF", "S1"): 1}


def max_sites(value: int, **filters: Any) -> dict:
    return {"id": "T1", "contributor": "A", "caveat": "max_sites", "value": value, **filters}


@pytest.mark.parametrize(
    ("value", "filters"),
    [(2, {}), (1, {"capability": "INF"}), (1, {"category": "ground"}), (1, {"zone": "front"})],
)
def test_max_sites_keeps_the_cheapest_pair(
    tmp_path: Path, solve_both, value: int, filters: dict[str, Any]
) -> None:
    """S1 needs 1 INF, S2 2 INF, S3 1 AD; A: 3 INF + 1 AD @1; B: 1 INF @5, 1 AD @9.

    No filter, 2 sites: {S1,S2} + B AD->S3 costs 3 + 9 = 12; {S2,S3} + B INF->S1 costs
    2 + 1 + 5 = 8; {S1,S3} leaves S2 one short. INF at 1 site only (capability or category
    filter): A INF must fill S2 (2 units; at S1 it leaves S2 short), A AD->S3 is free, B->S1.
    Front sites (S1, S3) at most 1: A INF->S1 + B AD costs 12, A AD->S3 + B INF->S1 costs 8.
    Each time: A INF->S2 2, A AD->S3 1, B INF->S1 1; shortfall 0, cost 8, presence 3.
    A uses exactly `value` matching sites of more possible: binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_sites(value, **filters)],
    )
    check(solve_both(path), A_S2_S3, stages(8, 3, p1=0), {"T1": "yes"})


def test_max_sites_one_site_in_all(tmp_path: Path, solve_both) -> None:
    """No filter, 1 site: the AD now counts too, so A cannot add S3 to S2.

    {S2}: A INF 2, B INF->S1, B AD->S3: full, cost 2 + 5 + 9 = 16. {S1} or {S3} leave S2
    short. Unique: shortfall 0, cost 16, presence 3, binding yes.
    """
    path = world(
        tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[max_sites(1)]
    )
    check(
        solve_both(path),
        {("A", "INF", "S2"): 2, ("B", "INF", "S1"): 1, ("B", "AD", "S3"): 1},
        stages(16, 3, p1=0),
        {"T1": "yes"},
    )


@pytest.mark.parametrize(("value", "filters"), [(4, {}), (3, {"capability": "INF"})])
def test_max_sites_not_limiting(
    tmp_path: Path, solve_both, value: int, filters: dict[str, Any]
) -> None:
    """4 sites in all, or INF at 3 sites: more than A could use. A alone fills everything:
    cost 4, presence 3 (B stays home). A uses fewer sites than `value`: binding no."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_sites(value, **filters)],
    )
    check(solve_both(path), A_EVERYWHERE, stages(4, 3, p1=0), {"T1": "no"})


def test_max_sites_filter_ignores_other_capabilities_at_a_site(tmp_path: Path, solve_both) -> None:
    """S1 needs 1 INF + 1 AD, S2 2 INF; same pledges. A's INF at 1 site only.

    A INF->S2 2 (at S1 it would leave S2 short), B INF->S1 1; the S1 AD goes to A (@1, not
    B @9): A's AD at S1 does not count as an INF site. Shortfall 0, cost 2 + 5 + 1 = 8,
    presence (A,S1), (A,S2), (B,S1) = 3. Binding yes. (Counting A's mere presence at S1
    would force B's AD there: cost 16.)
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1), need("S2", "INF", 2), need("S1", "AD", 1)],
        pledges=PLEDGES,
        caveats=[max_sites(1, capability="INF")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S2"): 2, ("B", "INF", "S1"): 1, ("A", "AD", "S1"): 1},
        stages(8, 3, p1=0),
        {"T1": "yes"},
    )


def test_max_sites_rows_golden(tmp_path: Path) -> None:
    """The rows max_sites adds, pinned as text in golden/max_sites.lp, on the worlds above, A's INF at one site at most (site indicators, one per site)."""
    assert_golden(
        tmp_path,
        "max_sites",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_sites(1, capability="INF")],
    )
