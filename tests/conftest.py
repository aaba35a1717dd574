"""Shared fixtures: solving small workbooks through the public API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from solver import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "coalition.xlsx"


def allocation_dict(result: api.Result) -> dict[tuple[str, str, str], int]:
    """{(contributor, capability, site): units} of a solved result."""
    alloc: pd.DataFrame = result.tables.allocation
    return {
        (r.contributor, r.capability, r.site): int(r.units) for r in alloc.itertuples(index=False)
    }


@pytest.fixture
def solve_both():
    """Solve with both backends, check they agree, return the Pyomo result."""

    def run(path: Path, **kwargs) -> api.Result:
        a = api.solve(path, backend="pyomo", **kwargs)
        b = api.solve(path, backend="highs", **kwargs)
        assert a.status == b.status
        assert a.stage_values == b.stage_values
        assert allocation_dict(a) == allocation_dict(b)
        return a

    return run
