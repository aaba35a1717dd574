"""Rows held back until a later stage (`RowBlock.from_stage`, solve/holds.py): free in HiGHS
before it, binding from it, held back again by a re-solve; checked where they are declared."""

from __future__ import annotations

import highspy
import numpy as np
import pytest

from solver.model.linear import LinearModel, Stage
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.holds import first_stage_from
from solver.solve.options import SolveOptions


def two_stage_model() -> LinearModel:
    """x whole in [0, 3], y in [0, 3]; a row x + y <= 4 held back until `cost`.

    Stage shortfall.p1 minimises -x, stage cost minimises -y (presence: nothing). Without the
    row: x = 3, then y = 3. With it from the cost stage: x = 3 (the row is free then), then
    y <= 4 - 3 = 1: stage values -3 and -1. (A model of forcegen holds back cuts only, rows no
    whole plan can break; this one binds so that the test sees when it does.)"""
    lm = LinearModel()
    x, y = lm.add_vars("x", [("x",)], 0, 3, integer=True), lm.add_vars("y", [("y",)], 0, 3)
    lm.add_rows(
        "cut",
        [("c",)],
        np.array([0, 0]),
        np.concatenate([x, y]),
        1.0,
        -np.inf,
        4.0,
        origin="caveat C1",
        kind="max_personnel",
        from_stage="cost",
    )
    lm.add_stage(Stage("shortfall.p1", x, np.array([-1.0]), 0.0, hold_abs=1e-6, hold_rel=0))
    lm.add_stage(Stage("cost", y, np.array([-1.0]), 0.0, hold_abs=1e-6, hold_rel=0))
    lm.add_stage(Stage("presence", np.zeros(0, int), np.zeros(0), 0.0, hold_abs=0.5, hold_rel=0))
    return lm


def highs_row_bounds(solver: LexicographicSolver) -> tuple[float, float]:
    lp = solver.h.getLp()
    return float(lp.row_lower_[0]), float(lp.row_upper_[0])


def test_a_held_back_row_binds_from_its_stage_and_a_re_solve_holds_it_back_again() -> None:
    mm = MatrixModel.from_linear(two_stage_model())
    np.testing.assert_array_equal(mm.held_back["cost"], [0])
    assert mm.row_upper[0] == 4.0  # the model keeps it
    solver = LexicographicSolver(mm, SolveOptions(time_limit=30.0, threads=1))
    for _ in range(2):  # a re-solve of the same instance holds it back again
        solver.reset()
        outcome = solver.solve()
        assert [s.value for s in outcome.stages[:2]] == [-3.0, -1.0]
        assert outcome.x is not None and list(np.round(outcome.x, 9)) == [3.0, 1.0]
        assert highs_row_bounds(solver) == (-highspy.kHighsInf, 4.0)
    solver.hold_back_rows()
    assert highs_row_bounds(solver) == (-highspy.kHighsInf, highspy.kHighsInf)
    assert solver.row_bounds()[1][0] == np.inf
    assert solver.stop.uncounted == (1, 2)  # the work clock does not count it
    solver.release_rows(1)
    assert highs_row_bounds(solver) == (-highspy.kHighsInf, 4.0)
    assert solver.stop.uncounted == (0, 0)


def test_a_row_held_back_until_an_unknown_stage_is_refused_where_it_is_declared() -> None:
    lm = LinearModel()
    x = lm.add_vars("x", [("x",)], 0, 1)
    with pytest.raises(ValueError, match=r"rows 'cut' \(caveat C1\): from_stage 'shortfall.p1'"):
        lm.add_rows(
            "cut",
            [("c",)],
            np.array([0]),
            x,
            1.0,
            -np.inf,
            1.0,
            origin="caveat C1",
            kind="max_personnel",
            from_stage="shortfall.p1",
        )


def test_a_stage_the_model_lacks_holds_rows_back_until_the_next_one_it_has() -> None:
    """`changes` is a stage of a re-plan only: rows held back until it bind from `cost` in a
    model without a baseline (stages shortfall.p1, cost, presence: index 1)."""
    lm = two_stage_model()
    mm = MatrixModel.from_linear(lm)
    assert first_stage_from(mm, "changes") == 1
    assert first_stage_from(mm, "cost") == 1
    assert first_stage_from(mm, "presence") == 2
