"""Rows no plan can meet, found before any search (solve/reach.py): the model is infeasible
whatever the budget. A planner trial: a tour locked after its pledge's mandate ended, solved
under a work limit the construction heuristic had spent, read `no feasible allocation found
within the limit; raise --work-limit` (exit 4); a larger limit said infeasible in 0.1 s.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.reach import rows_beyond_reach

from .baseline_infeasible_case import locked
from .time_cases import months, timed_case

INF = np.inf


def _model(rows: list[list[float]], row_lower: list[float], row_upper: list[float]) -> Any:
    """A stand-in for a MatrixModel of two columns x, y in [0, 1] (what reach.py reads)."""
    return SimpleNamespace(
        a=sp.csr_array(np.array(rows, dtype=float).reshape(len(rows), 2)),
        n_rows=len(rows),
        col_lower=np.zeros(2),
        col_upper=np.ones(2),
        row_lower=np.array(row_lower, dtype=float),
        row_upper=np.array(row_upper, dtype=float),
    )


@pytest.mark.parametrize("block", [1, 2, 3, 1_000_000])
def test_rows_beyond_reach_worked_by_hand(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """x, y in [0, 1]. Row 0: x + y >= 3 (at most 2: beyond). Row 1: x - y <= -2 (at least -1:
    beyond). Row 2: no column, >= 1 (0: beyond; a lock on an option with no column). Row 3:
    x + y <= 2 (within). Row 4: x - y >= -1 (within, at its edge). Row 5: x + y >= 2 (within,
    at its edge). Worked in blocks of `block` nonzeros (solve/reach.py), the same."""
    monkeypatch.setattr("solver.solve.reach.BLOCK_NONZEROS", block)
    mm = _model(
        [[1, 1], [1, -1], [0, 0], [1, 1], [1, -1], [1, 1]],
        [3, -INF, 1, -INF, -1, 2],
        [INF, -2, INF, 2, INF, INF],
    )
    assert rows_beyond_reach(mm).tolist() == [0, 1, 2]


def test_the_bounds_a_solver_holds_decide() -> None:
    """Row 0 x + y >= 3 is beyond reach with the model's bounds, within reach once lifted
    (a caveat's price re-solve lifts its rows in the solver only), or with y up to 2."""
    mm = _model([[1, 1]], [3], [INF])
    assert rows_beyond_reach(mm).tolist() == [0]
    lifted = (mm.col_lower, mm.col_upper, np.array([-INF]), np.array([INF]))
    assert rows_beyond_reach(mm, lifted).tolist() == []
    wider = (mm.col_lower, np.array([1.0, 2.0]), mm.row_lower, mm.row_upper)
    assert rows_beyond_reach(mm, wider).tolist() == []


def _locked_after_the_mandate(tmp_path: Path) -> Path:
    """Timed, P1..P5: S1 requires 3 INF; A pledges 3 up to P3; the baseline locks 1 of A's
    INF at S1 in P4..P5, after A's mandate: no column holds it, so no plan keeps the lock."""
    return timed_case(
        tmp_path / "t.xlsx",
        periods=months(5),
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "priority": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 3, "to": "P3"}],
        baseline=[locked(1, **{"from": "P4", "to": "P5"})],
    )


def test_a_spent_budget_still_says_infeasible(tmp_path: Path) -> None:
    """The whole work limit spent before the first stage (as the heuristic spent the trial's):
    the solve is infeasible, not `no_solution` (exit 4, "raise the limit")."""
    ctx = build_model(api.read(_locked_after_the_mandate(tmp_path)))
    mm = MatrixModel.from_linear(ctx.lm)
    options = SolveOptions(work_limit=5.0)
    outcome = LexicographicSolver(mm, options).solve(spent=options.budget)
    assert outcome.status == "infeasible"
    assert outcome.x is None


def test_the_solve_explains_it(tmp_path: Path) -> None:
    result = api.solve(_locked_after_the_mandate(tmp_path), work_limit=0.001)
    assert result.status == "infeasible" and result.conflict is not None
