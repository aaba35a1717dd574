"""Core rules of the model: hard, single_source, max_contributors, pledges, availability, unit
cost and the lexicographic order of the objective stages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.caveats.helpers import (
    CAPABILITIES,
    CONTRIBUTORS,
    SITES,
    assert_infeasible,
    check,
    need,
    pledge,
    stages,
)
from tests.conftest import allocation_dict
from tests.workbooks import Rows, write_workbook

# One degree of longitude on the equator, in km (mean Earth radius 6371.0088 km).
KM_PER_DEG = 6371.0088 * math.pi / 180


def case(path: Path, **sheets: Rows) -> Path:
    """The standard world of the caveat tests (no locations) with the given sheets."""
    base: dict[str, Rows] = {
        "contributors": CONTRIBUTORS,
        "capabilities": CAPABILITIES,
        "sites": SITES,
    }
    base.update(sheets)
    return write_workbook(path, **base)


# ---- hard ----------------------------------------------------------------------------------------
def test_hard_requirement_is_met_first(tmp_path: Path, solve_both) -> None:
    """S1 needs 2 INF (weight 5, soft), S2 1 INF (weight 1, hard); A has 2 @1.

    Soft only, both units would go to S1 (5 per unit). Hard S2 takes 1 first: A->S2 1,
    A->S1 1, p1 = 5 x 1 = 5; cost 2; presence 2.
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2, weight=5), need("S2", "INF", 1, hard="yes")],
        pledges=[pledge("A", "INF", 2, 1)],
    )
    result = solve_both(path)
    check(result, {("A", "INF", "S1"): 1, ("A", "INF", "S2"): 1}, stages(2, 2, p1=5))
    assert result.tables.coverage.set_index("site").at["S2", "hard"] == "yes"


def test_hard_requirement_unreachable_is_infeasible(tmp_path: Path, solve_both) -> None:
    """S2 hard 3 INF, A pledges 2: infeasible, exit code 3."""
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S2", "INF", 3, hard="yes")],
        pledges=[pledge("A", "INF", 2, 1)],
    )
    assert_infeasible(solve_both(path))


# ---- single_source -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("b_units", "expected", "cost", "short"),
    [(3, {("B", "INF", "S1"): 3}, 6, 0), (2, {("A", "INF", "S1"): 2}, 2, 1)],
)
def test_single_source(
    tmp_path: Path, solve_both, b_units: int, expected: dict, cost: float, short: int
) -> None:
    """S1 needs 3 INF from one contributor; A has 2 @1, B has `b_units` @2.

    Mixed A2 + B1 (cost 4) is not allowed. B with 3 units fills alone: B3, cost 6, short 0.
    B with 2 units: either fills 2 (short 1); A is cheaper: A2, cost 2. Presence 1.
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 3, single_source="yes")],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", b_units, 2)],
    )
    check(solve_both(path), expected, stages(cost, 1, p1=short))


# ---- max_contributors ----------------------------------------------------------------------------
def test_max_contributors(tmp_path: Path, solve_both) -> None:
    """S1 (at most 2 contributors) needs 3 INF; A, B, C have 1 unit each @1, @2, @3.

    Only two may come: short 1; the cheapest two are A and B: cost 3, presence 2.
    """
    sites = [{**SITES[0], "max_contributors": 2}, *SITES[1:]]
    path = case(
        tmp_path / "c.xlsx",
        sites=sites,
        requirements=[need("S1", "INF", 3)],
        pledges=[pledge("A", "INF", 1, 1), pledge("B", "INF", 1, 2), pledge("C", "INF", 1, 3)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1},
        stages(3, 2, p1=1),
    )


# ---- pledges and availability --------------------------------------------------------------------
def test_pledge_limit(tmp_path: Path, solve_both) -> None:
    """S1 needs 2 INF (weight 2), S2 2 INF (weight 1); A pledges 3 @1.

    3 units in all: S1 gets 2 (the heavier line), S2 1; p1 = 1 x 1 = 1; cost 3; presence 2.
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2, weight=2), need("S2", "INF", 2)],
        pledges=[pledge("A", "INF", 3, 1)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 1},
        stages(3, 2, p1=1),
    )


def test_unavailable_contributor_deploys_nothing(tmp_path: Path, solve_both) -> None:
    """A (unavailable, 2 @1) and B (1 @5); S1 needs 2: B1 only, short 1, cost 5, presence 1."""
    contributors = [{"contributor": "A", "status": "unavailable"}, {"contributor": "B"}]
    path = case(
        tmp_path / "c.xlsx",
        contributors=contributors,
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 1, 5)],
    )
    result = solve_both(path)
    check(result, {("B", "INF", "S1"): 1}, stages(5, 1, p1=1))
    deployed = result.tables.contributors.set_index("contributor")["deployed_units"]
    assert deployed["A"] == 0


# ---- unit cost -----------------------------------------------------------------------------------
def distance_case(path: Path, contributors: Rows, pledges: Rows, requirements: Rows) -> Path:
    sites = [
        {"site": "S1", "country": "X", "lat": 0, "lon": 0},
        {"site": "S2", "country": "Y", "lat": 0, "lon": 1},
    ]
    return case(
        path, contributors=contributors, sites=sites, pledges=pledges, requirements=requirements
    )


def test_distance_cost_uses_the_pledge_unit_size(tmp_path: Path, solve_both) -> None:
    """S2 (lon 1) needs 1 INF. A at lon 0, 100 people per unit: 100 x 1 deg = 11,119.5.
    B at lon 3 with a pledge unit size of 10: 10 x 2 deg = 2,223.9 (it would be 22,239 with the
    capability's 100). B goes: cost 20 x KM_PER_DEG, presence 1."""
    contributors = [
        {"contributor": "A", "lat": 0, "lon": 0},
        {"contributor": "B", "lat": 0, "lon": 3},
    ]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 1},
        {"contributor": "B", "capability": "INF", "units": 1, "personnel_per_unit": 10},
    ]
    path = distance_case(tmp_path / "c.xlsx", contributors, pledges, [need("S2", "INF", 1)])
    result = solve_both(path)
    assert result.status == "optimal"
    assert allocation_dict(result) == {("B", "INF", "S2"): 1}
    assert result.stage_values == pytest.approx(stages(20 * KM_PER_DEG, 1, p1=0), rel=1e-4)


def test_missing_location_costs_nothing(tmp_path: Path, solve_both) -> None:
    """As above plus C without a location (blank cost): C's unit costs 0, so C goes."""
    contributors = [
        {"contributor": "A", "lat": 0, "lon": 0},
        {"contributor": "B", "lat": 0, "lon": 3},
        {"contributor": "C"},
    ]
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 1},
        {"contributor": "B", "capability": "INF", "units": 1, "personnel_per_unit": 10},
        {"contributor": "C", "capability": "INF", "units": 1},
    ]
    path = distance_case(tmp_path / "c.xlsx", contributors, pledges, [need("S2", "INF", 1)])
    check(solve_both(path), {("C", "INF", "S2"): 1}, stages(0, 1, p1=0))


def test_cost_per_unit_overrides_distance(tmp_path: Path, solve_both) -> None:
    """S1 (lon 0) and S2 (lon 1) need 1 INF each. A sits far away (lon 10) but its pledge has
    cost_per_unit 1 (anywhere); B (lon 1, blank cost) costs 0 at S2 and 11,119.5 at S1.

    A->S1 + B->S2 costs 1; A at both costs 2 (presence 1 comes after cost); B at S1 costs
    11,119.5. So cost 1, presence 2. Using A's distance (~1e6 per unit) would send B to both.
    """
    contributors = [
        {"contributor": "A", "lat": 0, "lon": 10},
        {"contributor": "B", "lat": 0, "lon": 1},
    ]
    pledges = [
        pledge("A", "INF", 2, 1),
        {"contributor": "B", "capability": "INF", "units": 2},
    ]
    path = distance_case(
        tmp_path / "c.xlsx", contributors, pledges, [need("S1", "INF", 1), need("S2", "INF", 1)]
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S2"): 1},
        stages(1, 2, p1=0),
    )


# ---- lexicographic order -------------------------------------------------------------------------
def test_priority_one_unit_is_never_given_up(tmp_path: Path, solve_both) -> None:
    """A (home lon 0, 2 INF units of 100 people, distance cost) serves two sites:
    S1 at lon 90 needs 1 INF, priority 1, weight 0.001 (the faintest p1 unit);
    S2 at A's home needs 2 INF, priority 2, weight 1e6.

    Cheap and p2-friendly: A->S2 2 (p1 0.001, p2 0, cost 0). Lexicographic: p1 first, so
    A->S1 1 (100 x 90 deg x KM_PER_DEG ~ 1.0e6 person-km) and A->S2 1: p1 0, p2 1e6.
    """
    sites = [
        {"site": "S1", "country": "X", "lat": 0, "lon": 90},
        {"site": "S2", "country": "Y", "lat": 0, "lon": 0},
    ]
    path = case(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        sites=sites,
        requirements=[
            need("S1", "INF", 1, priority=1, weight=0.001),
            need("S2", "INF", 2, priority=2, weight=1e6),
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    result = solve_both(path)
    assert result.status == "optimal"
    assert allocation_dict(result) == {("A", "INF", "S1"): 1, ("A", "INF", "S2"): 1}
    expected = stages(100 * 90 * KM_PER_DEG, 2, p1=0, p2=1e6)
    assert result.stage_values == pytest.approx(expected, rel=1e-4)


def test_shortfall_beats_any_cost(tmp_path: Path, solve_both) -> None:
    """S1 needs 1 INF (p1), S2 1 AD (p2, weight 0.001); A: INF @0, B: AD @1e9.

    Leaving S2 short would save 1e9 but costs 0.001 of p2 shortfall, which comes first:
    B->S2 1. p1 0, p2 0, cost 1e9, presence 2.
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1), need("S2", "AD", 1, priority=2, weight=0.001)],
        pledges=[pledge("A", "INF", 1, 0), pledge("B", "AD", 1, 1e9)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "AD", "S2"): 1},
        stages(1e9, 2, p1=0, p2=0),
    )


def test_cost_beats_presence(tmp_path: Path, solve_both) -> None:
    """S1 needs 2 INF; A 2 @2, B 1 @1. A2 alone: cost 4, presence 1. A1 + B1: cost 3,
    presence 2. Cost comes first: A1 + B1."""
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 2), pledge("B", "INF", 1, 1)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "INF", "S1"): 1},
        stages(3, 2, p1=0),
    )


def test_faint_priority_one_unit_is_kept_next_to_heavy_lines_for_cost(
    tmp_path: Path, solve_both
) -> None:
    """Priority 1 only: S1 needs 1 INF (weight 1e6), S2 1 AD (weight 1, the lightest a
    priority allows beside 1e6).
    A: INF @0, B: AD @1e6.

    p1 is 0 only with both units, so B's AD goes to S2 whatever it costs: p1 0, cost 1e6,
    presence 2. Dropping it would save 1e6 of cost but give up a p1 unit (1).
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[need("S1", "INF", 1, weight=1e6), need("S2", "AD", 1, weight=1)],
        pledges=[pledge("A", "INF", 1, 0), pledge("B", "AD", 1, 1e6)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("B", "AD", "S2"): 1},
        stages(1e6, 2, p1=0),
    )


def test_faint_priority_one_unit_is_kept_next_to_heavy_lines_for_p2(
    tmp_path: Path, solve_both
) -> None:
    """p1: S1 1 INF (weight 1) and S3 1 AD (weight 1e6); p2: S2 2 INF (weight 1e6).
    A: 2 INF @5; B: AD @0.

    p1 = 0 needs A->S1 1 and B->S3 1; A's other unit goes to S2: p2 = 1 x 1e6.
    A->S2 2 would save 1e6 of p2 shortfall but give up the p1 unit: never.
    Cost 2 x 5 = 10, presence (A,S1), (A,S2), (B,S3) = 3.
    """
    path = case(
        tmp_path / "c.xlsx",
        requirements=[
            need("S1", "INF", 1, priority=1, weight=1),
            need("S3", "AD", 1, priority=1, weight=1e6),
            need("S2", "INF", 2, priority=2, weight=1e6),
        ],
        pledges=[pledge("A", "INF", 2, 5), pledge("B", "AD", 1, 0)],
    )
    check(
        solve_both(path),
        {("A", "INF", "S1"): 1, ("A", "INF", "S2"): 1, ("B", "AD", "S3"): 1},
        stages(10, 3, p1=0, p2=1e6),
    )
