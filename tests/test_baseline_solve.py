"""Re-planning against a baseline (`replanning.md`), hand-worked on tiny workbooks.

World (tests/caveats/helpers.py): contributors without locations, so every cost is the pledge's
`cost_per_unit`; capability INF; sites S1, S2, S3.
"""

from __future__ import annotations

from pathlib import Path

from solver import api

from .caveats.helpers import need, pledge, world
from .conftest import allocation_dict


def base(contributor: str, site: str, units: int, lock: str = "no") -> dict:
    """One Baseline row of INF."""
    return {
        "contributor": contributor,
        "capability": "INF",
        "site": site,
        "units": units,
        "lock": lock,
    }


def test_withdrawal_absorbed_with_fewest_moves(tmp_path: Path) -> None:
    """S1 and S2 need 2 INF each; A, B, C pledge 2 each at cost 1 a unit. The baseline was
    A S1 2, B S2 2; B now pledges 1 (a withdrawal).

    Every full plan has 4 units and costs 4: cost cannot choose. B can keep at most 1 of its 2
    units (one change), and S2's missing unit must come from someone else (one more change):
    changes >= 2. A cannot give it (its 2 units stay at S1, or S1 loses a unit: 2 more
    changes), so the only plan with 2 changes is A S1 2, B S2 1, C S2 1. The other equally cheap
    refill, C S2 2 with B gone (fewer contributors, which the presence stage would like), moves
    4 units and loses."""
    path = world(
        tmp_path / "w.xlsx",
        requirements=[need("S1", "INF", 2), need("S2", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 1, 1), pledge("C", "INF", 2, 1)],
        baseline=[base("A", "S1", 2), base("B", "S2", 2)],
    )
    result = api.solve(path)
    assert result.status == "optimal"
    assert allocation_dict(result) == {
        ("A", "INF", "S1"): 2,
        ("B", "INF", "S2"): 1,
        ("C", "INF", "S2"): 1,
    }
    summary = result.summary
    assert summary["objective.changes"] == 2
    assert summary["objective.shortfall.p1"] == 0 and summary["objective.cost"] == 4
    assert summary["baseline_file"] is None and summary["baseline_sha256"] is None
    stages = [k for k, _ in result.tables.summary if k.startswith("objective.")]
    assert stages == [
        "objective.shortfall.p1",
        "objective.changes",
        "objective.cost",
        "objective.presence",
    ]
    assert [s.name for s in result.outcome.stages] == [
        "shortfall.p1",
        "changes",
        "cost",
        "presence",
    ]


def test_changes_come_after_shortfall(tmp_path: Path) -> None:
    """S1 needs 1 INF (priority 1); A pledges 1. The baseline has A at S2, which no longer
    needs anything (it keeps a line of 0 units). Keeping A at S2 (0 changes) would leave S1
    short; the shortfall stage comes first, so A moves: changes = 1 removed + 1 added = 2."""
    path = world(
        tmp_path / "w.xlsx",
        requirements=[need("S1", "INF", 1), need("S2", "INF", 0)],
        pledges=[pledge("A", "INF", 1, 1)],
        baseline=[base("A", "S2", 1)],
    )
    result = api.solve(path)
    assert allocation_dict(result) == {("A", "INF", "S1"): 1}
    assert result.summary["objective.changes"] == 2
    assert result.summary["objective.shortfall.p1"] == 0


def test_locked_row_kept_against_cost(tmp_path: Path) -> None:
    """S1 needs 1 INF; A's unit costs 10, B's 1. The baseline has both A and B at S1 with 1
    unit. One must go: either way 1 change, so cost decides: B stays (cost 1). With A's row
    locked, x(A,INF,S1) >= 1 and A stays (cost 10), still 1 change."""
    sheets = {
        "requirements": [need("S1", "INF", 1)],
        "pledges": [pledge("A", "INF", 1, 10), pledge("B", "INF", 1, 1)],
    }
    free = api.solve(
        world(tmp_path / "free.xlsx", **sheets, baseline=[base("A", "S1", 1), base("B", "S1", 1)])
    )
    assert allocation_dict(free) == {("B", "INF", "S1"): 1}
    assert free.summary["objective.changes"] == 1 and free.summary["objective.cost"] == 1
    locked = api.solve(
        world(
            tmp_path / "locked.xlsx",
            **sheets,
            baseline=[base("A", "S1", 1, lock="yes"), base("B", "S1", 1)],
        )
    )
    assert allocation_dict(locked) == {("A", "INF", "S1"): 1}
    assert locked.summary["objective.changes"] == 1 and locked.summary["objective.cost"] == 10


def test_locked_row_kept_against_shortfall(tmp_path: Path) -> None:
    """S1 needs 1 INF at weight 2, S2 1 INF at weight 1 (both priority 1); A pledges 1 and was
    at S2. Unlocked, the shortfall stage moves A to S1 (weighted shortfall 1 instead of 2); with
    the row locked, A stays at S2 and the weighted shortfall is 2."""
    sheets = {
        "requirements": [need("S1", "INF", 1, weight=2), need("S2", "INF", 1, weight=1)],
        "pledges": [pledge("A", "INF", 1, 1)],
    }
    moved = api.solve(world(tmp_path / "m.xlsx", **sheets, baseline=[base("A", "S2", 1)]))
    assert allocation_dict(moved) == {("A", "INF", "S1"): 1}
    kept = api.solve(
        world(tmp_path / "k.xlsx", **sheets, baseline=[base("A", "S2", 1, lock="yes")])
    )
    assert allocation_dict(kept) == {("A", "INF", "S2"): 1}
    assert kept.summary["objective.shortfall.p1"] == 2
    assert kept.summary["objective.changes"] == 0


def test_option_forbidden_now_is_an_unavoidable_change(tmp_path: Path) -> None:
    """The baseline has B at S2 with 1 unit; caveat C1 now excludes S2 for B, so the option has
    no column: its unit is a change no plan avoids. S2 needs 1 INF, A (cost 1) and B pledge 1.
    Best: A S2 1 (shortfall 0), changes = 1 (B removed) + 1 (A added) = 2."""
    path = world(
        tmp_path / "w.xlsx",
        requirements=[need("S2", "INF", 1)],
        pledges=[pledge("A", "INF", 1, 1), pledge("B", "INF", 1, 1)],
        caveats=[{"id": "C1", "contributor": "B", "caveat": "exclude", "site": "S2"}],
        baseline=[base("B", "S2", 1)],
    )
    result = api.solve(path)
    assert allocation_dict(result) == {("A", "INF", "S2"): 1}
    assert result.summary["objective.changes"] == 2
