"""A MIP start HiGHS misreads (solver/solve/instance.py `start_misread`): every run that starts
HiGHS from the plan runs again without the start when HiGHS returned it at a value it does not
have.

World (hand-made matrix, found by shrinking a neighbourhood of the bundled timed example's cost
stage that HiGHS 1.16 misread): five whole columns x0..x4 in [0, 2], cost 1 each, and the rows

    x1 + x2 >= 2,   x2 + x3 >= 2,   x3 + x4 >= 2,   x0 <= 2,
    x1 + x2 + x3 <= 4,   x1 + x2 + x3 + x4 <= 4

The three covering rows need x1 + x2 + x3 + x4 >= 4 with x2 + x3 >= 2 (the middle row), so the
optimum is 4, at (0, 0, 2, 0, 2) among others; x0 is in no covering row and is 0 at every
optimum. The start S = (2, 2, 0, 2, 0) is valid and costs 6. HiGHS 1.16's presolve fixes x0 at
0, reads S as 4 in what is left, reports 4 as optimal and returns S itself."""

from __future__ import annotations

import time

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from solver.model.linear import Stage
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.instance import start_misread
from solver.solve.options import SolveOptions
from solver.solve.progress import Progress
from solver.solve.rins import improve_near_relaxation
from solver.solve.submodel import solve_neighbourhood

ROWS = np.array(
    [
        [0.0, 1, 1, 0, 0],
        [0.0, 0, 1, 1, 0],
        [0.0, 0, 0, 1, 1],
        [1.0, 0, 0, 0, 0],
        [0.0, 1, 1, 1, 0],
        [0.0, 1, 1, 1, 1],
    ]
)
LOWER = np.array([2.0, 2, 2, -np.inf, -np.inf, -np.inf])
UPPER = np.array([np.inf, np.inf, np.inf, 2, 4, 4])
START = np.array([2.0, 2, 0, 2, 0])
COST = np.ones(5)
OPTIMUM = 4.0


def _highs(start: bool) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    n = len(COST)
    h.addVars(n, np.zeros(n), np.full(n, 2.0))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), COST)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    for row, lower, upper in zip(ROWS, LOWER, UPPER, strict=True):
        idx = np.flatnonzero(row).astype(np.int32)
        h.addRow(lower, upper, len(idx), idx, row[idx])
    if start:
        h.setSolution(n, np.arange(n, dtype=np.int32), START)
    h.run()
    return h


def test_start_misread_tells_a_returned_start_from_a_solution_of_the_reported_value() -> None:
    """Without the start HiGHS returns a plan of the value it reports; from S (HiGHS 1.16) it
    reports the optimum and returns S. If a later HiGHS no longer misreads S, the second
    assertion fails: the re-runs below are then no longer needed."""
    plain = _highs(start=False)
    assert np.isclose(float(COST @ np.array(plain.getSolution().col_value)), OPTIMUM)
    assert not start_misread(plain, COST)
    started = _highs(start=True)
    assert np.isclose(float(started.getInfo().objective_function_value), OPTIMUM)
    assert start_misread(started, COST)


def _world() -> MatrixModel:
    stage = Stage("cost", np.arange(5), COST, 0.0, 1e-6, 1e-9)
    mm = MatrixModel(
        sp.csr_array(ROWS),
        LOWER,
        UPPER,
        np.zeros(5),
        np.full(5, 2.0),
        np.ones(5, dtype=np.uint8),
        [COST],
        [0.0],
        [stage],
    )
    mm.timed = True
    mm.col_levels = [np.zeros(5, dtype=np.int64)]
    mm.col_group = mm.col_levels[0]
    return mm


def _solver() -> tuple[LexicographicSolver, Progress]:
    solver = LexicographicSolver(_world(), SolveOptions(time_limit=30, threads=1))
    run = Progress(deadline=time.perf_counter() + 30, total=30, start=None, fallback=None)
    run.x = START.copy()
    return solver, run


def test_a_neighbourhood_runs_again_without_a_start_highs_misread() -> None:
    """Fix-and-optimise's model of its own (solve/submodel.py), every column free, from S:
    the optimum, 4 (S, 6, before)."""
    solver, _ = _solver()
    found = solve_neighbourhood(solver, START, COST, np.ones(5, dtype=bool), 10.0)
    assert found is not None and solver.keeps_rows(found)
    assert float(COST @ found) == OPTIMUM


def test_the_relaxations_neighbourhood_runs_again_without_a_start_highs_misread() -> None:
    """The relaxation's neighbourhood (solve/rins.py) in the solve's own HiGHS, from S, with a
    'relaxation' that agrees with S nowhere (every column free): the optimum, 4 (S, 6,
    before)."""
    solver, run = _solver()
    relaxed = np.array([1.0, 1.0, 1.0, 1.0, 1.0])
    improve_near_relaxation(solver, run, 0, relaxed, time.perf_counter() + 30)
    assert run.x is not None and solver.keeps_rows(run.x)
    assert float(COST @ run.x) == OPTIMUM


def test_the_relaxations_second_run_has_the_time_left_as_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second run of the relaxation's neighbourhood (after HiGHS misread the start) runs
    with the time left as HiGHS's time_limit, not the first run's (under the seconds clock
    the caller sets it; the watchdog would otherwise cancel it as overrunning)."""
    solver, run = _solver()
    limits: list[tuple[float, float]] = []
    real = solver.run_highs

    def spy(limit: float) -> object:
        limits.append((limit, float(solver.h.getOptionValue("time_limit")[1])))
        return real(limit)

    monkeypatch.setattr(solver, "run_highs", spy)
    improve_near_relaxation(solver, run, 0, np.ones(5), time.perf_counter() + 30)
    assert len(limits) == 2, limits  # the first run misread S, the second found 4
    (first, first_option), (second, second_option) = limits
    assert first_option == first and second_option == second and second < first
    assert run.x is not None and float(COST @ run.x) == OPTIMUM
