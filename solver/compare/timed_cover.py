"""A timed view's lines per period: the units covered, min(allocated, required), and the units
required, as its Coverage sheet says (compare/timed_tables.py compares them run by run)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import DELTA
from .timed_views import TimedView


def covered(view: TimedView) -> pd.Series:
    """Units covered per (site, capability, period): min(allocated, required)."""
    cov = view.coverage
    if not len(cov) or not view.has_plan:
        return pd.Series(dtype="int64")
    got = cov[["allocated", "required"]].min(axis=1).astype("int64")
    return pd.Series(
        got.to_numpy(), index=pd.MultiIndex.from_frame(cov[["site", "capability", "period"]])
    )


def required(view: TimedView) -> pd.Series:
    """Units required per (site, capability, period), as the view's Coverage says."""
    cov = view.coverage
    if not len(cov) or not view.has_plan:
        return pd.Series(dtype="int64")
    index = pd.MultiIndex.from_frame(cov[["site", "capability", "period"]])
    return pd.Series(cov["required"].astype("int64").to_numpy(), index=index)


def full_cover(row: pd.Series) -> bool:
    """The scenario covers the run's line in full in every period of the run (its covered
    units and its requirement the same number throughout); never a line it lacks (its
    requirement read as 0: a review saw `1 -> 0, covered in full` of a line a scenario drops)."""
    covered, required = row.get("covered"), row.get("required")
    if pd.isna(row.get("scenario_priority")):  # the scenario has no such line
        return False
    return isinstance(covered, int | np.integer) and covered == required


def loses(row: pd.Series) -> bool:
    """The run is a loss: the scenario is short of more units there than base (`Δshort` > 0:
    a requirement raised and not met, with the same units covered, is one; a requirement
    lowered and met with fewer units is none), or covers fewer units of a line it lacks."""
    if pd.isna(row.get("scenario_priority")):  # the scenario has no such line
        return bool(row[DELTA + "units"] < 0)
    return bool(row[DELTA + "short"] > 0)
