"""Readers and small worlds of the bad-input tests (tests/test_validation*.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from solver import api
from solver.errors import InputError

from .workbooks import write_workbook


def errors_of(path: Path, scenario: str = "base") -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path, scenario)
    return [str(e) for e in info.value.errors]


def one_site(path: Path, lines: list[tuple[str, object]], pledges: Sequence[dict] = ()) -> Path:
    """Contributor A, capability INF, site S1; Requirements rows (site, units) of INF at
    priority 1; Pledges `pledges` and A's 1 INF."""
    return write_workbook(
        path,
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF", "category": "ground", "personnel_per_unit": 100}],
        sites=[{"site": "S1", "country": "X"}],
        requirements=[
            {"site": site, "capability": "INF", "units": units, "priority": 1}
            for site, units in lines
        ],
        pledges=[*pledges, {"contributor": "A", "capability": "INF", "units": 1}],
    )
