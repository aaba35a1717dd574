"""Columns no stage needs are lowered (solver/solve/tidy.py).

World: the generated 8 x 10 x 4 snapshot, solved to its optimum. Its plan is spoilt by setting
every presence indicator z[c,s] to 1, also where c has no unit at s: every row still holds
(x <= ub * z; a row that caps a nation's sites is only loosened by a lower z), but the presence
stage is worse. Tidying from any stage must give back exactly the optimal plan's indicators:
1 where c has a unit at s (its link row needs it), 0 elsewhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from solver import api
from solver.generate import generate_workbook
from solver.model.build import build_model
from solver.model.context import BuildContext
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.outcome import SolveOutcome
from solver.solve.tidy import lowered


def solved_world(tmp_path: Path) -> tuple[BuildContext, LexicographicSolver, SolveOutcome]:
    """The world above, its model and its optimal plan (every stage solved)."""
    path = tmp_path / "gen.xlsx"
    generate_workbook(path, contributors=8, sites=10, capabilities=4, seed=3)
    ctx = build_model(api.read(path))
    solver = LexicographicSolver(MatrixModel.from_linear(ctx.lm), SolveOptions(time_limit=60))
    return ctx, solver, solver.solve()


def test_presence_without_units_is_lowered_and_nothing_else_moves(tmp_path: Path) -> None:
    ctx, solver, outcome = solved_world(tmp_path)
    mm = solver.mm
    assert outcome.status == "optimal" and outcome.x is not None
    assert ctx.x is not None and ctx.pairs is not None
    # which (contributor, site) pairs have units in the optimal plan, read from x alone
    used = ctx.x.assign(units=outcome.x[ctx.x["col"].to_numpy()])
    with_units = set(map(tuple, used.loc[used["units"] > 0.5, ["contributor", "site"]].values))
    z = ctx.pairs["col"].to_numpy()
    expected = np.array(
        [(c, s) in with_units for c, s in ctx.pairs[["contributor", "site"]].values]
    )
    assert 0 < expected.sum() < len(z)  # some indicators to lower, some to keep

    spoilt = outcome.x.copy()
    spoilt[z] = 1.0
    solver.reset()  # no holds: the rows alone decide
    assert solver.keeps_rows(spoilt)
    presence = [s.name for s in mm.stages].index("presence")
    assert mm.costs[presence] @ spoilt > mm.costs[presence] @ outcome.x
    for stage in range(len(mm.stages)):
        tidied = lowered(solver, spoilt, stage)
        assert np.array_equal(tidied[z] > 0.5, expected)
        others = np.setdiff1d(np.arange(mm.n_cols), z)
        assert np.array_equal(tidied[others], spoilt[others])
        assert solver.keeps_rows(tidied)


def test_an_optimal_plan_is_left_as_it_is(tmp_path: Path) -> None:
    """Lowering a column that no stage pays for and some stage gains from would improve that
    stage with every earlier one kept: impossible at the lexicographic optimum, so the optimal
    plan comes back unchanged from every stage on. No x column is ever a candidate: each pays
    in a shortfall stage (its coverage, a negative cost)."""
    ctx, solver, outcome = solved_world(tmp_path)
    mm = solver.mm
    assert outcome.status == "optimal" and outcome.x is not None and ctx.x is not None
    x_cols = ctx.x["col"].to_numpy()
    assert np.all(np.vstack(mm.costs)[:, x_cols].min(axis=0) < 0)
    for stage in range(len(mm.stages)):
        assert lowered(solver, outcome.x, stage) is outcome.x  # nothing moved: the same plan


def test_a_plan_that_already_breaks_a_row_by_a_hair_is_left_as_it_is(tmp_path: Path) -> None:
    """HiGHS's plans keep rows within its own tolerance, and rounding can add to that: the
    plan handed to tidy may break a row by more than 1e-6 where no candidate sits. Lowering
    must still end (only rows it changes count), and as the result would not pass keeps_rows
    the plan comes back as it was, the same object (so a kept start is still recognised)."""
    import threading

    ctx, solver, outcome = solved_world(tmp_path)
    mm = solver.mm
    assert outcome.x is not None and ctx.pairs is not None
    spoilt = outcome.x.copy()
    spoilt[ctx.pairs["col"].to_numpy()] = 1.0
    solver.reset()
    activity = mm.a @ spoilt
    costs = np.vstack(mm.costs)
    candidate = np.all(costs >= 0, axis=0) & np.any(costs > 0, axis=0) & (spoilt > 0)
    no_candidate = ~candidate
    row = next(
        r
        for r in range(mm.n_rows)
        if np.isfinite(solver.row_upper[r])
        and activity[r] > 0
        and np.all(no_candidate[mm.a[[r]].indices])
    )
    solver.set_row_bounds(np.array([row]), solver.row_lower[[row]], activity[[row]] - 2e-6)
    result: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: result.append(lowered(solver, spoilt, 0)))
    worker.daemon = True
    worker.start()
    worker.join(30)
    assert result, "tidy did not end"
    assert result[0] is spoilt


def test_a_stage_taken_from_highs_counts_its_plan_tidied(tmp_path: Path) -> None:
    """HiGHS ends the presence stage (status feasible) with the spoilt plan above, its dual
    bound at the optimum: the stage is the tidied plan's value, the optimum, gap 0. It was the
    spoilt plan's (every pair), and its gap measured against that (a trial: presence 1,202
    flags, gap 87.1%, against 236 pairs with units)."""
    from types import SimpleNamespace

    from solver.solve.endings import take_solution

    ctx, solver, outcome = solved_world(tmp_path)
    mm = solver.mm
    assert outcome.x is not None and ctx.pairs is not None
    presence = [s.name for s in mm.stages].index("presence")
    best = float(mm.costs[presence] @ outcome.x + mm.offsets[presence])
    spoilt = outcome.x.copy()
    spoilt[ctx.pairs["col"].to_numpy()] = 1.0
    assert mm.costs[presence] @ spoilt + mm.offsets[presence] == len(ctx.pairs) > best
    solver.reset()
    solver.h = SimpleNamespace(  # type: ignore[assignment]
        getSolution=lambda: SimpleNamespace(col_value=spoilt.tolist()),
        getInfo=lambda: SimpleNamespace(mip_dual_bound=best, mip_node_count=0),
    )
    result = take_solution(solver, SimpleNamespace(x=None), presence, "feasible", 1.0)  # type: ignore[arg-type]
    assert (result.value, result.gap) == (best, 0.0)
