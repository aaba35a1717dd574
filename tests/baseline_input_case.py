"""The baselines of the baseline-input tests (tests/test_baseline_*.py): a Baseline sheet's row,
the errors of a read, an earlier output solved or edited by hand, a scenario that drops keys.

Baseline columns: A contributor, B capability, C site, D units, E from, F to, G lock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError

from .workbooks import simple_case


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path)
    return [str(e) for e in info.value.errors]


def row(c: str = "A", s: str = "S1", units: object = 1, **extra: object) -> dict:
    return {"contributor": c, "capability": "INF", "site": s, "units": units, **extra}


def solved_output(tmp_path: Path, workbook: Path, name: str) -> Path:
    out = tmp_path / name
    api.write(api.solve(workbook), out)
    return out


def edited_plan(tmp_path: Path, cells: dict[str, object]) -> tuple[Path, Path]:
    """simple_case (first.xlsx) and its solved plan.xlsx with Allocation `cells` set by hand:
    (workbook, plan)."""
    first = simple_case(tmp_path / "first.xlsx")
    (tmp_path / "plan.xlsx").unlink(missing_ok=True)  # a second call's: edited, not replaced
    out = solved_output(tmp_path, first, "plan.xlsx")
    wb = load_workbook(out)
    for cell, value in cells.items():
        wb["Allocation"][cell] = value
    wb.save(out)
    return first, out


def dropping_case(tmp_path: Path, baseline: list[dict]) -> Path:
    """simple_case with a Baseline sheet and two scenarios: b_gone drops contributor B,
    s2_gone drops site S2."""
    return simple_case(
        tmp_path / "dropping.xlsx",
        baseline=baseline,
        scenarios=[
            {"scenario": "b_gone", "sheet": "Contributors", "key": "B", "column": "drop"},
            {"scenario": "s2_gone", "sheet": "Sites", "key": "S2", "column": "drop"},
        ],
    )
