"""The timed solve's later stages: fix-and-optimise by capability (solver/solve/polish.py; its
relaxation bound: test_polish_relaxation.py), on a tiny timed case with two capabilities.

World: A pledges 2 INF (tours of at most 2 months) and 1 AD, B 2 INF and 1 AD; S1 needs 1 INF
and 1 AD, S2 1 INF, over 4 months; cost per unit: A 1, B 3. Shortfall 0 throughout. The
cheapest plan uses A's INF for both INF lines on 2-month tours (2 + 2 = 4 tours of A at cost 1)
and A's AD at S1 on one tour: cost 5; presence A at S1 and S2: 2."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import solver.solve.polish as polish_module
from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import highs
from solver.solve.groups import set_polish_groups
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.polish import polish
from solver.solve.progress import Progress

from .time_cases import months, timed_case


def case(tmp_path: Path) -> Path:
    return timed_case(
        tmp_path / "polish.xlsx",
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 50},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S1", "capability": "AD", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 1},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": 2,
                "cost_per_unit": 1,
            },
            {"contributor": "A", "capability": "AD", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 3},
            {"contributor": "B", "capability": "AD", "units": 1, "cost_per_unit": 3},
        ],
    )


def solver_after_shortfall(tmp_path: Path) -> tuple[LexicographicSolver, Progress]:
    """The solver with the shortfall stage solved and held, as the cost stage finds it."""
    ctx = build_model(api.read(case(tmp_path)))
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    solver = LexicographicSolver(mm, SolveOptions(time_limit=60))
    run = Progress(deadline=time.perf_counter() + 600, total=600, start=None, fallback=None)
    assert solver._stage(run, 0).status == "optimal"
    return solver, run


def test_the_whole_solve_finds_the_cheapest_plan(tmp_path: Path) -> None:
    result = api.solve(case(tmp_path))
    values = {s.name: s.value for s in result.outcome.stages}
    assert values == {"shortfall.p1": 0.0, "cost": 5.0, "presence": 2.0}


def test_polish_only_improves_and_keeps_every_row(tmp_path: Path) -> None:
    solver, run = solver_after_shortfall(tmp_path)
    cost = solver.mm.costs[1]
    before = float(cost @ run.x)
    polish(solver, run, 1)
    after = float(cost @ run.x)
    assert after <= before + 1e-9
    assert solver.keeps_rows(run.x)
    assert after * solver.mm.stages[1].scale == 5.0  # each capability alone reaches the optimum


def test_windows_over_every_capability_are_freed_at_the_shortfall_stages_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The world's levels: the capabilities' windows (0, 1), the windows over every capability
    (2, 3: shortfall stages only, with WIDE_MIN_SECONDS for the polish), the capabilities (4),
    the pledges (5). The cost stage's passes see levels 0, 1, 4 and 5; the shortfall stage's
    (polished from its worst plan, no unit anywhere) all six, in that order, and with 5 s of
    polish the four others only."""
    solver, run = solver_after_shortfall(tmp_path)
    mm = solver.mm
    assert len(mm.col_levels) == 6 and mm.shortfall_levels == {2, 3}
    seen: list[int] = []
    passes = polish_module._passes

    def spy(solver, run, cost, groups, *args):  # type: ignore[no-untyped-def]
        seen.append(next(n for n, level in enumerate(mm.col_levels) if level is groups))
        return passes(solver, run, cost, groups, *args)

    monkeypatch.setattr(polish_module, "_passes", spy)
    polish(solver, run, 1)
    assert seen[:4] == [0, 1, 4, 5] and not {2, 3} & set(seen)
    seen.clear()
    run.x = np.asarray(mm.col_lower, dtype=float).copy()  # nothing deployed: all to gain
    monkeypatch.setattr(polish_module, "polishes", lambda mm, i: True)
    polish(solver, run, 0)
    assert seen[:6] == [0, 1, 2, 3, 4, 5]
    seen.clear()
    run.x = np.asarray(mm.col_lower, dtype=float).copy()
    assert polish_module.POLISH_SHARE * 6.0 < polish_module.WIDE_MIN_SECONDS
    polish(solver, run, 0, end=solver.clock.now() + 6.0)
    assert seen[:4] == [0, 1, 4, 5] and not {2, 3} & set(seen)


def test_polish_judges_plans_by_the_rows_as_relaxed_now(tmp_path: Path) -> None:
    """A re-solve that relaxes rows (caveat prices in place) must let polish keep plans that
    only the relaxed rows allow: keeps_rows reads the bounds set by set_row_bounds (after the
    reset a re-solve begins with: no holds, no faces)."""
    solver, run = solver_after_shortfall(tmp_path)
    assert run.x is not None
    x = run.x + (solver.mm.integrality > 0) * 10  # ten more of everything: pledges broken
    solver.reset()
    assert not solver.keeps_rows(x)
    rows = np.arange(solver.mm.n_rows)
    solver.set_row_bounds(rows, np.full(len(rows), -np.inf), np.full(len(rows), np.inf))
    assert solver.keeps_rows(x)


def test_timed_solves_default_to_more_heuristic_effort(tmp_path: Path) -> None:
    """A timed solve passes HiGHS mip_heuristic_effort 0.5 and says so in the Summary; a
    caller's own value wins; a snapshot keeps HiGHS's default (no such row)."""
    from .workbooks import simple_case

    timed = dict(api.solve(case(tmp_path)).tables.summary)
    assert timed["option.highs.mip_heuristic_effort"] == 0.5
    own = api.solve(case(tmp_path), highs_options={"mip_heuristic_effort": 0.2})
    assert dict(own.tables.summary)["option.highs.mip_heuristic_effort"] == 0.2
    snapshot = dict(api.solve(simple_case(tmp_path / "snap.xlsx")).tables.summary)
    assert "option.highs.mip_heuristic_effort" not in snapshot


def test_a_stage_stopped_by_its_share_is_held_and_the_next_stage_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost stage is given no time of its own (its share ends at once): it keeps the plan
    it was handed (tidied at most: solve/tidy.py lowers only what no stage needs, so never to
    a higher cost), unproven, and is held at that plan's cost; the presence stage still runs
    and, optimal under that hold, cannot raise the cost. The solve as a whole is feasible,
    not optimal."""
    solver, run = solver_after_shortfall(tmp_path)
    monkeypatch.setattr(
        highs,
        "stage_end",
        lambda stages, costs, i, now, deadline, total: time.perf_counter() if i == 1 else deadline,
    )
    handed = float(solver.mm.costs[1] @ run.x)
    cost = solver._stage(run, 1)
    assert cost.status in ("feasible", "heuristic")
    assert run.status == "cut" and cost.stopped == "share"
    kept = float(solver.mm.costs[1] @ run.x)
    assert kept <= handed + 1e-9
    assert np.isclose(solver.holds[-1][1], kept)  # cost @ x <= the plan's cost from now on
    presence = solver._stage(run, 2)
    assert presence.status == "optimal"
    assert float(solver.mm.costs[1] @ run.x) <= kept + 1e-9


def test_an_abandoned_neighbourhood_ends_its_stage_with_the_plan_carried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A neighbourhood's HiGHS that does not return after its cancel is abandoned: the stage
    runs nothing more on HiGHS (its thread is still busy) and answers with the plan carried
    into it (improved on the way, before the neighbourhood), unproven, at that plan's value.
    (No relaxation here: its neighbourhood reaches the bound, and fix-and-optimise would not
    run.)"""
    monkeypatch.setattr(highs, "relaxation_bound", lambda solver, run, i, end: None)
    solver, run = solver_after_shortfall(tmp_path)
    assert run.x is not None
    carried = float(solver.mm.costs[1] @ run.x)

    def abandoned(*args: object) -> None:
        solver.abandoned = True

    monkeypatch.setattr(polish_module, "solve_neighbourhood", abandoned)
    runs_after: list[float] = []
    original = highs.LexicographicSolver.run_highs

    def spy(self: LexicographicSolver, limit: float) -> object:
        if self.abandoned:
            runs_after.append(limit)
        return original(self, limit)

    monkeypatch.setattr(highs.LexicographicSolver, "run_highs", spy)
    result = solver._stage(run, 1)
    assert runs_after == []
    assert result.status == "feasible" and run.status == "feasible"
    value = float(solver.mm.costs[1] @ run.x)
    assert value <= carried + 1e-9
    assert result.value == pytest.approx(solver.mm.stages[1].scale * value)


def test_a_stop_during_the_search_ends_the_stage_without_its_mip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (here: the solver cancelled) while fix-and-optimise runs: the stage's MIP is not
    started (it would only be cancelled: the console showed 'solving (31.0 s left)' after the
    Ctrl-C, and the exit came seconds later); the plan carried in answers it, interrupted."""
    monkeypatch.setattr(highs, "relaxation_bound", lambda solver, run, i, end: None)
    solver, run = solver_after_shortfall(tmp_path)
    assert run.x is not None
    carried = float(solver.mm.costs[1] @ run.x)

    def stopped(*args: object) -> None:
        solver.cancel()

    monkeypatch.setattr(polish_module, "solve_neighbourhood", stopped)
    mips: list[int] = []
    monkeypatch.setattr(
        highs.LexicographicSolver, "_run_stage", lambda self, run, i, left: mips.append(i)
    )
    result = solver._stage(run, 1)
    assert mips == []
    assert (result.status, result.stopped, run.status) == ("feasible", "interrupted", "interrupted")
    value = float(solver.mm.costs[1] @ run.x)  # the carried plan, tidied (solve/tidy.py)
    assert value <= carried + 1e-9
    assert result.value == pytest.approx(solver.mm.stages[1].scale * (value + solver.mm.offsets[1]))
