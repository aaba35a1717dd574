"""The Summary's keys are declared once (solver/io/summary_keys.py) and checked as the sheet is
written: a key written in one module and declared nowhere raises (an internal fault, as a
sheet's undeclared column does), so the whole suite's outputs check the declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.io.summary_keys import undeclared

from .sweep_case import small_case


def test_families_match_their_keys_and_nothing_else() -> None:
    keys = [
        "objective.shortfall.p3",
        "stage.shortfall.p1.status",
        "stage.cost.gap",
        "columns.Tours.2",
        "option.highs.mip_heuristic_effort",
        "note.12",
        "model.nonzeros",
        "shortfall_unit_months.p2",
    ]
    assert undeclared(keys) == []
    assert undeclared(["objective.shortfall.px", "stage.cost", "bogus", "note.a"]) == [
        "objective.shortfall.px",
        "stage.cost",
        "bogus",
        "note.a",
    ]


def test_an_undeclared_key_is_refused_as_the_summary_is_written(tmp_path: Path) -> None:
    case = small_case(tmp_path / "case.xlsx")
    result = api.solve(case)
    result.tables.summary.append(("bogus_figure", 1))
    with pytest.raises(ValueError, match="undeclared keys \\['bogus_figure'\\]"):
        api.write(result, tmp_path / "out.xlsx", [case])
    assert not (tmp_path / "out.xlsx").exists()
