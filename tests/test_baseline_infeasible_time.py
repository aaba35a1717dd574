"""Locked tours that cannot hold: how much a locked tour gives way (its units times its periods,
its dates alone, some of its periods), and a lock outside the conflict that does not
(`replanning.md`, `time.md`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api

from .baseline_infeasible_case import locked
from .time_cases import months, timed_case


def _locked_tour_case(path: Path, **sheets: object) -> Path:
    """Timed, P1..P5: S1 requires 3 INF, A pledges 3 (tours up to 12 months); `sheets` add the
    rest."""
    defaults: dict = {
        "periods": months(5),
        "requirements": [{"site": "S1", "capability": "INF", "units": 3, "priority": 1}],
        "pledges": [{"contributor": "A", "capability": "INF", "units": 3, "tour_months": 12}],
    }
    return timed_case(path, **{**defaults, **sheets})


def test_a_locked_tour_gives_way_by_its_units_times_its_periods(tmp_path: Path) -> None:
    """A's 3 INF at S1 in P2..P4 are locked, and a caveat caps A's personnel at 0: the lock
    gives way by 3 units in each of 3 periods, 9 unit-periods. It said 15: the tour's arrival
    in P2 (3 units) and its departure after P4 (3) were added to the units it lacks."""
    path = _locked_tour_case(
        tmp_path / "t.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "max_personnel", "value": 0}],
        baseline=[locked(3, **{"from": "P2", "to": "P4"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.give_way == [("locked: A 3 INF at S1 in P2..P4", 9.0, "unit-period")]
    # the periods the lock holds, not one of them: it said "a plan in P2" (or P4), the lock
    # relaxed in the others only because their units were fixed at 0
    assert result.conflict.give_way_in == "P2..P4"


def test_two_locked_tours_one_unit_cannot_rotate_give_way_as_their_lock(tmp_path: Path) -> None:
    """A's one INF is locked at S1 in P1 and again in P2..P3, with 2 months of dwell between
    tours. Both tours are held apart (model/locked_apart.py): the smallest change either keeps
    the unit there from P1 to P3, one tour (both tours' h give way: 2 units), or drops its P1
    (its presence there and that tour's h: 2; said `its units in P1: by 1 unit`, the presence
    alone, as the module give_way counts a lock), the lock alone over P1..P3 either way: a tie
    HiGHS breaks, so either text is taken. It said "a plan in P3 relaxes: locked ... by 2
    unit-periods", P1 and P2 relaxed because the search had fixed them at 0."""
    path = _locked_tour_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "priority": 1}],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 1,
                "tour_months": 6,
                "dwell_months": 2,
            }
        ],
        baseline=[locked(1, **{"from": "P1", "to": "P1"}), locked(1, **{"from": "P2", "to": "P3"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    (change,) = result.conflict.give_way
    assert change.text.startswith("locked: A 1 INF at S1 in P1, 1 INF at S1 in P2..P3, its ")
    assert change.unit == "unit" and result.conflict.give_way_least == 2.0
    assert result.conflict.give_way_in == "P1..P3"


def test_a_lock_held_by_its_dates_alone_gives_way_as_its_dates(tmp_path: Path) -> None:
    """Where only a locked tour's date rows give way (held apart, model/locked_apart.py: its
    row h >= 3 of being one tour of its own; the relaxation's excess put there by hand), the
    lock's amount is theirs, said as its arrival or departure, in units; with one presence row
    relaxed too, that row alone counts (in its period: P2)."""
    import numpy as np

    from solver.explain import give_way as gw
    from solver.explain.rules import rules_of
    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel

    path = _locked_tour_case(
        tmp_path / "t.xlsx", baseline=[locked(3, **{"from": "P2", "to": "P4"})]
    )
    ctx = build_model(api.read(path), explain=True)
    mm, rules = MatrixModel.from_linear(ctx.lm), rules_of(ctx)
    (lock,) = [rule for rule in rules if rule.cls == "locked"]
    dates = [r for b in ctx.lm.row_blocks if b.name in gw.LOCKED_DATES for r in b.rows.tolist()]
    assert len(dates) == 1 and set(dates) < set(lock.rows)
    present = [r for r in lock.rows if r not in dates]

    def relaxed(rows: list[int]) -> np.ndarray:
        excess = np.zeros(mm.n_rows)
        excess[rows] = 3.0
        return excess

    assert gw.give_way(rules, ctx, relaxed(dates)) == [
        ("locked: A 3 INF at S1 in P2..P4, its arrival or departure", 3.0, "unit")
    ]
    assert gw.give_way(rules, ctx, relaxed([*dates, present[0]])) == [
        ("locked: A 3 INF at S1 in P2..P4, its units in P2", 3.0, "unit")
    ]


@pytest.mark.parametrize("tour", [("P1", "P2"), ("P2", "P5")])
def test_a_lock_outside_the_conflict_does_not_give_way(
    tmp_path: Path, tour: tuple[str, str]
) -> None:
    """S2/INF is hard in P4, when no INF pledge is available (A's ends after P3, B's starts in
    P5): the relaxation is for P4. A's lock at S1 can hold, and has no part in it; its rows
    in the other periods, whose units the relaxation fixes at 0, were said to give way
    ("a plan in P4 relaxes: locked: A 1 INF at S1 in P1..P2: by 2 unit-periods"). A lock
    that covers P4 too keeps its rows there (P2..P5: A's pledge ends after P3, so it cannot
    hold in P4 and P5)."""
    first, last = tour
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(5),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {
                "site": "S2",
                "capability": "INF",
                "units": 1,
                "priority": 1,
                "hard": "yes",
                "from": "P4",
                "to": "P4",
            },
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "tour_months": 12, "to": "P3"},
            {"contributor": "B", "capability": "INF", "units": 1, "from": "P5"},
        ],
        baseline=[locked(1, **{"from": first, "to": last})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    gave_way = [text for text, _, _ in result.conflict.give_way]
    assert "S2 needs 1 INF in full in P4" in gave_way
    assert any(text.startswith("locked:") for text in gave_way) == (last == "P5")


def test_a_lock_that_gives_way_in_some_of_its_periods_names_them(tmp_path: Path) -> None:
    """A's personnel are capped at 0 in P1..P2 (C1's window); A's 1 INF at S2 in P1..P2 and 3
    INF at S1 in P2..P4 are locked. Two conflicts: the lock at S2 with C1 in P1..P2, and, that
    lock lifted, the lock at S1 with C1 in P2 (P3..P4 are free of C1). The relaxation is over
    their periods and the S1 lock's (P1..P4): the lock at S1 gives way in P2 alone, by 3
    units, which said of the tour ("locked: A 3 INF at S1 in P2..P4: by 3 units") read as 3
    units fewer for its three months (9 unit-periods)."""
    path = _locked_tour_case(
        tmp_path / "t.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 4, "tour_months": 12}],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "max_personnel", "value": 0, "to": "P2"}
        ],
        baseline=[
            locked(3, **{"from": "P2", "to": "P4"}),
            locked(1, site="S2", **{"from": "P1", "to": "P2"}),
        ],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.give_way_in == "P1..P4"
    assert sorted(result.conflict.give_way) == [
        ("locked: A 1 INF at S2 in P1..P2", 2.0, "unit-period"),
        ("locked: A 3 INF at S1 in P2..P4, its units in P2", 3.0, "unit"),
    ]


def test_a_locked_tour_that_cannot_be_a_tour_of_its_own_is_in_the_conflict(
    tmp_path: Path,
) -> None:
    """P1..P3; S1 needs 2 INF, hard; A pledges 3, tours of at most 2 months, 1 month of dwell;
    A's 1 unit in P2..P2 locked. Held apart (model/locked_apart.py) the locked unit is at S1 in
    P2 alone, then home in P3; the 2 units in P1 cannot both stay into P3 (3 months), and the
    one that leaves after P1 or P2 is home in P2 or P3: P3 has at most 1. Read first in, first
    out with the other units the lock is only 1 unit present in P2, which a rotation of 3 units
    gives (P1: a, b; P2: a, c; P3: b, c): the explain model, which did not hold it apart,
    found a plan and said `No conflict could be found`."""
    path = _locked_tour_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "hard": "yes"}
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 3,
                "tour_months": 2,
                "dwell_months": 1,
            }
        ],
        baseline=[locked(1, **{"from": "P2", "to": "P2"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert [key for key, _ in result.conflict.rules] == [
        "locked:A/INF/S1",
        "tour:A/INF",
        "hard:S1/INF/P1..P3",
        "pledge:A/INF/P2..P3",
    ]
    # one unit less in any one period, and the three rotate: with P2 needing 1 (the locked
    # unit) the other two cover P1 and P3, home in P2; with P3 needing 1, b stays P1..P2
    (change,) = result.conflict.give_way
    assert change.text in [f"S1 needs 2 INF in full in P{t}" for t in (1, 2, 3)]
    assert (change.amount, change.unit) == (1.0, "unit")
