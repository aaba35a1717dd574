"""Validated input data: the one shape every later stage (model, verify, reports) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import Issue

if TYPE_CHECKING:
    from .baseline import Baseline


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
    # the contributors, capabilities and sites the scenario drops: sheet -> {key: its
    # Scenarios cell} (io/scenarios.py `dropped_cells`), for messages naming what is gone
    dropped: dict[str, dict[str, str]] = field(default_factory=dict)
    # Timed workbooks only (None for a snapshot): the periods in time order (period, months,
    # start, phase, offset = m(t)) and the Profile (site, capability, from_t, to_t, units).
    # Requirements, pledges and caveats then carry from_t/to_t (0-based period positions,
    # inclusive); pledges also tour_months (NaN: no limit) and dwell_months.
    periods: pd.DataFrame | None = None
    profile: pd.DataFrame | None = None
    # Re-planning only (`replanning.md`): the plan to stay close to (solver/baseline.py), from
    # the `Baseline` sheet or `--baseline FILE`; None without one.
    baseline: Baseline | None = None
    # the digest of the tables and settings as validated (solver/io/data_check.py): a Data
    # edited in Python after reading no longer gives it, and `api.solve` checks it again
    sealed: str = ""
    sealed_scenario: str = ""  # the scenario it was read with (a label changed is refused)
    # each timed table's (from_t, to_t) by row label as validated: where `from`/`to` were
    # edited they are the old positions (re-derived), where they changed alone the edit is lost
    sealed_positions: dict[str, dict[Any, tuple[Any, Any]]] = field(default_factory=dict)
    # the same by the row's other cells (as text): a table sorted and its index reset keeps them
    sealed_row_positions: dict[str, dict[str, set[tuple[Any, Any]]]] = field(default_factory=dict)

    @property
    def timed(self) -> bool:
        """True when the workbook has periods (a `Periods` sheet with at least one row)."""
        return self.periods is not None

    @property
    def horizon_months(self) -> int | None:
        """M = m(last) + months(last), the months the periods span; None for a snapshot."""
        if self.periods is None:
            return None
        return int(self.periods["months"].sum())

    @property
    def period_names(self) -> list[str]:
        """The periods' names in time order; only a timed workbook has them."""
        return [str(name) for name in self._periods()["period"]]

    @property
    def period_months(self) -> np.ndarray:
        """months(t) of each period in time order (integers); only a timed workbook has them."""
        return self._periods()["months"].to_numpy(dtype=np.int64)

    def _periods(self) -> pd.DataFrame:
        if self.periods is None:
            raise ValueError("a snapshot workbook has no periods")
        return self.periods

    @property
    def available(self) -> frozenset[str]:
        """The contributors of status `available`: the only ones that deploy."""
        con = self.contributors
        if not len(con):
            return frozenset()
        return frozenset(con.loc[con["status"] == "available", "contributor"])

    def live_caveats(self) -> pd.DataFrame:
        """The caveats of available contributors: one of a contributor that deploys nothing
        has no effect."""
        cav = self.caveats
        return cav[cav["contributor"].isin(self.available)] if len(cav) else cav

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


def requiring(data: Data) -> np.ndarray:
    """Per requirement line (in `data.requirements` order): whether it requires a unit in some
    period, required(s, k, t) > 0 (`required_units`): its `units` > 0 while it is active, or a
    Profile row raising it (a line of `units` 0 that a Profile raises in some periods is a line
    then, time.md)."""
    required = required_units(data)
    return required.max(axis=1, initial=0) > 0


def required_units(data: Data) -> np.ndarray:
    """required(s, k, t) for every requirement line (rows, in `data.requirements` order) and
    period t (columns): the Profile's units in the periods its rows cover, else the line's
    `units` while the line is active (from_t <= t <= to_t), else 0. A snapshot is one period.
    """
    req = data.requirements
    units = req["units"].to_numpy(dtype=np.int64)
    if data.periods is None:
        return units.reshape(-1, 1).copy()
    t = np.arange(len(data.periods))
    active = (req["from_t"].to_numpy()[:, None] <= t) & (t <= req["to_t"].to_numpy()[:, None])
    out = np.where(active, units[:, None], 0)
    if data.profile is not None and len(data.profile):
        line = pd.MultiIndex.from_frame(req[["site", "capability"]])
        rows = line.get_indexer(pd.MultiIndex.from_frame(data.profile[["site", "capability"]]))
        for r, first, last, n in zip(
            rows, data.profile["from_t"], data.profile["to_t"], data.profile["units"], strict=True
        ):
            out[r, int(first) : int(last) + 1] = int(n)
    return out
