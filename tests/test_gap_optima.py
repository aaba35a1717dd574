"""Answers nobody on this project computed: GAP instances with published optima.

A GAP instance is a special case of the contract (bench/gap.py; the instances and their
sources are in tests/data/gap/); the optimal GAP cost must equal
forcegen's cost stage, with every requirement met and presence = number of jobs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.gap import TEST_DATA, optima, parse, write_gap_workbook
from solver import api

CASES = [("orlib/gap1.txt", i) for i in range(1, 6)] + [("orlib/gap2.txt", 1)]


@pytest.mark.parametrize(("file", "index"), CASES)
def test_gap_cost_stage_equals_published_optimum(tmp_path: Path, file: str, index: int) -> None:
    inst = parse(TEST_DATA / file, multi=True)[index - 1]
    best, proven = optima(root=TEST_DATA)[(file, index)]
    assert proven
    path = write_gap_workbook(inst, tmp_path / f"{inst.name}.xlsx")
    result = api.solve(path, backend="highs")
    assert result.status == "optimal"
    values = result.stage_values
    assert values["objective.cost"] == pytest.approx(best, abs=1e-6)
    assert values["objective.presence"] == inst.shape[1]
    assert values["objective.shortfall.p1"] == 0
