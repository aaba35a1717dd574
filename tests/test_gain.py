"""What freeing a group can gain at a stage (solve/gain.py), and fix-and-optimise freeing the
groups with most to gain first (solve/polish.py), hand-worked on `rotating_case`: S1 needs 2 INF
and 1 ENG in each of 24 months; A and B pledge 3 INF each (6-month tours, 12 months of dwell), A
pledges 2 ENG (6 and 6). Groups: 0 = ENG, 1 = INF (the capabilities as read: sorted)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver.solve import polish, repair
from solver.solve.gain import group_gains
from solver.solve.progress import Progress
from solver.solve.submodel import free_columns

from .test_repair import rotating_case, solver_of

ENG, INF = 0, 1


def gains_at(solver, stage: str, x: np.ndarray) -> list[float]:
    mm = solver.mm
    i = [s.name for s in mm.stages].index(stage)
    groups = mm.col_group
    names = np.unique(groups[groups >= 0])
    return (group_gains(mm, mm.costs[i], x, groups, names) * mm.stages[i].scale).tolist()


def test_gains_of_no_plan_and_of_a_full_one(tmp_path: Path) -> None:
    """No units: priority 1 can gain the whole shortfall of each capability's line, 1 x 24 = 24
    unit-months of ENG and 2 x 24 = 48 of INF; cost and presence nothing (nothing is paid).
    A plan meeting both lines: priority 1 nothing; presence 1 for ENG (A at S1, also freed with
    INF) and 2 for INF (A and B at S1: A alone holds one INF unit, not two)."""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx"))
    none = np.zeros(solver.mm.n_cols)
    assert gains_at(solver, "shortfall.p1", none) == [24.0, 48.0]
    assert gains_at(solver, "cost", none) == [0.0, 0.0]
    assert gains_at(solver, "presence", none) == [0.0, 0.0]
    full = repair.repaired(solver, none, 60.0)
    assert full is not None
    assert gains_at(solver, "shortfall.p1", full) == [0.0, 0.0]
    assert gains_at(solver, "presence", full) == [1.0, 2.0]
    # every unit's cost is its group's alone: the gains add up to the cost stage's value
    i = [s.name for s in solver.mm.stages].index("cost")
    assert sum(gains_at(solver, "cost", full)) == pytest.approx(
        solver.mm.stages[i].scale * float(solver.mm.costs[i] @ full + solver.mm.offsets[i])
    )


def test_a_negative_cost_outside_the_lines_counts_to_its_bound(tmp_path: Path) -> None:
    """A column of negative cost in no requirement row counts to its own upper bound: with
    soft lines the ENG line (one option) is the bound of its columns, 1 unit a month, not a
    row: 24 unit-months to gain, as with the row. A column without an upper bound makes the
    gain infinite."""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx", hard=False))
    mm = solver.mm
    assert gains_at(solver, "shortfall.p1", np.zeros(mm.n_cols)) == [24.0, 48.0]
    i = [s.name for s in mm.stages].index("shortfall.p1")
    eng = np.flatnonzero((mm.costs[i] < 0) & (mm.col_group == ENG))
    mm.col_upper[eng[0]] = np.inf
    gains = group_gains(mm, mm.costs[i], np.zeros(mm.n_cols), mm.col_group, np.array([ENG, INF]))
    assert np.isinf(gains[0]) and gains[1] * mm.stages[i].scale == 48.0


def test_fix_and_optimise_frees_the_groups_with_most_to_gain_and_skips_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Soft lines (no plan is invalid). From no units, INF (48 to gain) is freed before ENG
    (24), though ENG's group comes first by number. From a plan meeting the ENG line, only
    INF is freed: freeing ENG could not lower priority 1's shortfall. (Every stage is polished
    as in a model from LNS_MIN_COLUMNS columns on; the capability level alone, since the order
    within a level is what is tested here: the levels' order is tests/test_groups.py's.)"""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx", hard=False))
    mm = solver.mm
    assert mm.col_group is not None
    mm.col_levels = [mm.col_group]
    freed: list[int] = []
    original = polish._improve_group

    def recording(solver, x, cost, groups, g, limit):  # type: ignore[no-untyped-def]
        if groups is mm.col_group:
            freed.append(g)
        return original(solver, x, cost, groups, g, limit)

    monkeypatch.setattr(polish, "_improve_group", recording)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)  # every stage polished, as at scale
    i = [s.name for s in mm.stages].index("shortfall.p1")
    clock = solver.clock.now()
    run = Progress(deadline=clock + 60, total=60, start=None, fallback=None)
    run.x = np.zeros(mm.n_cols)
    polish.polish(solver, run, i)
    assert freed[:2] == [INF, ENG]
    assert mm.stages[i].scale * float(mm.costs[i] @ run.x + mm.offsets[i]) == 0

    eng_met = polish.solve_neighbourhood(
        solver, np.zeros(mm.n_cols), mm.costs[i], free_columns(solver, mm.col_group, ENG), 60
    )
    assert eng_met is not None and gains_at(solver, "shortfall.p1", eng_met) == [0.0, 48.0]
    freed.clear()
    run.x = eng_met
    polish.polish(solver, run, i)
    assert freed[0] == INF and ENG not in freed


def test_each_freed_group_gets_at_least_its_floor_of_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 0.3 s to the stage's end, polish has 0.24 s (POLISH_SHARE); shared by gain, INF
    (48) would get 0.16 s and ENG the rest, but each group freed gets MIN_GROUP_SECONDS at
    least (the neighbourhoods here find nothing, so both are freed in one pass)."""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx", hard=False))
    mm = solver.mm
    assert mm.col_group is not None
    mm.col_levels = [mm.col_group]
    limits: list[tuple[int, float]] = []

    def nothing_found(solver, x, cost, groups, g, limit):  # type: ignore[no-untyped-def]
        limits.append((g, limit))
        return None

    monkeypatch.setattr(polish, "_improve_group", nothing_found)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    i = [s.name for s in mm.stages].index("shortfall.p1")
    clock = solver.clock.now()
    run = Progress(deadline=clock + 60, total=60, start=None, fallback=None)
    run.x = np.zeros(mm.n_cols)
    polish.polish(solver, run, i, end=clock + 0.3)
    assert [g for g, _ in limits] == [INF, ENG]
    assert limits[0][1] == pytest.approx(polish.MIN_GROUP_SECONDS)  # not its share, 0.16 s
    assert limits[1][1] >= polish.MIN_GROUP_SECONDS
