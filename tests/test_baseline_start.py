"""A re-plan starts from its baseline (solve/baseline_start.py) and a stage adopts a better plan in
hand (solve/highs.py, `_adopt`), hand-worked on tiny workbooks.

Snapshot world: tests/caveats/helpers.py (every cost is the pledge's cost_per_unit). Timed world:
tests/time_cases.py (S1 needs 1 INF in every period, priority 1).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.baseline_start import baseline_start, with_kept
from solver.solve.greedy import greedy_start
from solver.solve.greedy_time import greedy_time_start
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.progress import Progress

from .caveats.helpers import need, pledge, world
from .test_baseline_solve import base
from .test_baseline_time import tour
from .time_cases import months, timed_case

TRIES = 10_000


def _model(path: Path):
    ctx = build_model(api.read(path))
    return ctx, MatrixModel.from_linear(ctx.lm)


def _value(mm: MatrixModel, name: str, x: np.ndarray) -> float:
    i = [s.name for s in mm.stages].index(name)
    return mm.stages[i].scale * float(mm.costs[i] @ x + mm.offsets[i])


def _tours(ctx, x: np.ndarray) -> set[tuple]:
    plan = api.read_plan(ctx, x)
    assert plan is not None
    names = list(ctx.data.periods["period"])
    return {
        (c, s, names[a], names[b], int(n))
        for c, k, s, a, b, n in plan.tours.itertuples(index=False)
    }


def _timed_start(tmp_path: Path, a: dict, b: dict, baseline: list[dict]):
    """The timed world over P1..P6 with A's and B's pledges of 1 INF (their other columns in
    `a`, `b`) and `baseline`: its model and the start from the baseline, a valid plan."""
    pledges = [
        {"contributor": c, "capability": "INF", "units": 1, **o}
        for c, o in zip("AB", (a, b), strict=True)
    ]
    path = timed_case(tmp_path / "t.xlsx", periods=months(6), pledges=pledges, baseline=baseline)
    ctx, mm = _model(path)
    based = baseline_start(mm, ctx, TRIES)
    assert based.x is not None, based.message
    assert mm.keeps_bounds(based.x)
    return ctx, mm, based.x


def _snapshot_case(tmp_path: Path) -> Path:
    """S1 needs 2 INF; A pledges 2 at cost 1 a unit, B 2 at cost 5; the baseline is B S1 2."""
    return world(
        tmp_path / "w.xlsx",
        requirements=[need("S1", "INF", 2)],
        pledges=[pledge("A", "INF", 2, 1), pledge("B", "INF", 2, 5)],
        baseline=[base("B", "S1", 2)],
    )


def test_snapshot_start_from_the_baseline_keeps_it(tmp_path: Path) -> None:
    """The heuristic fills S1 with A's 2 (cheapest): B's 2 removed and A's 2 added, 4 changes
    (with its kept columns at min(x, b) = 0). From the baseline: B's 2 placed first, S1 needs
    nothing more, kept = min(2, 2) = 2: 0 changes, shortfall 0 either way."""
    ctx, mm = _model(_snapshot_case(tmp_path))
    fresh = with_kept(mm, ctx, greedy_start(mm, ctx, TRIES).x)
    based = baseline_start(mm, ctx, TRIES)
    assert fresh is not None and based.x is not None, based.message
    assert based.message.startswith("construction heuristic from the baseline: a valid start")
    assert mm.keeps_bounds(based.x)
    assert (_value(mm, "shortfall.p1", fresh), _value(mm, "changes", fresh)) == (0, 4)
    assert (_value(mm, "shortfall.p1", based.x), _value(mm, "changes", based.x)) == (0, 0)
    assert mm.better(based.x, fresh) and not mm.better(fresh, based.x)


def test_timed_start_places_a_locked_tour_the_heuristic_cannot(tmp_path: Path) -> None:
    """Periods P1..P6 of one month; A pledges 1 at cost 1, B 1 at cost 5; the baseline is A P1,
    B P2..P4 (locked: B arrives in P2 and leaves after P4) and A P5..P6. The heuristic meets
    the lock's first rows with a tour of B as long as S1 needs it, P2..P6, which breaks its
    `leave` row; lines first, A covers P1..P6 and S1 then has no room for B: no start either
    way. From the baseline every tour is placed as it was: the start is the baseline, with 0
    changes."""
    baseline = [tour("A", "P1", "P1"), tour("B", "P2", "P4", lock="yes"), tour("A", "P5", "P6")]
    ctx, mm, based = _timed_start(tmp_path, {"cost_per_unit": 1}, {"cost_per_unit": 5}, baseline)
    fresh = greedy_time_start(mm, ctx, TRIES)
    assert fresh.x is None and "could not meet Baseline lock" in fresh.message
    assert _tours(ctx, based) == {
        ("A", "S1", "P1", "P1", 1),
        ("B", "S1", "P2", "P4", 1),
        ("A", "S1", "P5", "P6", 1),
    }
    assert _value(mm, "changes", based) == 0


def test_timed_start_cuts_a_tour_to_the_periods_its_pledge_still_has(tmp_path: Path) -> None:
    """Periods P1..P6 of one month; A pledges 1 at cost 5, B 1 at cost 1 until P4 (its mandate
    ends). The baseline: A P1..P2, B P3..P6. From the baseline: A P1..P2 stands, B's tour has
    columns in P3..P4 only and stands there, and the heuristic fills P5..P6 with A (B has no
    column): tours A P1..P2, B P3..P4, A P5..P6; changes: B's P5, P6 gone and A's P5, P6 added,
    4 unit-months."""
    baseline = [tour("A", "P1", "P2"), tour("B", "P3", "P6")]
    ctx, mm, based = _timed_start(
        tmp_path, {"cost_per_unit": 5}, {"cost_per_unit": 1, "to": "P4"}, baseline
    )
    assert _tours(ctx, based) == {
        ("A", "S1", "P1", "P2", 1),
        ("B", "S1", "P3", "P4", 1),
        ("A", "S1", "P5", "P6", 1),
    }
    assert _value(mm, "shortfall.p1", based) == 0
    assert _value(mm, "changes", based) == 4


def test_a_stage_adopts_a_plan_in_hand_that_keeps_the_stages_held(tmp_path: Path) -> None:
    """The snapshot case, stage `changes` (after shortfall.p1, held at 0). Plans in hand: B 1
    alone (changes 1: better, but 1 short at priority 1, so it breaks the hold) and B 2 (0
    changes, 0 short). The plan so far is A 2 (4 changes): the stage adopts B 2, not B 1."""
    ctx, mm = _model(_snapshot_case(tmp_path))
    fresh = with_kept(mm, ctx, greedy_start(mm, ctx, TRIES).x)
    based = baseline_start(mm, ctx, TRIES).x
    assert fresh is not None and based is not None
    b_col = int(ctx.x.loc[ctx.x["contributor"] == "B", "col"].iloc[0])
    short = based.copy()
    short[b_col] = 1
    short = with_kept(mm, ctx, short)
    assert short is not None and _value(mm, "shortfall.p1", short) == 1
    assert _value(mm, "changes", short) == 1
    solver = LexicographicSolver(mm, SolveOptions(time_limit=10.0, threads=1))
    p1 = [s.name for s in mm.stages].index("shortfall.p1")
    solver.hold(mm.costs[p1], 0.0, mm.stages[p1].hold_abs, mm.stages[p1].hold_rel)
    run = Progress(deadline=math.inf, total=10.0, start=None, fallback=None, plans=[short, based])
    run.x = fresh
    solver._adopt(run, [s.name for s in mm.stages].index("changes"))
    assert run.x is based


def test_the_heuristic_gets_its_whole_budget_when_the_baseline_gives_no_start(
    tmp_path: Path, monkeypatch
) -> None:
    """The budget of tries is shared between the start from the baseline and the construction
    heuristic, the heuristic keeping at least half. Where the baseline gave no start at all
    (a trial: a `min_contingent` the baseline's one-unit tours break, under `--work-limit 5`),
    the heuristic's start is the only one, and with half its tries it placed 102 units where it
    places 261 with all of them (the re-plan ended at 36% coverage, 80% with all): it gets all."""
    from solver.solve import start

    ctx, mm = _model(_snapshot_case(tmp_path))
    options = SolveOptions(time_limit=10.0, threads=1)
    solver = LexicographicSolver(mm, options)
    tries = start._tries(ctx, options)
    asked: list[int] = []
    real = start._heuristic

    def heuristic(ctx, solver, budget, from_baseline=False):  # type: ignore[no-untyped-def]
        asked.append(budget)
        return real(ctx, solver, budget, from_baseline)

    monkeypatch.setattr(start, "_heuristic", heuristic)
    for based, expected in ((None, tries), (np.zeros(mm.n_cols), max(tries - tries, tries // 2))):
        asked.clear()
        monkeypatch.setattr(start, "_from_baseline", lambda *a, based=based: (based, "", tries))
        start.construction_start(ctx, solver, options, {})
        assert asked == [expected]
