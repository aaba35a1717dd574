"""A neighbourhood solved as a model of its own (solver/solve/submodel.py) keeps what the whole
model in HiGHS keeps: here, the rows an optimal face narrowed.

World (hand-made matrix): two whole columns a, b in [0, 1] and one row 1 <= a + b <= 2.
Stage 0 minimises 5e-7 (a + b): its LP optimum is a + b = 1 with a row dual of 5e-7, above
face.TOLERANCE (1e-7), so the face narrows the row to a + b = 1 in HiGHS. Stage 1 minimises
-(a + b). Over the face its optimum is -1; without the face's row (only stage 0's value held,
within keeps_rows's tolerance of 1e-6 > 5e-7) a + b = 2 would pass, for -2."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from solver.model.linear import Stage
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.progress import Progress
from solver.solve.submodel import solve_neighbourhood


def _world() -> MatrixModel:
    c0, c1 = np.array([5e-7, 5e-7]), np.array([-1.0, -1.0])

    def stage(name: str, cost: np.ndarray) -> Stage:
        return Stage(name, np.arange(2), cost, 0.0, 1e-6, 1e-9)

    mm = MatrixModel(
        sp.csr_array(np.array([[1.0, 1.0]])),
        np.array([1.0]),
        np.array([2.0]),
        np.zeros(2),
        np.ones(2),
        np.ones(2, dtype=np.uint8),
        [c0, c1],
        [0.0, 0.0],
        [stage("shortfall.p1", c0), stage("cost", c1)],
    )
    mm.timed = True  # its shortfall stage is tried on its face
    mm.col_levels = [np.array([0, 0])]
    mm.col_group = mm.col_levels[0]
    return mm


def test_a_neighbourhood_keeps_the_rows_a_face_narrowed() -> None:
    mm = _world()
    solver = LexicographicSolver(mm, SolveOptions(time_limit=30, threads=1))
    run = Progress(deadline=time.perf_counter() + 30, total=30, start=None, fallback=None)
    first = solver._stage(run, 0)
    assert first.status == "optimal" and run.x is not None
    assert solver.holds[0][0] == -1  # held on its face
    lp = solver.h.getLp()
    assert lp.row_upper_[0] == 1.0  # HiGHS's row, narrowed by the face
    found = solve_neighbourhood(solver, run.x, mm.costs[1], np.array([True, True]), 10.0)
    assert found is None or float((mm.a @ found)[0]) <= 1.0 + 1e-9
    assert not solver.keeps_rows(np.array([1.0, 1.0]))  # a + b = 2 leaves the face
    cost = solver._stage(run, 1)
    assert cost.status == "optimal" and cost.value == -1.0


def test_a_neighbourhood_runs_quietly_without_the_whole_models_bound() -> None:
    """A neighbourhood's HiGHS takes the solve's options but for the ones about the whole
    model's run (an objective bound, a log file) and its log (hundreds of runs)."""
    from solver.solve.submodel import neighbourhood_options

    options = SolveOptions(
        time_limit=30,
        threads=1,
        mip_gap=0.01,
        log=True,
        highs={"objective_bound": 5.0, "log_file": "x.log", "mip_heuristic_effort": 0.3},
    )
    assert neighbourhood_options(options) == {
        "mip_rel_gap": 0.01,
        "random_seed": 0,
        "threads": 1,
        "mip_heuristic_effort": 0.3,
        "output_flag": False,
    }
