"""The solved allocation seen from the model's index sets: what a caveat's `binding` and the
Gaps sheet read of spare units and shortfall (caveats/base.py re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import required_units
from ..model.context import BuildContext

if TYPE_CHECKING:
    from ..time_plan import TimedPlan


@dataclass
class SolutionView:
    """A solved (or hand-edited) allocation seen from the model's index sets.

    Per line l and period t, shortfall[l,t] = required(l,t) - allocated; per pledge p and
    period t, spare[p,t] = pledged - present - in dwell inside the pledge's from..to, 0 outside
    it (its units cannot be present then; a snapshot is one period, no dwell). Who is in dwell
    is read from the plan's tours (`plan`): the arrivals `aval` per x position when given (the
    solver's), else the least churn. `shortfall` and `spare` are their sums over the periods.
    Every reader of spare units (a caveat's `binding`, the Gaps sheet) reads these."""

    ctx: BuildContext
    xval: np.ndarray  # units per x position
    aval: np.ndarray | None = None  # arrivals per x position (time; None: the least churn)

    def __post_init__(self) -> None:
        x = self.ctx.x
        data = self.ctx.data
        assert x is not None
        n_t = self.ctx.n_periods
        line_t = x["req_idx"].to_numpy() * n_t + x["t"].to_numpy()
        pledge_t = x["pledge_idx"].to_numpy() * n_t + x["t"].to_numpy()
        alloc = np.bincount(line_t, weights=self.xval, minlength=len(data.requirements) * n_t)
        self.shortfall_t = required_units(data) - alloc.reshape(-1, n_t)
        used = np.bincount(pledge_t, weights=self.xval, minlength=len(data.pledges) * n_t)
        self.plan = self._plan()
        self.spare_t = self._spare(used.reshape(-1, n_t))
        self.shortfall = self.shortfall_t.sum(axis=1)
        self.spare = self.spare_t.sum(axis=1)

    def _plan(self) -> TimedPlan | None:
        """The tours of a timed solution (None in a snapshot)."""
        if not self.ctx.timed or self.ctx.x is None or "arrive" not in self.ctx.x:
            return None
        from ..model.tour_reading import read_tours
        from ..time_plan import TimedPlan

        return TimedPlan(self.ctx.data, read_tours(self.ctx, self.xval, self.aval))

    def _spare(self, used: np.ndarray) -> np.ndarray:
        """spare[p, t] (above): pledged - used - in dwell, 0 outside the pledge's window."""
        pledges = self.ctx.data.pledges
        pledged = pledges["units"].to_numpy(dtype=float)[:, None]
        if self.plan is None:
            return pledged - used
        home = np.zeros_like(used)
        dwell = self.plan.dwell()
        index = pd.MultiIndex.from_frame(pledges[["contributor", "capability"]])
        rows = index.get_indexer(pd.MultiIndex.from_frame(dwell[["contributor", "capability"]]))
        np.add.at(home, (rows, dwell["t"].to_numpy()), dwell["units"].to_numpy(dtype=float))
        ts = np.arange(self.ctx.n_periods)
        first = pledges["from_t"].to_numpy()[:, None]
        last = pledges["to_t"].to_numpy()[:, None]
        return np.where((first <= ts) & (ts <= last), pledged - used - home, 0.0)

    def total(self, positions: np.ndarray, weights: np.ndarray | None = None) -> float:
        vals = self.xval[positions]
        return float(vals.sum() if weights is None else (vals * weights).sum())

    def usable(self, positions: np.ndarray) -> np.ndarray:
        """Mask over x positions: one more unit there would fill a short requirement from a spare
        pledged unit (in the same period)."""
        x = self.ctx.x
        assert x is not None
        t = x["t"].to_numpy()[positions]
        short = self.shortfall_t[x["req_idx"].to_numpy()[positions], t] > 0
        spare = self.spare_t[x["pledge_idx"].to_numpy()[positions], t] > 0
        below = self.xval[positions] < x["ub"].to_numpy()[positions]
        return short & spare & below

    def open_options(self, cand_positions: np.ndarray) -> bool:
        """True if a removed option would meet a short requirement with an unused pledged unit."""
        if not len(cand_positions):
            return False
        cand = self.ctx.cand.iloc[cand_positions]
        t = cand["t"].to_numpy()
        short = self.shortfall_t[cand["req_idx"].to_numpy(), t] > 0
        spare = self.spare_t[cand["pledge_idx"].to_numpy(), t] > 0
        return bool((short & spare).any())
