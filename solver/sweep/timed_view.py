"""A timed scenario as the sweep's comparison reads it: every figure in unit-months.

The comparison (solver.compare) counts units on requirement lines. For a timed plan each count
becomes unit-months, summed over the periods t with their lengths months(t):

    required(s,k)   = sum_t months(t) * required(s,k,t)
    deployed(c,k,s) = sum_t months(t) * x[c,k,s,t]          (personnel: x personnel per unit)
    filled(s,k)     = sum_t months(t) * min(x[s,k,t], required(s,k,t))
    coverage_pct    = 100 * sum filled / sum required

so Scenarios, Sites, Contributors and Changes read in unit-months, and a line's shortfall there
is its required unit-months less those deployed to it (the Sustainability sheet's
`unit_months_short` unless a line has more units than it needs in some period). The stages
(`objective.*`, what Robustness ranks by) are the model's, in weighted unit-months.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..compare.views import ALLOC_COLUMNS, ScenarioView, from_tables
from ..data import Data, required_units
from ..time_plan import TimedPlan


def stage_values(result: Any) -> dict[str, float | None]:
    """`objective.<stage>` of a solved timed result: the model's value of each stage for the
    plan it returned (weighted unit-months for the shortfall stages)."""
    return {
        f"objective.{s.name}": float(s.value)
        for s in result.outcome.stages
        if s.value is not None and math.isfinite(float(s.value))
    }


def line_unit_months(data: Data, plan: TimedPlan | None) -> pd.DataFrame:
    """Per requirement line: site, capability, priority, required and filled unit-months
    (none filled without a plan)."""
    months = data.periods["months"].to_numpy(dtype=np.int64)  # type: ignore[index]
    required = required_units(data)
    req = data.requirements
    present = np.zeros_like(required)
    if plan is not None and len(plan.tours):
        pres = plan.presence()
        per_line = pres.groupby(["site", "capability", "t"])["units"].sum().reset_index()
        lines = pd.MultiIndex.from_frame(req[["site", "capability"]].astype(object))
        rows = lines.get_indexer(pd.MultiIndex.from_frame(per_line[["site", "capability"]]))
        known = rows >= 0  # a tour always serves a line; kept safe for a hand-made plan
        present[rows[known], per_line["t"].to_numpy()[known]] = per_line["units"].to_numpy()[known]
    return pd.DataFrame(
        {
            "site": req["site"].to_numpy(dtype=object),
            "capability": req["capability"].to_numpy(dtype=object),
            "priority": req["priority"].to_numpy(dtype=np.int64),
            "required": (required * months).sum(axis=1),
            "filled": (np.minimum(present, required) * months).sum(axis=1),
        }
    )


def deployed_unit_months(data: Data, plan: TimedPlan) -> pd.DataFrame:
    """Per (contributor, capability, site) deployed: units and personnel in unit-months."""
    if not len(plan.tours):
        return pd.DataFrame(columns=ALLOC_COLUMNS)
    months = data.periods["months"].to_numpy(dtype=np.int64)  # type: ignore[index]
    pres = plan.presence()
    pres["units"] = pres["units"] * months[pres["t"].to_numpy(dtype=np.int64)]
    out = pres.groupby(["contributor", "capability", "site"], sort=True)["units"].sum()
    out = out.reset_index()
    per_unit = data.pledges.set_index(["contributor", "capability"])["personnel_per_unit"]
    keys = pd.MultiIndex.from_frame(out[["contributor", "capability"]])
    out["personnel"] = out["units"] * per_unit.reindex(keys).to_numpy(dtype=np.int64)
    return out[ALLOC_COLUMNS]


def timed_view(result: Any, name: str, *, generated: bool = False) -> ScenarioView:
    """The comparison's view of a timed solve (see the module's docstring); its summary's
    stages and coverage_pct are those above."""
    view = from_tables(name, result.tables, generated=generated)
    data, plan = result.data, result.plan
    lines = line_unit_months(data, plan)
    view.lines = lines[["site", "capability", "required", "priority"]]
    if not view.has_plan or plan is None:
        return view
    view.allocation = deployed_unit_months(data, plan)
    view.stages = dict(stage_values(result))
    required = int(lines["required"].sum())
    coverage = round(100.0 * int(lines["filled"].sum()) / required, 2) if required else 100.0
    view.summary = {**view.summary, **view.stages, "coverage_pct": coverage}
    return view
