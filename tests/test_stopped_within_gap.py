"""A stage that a limit stops with a plan within the MIP gap of its bound is proven, as HiGHS
proves one (relative gap <= mip_gap): optimal, and the solve goes on as before it. A briefing
trial read `not proven optimal, gap 0%` of a presence stage that a work limit stopped at a
bound of 17.9999 against 18."""

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


def _stopped_at(tmp_path: Path, share_below: float, cancelled: bool = False) -> tuple[str, str]:
    """Simple case (A and B send 2 INF each): the shortfall stages solved, then the cost stage
    read as stopped by a limit with the plan so far and a bound of value x (1 - share_below):
    (the stage's status, the solve's status after it)."""
    ctx = build_model(api.read(simple_case(tmp_path / "case.xlsx")))
    mm = MatrixModel.from_linear(ctx.lm)
    solver = highs.LexicographicSolver(mm, SolveOptions(time_limit=60, mip_gap=1e-4))
    run = highs.Progress(deadline=time.perf_counter() + 60, total=60, start=None, fallback=None)
    cost = next(i for i, s in enumerate(mm.stages) if s.name == "cost")
    for i in range(cost):
        assert solver._stage(run, i).status == "optimal"
    assert run.x is not None and run.status == "optimal"
    value = float(mm.costs[cost] @ run.x) + mm.offsets[cost]
    assert value > 0
    plan = run.x.copy()
    info = SimpleNamespace(
        primal_solution_status=2, mip_dual_bound=value * (1 - share_below), mip_node_count=1
    )
    solver.h.getInfo = lambda: info  # type: ignore[method-assign]
    solver.h.getSolution = lambda: SimpleNamespace(col_value=plan)  # type: ignore[method-assign]
    if cancelled:
        solver.cancelled.set()
    result = endings.stopped(solver, run, cost, 0.0, None)
    assert np.array_equal(run.x, plan)
    return result.status, run.status


def test_a_stopped_stage_within_the_mip_gap_is_optimal(tmp_path: Path) -> None:
    """A gap of 1e-6 (mip_gap 1e-4): optimal, and the solve stays optimal; a gap of 1e-3:
    feasible, the solve feasible; stopped by the user (Ctrl-C) within the gap: the stop is
    said as such, never read as a proof."""
    assert _stopped_at(tmp_path, 1e-6) == ("optimal", "optimal")
    assert _stopped_at(tmp_path, 1e-3) == ("feasible", "feasible")
    assert _stopped_at(tmp_path, 1e-6, cancelled=True) == ("feasible", "interrupted")
