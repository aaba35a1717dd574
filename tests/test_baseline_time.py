"""Re-planning a timed workbook: baseline tours, changes in unit-months, locked tours.

The world of tests/time_cases.py: S1 needs 1 INF in every period (priority 1); costs count
tours' units x cost_per_unit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from solver import api

from .idle_warnings import without_idle
from .time_cases import months, timed_case


def tour(contributor: str, first: str, last: str, units: int = 1, lock: str = "no") -> dict:
    return {
        "contributor": contributor,
        "capability": "INF",
        "site": "S1",
        "units": units,
        "from": first,
        "to": last,
        "lock": lock,
    }


def tours_of(result: api.Result) -> set[tuple]:
    assert result.plan is not None
    names = list(result.data.periods["period"])  # type: ignore[index]
    return {
        (c, s, names[a], names[b], int(n))
        for c, k, s, a, b, n in result.plan.tours.itertuples(index=False)
    }


def test_changes_count_unit_months(tmp_path: Path) -> None:
    """Periods P1, P2, P3 of 1, 2 and 3 months. A pledges 1 at cost 1, B 1 at cost 5. The
    baseline is B's tour P1..P2.

    - B P1..P3: changes = P3's 3 unit-months, cost 5;
    - B P1..P2 then A P3: changes = A's 3 unit-months in P3, cost 5 + 1 = 6;
    - A P1..P3: B's 1 + 2 removed and A's 1 + 2 + 3 added: 9 unit-months.
    Changes tie at 3 between the first two; cost picks B P1..P3 (without a baseline, A's
    cheaper tour P1..P3 would win)."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(3, [1, 2, 3]),
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
        baseline=[tour("B", "P1", "P2")],
    )
    result = api.solve(path)
    assert result.status == "optimal"
    assert tours_of(result) == {("B", "S1", "P1", "P3", 1)}
    assert result.summary["objective.changes"] == 3
    assert result.summary["objective.cost"] == 5


def test_locked_tour_stands(tmp_path: Path) -> None:
    """Periods P1..P3 of one month. A (cost 1) and B (cost 5) pledge 1; the baseline is A's tour
    P1..P3 and B's tour P2..P3 (2 units at S1 in P2 and P3, where 1 is needed). Unlocked, B goes
    (2 unit-months of changes, either way; cost keeps A). With B's tour locked, x(B,S1,t) >= 1
    in P2 and P3, so A can only stay in P1: tours A P1..P1 and B P2..P3, changes 2 (A's P2 and
    P3 removed)."""
    sheets = {
        "periods": months(3),
        "pledges": [
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
    }
    free = api.solve(
        timed_case(
            tmp_path / "f.xlsx", **sheets, baseline=[tour("A", "P1", "P3"), tour("B", "P2", "P3")]
        )
    )
    assert tours_of(free) == {("A", "S1", "P1", "P3", 1)}
    assert free.summary["objective.changes"] == 2
    locked = api.solve(
        timed_case(
            tmp_path / "l.xlsx",
            **sheets,
            baseline=[tour("A", "P1", "P3"), tour("B", "P2", "P3", lock="yes")],
        )
    )
    assert tours_of(locked) == {("A", "S1", "P1", "P1", 1), ("B", "S1", "P2", "P3", 1)}
    assert locked.summary["objective.changes"] == 2


def test_baseline_blank_from_to_spans_every_period(tmp_path: Path) -> None:
    """A Baseline row without from/to is a tour over every period (time.md's defaults): A's 1
    unit over P1..P2 is exactly the plan, so nothing changes."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(2),
        baseline=[{"contributor": "A", "capability": "INF", "site": "S1", "units": 1}],
    )
    data = api.read(path)
    assert data.baseline is not None
    assert data.baseline.rows[["first_t", "last_t", "units"]].values.tolist() == [[0, 1, 1]]
    result = api.solve(data)
    assert result.summary["objective.changes"] == 0


def test_a_locked_tour_keeps_its_dates(tmp_path: Path) -> None:
    """Periods P1, P2 of one month; S1 needs 1 INF in both; only A pledges (1 unit, cost 1 a
    tour). The baseline is A's tour P1..P1, locked. Unlocked, the plan is one tour P1..P2
    (changes 1: A's P2 added; cost 1). Locked, the tour stands with its dates: A's unit leaves
    after P1 (x[P1] - x[P2] + a[P2] >= 1), so P2 needs a new tour: A P1..P1 and A P2..P2,
    changes still 1, cost 2."""
    sheets = {"periods": months(2)}
    free = api.solve(timed_case(tmp_path / "f.xlsx", **sheets, baseline=[tour("A", "P1", "P1")]))
    assert tours_of(free) == {("A", "S1", "P1", "P2", 1)}
    assert (free.summary["objective.changes"], free.summary["objective.cost"]) == (1, 1)
    locked = api.solve(
        timed_case(tmp_path / "l.xlsx", **sheets, baseline=[tour("A", "P1", "P1", lock="yes")])
    )
    assert tours_of(locked) == {("A", "S1", "P1", "P1", 1), ("A", "S1", "P2", "P2", 1)}
    assert (locked.summary["objective.changes"], locked.summary["objective.cost"]) == (1, 2)


def test_a_locked_tour_longer_than_the_pledge_s_tours_is_said_not_to_stand(
    tmp_path: Path,
) -> None:
    """Periods P1..P4 of one month; A pledges 2 INF with tours of at most 2 months, no dwell;
    S1 needs 1. The baseline locks A's 1 unit over P1..P4: 4 months, longer than A's tours of
    2. A lock keeps its tour as it stands (replanning.md), and no tour may last 4 months
    (time.md rule 2): the solve is infeasible, the conflict the lock and the tour limit. The
    read warns at the row that it will be (before, the plan kept A's unit at S1 in two tours
    P1..P2 and P3..P4 and the console said `1 locked row of the baseline held`: a contract
    audit); a locked P1..P2 (2 months) is not warned. Unlocked, P1..P4 is warned too (a hand
    edit that never fitted the pledge: a planner trial saw such a tour re-cut without a word,
    the Changes counting no change for a relief)."""
    sheets: dict[str, Any] = {
        "periods": months(4),
        "pledges": [{"contributor": "A", "capability": "INF", "units": 2, "tour_months": 2}],
    }
    path = timed_case(tmp_path / "l.xlsx", **sheets, baseline=[tour("A", "P1", "P4", lock="yes")])
    data = api.read(path)
    assert without_idle(str(w) for w in data.warnings) == [
        "warning: Baseline!A2: locked tour A 1 INF at S1 in P1..P4 lasts 4 months, longer than "
        "A's tours of INF (tour_months 2), and a lock keeps its tour as it stands, so it cannot "
        "hold and the solve is infeasible (its Infeasibility sheet names the conflict): unlock "
        "the row, or shorten it to at most 2 months"
    ]
    result = api.solve(data)
    assert result.status == "infeasible" and result.conflict is not None
    assert [key for key, _ in result.conflict.rules] == ["locked:A/INF/S1", "tour:A/INF"]
    short = timed_case(tmp_path / "s.xlsx", **sheets, baseline=[tour("A", "P1", "P2", lock="yes")])
    assert without_idle(api.read(short).warnings) == []
    unlocked = api.read(timed_case(tmp_path / "u.xlsx", **sheets, baseline=[tour("A", "P1", "P4")]))
    assert without_idle(str(w) for w in unlocked.warnings) == [
        "warning: Baseline!A2: the baseline's tour A 1 INF at S1 in P1..P4 lasts 4 months, longer "
        "than A's tours of INF (tour_months 2): it cannot stand as one tour; the re-plan relieves "
        "its units with another tour or ends it sooner, within 2 months (a relief by as many "
        "units there is no change in the Changes sheet: see the Tours sheet)"
    ]
    # A unavailable: its tour changes, said once; not also that the re-plan relieves it (a
    # review saw both at one cell)
    gone = [{"contributor": "A", "lat": 0, "lon": 0, "status": "unavailable"}]
    gone += [{"contributor": "B", "lat": 0, "lon": 1}]
    away = timed_case(
        tmp_path / "a.xlsx", **sheets, contributors=gone, baseline=[tour("A", "P1", "P4")]
    )
    said = [str(w) for w in api.read(away).warnings if "Baseline!A2" in str(w)]
    assert len(said) == 1 and "A is unavailable" in said[0], said
    # tours of at most 1 month, said so (a contract audit read `at most 1 months`)
    sheets["pledges"][0]["tour_months"] = 1
    one = api.read(timed_case(tmp_path / "o.xlsx", **sheets, baseline=[tour("A", "P1", "P2")]))
    said = [str(w) for w in one.warnings if "Baseline!A2" in str(w)]
    assert len(said) == 1 and "ends it sooner, within 1 month (" in said[0], said


def test_a_replan_s_shortfall_stages_skip_the_relaxation_s_neighbourhood(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """solve/rins.py `wanted`: the relaxation's neighbourhood moved a re-plan's plan far from
    its baseline (the bundled timed example: 596-929 unit-months of changes against 133). So in
    a re-plan the shortfall stages search by fix-and-optimise alone, and the stages after them
    (changes, cost) still start with the neighbourhood; without a baseline every stage does.
    The tiny world is searched as a large one would be (no faces, neighbourhoods from 0
    columns) to see which stages ask for it."""
    from solver.solve import highs, polish, rins

    asked: list[str] = []
    real = rins.improve_near_relaxation

    def record(solver: Any, run: Any, i: int, relaxed: Any, end: float) -> None:
        asked.append(solver.mm.stages[i].name)
        real(solver, run, i, relaxed, end)

    monkeypatch.setattr(rins, "improve_near_relaxation", record)
    monkeypatch.setattr(highs, "tries_face", lambda solver, i: False)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    sheets = {
        "periods": months(3, [1, 2, 3]),
        "pledges": [
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
    }
    alone = api.solve(timed_case(tmp_path / "alone.xlsx", **sheets))
    assert alone.status == "optimal" and "shortfall.p1" in asked
    asked.clear()
    replan = api.solve(timed_case(tmp_path / "re.xlsx", **sheets, baseline=[tour("B", "P1", "P2")]))
    assert replan.status == "optimal"
    assert "changes" in asked and not [name for name in asked if name.startswith("shortfall")]
    assert tours_of(replan) == {("B", "S1", "P1", "P3", 1)}  # as without the search


def test_locks_typed_into_a_timed_outputs_allocation_are_said_to_lock_nothing(
    tmp_path: Path,
) -> None:
    """A timed output's plan is its Tours: a `lock` column with `yes` in its Allocation locks
    nothing, and the re-plan's warnings say so at its cell (the planner's locks were lost
    without a word). The same lock typed into the Tours is read, with no such warning."""
    from openpyxl import load_workbook

    case = timed_case(tmp_path / "c.xlsx", periods=months(3))
    plan = api.write(api.solve(case), tmp_path / "plan.xlsx", [case])

    def locked(sheet: str) -> list[str]:
        book = load_workbook(plan)
        ws = book[sheet]
        column = ws.max_column + 1
        ws.cell(1, column).value = "lock"
        ws.cell(2, column).value = "yes"
        copy = tmp_path / f"locked-in-{sheet}.xlsx"
        book.save(copy)
        data = api.read(case)
        api.read_baseline(copy, data)
        return [str(w) for w in data.warnings]

    letter = "ABCDEFGHIJ"[len(load_workbook(plan)["Allocation"][1])]
    said = [w for w in locked("Allocation") if "locks nothing" in w]
    assert said == [
        f"warning: locked-in-Allocation.xlsx Allocation!{letter}2: the Allocation's lock column "
        f"locks nothing (1 row locked: Allocation!{letter}2): a timed re-plan reads its baseline "
        "and its locks from the Tours sheet; type the locks there"
    ], said
    assert not [w for w in locked("Tours") if "locks nothing" in w]
