"""`max_units`: the matching units of the contributor total at most `value`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..conftest import allocation_dict
from .golden import assert_golden
from .helpers import binding, check, need, pledge, stages, world

REQUIREMENTS = [need("S1", "INF", 2), need("S2", "INF", 2)]
PLEDGES = [pledge("A", "INF", 4, 1), pledge("B", "INF", 1, 3)]


def max_units(value: int, **filters: Any) -> dict:
    return {"id": "M1", "contributor": "A", "caveat": "max_units", "value": value, **filters}


@pytest.mark.parametrize(
    "filters",
    [
        {"zone": "front"},
        {"site": "S1"},
        {"country": "X"},
        {"category": "ground", "site": "S1"},
        {"capability": "INF", "zone": "front"},
    ],
)
def test_max_units_at_the_limit(tmp_path: Path, solve_both, filters: dict[str, Any]) -> None:
    """A sends at most 1 unit to S1 (every filter set matches A's INF at S1 only).

    S1 and S2 need 2 INF each; A has 4 @1, B 1 @3. Full fill: A->S1 1 + B->S1 1, A->S2 2
    (B at S2 would leave S1 one short). Unique; shortfall 0, cost 1 + 3 + 2 = 6, presence 3.
    The matching units reach the limit: binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_units(1, **filters)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1, ("A", "INF", "S2"): 2},
        stages(6, 3, p1=0),
        {"M1": "yes"},
    )


GAP_REQUIREMENTS = [
    need("S1", "INF", 2, weight=3),
    need("S2", "INF", 2),
    need("S1", "AD", 1, weight=2),
]
GAP_PLEDGES = [pledge("A", "INF", 4, 1), pledge("A", "AD", 1, 1)]


def test_max_units_without_filter_counts_everything(tmp_path: Path, solve_both) -> None:
    """A at most 2 units in all; only A pledges (INF 4, AD 1, cost 1 each).

    Weights: S1 INF 3 per unit, S1 AD 2, S2 INF 1. Best 2 units: A INF->S1 2 (fills 6)
    beats INF->S1 1 + AD 1 (5) and anything at S2. Short: S2 INF 2 x 1 + S1 AD 1 x 2 = 4.
    Cost 2, presence 1; binding yes (short lines, spare units, no room left).
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=GAP_REQUIREMENTS,
        pledges=GAP_PLEDGES,
        caveats=[max_units(2)],
    )
    check(solve_both(path), {("A", "INF", "S1"): 2}, stages(2, 1, p1=4), {"M1": "yes"})


def test_max_units_with_capability_filter(tmp_path: Path, solve_both) -> None:
    """The same with `capability=INF`: AD does not count, so A also sends its AD unit.

    A INF->S1 2 (weight 3 beats S2's 1), A AD->S1 1. Short: S2 INF 2 x 1 = 2.
    Cost 3, presence 1; binding yes (S2 short, A has 2 spare INF, the INF limit is reached).
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=GAP_REQUIREMENTS,
        pledges=GAP_PLEDGES,
        caveats=[max_units(2, capability="INF")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "AD", "S1"): 1},
        stages(3, 1, p1=2),
        {"M1": "yes"},
    )


def test_max_units_not_reached(tmp_path: Path, solve_both) -> None:
    """A at most 3 units at the front: A can send only 2 there (S1 needs 2), so no effect.

    A alone fills everything: A->S1 2, A->S2 2; cost 4, presence 2; B stays home.
    The matching units (2) stay below the limit (3): binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_units(3, zone="front")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 2},
        stages(4, 2, p1=0),
        {"M1": "no"},
    )


@pytest.mark.parametrize(
    "caveat",
    [
        max_units(2, zone="front"),
        {"id": "M1", "contributor": "A", "caveat": "max_personnel", "value": 200, "site": "S1"},
    ],
)
def test_a_limit_no_plan_can_exceed_never_binds(
    tmp_path: Path, solve_both, caveat: dict[str, Any]
) -> None:
    """A at most 2 units (200 personnel) at S1, which needs 2 (the front, S1, is one line of 2):
    no plan can send more, so the caveat has no row; A fills both lines exactly at that limit.
    Being at a limit nothing can exceed holds nothing back: binding no (it said yes beside its
    remark `no row needed`). A->S1 2, A->S2 2; cost 4, presence 2."""
    path = world(tmp_path / "c.xlsx", requirements=REQUIREMENTS, pledges=PLEDGES, caveats=[caveat])
    result = solve_both(path)
    check(result, {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 2}, stages(4, 2, p1=0), {"M1": "no"})


@pytest.mark.parametrize(
    "caveat",
    [
        {"id": "M1", "contributor": "A", "caveat": "max_units", "value": 1},
        {"id": "M1", "contributor": "A", "caveat": "max_personnel", "value": 100},
    ],
)
def test_a_limit_equal_to_the_whole_pledge_never_binds(
    tmp_path: Path, solve_both, caveat: dict[str, Any]
) -> None:
    """S1 and S2 need 1 INF each; A pledges 1 INF at 1 (100 personnel), B 1 INF at 3. A is
    capped at 1 unit (100 personnel) anywhere: its one unit can go to S1 or to S2, not to
    both, so no plan can exceed the cap (a trial saw the unit counted once per site, 2 > 1:
    binding yes at a price of 0). No row: remark `no row needed`, binding no, though A's unit
    is deployed at the cap. A's unit at one site, B's at the other; cost 1 + 3 = 4,
    presence 2."""
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1), need("S2", "INF", 1)],
        pledges=[pledge("A", "INF", 1, 1), pledge("B", "INF", 1, 3)],
        caveats=[caveat],
    )
    result = solve_both(path)
    assert result.status == "optimal"
    assert result.stage_values == pytest.approx(stages(4, 2, p1=0))
    placed = allocation_dict(result)
    assert sum(n for (c, _, _), n in placed.items() if c == "A") == 1
    assert sum(n for (c, _, _), n in placed.items() if c == "B") == 1
    assert binding(result, "M1") == "no"
    remark = result.tables.caveats.set_index("id").loc["M1", "remark"]
    assert remark == "the options left cannot exceed it: no row needed"


def test_max_units_rows_golden(tmp_path: Path) -> None:
    """The rows max_units adds, pinned as text in golden/max_units.lp, on REQUIREMENTS, PLEDGES, A at most 1 unit at the front (the first world above)."""
    assert_golden(
        tmp_path,
        "max_units",
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=[max_units(1, zone="front")],
    )
