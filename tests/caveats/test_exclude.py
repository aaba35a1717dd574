"""`exclude`: the contributor sends nothing that matches the caveat's filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world

REQUIREMENTS = [need("S1", "INF", 2), need("S2", "INF", 1), need("S1", "AD", 1)]
PLEDGES = [pledge("A", "INF", 3, 1), pledge("A", "AD", 1, 1), pledge("B", "INF", 1, 5)]


@pytest.mark.parametrize(
    "filters",
    [
        {"category": "ground", "country": "X"},
        {"capability": "INF", "site": "S1"},
        {"capability": "INF", "zone": "front"},
    ],
)
def test_exclude_removes_only_the_matching_option(
    tmp_path: Path, solve_both, filters: dict[str, Any]
) -> None:
    """Every filter set matches exactly A's INF at S1 (A's AD at S1 and INF at S2 stay).

    Options left: A INF->S2, A AD->S1, B INF->S1/S2. S1 INF (2) can only get B's single
    unit, so the best fill is B->S1 INF 1, A->S2 INF 1, A->S1 AD 1: p1 shortfall 1 (S1 INF).
    Any other fill leaves more short (B at S2 leaves S1 INF with nothing), so it is unique.
    Cost 5 + 1 + 1 = 7; presence (B,S1), (A,S2), (A,S1) = 3.
    Binding yes: the removed A INF->S1 would fill short S1 INF from A's 2 spare INF units.
    """
    caveat = {"id": "X1", "contributor": "A", "caveat": "exclude", **filters}
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[caveat])
    check(
        solve_both(path),
        {("B", "INF", "S1"): 1, ("A", "INF", "S2"): 1, ("A", "AD", "S1"): 1},
        stages(7, 3, p1=1),
        {"X1": "yes"},
    )


def test_exclude_site_filter_alone_covers_all_capabilities(tmp_path: Path, solve_both) -> None:
    """`A exclude country=X` removes both A INF->S1 and A AD->S1.

    Then S1 AD has no option at all and S1 INF only B's unit: B->S1 INF 1, A->S2 INF 1
    (the only way to fill 2 units). Shortfall 1 (S1 INF) + 1 (S1 AD) = 2; cost 5 + 1 = 6;
    presence 2. Binding yes (A INF->S1 would fill a short line from a spare unit).
    """
    caveat = {"id": "X1", "contributor": "A", "caveat": "exclude", "country": "X"}
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[caveat])
    check(
        solve_both(path),
        {("B", "INF", "S1"): 1, ("A", "INF", "S2"): 1},
        stages(6, 2, p1=2),
        {"X1": "yes"},
    )


def test_exclude_backfilled_is_not_binding(tmp_path: Path, solve_both) -> None:
    """`A exclude INF at S2`: B backfills S2, so nothing stays short.

    A INF can only go to S1 (at most 2), B's unit must take S2 for a full fill; A AD->S1.
    Shortfall 0; cost 2*1 + 5 + 1 = 8; presence (A,S1), (B,S2) = 2. The caveat raised the cost
    (unconstrained: A alone, cost 4) but per its rule it binds only when a removed option
    would fill a short requirement: no.
    """
    caveat = {
        "id": "X1",
        "contributor": "A",
        "caveat": "exclude",
        "capability": "INF",
        "site": "S2",
    }
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[caveat])
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("B", "INF", "S2"): 1, ("A", "AD", "S1"): 1},
        stages(8, 2, p1=0),
        {"X1": "no"},
    )


def test_exclude_of_an_unused_option_is_not_binding(tmp_path: Path, solve_both) -> None:
    """`B exclude site=S2`: B (cost 5) is not needed anyway.

    A covers all three INF units (S1 2, S2 1) and the AD: shortfall 0, cost 4, presence
    (A,S1), (A,S2) = 2; B deploys nothing. Binding no.
    """
    caveat = {"id": "X1", "contributor": "B", "caveat": "exclude", "site": "S2"}
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[caveat])
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 1, ("A", "AD", "S1"): 1},
        stages(4, 2, p1=0),
        {"X1": "no"},
    )


def test_an_exclude_another_caveat_also_keeps_out_is_not_binding(
    tmp_path: Path, solve_both
) -> None:
    """S1 needs 1 AD; A pledges 1 AD, kept out of S1 by its exclude (E1) and, with D
    unavailable, by its requires of D for air (R1): S1 is short 1 whichever is lifted alone.
    E1 binds no (lifting it frees nothing; a trial saw ITA's exclude of Ukraine said binding for
    a battery its requires of the absent USA also kept home); R1 binds yes (it keeps A's
    unit home everywhere). Nothing is allocated: cost 0, presence 0, p1 short 1. The Gaps
    name both caveats."""
    path = world(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": c} for c in "ABC"]
        + [{"contributor": "D", "status": "unavailable"}],
        requirements=[need("S1", "AD", 1)],
        pledges=[pledge("A", "AD", 1, 1)],
        caveats=[
            {"id": "E1", "contributor": "A", "caveat": "exclude", "site": "S1"},
            {"id": "R1", "contributor": "A", "caveat": "requires", "category": "air", "other": "D"},
        ],
    )
    result = solve_both(path)
    check(result, {}, stages(0, 0, p1=1), {"E1": "no", "R1": "yes"})
    gaps = result.tables.extra["Gaps"]
    (reason,) = gaps.loc[gaps["contributor"] == "A", "reason"]
    assert reason == (
        "kept out by caveat E1 (A exclude site=S1); caveat R1 (A requires category=air D) "
        "(D is unavailable)"
    )


def test_exclude_rows_golden(tmp_path: Path) -> None:
    """The rows exclude adds, pinned as text in golden/exclude.lp, on the worlds above: A sends no INF to S1."""
    assert_golden(
        tmp_path,
        "exclude",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[
            {"id": "X1", "contributor": "A", "caveat": "exclude", "capability": "INF", "site": "S1"}
        ],
    )
