"""The relaxation's neighbourhood of the plan (solver/solve/rins.py), on test_polish.py's tiny
timed world with two capabilities (INF and AD; the optimum of the cost stage is 5): the whole
neighbourhood, and the neighbourhood one capability at a time that a timed cost stage tries
first."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from solver.solve import rins
from solver.solve.polish import relaxation_bound
from solver.solve.rins import improve_near_relaxation

from .test_polish import solver_after_shortfall


def test_the_relaxations_neighbourhood_only_improves_and_keeps_every_row(tmp_path: Path) -> None:
    """Fixing the columns where the relaxation agrees with the plan and re-solving the rest
    (solve/rins.py) may only replace the plan by a valid, cheaper one."""
    solver, run = solver_after_shortfall(tmp_path)
    cost = solver.mm.costs[1]
    before = float(cost @ run.x)
    relaxed = relaxation_bound(solver, run, 1)
    assert relaxed is not None
    improve_near_relaxation(solver, run, 1, relaxed.x, time.perf_counter() + 600)
    assert float(cost @ run.x) <= before + 1e-9
    assert solver.keeps_rows(run.x)
    result = solver._stage(run, 1)  # the model is whole again afterwards
    assert result.status == "optimal" and np.isclose(result.value, 5.0)


def test_the_neighbourhood_by_capability_frees_one_capabilitys_disagreeing_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """solve/rins.py `by_capability`: each neighbourhood frees the columns of one capability
    whose plan costs more than its part of the relaxation (its whole columns where the
    relaxation agrees with the plan stay fixed), and the rounds end at the optimum, 5 (each
    capability alone reaches it: INF on A's cheaper tours, AD on A's battery)."""
    solver, run = solver_after_shortfall(tmp_path)
    relaxed = relaxation_bound(solver, run, 1)
    assert relaxed is not None
    mm, cost = solver.mm, solver.mm.costs[1]
    groups = mm.col_group
    assert groups is not None
    freed: list[tuple[np.ndarray, np.ndarray]] = []
    real = rins.solve_neighbourhood

    def spy(*args: Any) -> np.ndarray | None:
        freed.append((args[1].copy(), args[3].copy()))
        return real(*args)

    monkeypatch.setattr(rins, "solve_neighbourhood", spy)
    rins.by_capability(solver, run, 1, relaxed.x, time.perf_counter() + 600)
    assert freed
    whole = mm.integrality.astype(bool) & (groups >= 0)
    for x, free in freed:
        (group,) = set(groups[free & (groups >= 0)].tolist())
        mine = groups == group
        assert float(cost[mine] @ (x - relaxed.x)[mine]) > 0
        assert not (free & whole & (np.abs(relaxed.x - x) < rins.AGREE[0])).any()
    assert np.isclose(float(cost @ run.x) * mm.stages[1].scale, 5.0)
    assert solver.keeps_rows(run.x)


def test_the_neighbourhood_by_capability_without_capabilities_leaves_the_plan(
    tmp_path: Path,
) -> None:
    """A model whose columns are in no capability (every label -1) has nothing to free by
    capability: the plan stays as it is (before, `max` of no labels raised)."""
    solver, run = solver_after_shortfall(tmp_path)
    relaxed = relaxation_bound(solver, run, 1)
    assert relaxed is not None and run.x is not None
    solver.mm.col_group = np.full(solver.mm.n_cols, -1)
    before = run.x.copy()
    rins.by_capability(solver, run, 1, relaxed.x, time.perf_counter() + 600)
    assert np.array_equal(run.x, before)


def test_a_timed_cost_stage_searches_by_capability_after_the_whole_neighbourhood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """solve/highs.py `_search`: at the cost stage of a timed model, the whole neighbourhood
    first, from the plan of the shortfall stages (as before: on the 60 s time-limited example
    the neighbourhoods by capability first left the whole one nothing to find, cost 5.92e7
    against 4.78e7), then the neighbourhoods by capability from its plan; at the presence stage
    neither by capability. The stages end at the optimum all the same (cost 5)."""
    solver, run = solver_after_shortfall(tmp_path)
    calls: list[tuple[str, int]] = []
    whole, by_capability = rins.improve_near_relaxation, rins.by_capability

    def spy_whole(*args: Any) -> None:
        calls.append(("whole", args[2]))
        whole(*args)

    def spy_by_capability(*args: Any) -> None:
        calls.append(("by capability", args[2]))
        by_capability(*args)

    monkeypatch.setattr(rins, "improve_near_relaxation", spy_whole)
    monkeypatch.setattr(rins, "by_capability", spy_by_capability)
    result = solver._stage(run, 1)
    assert calls == [("whole", 1), ("by capability", 1)]
    assert result.status == "optimal" and np.isclose(result.value, 5.0)
    calls.clear()
    solver._stage(run, 2)
    assert ("by capability", 2) not in calls
