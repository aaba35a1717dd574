"""The start of a large model whose construction heuristic found none (solve/feasible.py), and
the timed heuristic's budget in tries (solve/greedy_time.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import feasible, greedy_time, polish, start
from solver.solve.greedy import GreedyResult
from solver.solve.greedy_time import greedy_time_start, timed_heuristic_tries
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions

from .time_cases import months, timed_case
from .workbooks import simple_case

FAILED = GreedyResult(None, 0.0, "the construction heuristic could not meet X (1 rule unmet)")


def test_the_feasibility_run_gives_a_plan_that_keeps_every_row(tmp_path: Path) -> None:
    """Two nations with 2 INF each, two lines of 2 (simple_case): any plan HiGHS returns must
    keep every row and bound of the matrix and be whole, checked here row by row."""
    ctx = build_model(api.read(simple_case(tmp_path / "case.xlsx")))
    mm = MatrixModel.from_linear(ctx.lm)
    solver = LexicographicSolver(mm, SolveOptions(time_limit=60))
    x = feasible.feasible_plan(solver, 60.0)
    assert x is not None
    act = mm.a @ x
    assert np.all(act >= mm.row_lower - 1e-6) and np.all(act <= mm.row_upper + 1e-6)
    assert np.all(x >= mm.col_lower - 1e-9) and np.all(x <= mm.col_upper + 1e-9)
    whole = mm.integrality.astype(bool)
    assert np.array_equal(x[whole], np.round(x[whole]))


def test_a_large_model_without_a_heuristic_plan_starts_from_the_feasibility_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heuristic fails; counted as large (LNS_MIN_COLUMNS 0), the solve starts from
    HiGHS's feasibility plan and says so, and still reaches the optimum: both lines met,
    shortfall 0, cost 4 (4 units at 1)."""
    monkeypatch.setattr(start, "greedy_start", lambda *args: FAILED)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    summary = dict(result.tables.summary)
    assert summary["heuristic"] == (
        "the construction heuristic could not meet X (1 rule unmet); "
        "a start from HiGHS's feasibility run instead"
    )
    assert summary["status"] == "optimal"
    assert summary["objective.cost"] == pytest.approx(4.0)


def test_a_small_model_keeps_the_heuristics_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below LNS_MIN_COLUMNS HiGHS's MIP finds its first plan itself: no feasibility run, and
    the Summary says what the heuristic could not meet and what happens instead."""
    monkeypatch.setattr(start, "greedy_start", lambda *args: FAILED)
    ran: list[float] = []
    monkeypatch.setattr(feasible, "feasible_plan", lambda solver, limit: ran.append(limit))
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    assert dict(result.tables.summary)["heuristic"] == (
        "the construction heuristic could not meet X (1 rule unmet); HiGHS searches without a start"
    )
    assert ran == []


def test_the_timed_heuristic_budget() -> None:
    """2,500 tries per second of budget; the budget is a quarter of the limit, at most 30 s:
    60 s -> 15 s -> 37,500 tries; 600 s -> 30 s -> 75,000."""
    assert timed_heuristic_tries(60) == 37_500
    assert timed_heuristic_tries(600) == 75_000


def test_the_two_orders_share_one_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hard line of 3 INF where only 2 are pledged: both orders fail. The second order is
    given what the first left of the 1,000 tries, so together they use at most 1,000."""
    path = timed_case(
        tmp_path / "short.xlsx",
        periods=months(3),
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": True}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1}],
    )
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    given: list[int] = []
    states: list[greedy_time._Moves] = []
    original = greedy_time._Moves

    def recording(
        mm: MatrixModel, ctx: object, tries: int, rules: object = None
    ) -> greedy_time._Moves:
        given.append(tries)
        states.append(original(mm, ctx, tries, rules))  # type: ignore[arg-type]
        return states[-1]

    monkeypatch.setattr(greedy_time, "_Moves", recording)
    result = greedy_time_start(mm, ctx, 1_000)
    assert result.x is None
    assert given[0] == 1_000 and given[1] == 1_000 - states[0].used
    assert states[0].used + states[1].used <= 1_000
    # without a plan, the nearer one is kept (here 2 of the 3 units in each month: the line's
    # 3 rows short by 1), keeping every row's upper bound for the repair (solve/repair.py)
    assert result.partial is not None
    act = mm.a @ result.partial
    assert np.all(act <= mm.row_upper + 1e-6)
    assert np.allclose(np.sort(mm.row_lower - act)[-3:], 1.0)
    assert int(np.sum(act < mm.row_lower - 1e-6)) == 3

    # a first order that spends the whole budget leaves the second none: it is not run, and
    # the first's plan is the one kept (before, the empty second plan was reported)
    given.clear()
    states.clear()
    spent = greedy_time_start(mm, ctx, 1)
    assert len(given) == 1 and spent.partial is not None
    assert np.array_equal(spent.partial, states[0].x)


def test_a_small_budget_still_gives_the_fallback_its_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `--work-limit 10` the heuristic's share is 2.5 and the fallback's 2 (0.2 of it):
    too little for a 40 x 40 x 20 case's repair over 36 months, which needs about 3, so the
    solve went on without a start and found no plan at all (a scale trial, 34 s). The fallback
    now has at least FALLBACK_FLOOR (5), half the limit at most: 5 here; at a limit of 50 the
    heuristic's share left, 12.5 (a quarter, the failed heuristic spending nothing); at 4,
    half of it, 2."""
    monkeypatch.setattr(start, "greedy_start", lambda *args: FAILED)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    given: list[float] = []

    def spy(solver: LexicographicSolver, limit: float) -> None:
        given.append(round(limit, 1))

    monkeypatch.setattr(feasible, "feasible_plan", spy)
    for work_limit in (10, 50, 4):
        api.solve(simple_case(tmp_path / f"c{work_limit}.xlsx"), work_limit=work_limit)
    assert given == [5.0, 12.5, 2.0]
