"""A timed re-plan keeps the baseline's rotations where its plan keeps the baseline's units and
another cut would cost the same (solve/baseline_cuts.py). A trial's re-plan asked DEU to
`re-cut MECH_COY rotations at Dnipro: 2027-05..2027-10 x1, 2027-11..2028-02 x1 -> 2027-05..2027-09
x1, 2027-10..2028-02 x1`, 0 unit-months changed: a tie HiGHS broke, taken to a nation."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api

from .time_cases import months, timed_case

# A's 1 INF unit holds S1 (1 unit, P1..P4) in two tours of at most 3 months: each of these
# cuts costs 2 tours and changes no unit-month
CUTS = [(("P1", "P1"), ("P2", "P4")), (("P1", "P2"), ("P3", "P4")), (("P1", "P3"), ("P4", "P4"))]


def world(path: Path, cut: tuple[tuple[str, str], ...], tour_months: int = 3) -> Path:
    return timed_case(
        path,
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "tour_months": tour_months}],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": first, "to": last}
            for first, last in cut
        ],
    )


@pytest.mark.parametrize("cut", CUTS)
def test_every_cut_of_equal_cost_is_kept_as_the_baseline_has_it(tmp_path: Path, cut) -> None:
    """Whichever of the three cuts the baseline has, the plan's tours are those, and A is
    asked nothing. (HiGHS, left to itself, gives one cut for all three baselines, so at least
    two of them were re-cut before.)"""
    result = api.solve(world(tmp_path / "w.xlsx", cut))
    assert result.summary["objective.changes"] == 0
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == list(cut)
    assert result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"] == "unchanged"


def test_a_cut_the_rules_no_longer_allow_is_re_cut(tmp_path: Path) -> None:
    """The baseline's tours P1..P3 and P4, with tours now of at most 2 months: P1..P3 cannot
    stand, so the plan cuts otherwise (two tours of two months), still no unit-month changed,
    and A is asked to re-cut."""
    result = api.solve(world(tmp_path / "w.xlsx", CUTS[2], tour_months=2))
    assert result.summary["objective.changes"] == 0
    tours = result.tables.timed["Tours"]
    assert list(zip(tours["from"], tours["to"], strict=True)) == [("P1", "P2"), ("P3", "P4")]
    ask = result.tables.extra["Asks"].set_index("contributor").loc["A", "ask"]
    assert ask.startswith("re-cut INF rotations at S1: P1..P3 x1, P4 x1 -> ")


def test_a_baseline_cut_of_more_tours_is_not_taken_beside_a_large_cost(tmp_path: Path) -> None:
    """A's INF at S1 (P1..P4, tours of at most 4 months, cost 1 a tour) was two tours in the
    baseline; one tour is cheaper. B's ART at S2 costs 1e10 a tour, so the cost stage is 1e10 +
    1, and a stage value read within 1e-9 of itself would take the baseline's 2 tours (cost 1e10
    + 2, still `optimal`: a review). The plan keeps one tour, at the proven cost."""
    path = timed_case(
        tmp_path / "w.xlsx",
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ART", "category": "ground", "personnel_per_unit": 100},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "ART", "units": 1, "priority": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 4},
            {"contributor": "B", "capability": "ART", "units": 1, "tour_months": 4}
            | {"cost_per_unit": 1e10},
        ],
        baseline=[
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": "P1", "to": "P2"},
            {"contributor": "A", "capability": "INF", "site": "S1", "units": 1}
            | {"from": "P3", "to": "P4"},
            {"contributor": "B", "capability": "ART", "site": "S2", "units": 1}
            | {"from": "P1", "to": "P4"},
        ],
    )
    result = api.solve(path)
    assert result.summary["objective.cost"] == 1e10 + 1
    tours = result.tables.timed["Tours"]
    mine = tours[tours["contributor"] == "A"]
    assert list(zip(mine["from"], mine["to"], strict=True)) == [("P1", "P4")]
