"""Validated input data: the one shape every later stage (model, verify, reports) reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import Issue


@dataclass
class Data:
    """A validated workbook (with a scenario applied), as typed tables.

    Every table keeps `_where`, the place of its row in the workbook (for messages), and tables are
    sorted by their keys so that everything downstream is deterministic.
    """

    contributors: pd.DataFrame  # contributor, name, lat, lon, gdp, status
    capabilities: pd.DataFrame  # capability, description, category, personnel_per_unit
    sites: pd.DataFrame  # site, country, zone, lat, lon, max_contributors
    requirements: pd.DataFrame  # site, capability, units, priority, weight, hard, single_source
    pledges: pd.DataFrame  # contributor, capability, units, personnel_per_unit, cost_per_unit
    caveats: pd.DataFrame  # id, contributor, caveat, filters..., other, value, note
    settings: dict[str, float]
    scenario: str = "base"
    source_name: str = ""
    source_sha256: str = ""
    scenarios: list[str] = field(default_factory=list)  # every scenario the workbook defines
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. what a scenario dropped

    @property
    def priorities(self) -> list[int]:
        """Priorities present in the requirements, most important first."""
        return sorted(int(p) for p in self.requirements["priority"].unique())

    def pledge_ppu(self) -> pd.Series:
        """Personnel per unit of each pledge, indexed by (contributor, capability)."""
        return self.pledges.set_index(["contributor", "capability"])["personnel_per_unit"]


def is_blank(value: object) -> bool:
    """A blank cell as it appears in a table: None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
