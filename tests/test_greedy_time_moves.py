"""The timed construction heuristic's moves (solve/greedy_time.py, solve/tour_rules.py): a
`requires` partner deploying lets the nations that require it deploy, and a tour refused
without a try (`cannot_start`) is one no move could place."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from solver import api
from solver.data import required_units
from solver.generate import generate_workbook
from solver.generate.timed import TimeOptions
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import greedy_time
from solver.solve.greedy import lines_in_order
from solver.solve.greedy_time import greedy_time_start

from .time_cases import months, timed_case


def test_a_nation_that_requires_another_deploys_once_the_other_does(tmp_path: Path) -> None:
    """S1 needs 2 INF in P1..P2; B pledges 1 (cheaper, so tried first), A pledges 1 and
    deploys only if B has a unit present. B's tour switches on "B deploys" in P1 and P2, so
    A's tour fits there too: the line is full, shortfall 0. (Before, only a move that raised a
    link row switched its indicator on, "B deploys" never came on, and A never deployed:
    shortfall 2 unit-months.)"""
    path = timed_case(
        tmp_path / "requires.xlsx",
        periods=months(2),
        requirements=[{"site": "S1", "capability": "INF", "units": 2, "priority": 1}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 5},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
        ],
        caveats=[{"id": "R1", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    result = greedy_time_start(mm, ctx, 1_000)
    assert result.x is not None
    assert "shortfall.p1 0" in result.message
    assert ctx.x is not None
    units = result.x[ctx.x["col"].to_numpy()]
    by_contributor = ctx.x.assign(units=units).groupby("contributor")["units"].sum()
    assert by_contributor.to_dict() == {"A": 2.0, "B": 2.0}


def test_a_tour_refused_without_a_try_is_one_no_move_could_place(tmp_path: Path) -> None:
    """On a generated timed case (every caveat kind the generator draws, tours of 3 months,
    6 months of dwell), after fills cut short at several budgets: wherever `cannot_start`
    refuses a position, every tour from there, of every length and number of units, is
    refused by the move's own check of every row too. Many positions are refused (the check
    is not vacuous) and some are not."""
    path = tmp_path / "generated.xlsx"
    generate_workbook(path, 8, 5, 3, seed=3, density=0.6, time=TimeOptions(8, 1, 3, 6))
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    assert ctx.x is not None
    order = lines_in_order(ctx.data.requirements, np.asarray(ctx.hard_matrix().any(axis=1)))
    options = greedy_time._options_by_line(ctx)
    runs = greedy_time._runs_from(ctx)
    refused_anywhere = placed_anywhere = 0
    for budget in (20, 80, 400, 5_000):
        state = greedy_time._Moves(mm, ctx, budget)
        need = required_units(ctx.data).astype(float)
        greedy_time._fill(state, ctx, order, options, need)
        for position in range(len(ctx.x)):
            if not state.cannot_start(position):
                placed_anywhere += 1
                continue
            refused_anywhere += 1
            run = runs[position]
            for length in range(1, len(run) + 1):
                cols = np.append(state.xcol[run[:length]], state.acol[position])
                for units in range(1, int(state.ub[position]) + 1):
                    assert not state.move(cols, np.full(len(cols), float(units))), (
                        budget,
                        position,
                        length,
                        units,
                    )
    assert refused_anywhere > 20 and placed_anywhere > 20
