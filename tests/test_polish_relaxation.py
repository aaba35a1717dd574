"""The timed solve's relaxation bound (solver/solve/polish.py): below the optimum, tried only
with time for it (a large model's, one that ran out of time before, an interior point's
iterations as the clocks count them), a snapshot's by the simplex equal to the LP optimum scipy
finds, and a bound reached measured with the stage offset. The tiny timed case is
tests/test_polish.py's (split from tests/test_polish.py)."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import highspy
import numpy as np
import pytest

import solver.solve.polish as polish_module
from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import clock, highs
from solver.solve.groups import set_polish_groups
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions
from solver.solve.polish import reaches, relaxation_bound
from solver.solve.progress import Progress

from .test_polish import solver_after_shortfall


def test_relaxation_bound_is_below_the_optimum(tmp_path: Path) -> None:
    """The bound is the cost stage's LP relaxation with the shortfall held: it is at most the
    optimum 5, and above 0 since every unit-month must arrive somehow (a stage offset or a
    sign carried over from the shortfall stage would break one side). Afterwards the model is
    whole again: the stage itself solves to 5."""
    solver, run = solver_after_shortfall(tmp_path)
    relaxed = relaxation_bound(solver, run, 1)
    assert relaxed is not None
    scaled = relaxed.bound * solver.mm.stages[1].scale
    assert 0 < scaled <= 5.0 + 1e-6
    result = solver._stage(run, 1)
    assert result.status == "optimal" and np.isclose(result.value, 5.0)


def test_a_large_models_relaxation_needs_time_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted as above LARGE_LP_COLUMNS (0 here), a stage tries its relaxation only with at
    least LARGE_LP_SECONDS for it (half the time left): with 100 s left and 60 s needed, none;
    with 600 s left, the bound as above."""
    monkeypatch.setattr(polish_module, "LARGE_LP_COLUMNS", 0)
    monkeypatch.setattr(polish_module, "LARGE_LP_SECONDS", 60.0)
    solver, run = solver_after_shortfall(tmp_path)
    now = solver.clock.now()
    assert relaxation_bound(solver, run, 1, now + 100.0) is None
    assert relaxation_bound(solver, run, 1, now + 600.0) is not None


def _spy_runs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The limits of the HiGHS runs the solver makes from now on (each still run)."""
    real_run = LexicographicSolver.run_highs
    spied: list[float] = []

    def spy(self: LexicographicSolver, limit: float) -> object:
        spied.append(limit)
        return real_run(self, limit)

    monkeypatch.setattr(LexicographicSolver, "run_highs", spy)
    return spied


def test_a_relaxation_that_ran_out_of_time_is_not_tried_again_with_less(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relaxation that runs out of its time (HiGHS made to say so) is remembered by its
    method with its limit (half of the 40 s left: 20); a later one by the same method with no
    more time (30 s left: 15) is not run, one with more (100 s left: 50) is, and gives the
    bound."""
    solver, run = solver_after_shortfall(tmp_path)
    method = polish_module.lp_method(solver.mm, 1)
    runs: list[float] = []
    real_run = LexicographicSolver.run_highs

    def out_of_time(self: LexicographicSolver, limit: float) -> object:
        runs.append(limit)
        return highs.MS.kTimeLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", out_of_time)
    now = solver.clock.now()
    assert relaxation_bound(solver, run, 1, now + 40.0) is None
    assert len(runs) == 1 and run.lp_ran_out[method] == pytest.approx(20.0, abs=0.5)
    monkeypatch.setattr(LexicographicSolver, "run_highs", real_run)
    spied = _spy_runs(monkeypatch)
    now = solver.clock.now()
    assert relaxation_bound(solver, run, 1, now + 30.0) is None and spied == []
    assert relaxation_bound(solver, run, 1, now + 100.0) is not None and len(spied) == 1


def test_an_interior_point_relaxation_needs_time_for_its_iterations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interior-point relaxation is tried only where its limit gives IPM_MIN_ITERATIONS
    iterations (the clock made to count one a second here, the minimum made 25): with 40 s
    left (a limit of 20) it is not run, with 100 s left (50) it is. It used to spend half of a
    stage's share on a relaxation that could not finish (3 s of priority 2's 6 s on 50 x 100 x
    30 over 12 quarters)."""
    solver, run = solver_after_shortfall(tmp_path)
    assert polish_module.lp_method(solver.mm, 1) == "ipm"
    monkeypatch.setattr(polish_module, "IPM_MIN_ITERATIONS", 25)
    monkeypatch.setattr(solver.clock, "ipm_iterations", lambda limit, nnz: limit)
    spied = _spy_runs(monkeypatch)
    now = solver.clock.now()
    assert relaxation_bound(solver, run, 1, now + 40.0) is None and spied == []
    assert relaxation_bound(solver, run, 1, now + 100.0) is not None and len(spied) == 1


def test_the_clocks_count_the_iterations_a_limit_gives() -> None:
    """With seconds, 0.6 us per nonzero and iteration (the fastest measured here): 6 s on
    100,000 nonzeros give 100 iterations. With work units, what `arm` lets HiGHS run: the
    run's and the nonzeros' part first (0.01 + 2e-6 * 100,000 = 0.21), then 1.2e-6 per
    nonzero and iteration: 12.21 units give 100, 0.1 none."""
    assert clock.WallClock().ipm_iterations(6.0, 100_000) == pytest.approx(100.0)
    work = clock.WorkClock()
    assert work.ipm_iterations(12.21, 100_000) == pytest.approx(100.0)
    assert work.ipm_iterations(0.1, 100_000) == 0.0


def _lp_optimum(solver: LexicographicSolver, cost: np.ndarray) -> float:
    """min cost @ z over the LP HiGHS holds now (rows, holds and bounds as they stand), by
    scipy's own copy of HiGHS through its own interface: a second reading of the LP."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    lp = solver.h.getLp()
    n, m = lp.num_col_, lp.num_row_
    a = lp.a_matrix_
    by_column = csr_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)))
    matrix = by_column.T if a.format_ == highspy.MatrixFormat.kColwise else by_column
    matrix = csr_matrix(matrix, shape=(m, n))
    lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    rows_up, rows_down = np.isfinite(upper), np.isfinite(lower)
    result = linprog(
        cost,
        A_ub=np.vstack([matrix[rows_up].toarray(), -matrix[rows_down].toarray()]),
        b_ub=np.concatenate([upper[rows_up], -lower[rows_down]]),
        bounds=list(zip(np.asarray(lp.col_lower_), np.asarray(lp.col_upper_), strict=True)),
        method="highs",
    )
    assert result.status == 0
    return float(result.fun)


def test_a_snapshots_cost_relaxation_is_the_lp_optimum_by_the_simplex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated 6 x 8 x 3 snapshot counted as large (LNS_MIN_COLUMNS 0): its cost stage is
    relaxed by the simplex (measured far faster there than the interior point, see
    `polish.lp_method`), a timed model's by the interior point; with the shortfall stages solved
    and held, the bound is the LP optimum scipy finds on the same LP, and at most the stage's
    optimum."""
    from solver.generate import generate_workbook
    from solver.solve import polish as polish_module

    monkeypatch.setattr(polish_module, "LNS_MIN_COLUMNS", 0)
    path = tmp_path / "gen.xlsx"
    generate_workbook(path, contributors=6, sites=8, capabilities=3, seed=5)
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    cost_stage = [s.name for s in mm.stages].index("cost")
    timed = SimpleNamespace(timed=True, stages=mm.stages)
    assert polish_module.lp_method(timed, cost_stage) == "ipm"  # type: ignore[arg-type]
    solver = LexicographicSolver(mm, SolveOptions(time_limit=60))
    methods: list[str] = []
    set_option = solver.h.setOptionValue

    def spy(name: str, value: object) -> object:
        if name == "solver":
            methods.append(str(value))
        return set_option(name, value)

    solver.h.setOptionValue = spy  # type: ignore[method-assign]
    run = Progress(deadline=time.perf_counter() + 600, total=600, start=None, fallback=None)
    for i in range(cost_stage):
        assert solver._stage(run, i).status == "optimal"
    expected = _lp_optimum(solver, mm.costs[cost_stage])
    methods.clear()
    relaxed = relaxation_bound(solver, run, cost_stage)
    assert methods == ["simplex", "choose"]  # the relaxation by the simplex, then back
    assert relaxed is not None
    assert relaxed.bound == pytest.approx(expected, rel=1e-7, abs=1e-6)
    optimum = solver._stage(run, cost_stage)
    assert optimum.status == "optimal"
    scale, offset = mm.stages[cost_stage].scale, mm.offsets[cost_stage]
    assert scale * (relaxed.bound + offset) <= optimum.value + 1e-6


def test_reaching_the_bound_is_measured_with_the_stage_offset() -> None:
    """A shortfall stage's row is minus the weighted units allocated and its offset the whole
    weighted requirement (2e6 here): a plan 1.5 units short of the bound is not at it, though
    1.5 is within 1e-6 of 2e6 (it was declared optimal). A cost within 1e-6 of its bound is."""
    assert not reaches(-2e6 + 1.5, -2e6, 2e6)
    assert reaches(-2e6 + 1e-7, -2e6, 2e6)
    assert reaches(1e8 * (1 + 1e-7), 1e8, 0.0)
    assert not reaches(1e8 * (1 + 1e-5), 1e8, 0.0)
