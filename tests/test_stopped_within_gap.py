"""A stage that a limit stops with a plan within the MIP gap of its bound is proven, as HiGHS
proves one (relative gap <= mip_gap): optimal, held at its plan, and the solve goes on as before
it. A briefing trial read `not proven optimal, gap 0%` of a presence stage that a work limit
stopped at a bound of 17.9999 against 18. A review: the plan carried into the stage (HiGHS gave
none) was not held, and a later stage gave it up; a stop by a work limit's hard time limit lost
its `stopped: time limit` (the plan is the machine's); a stage that is its search alone kept
`feasible`."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import endings, highs
from solver.solve.options import SolveOptions

from .workbooks import simple_case


def _cost_stage_stopped(
    tmp_path: Path,
    share_below: float,
    *,
    cancelled: bool = False,
    highs_plan: bool = True,
    hard_stop: bool = False,
    alone: bool = False,
) -> tuple[str, str, bool]:
    """Simple case (A and B send 2 INF each): the shortfall stages solved, then the cost stage
    read as stopped by a limit with the plan so far, against a bound of value x (1 -
    share_below): HiGHS's own (`highs_plan`), else the relaxation's, given to `stopped` (HiGHS
    returned no plan: the plan carried in answers), or to `out_of_time` (`alone`: the stage
    was its search alone). (The stage's status, the solve's after it, whether the stage is
    held.)"""
    ctx = build_model(api.read(simple_case(tmp_path / "case.xlsx")))
    mm = MatrixModel.from_linear(ctx.lm)
    work = {"work_limit": 1000.0} if hard_stop else {}
    solver = highs.LexicographicSolver(mm, SolveOptions(time_limit=60, mip_gap=1e-4, **work))
    solver.clock.start(60)
    run = highs.Progress(deadline=time.perf_counter() + 60, total=60, start=None, fallback=None)
    cost = next(i for i, s in enumerate(mm.stages) if s.name == "cost")
    for i in range(cost):
        assert solver._stage(run, i).status == "optimal"
    assert run.x is not None and run.status == "optimal"
    value = float(mm.costs[cost] @ run.x) + mm.offsets[cost]
    assert value > 0
    plan = run.x.copy()
    bound = value * (1 - share_below)
    info = SimpleNamespace(
        primal_solution_status=2 if highs_plan else 0,
        mip_dual_bound=bound if highs_plan else -np.inf,
        mip_node_count=1,
    )
    solver.h.getInfo = lambda: info  # type: ignore[method-assign]
    solver.h.getSolution = lambda: SimpleNamespace(col_value=plan)  # type: ignore[method-assign]
    if cancelled:
        solver.cancelled.set()
    if hard_stop:
        solver.clock.timed_out = True  # type: ignore[attr-defined]
    relaxed = None if highs_plan else (bound - mm.offsets[cost]) / mm.stages[cost].scale
    if alone:
        result = endings.out_of_time(solver, run, cost, 0.0, relaxed)
    else:
        result = endings.stopped(solver, run, cost, 0.0, relaxed)
    assert np.array_equal(run.x, plan)
    held = any(c is mm.costs[cost] for c in solver._held_costs)
    return result.status, run.status, held


def test_a_stopped_stage_within_the_mip_gap_is_optimal(tmp_path: Path) -> None:
    """A gap of 1e-6 (mip_gap 1e-4): optimal, held, and the solve stays optimal; a gap of
    1e-3: feasible, the solve feasible; stopped by the user (Ctrl-C) within the gap: the stop
    is said as such, never read as a proof."""
    assert _cost_stage_stopped(tmp_path, 1e-6) == ("optimal", "optimal", True)
    assert _cost_stage_stopped(tmp_path, 1e-3)[:2] == ("feasible", "feasible")
    assert _cost_stage_stopped(tmp_path, 1e-6, cancelled=True)[:2] == ("feasible", "interrupted")


def test_the_plan_carried_in_within_the_gap_is_held(tmp_path: Path) -> None:
    """HiGHS gave no plan: the plan carried into the stage, within the gap of the relaxation's
    bound, is optimal and held (the next stage cannot give it up); so is a stage that was its
    search alone (no MIP)."""
    assert _cost_stage_stopped(tmp_path, 1e-6, highs_plan=False) == ("optimal", "optimal", True)
    assert _cost_stage_stopped(tmp_path, 1e-6, highs_plan=False, alone=True) == (
        "optimal",
        "optimal",
        True,
    )
    assert _cost_stage_stopped(tmp_path, 1e-3, highs_plan=False, alone=True)[0] == "feasible"


def test_a_stop_by_the_hard_time_limit_is_no_proof(tmp_path: Path) -> None:
    """Under a work limit, a stage the time limit's hard stop ended keeps `feasible` (its plan
    is the machine's, and says so) however near its bound."""
    assert _cost_stage_stopped(tmp_path, 1e-6, hard_stop=True)[0] == "feasible"
