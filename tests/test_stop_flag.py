"""Stopping a HiGHS run does not stop the next one (solve/instance.py, StopFlag)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.instance import MS
from solver.solve.options import SolveOptions

from .workbooks import simple_case


def test_a_run_after_a_stopped_one_runs_to_its_end(tmp_path: Path) -> None:
    """A run asked to stop from its first callback is interrupted; with the request withdrawn
    the next run of the same instance solves the stage (HiGHS 1.16 kept highspy's one-way
    answer between runs: every later run stopped at once). The LP relaxation without presolve,
    so that HiGHS iterates and asks."""
    ctx = build_model(api.read(simple_case(tmp_path / "case.xlsx")))
    mm = MatrixModel.from_linear(ctx.lm)
    solver = LexicographicSolver(mm, SolveOptions(time_limit=60))
    h = solver.h
    columns = np.arange(mm.n_cols, dtype=np.int32)
    h.changeColsCost(mm.n_cols, columns, mm.costs[0])
    h.changeColsIntegrality(mm.n_cols, columns, np.zeros(mm.n_cols, dtype=np.uint8))
    h.setOptionValue("presolve", "off")
    solver.stop.requested = True
    h.run()
    assert h.getModelStatus() in (MS.kInterrupt, MS.kHighsInterrupt)  # type: ignore[attr-defined]
    solver.stop.requested = False
    h.clearSolver()
    h.run()
    assert h.getModelStatus() == MS.kOptimal
