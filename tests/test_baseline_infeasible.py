"""Locked baseline rows that cannot hold make the workbook infeasible, and the explanation names
them among the conflicting rules in a planner's words (`replanning.md`)."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .time_cases import months, timed_case
from .workbooks import simple_case


def locked(units: int, **extra: object) -> dict:
    return {
        "contributor": "A",
        "capability": "INF",
        "site": "S1",
        "units": units,
        "lock": "yes",
        **extra,
    }


def test_pledge_reduced_below_a_locked_row(tmp_path: Path) -> None:
    """A's 2 INF at S1 are locked, but A now pledges 1: x(A,INF,S1) >= 2 and <= 1 cannot both
    hold. The conflict is the locked row and A's pledge; the smallest relaxation unlocks one
    unit (by 1)."""
    path = simple_case(
        tmp_path / "w.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
        baseline=[locked(2)],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.exit_code == 3
    assert result.conflict is not None
    texts = [text for _, text in result.conflict.rules]
    assert "locked: A 2 INF at S1 — A's pledge of INF is now 1" in texts
    assert result.conflict.rules[0][0] == "locked:A/INF/S1"
    assert any("A 1" in text for text in texts[1:])  # A's pledge, among the usable ones
    assert result.conflict.give_way == [("locked: A 2 INF at S1", 1.0)]
    sheet = result.tables.extra["Infeasibility"]
    assert "locked: A 2 INF at S1 — A's pledge of INF is now 1" in sheet["explanation"].tolist()


def test_caveat_now_forbids_a_locked_row(tmp_path: Path) -> None:
    """Caveat C1 now excludes S1 for A; A's unit at S1 is locked: the conflict is exactly the
    locked row and the caveat."""
    path = simple_case(
        tmp_path / "w.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
        baseline=[locked(1)],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert [text for _, text in result.conflict.rules] == [
        "locked: A 1 INF at S1",
        "caveat C1 (A exclude site=S1)",
    ]


def test_unlocked_rows_never_make_it_infeasible(tmp_path: Path) -> None:
    """The same two workbooks with the rows unlocked solve: the rows are only changes."""
    path = simple_case(
        tmp_path / "w.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
        baseline=[locked(1, lock="no")],
    )
    assert api.solve(path).status == "optimal"


def test_locked_tour_outside_the_line(tmp_path: Path) -> None:
    """Timed, P1..P3: S1 requires INF only in P1, but A's tour P2..P3 is locked. The option has
    no column in P2 and P3, so the locked rows (0 >= 1) cannot hold: the explanation says why,
    and relaxing them takes 2 (one unit in each of the two periods)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "to": "P1"}],
        baseline=[locked(1, **{"from": "P2", "to": "P3"})],
    )
    result = api.solve(path)
    assert result.status == "infeasible" and result.conflict is not None
    assert result.conflict.rules == [
        ("locked:A/INF/S1", "locked: A 1 INF at S1 in P2..P3 — S1 requires INF only in P1")
    ]
    assert result.conflict.give_way == [("locked: A 1 INF at S1 in P2..P3", 2.0)]
