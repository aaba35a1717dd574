"""The construction heuristic: a valid MIP start from the model's own rows, or an honest no."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from solver import api
from solver.errors import SolverFailure
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.greedy import greedy_start, heuristic_tries
from solver.solve.highs import LexicographicSolver
from solver.solve.instance import MS
from solver.solve.options import SolveOptions

from .conftest import ROOT

CASES = ["coalition", "backfill", "chain", "scenarios", "tight"]


@pytest.mark.parametrize("formulation", ["textbook", "aggregated"])
@pytest.mark.parametrize("case", CASES)
def test_start_satisfies_every_row_and_bound(case: str, formulation: str) -> None:
    ctx = build_model(
        api.read(ROOT / "inputs" / "reference" / f"{case}.xlsx"), formulation=formulation
    )
    mm = MatrixModel.from_linear(ctx.lm)
    result = greedy_start(mm, ctx)
    assert result.x is not None, result.message
    act = mm.a @ result.x
    assert (act >= mm.row_lower - 1e-9).all() and (act <= mm.row_upper + 1e-9).all()
    assert (result.x >= mm.col_lower).all() and (result.x <= mm.col_upper).all()
    integer = mm.integrality.astype(bool)
    assert np.array_equal(result.x[integer], np.round(result.x[integer]))
    assert result.message.startswith("construction heuristic: a valid start with")


def test_no_start_when_a_hard_rule_cannot_be_met() -> None:
    ctx = build_model(api.read(ROOT / "inputs" / "reference" / "infeasible.xlsx"))
    result = greedy_start(MatrixModel.from_linear(ctx.lm), ctx)
    assert result.x is None
    assert "could not meet Requirements Kyiv/INF_BN" in result.message


def _example_with_start() -> tuple[MatrixModel, np.ndarray]:
    ctx = build_model(api.read(ROOT / "inputs" / "coalition.xlsx"))
    mm = MatrixModel.from_linear(ctx.lm)
    start = greedy_start(mm, ctx)
    assert start.x is not None
    return mm, start.x


def test_heuristic_plan_is_kept_when_no_time_is_left_for_highs() -> None:
    """The time limit spent before HiGHS starts: the heuristic's plan is returned, not nothing."""
    mm, x = _example_with_start()
    solver = LexicographicSolver(mm, SolveOptions(time_limit=2.0, threads=1))
    out = solver.solve((np.arange(mm.n_cols), x), spent=2.0)
    assert out.status == "feasible"
    assert np.array_equal(out.x, x)
    assert out.stages[0].status == "heuristic"
    expected = mm.stages[0].scale * float(mm.costs[0] @ x + mm.offsets[0])  # planner units
    assert out.stages[0].value == pytest.approx(expected)
    assert out.mip_gap == (1.0 if out.stages[0].value > 0 else 0.0)  # no bound: never "0"
    assert {s.status for s in out.stages[1:]} == {"not_solved"}


def test_heuristic_plan_is_kept_when_highs_stops_without_one(monkeypatch) -> None:
    """HiGHS stopped by its limit with no solution (as on very large cases, inside presolve)."""
    mm, x = _example_with_start()
    solver = LexicographicSolver(mm, SolveOptions(time_limit=30.0, threads=1))
    info = solver.h.getInfo()
    monkeypatch.setattr(solver, "run_highs", lambda remaining: MS.kTimeLimit)
    monkeypatch.setattr(solver.h, "getInfo", lambda: info)  # primal_solution_status: none
    out = solver.solve((np.arange(mm.n_cols), x))
    assert out.status == "feasible" and np.array_equal(out.x, x)
    assert out.stages[0].status == "heuristic"


def test_a_start_that_breaks_a_row_is_not_kept() -> None:
    mm, x = _example_with_start()
    broken = x.copy()
    broken[np.argmax(mm.col_upper)] = mm.col_upper.max() + 1  # above its bound
    solver = LexicographicSolver(mm, SolveOptions(time_limit=2.0, threads=1))
    out = solver.solve((np.arange(mm.n_cols), broken), spent=2.0)
    assert out.status == "no_solution" and out.x is None
    partial = solver.solve((np.arange(mm.n_cols - 1), x[:-1]), spent=2.0)
    assert partial.status == "no_solution"  # a partial start only guides HiGHS


def test_a_stage_that_ignores_its_cancel_is_abandoned_with_the_heuristic_plan(monkeypatch) -> None:
    """The hard stop: HiGHS neither honours its time limit nor returns from cancelSolve (as in
    a long presolve at millions of columns). The solve stops waiting and keeps the start."""
    from solver.solve import watchdog

    release = threading.Event()

    def stuck(h, done: threading.Event) -> None:  # a HiGHS run that ignores every signal
        release.wait(30)
        done.set()

    monkeypatch.setattr(watchdog, "run_masked", stuck)
    monkeypatch.setattr(watchdog, "abandon_after", lambda limit: 0.5)
    mm, x = _example_with_start()
    solver = LexicographicSolver(mm, SolveOptions(time_limit=1.0, threads=1))
    out = solver.solve((np.arange(mm.n_cols), x))  # without the hard stop: back after 30 s,
    release.set()  # not abandoned
    assert out.abandoned and out.status == "feasible" and np.array_equal(out.x, x)
    assert [s.status for s in out.stages] == ["heuristic"] + ["not_solved"] * (len(out.stages) - 1)
    with pytest.raises(SolverFailure):
        solver.solve()  # the instance is still busy: refused, not corrupted


def test_a_spent_budget_stops_at_the_same_plan_every_time() -> None:
    """The budget counts tries, not seconds: a heuristic cut short gives the same plan on every
    run (and machine)."""
    ctx = build_model(api.read(ROOT / "inputs" / "coalition.xlsx"))
    mm = MatrixModel.from_linear(ctx.lm)
    full = greedy_start(mm, ctx)
    cut = [greedy_start(mm, ctx, tries=40) for _ in range(3)]
    assert cut[0].x is not None and full.x is not None
    assert all(np.array_equal(c.x, cut[0].x) for c in cut)
    assert cut[0].x.sum() < full.x.sum()  # it really stopped early
    act = mm.a @ cut[0].x
    assert (act >= mm.row_lower - 1e-9).all() and (act <= mm.row_upper + 1e-9).all()


def test_a_slow_clock_does_not_change_the_plan(monkeypatch) -> None:
    """A loaded machine makes fewer tries a second: here every reading of the clock is an hour
    later than the last. The heuristic's plan is the one an unhurried run makes, try for try."""
    ctx = build_model(api.read(ROOT / "inputs" / "coalition.xlsx"))
    mm = MatrixModel.from_linear(ctx.lm)
    unhurried = greedy_start(mm, ctx, tries=heuristic_tries(2.0))
    readings = iter(range(0, 10**9, 3600))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(readings)))
    monkeypatch.setattr(time, "monotonic", lambda: float(next(readings)))
    hurried = greedy_start(mm, ctx, tries=heuristic_tries(2.0))
    assert unhurried.x is not None and hurried.x is not None
    assert np.array_equal(hurried.x, unhurried.x)
    assert hurried.message == unhurried.message


def test_the_budget_follows_the_time_limit_only() -> None:
    assert heuristic_tries(2.0) == 25_000  # 50,000 tries per second of a quarter of 2 s
    assert heuristic_tries(60.0) == heuristic_tries(3600.0) == 500_000  # 10 s at most
