"""The objective stages of a timed plan (`time.md`, Objective), recomputed from its tours:

shortfall.p<N>  sum over periods t and lines (s, k) of priority N of
                months(t) x weight(s, k) x max(required(s,k,t) - allocated(s,k,t), 0)
cost            sum over tours of units x unit cost (each tour is one deployment; the unit
                cost as in `workbook.md`: cost_per_unit, else distance x unit size, else 0),
                less a rolling re-plan's carried units that continue (verify/carried.py)
presence        the number of (contributor, site) pairs with at least one tour
"""

from __future__ import annotations

import numpy as np

from .carried import continuing
from .schedule import Schedule
from .stages import UnitCosts


def timed_stage_values(schedule: Schedule) -> dict[str, float]:
    """`objective.shortfall.p<N>` per priority (weighted unit-months), `objective.cost`,
    `objective.presence`, for the tours that can be placed in time."""
    data = schedule.data
    rq = data.requirements
    short = np.maximum(schedule.required - schedule.allocated, 0).astype(float)
    unit_months = short @ schedule.months.astype(float)  # per line: sum over t of months x short
    weighted = unit_months * rq["weight"].to_numpy(dtype=float)
    out: dict[str, float] = {}
    for p in data.priorities:
        out[f"objective.shortfall.p{p}"] = float(weighted[(rq["priority"] == p).to_numpy()].sum())
    tours = schedule.tours
    units = tours["units"].tolist()
    costs = UnitCosts(data)
    out["objective.cost"] = sum(
        float(n) * costs.of(c, k, s)
        for c, k, s, n in zip(
            tours["contributor"], tours["capability"], tours["site"], units, strict=True
        )
    )
    carried = {
        (c, k, s): continuing(schedule, c, k, s)
        for c, k, s in tours[["contributor", "capability", "site"]]
        .drop_duplicates()
        .itertuples(index=False)
    }
    out["objective.cost"] -= sum(float(n) * costs.of(*key) for key, n in carried.items() if n)
    out["objective.presence"] = float(len(tours.drop_duplicates(["contributor", "site"])))
    return out
