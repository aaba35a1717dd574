"""`max_personnel`: matching units x the contributor's unit size total at most `value`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver import api
from solver.explain.pricing_inplace import InPlacePricer
from solver.model.build import build_model
from solver.solve.options import SolveOptions
from tests.time_cases import months

from .golden import assert_golden
from .helpers import check, need, pledge, stages, world

# A's INF units are 150 strong (the capability's default is 100).
A_INF = pledge("A", "INF", 4, 1, personnel_per_unit=150)
B_INF = pledge("B", "INF", 1, 2)


def cap(value: int, **filters: Any) -> dict:
    return {"id": "P1", "contributor": "A", "caveat": "max_personnel", "value": value, **filters}


@pytest.mark.parametrize("value", [300, 449])
def test_max_personnel_uses_the_pledge_unit_size(tmp_path: Path, solve_both, value: int) -> None:
    """S1 needs 4 INF; A 4 units of 150 people (cost 1), B 1 unit (cost 2).

    A's cap (300 or 449 people) allows floor(value / 150) = 2 units, not the 3 the capability's
    100 per unit would allow. Best fill: A2 + B1, shortfall 1; cost 2 + 2 = 4; presence 2.
    A deploys 300 people. Binding yes: not even one more 150-person unit fits.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 4)],
        pledges=[A_INF, B_INF],
        caveats=[cap(value)],
    )
    result = solve_both(path)
    check(
        result,
        {("A", "INF", "S1"): 2, ("B", "INF", "S1"): 1},
        stages(4, 2, p1=1),
        {"P1": "yes"},
    )
    alloc = result.tables.allocation.set_index("contributor")
    assert alloc.at["A", "personnel"] == 300
    assert alloc.at["B", "personnel"] == 100


def test_max_personnel_category_filter(tmp_path: Path, solve_both) -> None:
    """Cap 300 on A's ground units only; S1 also needs 2 AD that A pledges (50 people, cost 1).

    INF as above (A2 + B1, short 1); AD does not count, so A->S1 AD 2. Cost 2 + 2 + 2 = 6,
    presence 2, binding yes.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 4), need("S1", "AD", 2)],
        pledges=[A_INF, B_INF, pledge("A", "AD", 2, 1)],
        caveats=[cap(300, category="ground")],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "AD", "S1"): 2, ("B", "INF", "S1"): 1},
        stages(6, 2, p1=1),
        {"P1": "yes"},
    )


def test_max_personnel_without_filter_mixes_unit_sizes(tmp_path: Path, solve_both) -> None:
    """Cap 300 on all of A: 150 per INF unit i, 50 per AD unit a, 150 i + 50 a <= 300.

    Fill i + a + B's 1 INF: (i, a) = (1, 2) uses 250 people and fills 3; (2, 0) and (0, 2)
    fill only 2; (2, 1) and (3, 0) break the cap. So A INF 1, A AD 2, B INF 1: INF short
    4 - 2 = 2; cost 1 + 2 + 2 = 5; presence 2. Binding yes: 50 people left, and the unit that
    would fill the short INF line needs 150.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 4), need("S1", "AD", 2)],
        pledges=[A_INF, B_INF, pledge("A", "AD", 2, 1)],
        caveats=[cap(300)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("A", "AD", "S1"): 2, ("B", "INF", "S1"): 1},
        stages(5, 2, p1=2),
        {"P1": "yes"},
    )


def test_max_personnel_not_reached(tmp_path: Path, solve_both) -> None:
    """Cap 1000 > A's whole pledge (4 x 150 = 600): no effect.

    A->S1 4 fills S1 (B, cost 2, stays home): cost 4, presence 1, binding no.
    """
    path = world(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 4)],
        pledges=[A_INF, B_INF],
        caveats=[cap(1000)],
    )
    check(solve_both(path), {("A", "INF", "S1"): 4}, stages(4, 1, p1=0), {"P1": "no"})


def test_max_personnel_rows_golden(tmp_path: Path) -> None:
    """The rows max_personnel adds, pinned as text in golden/max_personnel.lp, on the category-filter world above: A's ground personnel at most 300."""
    assert_golden(
        tmp_path,
        "max_personnel",
        requirements=[need("S1", "INF", 4), need("S1", "AD", 2)],
        pledges=[A_INF, B_INF, pledge("A", "AD", 2, 1)],
        caveats=[cap(300, category="ground")],
    )


# The hull's world: A's INF battalion of 800 and AD battery of 600 under a 1,500 cap, at two sites.
HULL_WORLD = {
    "requirements": [need("S1", "INF", 2), need("S2", "AD", 2)],
    "pledges": [
        pledge("A", "INF", 2, 1, personnel_per_unit=800),
        pledge("A", "AD", 2, 1, personnel_per_unit=600),
    ],
    "caveats": [cap(1500)],
}


def test_max_personnel_hull_rows_golden(tmp_path: Path) -> None:
    """The hull rows of a cap over two capabilities, pinned in golden/max_personnel.hull.lp.

    I = x(A,INF,S1), D = x(A,AD,S2): 800 I + 600 D <= 1500 with 0 <= I, D <= 2 whole. The whole
    points are (0,0), (1,0), (0,1), (1,1) (1,400 people) and (0,2) (1,200); (2,0) takes 1,600
    and (1,2) 2,000. Their hull is I >= 0, D >= 0, I <= 1 and I + D <= 2, so beside the cap
    the rows are I <= 1 (the bound floor(1500 / 800)) and I + D <= 2, both held back until
    the cost stage. The relaxation's (1.875, 0) and (0.375, 2) are cut off.
    """
    assert_golden(tmp_path, "max_personnel", "max_personnel.hull", **HULL_WORLD)


def test_max_personnel_hull_rows_keep_the_optimum(tmp_path: Path, solve_both) -> None:
    """The hull's world solved: every whole plan keeps the hull rows, so the optimum is the
    cap's. Shortfall: at most 2 of the 4 units fit (I + D <= 2), short 2; cost 1 + 1 = 2 either
    way ((1,1) or (0,2)); presence: (0,2) keeps A at S2 alone, 1 against 2. Binding yes."""
    check(
        solve_both(world(tmp_path / "c.xlsx", **HULL_WORLD)),
        {("A", "AD", "S2"): 2},
        stages(2, 1, p1=2),
        {"P1": "yes"},
    )


def test_hull_rows_in_the_priced_model_not_in_the_conflicts(tmp_path: Path) -> None:
    """The re-solves for caveat prices search as the planner's solve did: their model has the
    hull rows (held back until the cost stage) and lifting P1 lifts them with its cap row (3
    rows). A model built to explain a conflict has none: its LP tells a conflict of fractions
    from one of whole units, and its diagnosis relaxes the cap's own row."""
    data = api.read(world(tmp_path / "c.xlsx", **HULL_WORLD))
    pricer = InPlacePricer(data, SolveOptions(time_limit=30.0, threads=1))
    hull = [b for b in pricer.ctx.lm.row_blocks if b.name == "caveat.P1.hull"]
    assert [(len(b.keys), b.from_stage) for b in hull] == [(2, "cost")]
    assert len(pricer.caveat_rows["P1"]) == 3
    explained = build_model(data, explain=True)
    assert not [b for b in explained.lm.row_blocks if b.from_stage]


def test_max_personnel_hull_timed_rows_golden(tmp_path: Path) -> None:
    """The hull's world in time (golden/max_personnel.hull.timed.lp): S2 requires its AD only
    in P2, so in P1 A's battery has no option and I + D <= 2 cannot bind (I <= 2 present):
    no row there. I <= 1 is in both periods, I + D <= 2 in P2 only."""
    assert_golden(
        tmp_path,
        "max_personnel",
        "max_personnel.hull.timed",
        periods=months(2),
        requirements=[need("S1", "INF", 2), need("S2", "AD", 2, **{"from": "P2"})],
        pledges=HULL_WORLD["pledges"],
        caveats=HULL_WORLD["caveats"],
    )


def test_hull_rows_follow_every_caps_own_rows(tmp_path: Path) -> None:
    """The rows' order is part of what a limited search finds (the example's work-limited cost
    was 6.26e7 with each hull after its own cap, 4.75e7 as measured): every cap's own row
    first, then the hulls, in the caveats' order."""
    caps = [cap(1500), {**cap(1500), "id": "P2", "contributor": "B"}]
    pledges = HULL_WORLD["pledges"] + [
        pledge("B", "INF", 2, 1, personnel_per_unit=800),
        pledge("B", "AD", 2, 1, personnel_per_unit=600),
    ]
    path = world(tmp_path / "c.xlsx", **{**HULL_WORLD, "pledges": pledges, "caveats": caps})
    blocks = build_model(api.read(path)).lm.row_blocks
    names = [b.name for b in blocks if b.name.startswith("caveat.P")]
    assert names == ["caveat.P1", "caveat.P2", "caveat.P1.hull", "caveat.P2.hull"]
