"""The construction heuristic: a valid MIP start from the model's own rows, or an honest no."""

from __future__ import annotations

import numpy as np
import pytest

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.greedy import greedy_start

from .conftest import ROOT

CASES = ["coalition", "backfill", "chain", "scenarios", "tight"]


@pytest.mark.parametrize("formulation", ["textbook", "aggregated"])
@pytest.mark.parametrize("case", CASES)
def test_start_satisfies_every_row_and_bound(case: str, formulation: str) -> None:
    ctx = build_model(
        api.read(ROOT / "inputs" / "reference" / f"{case}.xlsx"), formulation=formulation
    )
    mm = MatrixModel.from_linear(ctx.lm)
    result = greedy_start(mm, ctx)
    assert result.x is not None, result.message
    act = mm.a @ result.x
    assert (act >= mm.row_lower - 1e-9).all() and (act <= mm.row_upper + 1e-9).all()
    assert (result.x >= mm.col_lower).all() and (result.x <= mm.col_upper).all()
    integer = mm.integrality.astype(bool)
    assert np.array_equal(result.x[integer], np.round(result.x[integer]))
    assert result.message.startswith("construction heuristic: a valid start with")


def test_no_start_when_a_hard_rule_cannot_be_met() -> None:
    ctx = build_model(api.read(ROOT / "inputs" / "reference" / "infeasible.xlsx"))
    result = greedy_start(MatrixModel.from_linear(ctx.lm), ctx)
    assert result.x is None
    assert "could not meet Requirements Kyiv/INF_BN" in result.message
