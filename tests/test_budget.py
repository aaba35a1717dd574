"""The time limit shared among the stages (solve/budget.py), and the Summary and console saying
which stage was stopped by its share; large models polished stage by stage (solve/polish.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from solver import api
from solver.generate import generate_workbook
from solver.model.linear import Stage
from solver.results.console import summary_lines
from solver.solve import endings, highs, polish
from solver.solve.budget import stage_end
from solver.verify import verify

from .workbooks import simple_case


def _stages(*names: str) -> list[Stage]:
    empty = np.zeros(0)
    return [Stage(name, empty, empty, 0.0, 0.0, 0.0) for name in names]


def watch_polish(
    monkeypatch: pytest.MonkeyPatch,
    see: Callable[[highs.LexicographicSolver, highs.Progress, int], None],
) -> None:
    """highs.polish as it is, seen by `see` (solver, the run so far, stage) before it runs."""

    def spy(
        solver: highs.LexicographicSolver,
        run: highs.Progress,
        i: int,
        end: float,
        floor: float | None = None,
    ) -> None:
        see(solver, run, i)
        polish.polish(solver, run, i, end, floor)

    monkeypatch.setattr(highs, "polish", spy)


def test_each_later_stage_keeps_its_reserve() -> None:
    """Reserves shortfall 0.08, changes 0.08, cost 0.2, presence 0.08 of the solve's 100 s.
    p1 at 0 s may run until 100 - 100 * (0.08 + 0.08 + 0.2 + 0.08) = 56 s; p2, starting at
    10 s, until 100 - 100 * (0.08 + 0.2 + 0.08) = 64 s; cost until 92 s; the last stage until
    the deadline."""
    stages = _stages("shortfall.p1", "shortfall.p2", "changes", "cost", "presence")
    costs = [np.ones(2)] * 5
    assert stage_end(stages, costs, 0, 0.0, 100.0, 100.0) == pytest.approx(56.0)
    assert stage_end(stages, costs, 1, 10.0, 100.0, 100.0) == pytest.approx(64.0)
    assert stage_end(stages, costs, 3, 60.0, 100.0, 100.0) == pytest.approx(92.0)
    assert stage_end(stages, costs, 4, 95.0, 100.0, 100.0) == 100.0


def test_a_stage_after_an_overrun_still_gets_its_weighted_share_of_what_is_left() -> None:
    """p2 starts at 80 s of 100: the reserves (36 s) would end it before it starts, so it gets
    its weighted share of the 20 s left, 3 / (3 + 2 + 3 + 1) -> until 80 + 20/3 s."""
    stages = _stages("shortfall.p1", "shortfall.p2", "changes", "cost", "presence")
    costs = [np.ones(2)] * 5
    assert stage_end(stages, costs, 1, 80.0, 100.0, 100.0) == pytest.approx(80 + 20 / 3)


def test_a_stage_with_nothing_to_minimise_keeps_no_reserve() -> None:
    """p2's cost row is all zero (no priority-2 line): it is skipped, so p1 leaves only the
    cost's and presence's reserves: until 100 - 28 = 72 s. Without a presence stage to come,
    the cost stage runs until the deadline."""
    stages = _stages("shortfall.p1", "shortfall.p2", "cost", "presence")
    costs = [np.ones(2), np.zeros(2), np.ones(2), np.ones(2)]
    assert stage_end(stages, costs, 0, 0.0, 100.0, 100.0) == pytest.approx(72.0)
    costs[3] = np.zeros(2)
    assert stage_end(stages, costs, 2, 30.0, 100.0, 100.0) == 100.0


def test_a_stage_stopped_by_its_share_is_said_in_the_summary_and_on_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost stage's share ends as it starts: it keeps the plan of the shortfall stage
    (A and B each send 2 INF, cost 4 at 1 per unit), unproven; the Summary records
    `stage.cost.stopped = share`, the console says so, and the presence stage still runs."""
    path = simple_case(tmp_path / "case.xlsx")

    def cut_cost(stages: list[Stage], costs: list, i: int, now: float, *times: float) -> float:
        return time.perf_counter() if stages[i].name == "cost" else times[0]

    monkeypatch.setattr(highs, "stage_end", cut_cost)
    result = api.solve(path)
    summary = dict(result.tables.summary)
    assert summary["status"] == "feasible"
    assert summary["stage.cost.status"] == "feasible"
    assert summary["stage.cost.stopped"] == "share"
    assert summary["stage.presence.status"] == "optimal"
    assert "stage.presence.stopped" not in summary
    assert summary["objective.cost"] == pytest.approx(4.0)
    cost_line = next(line for line in summary_lines(result.tables) if line.split()[:1] == ["cost"])
    # no bound for a plan handed on: its honest gap is 100% (docs/workbook.md)
    assert "(not proven optimal, gap 100%; stopped by its share of the time limit)" in cost_line


def test_a_stage_without_any_plan_is_not_cut_by_its_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the construction heuristic there is no plan before priority 1: a share that
    ends at once must not leave the solve without a plan. The stage runs on (to its optimum
    here, 0: four INF pledged for four required) and only the later stages are cut."""
    path = simple_case(tmp_path / "case.xlsx")
    monkeypatch.setattr(highs, "stage_end", lambda *args: time.perf_counter())
    result = api.solve(path, heuristic=False)
    stages = {s.name: s for s in result.outcome.stages}
    assert stages["shortfall.p1"].status == "optimal"
    assert stages["shortfall.p1"].value == 0.0
    assert result.outcome.x is not None


@pytest.mark.slow
def test_a_large_model_polished_stage_by_stage_reaches_the_same_optimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated 8 x 10 x 4 snapshot solved twice to the end: as it is (HiGHS's MIP per
    stage) and as if it were large (LNS_MIN_COLUMNS 0: relaxation, neighbourhood and
    fix-and-optimise before each stage's MIP). Both are optimal at every stage, so every
    stage value must agree."""
    path = tmp_path / "gen.xlsx"
    generate_workbook(path, contributors=8, sites=10, capabilities=4, seed=3)
    plain = api.solve(path).outcome
    assert plain.status == "optimal"
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    polished_stages: list[str] = []

    def see(solver: highs.LexicographicSolver, run: highs.Progress, i: int) -> None:
        if polish.polishes(solver.mm, i) and run.x is not None:
            polished_stages.append(solver.mm.stages[i].name)

    watch_polish(monkeypatch, see)
    polished = api.solve(path).outcome
    assert polished.status == "optimal"
    assert "shortfall.p2" in polished_stages and "cost" in polished_stages
    for a, b in zip(plain.stages, polished.stages, strict=True):
        assert a.name == b.name and a.value == pytest.approx(b.value, rel=1e-6, abs=1e-6)


def test_which_models_are_polished(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stage from LNS_MIN_COLUMNS columns on; below it, only a timed model's cost and
    presence (the groups are set for every timed model). Above LARGE_LP_COLUMNS nothing runs
    on the whole model (polish alone) unless the solve has WHOLE_MODEL_SECONDS, above
    LNS_MAX_COLUMNS never."""
    from types import SimpleNamespace

    stages = _stages("shortfall.p1", "cost", "presence")

    def model(n_cols: int, grouped: bool = True) -> Any:
        groups = np.zeros(n_cols) if grouped else None
        return SimpleNamespace(col_group=groups, n_cols=n_cols, stages=stages)

    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 10)
    monkeypatch.setattr(polish, "LNS_MAX_COLUMNS", 100)
    monkeypatch.setattr(polish, "LARGE_LP_COLUMNS", 60)
    monkeypatch.setattr(polish, "WHOLE_MODEL_SECONDS", 600.0)
    assert [polish.polishes(model(50), i) for i in range(3)] == [True, True, True]
    assert [polish.polishes(model(5), i) for i in range(3)] == [False, True, True]
    assert [polish.polishes(model(500), i) for i in range(3)] == [True, True, True]
    sizes = (5, 60, 61, 100, 101)
    assert [polish.on_whole_model(model(n), 60.0) for n in sizes] == [True] * 2 + [False] * 3
    assert [polish.on_whole_model(model(n), 599.0) for n in sizes] == [True] * 2 + [False] * 3
    assert [polish.on_whole_model(model(n), 600.0) for n in sizes] == [True] * 4 + [False]
    assert [polish.polishes(model(50, grouped=False), i) for i in range(3)] == [False] * 3


def test_the_report_names_each_stage_not_proven() -> None:
    """The HTML status sentence lists, from the Summary, each stage with a plan but no proof:
    its gap and what stopped it; a stage never reached says so; proven stages are left out."""
    from solver.report.status import unproven_stages

    summary = {
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.0592,
        "stage.shortfall.p2.stopped": "share",
        "stage.cost.status": "heuristic",
        "stage.cost.gap": 1.0,
        "stage.cost.stopped": "time limit",
        "stage.presence.status": "not_solved",
        "stage.presence.gap": 1.0,
    }
    assert unproven_stages(summary) == [
        "shortfall.p2 (gap 5.92%, stopped by its share of the time limit)",
        "cost (gap 100%, stopped by the time limit)",
        "presence (not solved)",
    ]


def test_a_stopped_stage_never_returns_a_plan_worse_than_its_start(tmp_path: Path) -> None:
    """HiGHS stopped with a plan costlier than the one the cost stage started from (it had set
    the start aside): the stage keeps its start. Simple case: A and B send 2 INF each, cost 4."""
    from types import SimpleNamespace

    from solver.model.build import build_model
    from solver.model.matrix import MatrixModel
    from solver.solve.options import SolveOptions

    ctx = build_model(api.read(simple_case(tmp_path / "case.xlsx")))
    mm = MatrixModel.from_linear(ctx.lm)
    solver = highs.LexicographicSolver(mm, SolveOptions(time_limit=60))
    run = highs.Progress(deadline=time.perf_counter() + 60, total=60, start=None, fallback=None)
    assert solver._stage(run, 0).status == "optimal"
    cost_stage = next(i for i, s in enumerate(mm.stages) if s.name == "cost")
    assert run.x is not None
    start = run.x.copy()
    worse = start + (mm.costs[cost_stage] > 0)  # one more unit on every costed column
    solver.h.getSolution = lambda: SimpleNamespace(col_value=worse)  # type: ignore[method-assign]
    result = endings.take_solution(solver, run, cost_stage, "feasible", 0.0)
    assert np.array_equal(run.x, start)
    assert result.value == pytest.approx(
        float(mm.costs[cost_stage] @ start) + mm.offsets[cost_stage]
    )


def test_above_the_search_limit_each_stage_is_fix_and_optimise_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated 8 x 10 x 4 snapshot counted above LNS_MAX_COLUMNS (and as large): every
    stage gets its share and is improved by fix-and-optimise on extracted neighbourhoods
    alone; the solve's own HiGHS instance never runs (no relaxation, no MIP on the whole
    model). Every stage has a plan, unproven, and no stage is better than its optimum (the
    same case solved as usual)."""
    path = tmp_path / "gen.xlsx"
    generate_workbook(path, contributors=8, sites=10, capabilities=4, seed=3)
    optimum = {s.name: s.value for s in api.solve(path).outcome.stages}
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    monkeypatch.setattr(polish, "LNS_MAX_COLUMNS", 0)
    whole_model_runs: list[int] = []
    original = highs.LexicographicSolver.run_highs

    def spy(solver: highs.LexicographicSolver, limit: float) -> Any:
        whole_model_runs.append(1)
        return original(solver, limit)

    monkeypatch.setattr(highs.LexicographicSolver, "run_highs", spy)
    asked: list[int] = []
    real_stage_end = highs.stage_end

    def stage_end(*args: Any) -> float:
        asked.append(args[2])
        return real_stage_end(*args)

    monkeypatch.setattr(highs, "stage_end", stage_end)
    result = api.solve(path)
    assert whole_model_runs == []
    assert asked == [0, 1, 2, 3, 4]  # every stage asked for its share
    assert result.outcome.status == "feasible"
    for stage in result.outcome.stages:
        assert stage.status in ("feasible", "heuristic") and stage.value is not None
        assert stage.value >= optimum[stage.name] - 1e-6
    report = verify(api.read(path), result.tables.allocation, dict(result.tables.summary))
    assert report.violations == []  # the independent checker: every rule, every stage value
    # and fix-and-optimise did something: with no neighbourhood ever solved, every stage keeps
    # the construction heuristic's plan, lexicographically worse
    monkeypatch.setattr(polish, "solve_neighbourhood", lambda *args: None)
    kept = api.solve(path).outcome
    assert [s.value for s in result.outcome.stages] < [s.value for s in kept.stages]


def test_the_first_stage_of_a_large_model_searches_from_the_heuristics_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted as large, priority 1 has no plan of its own yet: its neighbourhood search
    starts from the construction heuristic's plan (a valid full plan on the simple case)."""
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    monkeypatch.setattr(highs, "tries_face", lambda solver, i: False)  # no face proves it first
    seen: dict[str, bool] = {}

    def see(solver: highs.LexicographicSolver, run: highs.Progress, i: int) -> None:
        name = solver.mm.stages[i].name
        seen.setdefault(name, run.x is not None and run.x is run.fallback)

    watch_polish(monkeypatch, see)
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    assert seen["shortfall.p1"] is True
    assert result.outcome.status == "optimal"
