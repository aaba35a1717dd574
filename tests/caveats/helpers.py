"""A small standard world for caveat tests and assertions on a solved result.

World: contributors A, B, C, D (no locations, so every cost comes from `cost_per_unit`);
capabilities INF (ground, 100 people per unit) and AD (air, 50); sites
S1 (country X, zone front), S2 (country Y, zone rear), S3 (country Z, zone front).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver import api
from tests.conftest import allocation_dict
from tests.workbooks import Rows, write_workbook

CONTRIBUTORS: Rows = [{"contributor": c} for c in ("A", "B", "C", "D")]
CAPABILITIES: Rows = [
    {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
    {"capability": "AD", "category": "air", "personnel_per_unit": 50},
]
SITES: Rows = [
    {"site": "S1", "country": "X", "zone": "front"},
    {"site": "S2", "country": "Y", "zone": "rear"},
    {"site": "S3", "country": "Z", "zone": "front"},
]

Alloc = dict[tuple[str, str, str], int]


def world(path: Path, **sheets: Rows) -> Path:
    """Write the standard world with the given sheets (requirements, pledges, caveats, ...)."""
    base: dict[str, Rows] = {
        "contributors": CONTRIBUTORS,
        "capabilities": CAPABILITIES,
        "sites": SITES,
    }
    base.update(sheets)
    return write_workbook(path, **base)


def pledge(contributor: str, capability: str, units: int, cost: float, **extra: Any) -> dict:
    """One Pledges row."""
    return {
        "contributor": contributor,
        "capability": capability,
        "units": units,
        "cost_per_unit": cost,
        **extra,
    }


def need(site: str, capability: str, units: int, **extra: Any) -> dict:
    """One Requirements row."""
    return {"site": site, "capability": capability, "units": units, **extra}


def binding(result: api.Result, caveat_id: str) -> str:
    """The `binding` cell (yes/no) of one caveat in the Caveats table."""
    cav = result.tables.caveats.set_index("id")
    return str(cav.at[caveat_id, "binding"])


def check(
    result: api.Result,
    allocation: Alloc,
    stages: dict[str, float],
    bindings: dict[str, str] | None = None,
) -> None:
    """Optimal, with exactly this allocation, these stage values and these binding cells."""
    assert result.status == "optimal"
    assert result.exit_code == 0
    assert allocation_dict(result) == allocation
    assert result.stage_values == pytest.approx(stages, rel=1e-9, abs=1e-6)
    for caveat_id, expected in (bindings or {}).items():
        assert binding(result, caveat_id) == expected, caveat_id


def stages(cost: float, presence: int, **shortfall: float) -> dict[str, float]:
    """Stage values: `stages(7, 3, p1=1)` -> shortfall.p1 = 1, cost = 7, presence = 3."""
    out = {f"objective.shortfall.{p}": float(v) for p, v in shortfall.items()}
    out["objective.cost"] = float(cost)
    out["objective.presence"] = float(presence)
    return out


def assert_infeasible(result: api.Result) -> None:
    """Status infeasible, exit code 3, nothing allocated."""
    assert result.status == "infeasible"
    assert result.exit_code == 3
    assert allocation_dict(result) == {}
