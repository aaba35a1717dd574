"""A timed scenario as the sweep's comparison reads it: every figure in unit-months.

The comparison (solver.compare) counts units on requirement lines. For a timed plan each count
becomes unit-months, summed over the periods t with their lengths months(t):

    required(s,k)   = sum_t months(t) * required(s,k,t)
    deployed(c,k,s) = sum_t months(t) * x[c,k,s,t]          (personnel: x personnel per unit)

so Scenarios, Sites, Contributors and Changes read in unit-months, and a line's shortfall there
is its required unit-months less those deployed to it (the Sustainability sheet's
`unit_months_short` unless a line has more units than it needs in some period). The stages
(`objective.*`, what Robustness ranks by) and the Summary's figures are the output's own, in
(weighted) unit-months.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..compare.views import ALLOC_COLUMNS, ScenarioView, from_tables
from ..data import Data, required_units
from ..time_plan import TimedPlan


def line_unit_months(data: Data) -> pd.DataFrame:
    """Per requirement line: site, capability, priority and required unit-months."""
    months = data.period_months
    req = data.requirements
    return pd.DataFrame(
        {
            "site": req["site"].to_numpy(dtype=object),
            "capability": req["capability"].to_numpy(dtype=object),
            "required": (required_units(data) * months).sum(axis=1),
            "priority": req["priority"].to_numpy(dtype=np.int64),
        }
    )


def deployed_unit_months(data: Data, plan: TimedPlan) -> pd.DataFrame:
    """Per (contributor, capability, site) deployed: units and personnel in unit-months."""
    if not len(plan.tours):
        return pd.DataFrame(columns=ALLOC_COLUMNS)
    months = data.period_months
    pres = plan.presence()
    pres["units"] = pres["units"] * months[pres["t"].to_numpy(dtype=np.int64)]
    out = pres.groupby(["contributor", "capability", "site"], sort=True)["units"].sum()
    out = out.reset_index()
    per_unit = data.pledges.set_index(["contributor", "capability"])["personnel_per_unit"]
    keys = pd.MultiIndex.from_frame(out[["contributor", "capability"]])
    out["personnel"] = out["units"] * per_unit.reindex(keys).to_numpy(dtype=np.int64)
    return out[ALLOC_COLUMNS]


def timed_view(result: Any, name: str, *, generated: bool = False) -> ScenarioView:
    """The comparison's view of a timed solve (see the module's docstring): its lines and
    allocation in unit-months over the horizon (one row per line, per contributor and site)."""
    view = from_tables(name, result.tables, generated=generated)
    view.timed = True
    data, plan = result.data, result.plan
    view.lines = line_unit_months(data)
    if not view.has_plan or plan is None:
        return view
    view.allocation = deployed_unit_months(data, plan)
    return view
