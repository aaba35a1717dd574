"""Objective stage values of a timed plan, from its tours and the data alone (`time.md`):

    objective.shortfall.p<N> = sum over lines i of priority N and periods t of
                               months(t) x weight(i) x max(required(i, t) - allocated(i, t), 0)
    objective.cost           = sum over tours of units x unit cost (`unit_costs`), less the
                               carried units that stay (`TimedPlan.carried`: deployed already)
    objective.presence       = number of (contributor, site) pairs with at least one tour
    objective.changes        = sum over (c,k,s,t) of months(t) |x[c,k,s,t] - b[c,k,s,t]|
                               (with a baseline only; `baseline.changes_value`)

Independent of the model, like `stages.stage_values` for a snapshot.
"""

from __future__ import annotations

import pandas as pd

from ..baseline import changes_value
from ..data import Data
from ..model.stage_names import shortfall_stage
from ..time_plan import TimedPlan, carried_reading
from .stages import unit_costs
from .time_tables import shortfall


def tours_cost(data: Data, tours: pd.DataFrame) -> float:
    """sum over `tours` of units x unit cost, less the carried units that stay
    (`time_plan.carried_reading`: a rolling re-plan's units deployed already cost nothing); a
    snapshot's allocation rows (one period, nothing carried) priced alike. The Summary's
    `objective.cost` of a timed plan, and a re-plan's `baseline_cost`."""
    if not len(tours):
        return 0.0
    units = tours["units"].to_numpy(dtype=float)
    cost = float((unit_costs(data, tours) * units).sum())
    staying = pd.DataFrame(
        [
            (c, k, s, sum(n for _, n in kept))
            for (c, k, s), (kept, _) in carried_reading(data, tours).items()
            if kept
        ],
        columns=["contributor", "capability", "site", "units"],
    )
    if len(staying):
        cost -= float((unit_costs(data, staying) * staying["units"]).sum())
    return cost


def timed_stage_values(plan: TimedPlan) -> dict[str, float]:
    """`objective.shortfall.p<N>` (weighted unit-months), `objective.cost`, `objective.presence`."""
    data = plan.data
    rq = data.requirements
    months = plan.periods["months"].to_numpy(dtype=float)
    weight = rq["weight"].to_numpy(dtype=float)
    weighted = (shortfall(plan) * months[None, :]).sum(axis=1) * weight
    priority = rq["priority"].to_numpy()
    out: dict[str, float] = {}
    for p in data.priorities:
        out[f"objective.{shortfall_stage(p)}"] = float(weighted[priority == p].sum())
    tours = plan.tours
    out["objective.cost"] = tours_cost(data, tours)
    out["objective.presence"] = float(len(tours.drop_duplicates(["contributor", "site"])))
    if data.baseline is not None:
        out["objective.changes"] = changes_value(data.baseline, plan.presence(), months)
    return out
