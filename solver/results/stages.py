"""Objective stage values computed from an allocation table and the data alone.

The shortfall and presence values are recomputed here from the written Allocation, apart from the
model's rows (tests tie them to HiGHS's objective); the cost of a unit is the model's own formula
(`model.candidates.unit_costs_of`), shared, so a cost formula that is wrong would be wrong in both.
`verify` has its own recomputation of every stage, the cost too (`verify/stages.py`), so that a
plan edited by hand is scored by a second implementation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..baseline import changes_value
from ..data import Data
from ..model.candidates import unit_costs_of
from ..model.stage_names import shortfall_stage


def as_stored(value: float) -> float:
    """A stage value as the Summary stores it: 12 significant digits, so that a sum's last-bit
    noise does not show (`objective.cost` 5972579.690000001, a planner trial) and verify's
    recomputed value stays within its rounding (1e-9, relative). `compare`, recomputing an
    output's stages from its input, gives them so too (a trial: 26769619.444999997 beside the
    Summary's 26769619.445, the same plan)."""
    return float(f"{float(value):.12g}")


def unit_costs(data: Data, alloc: pd.DataFrame) -> np.ndarray:
    """Cost of one unit for each allocation row (contributor, capability, site), as the model
    counts it (`model.candidates.unit_costs_of`)."""
    if not len(alloc):
        return np.zeros(0)
    pl = data.pledges.set_index(["contributor", "capability"])
    key = pd.MultiIndex.from_arrays([alloc["contributor"], alloc["capability"]])
    return unit_costs_of(
        alloc["contributor"],
        alloc["site"],
        pl["cost_per_unit"].reindex(key).to_numpy(dtype=float),
        pl["personnel_per_unit"].reindex(key).to_numpy(dtype=float),
        data.contributors.set_index("contributor"),
        data.sites.set_index("site"),
    )


def allocated_per_requirement(data: Data, alloc: pd.DataFrame) -> np.ndarray:
    """Units allocated to each requirement row of `data.requirements` (by site and capability)."""
    rq = data.requirements
    if not len(alloc):
        return np.zeros(len(rq))
    got = alloc.groupby(["site", "capability"])["units"].sum()
    key = pd.MultiIndex.from_arrays([rq["site"], rq["capability"]])
    return got.reindex(key).fillna(0).to_numpy(dtype=float)


def stage_values(data: Data, alloc: pd.DataFrame) -> dict[str, float]:
    """`objective.shortfall.p<N>` per priority, `objective.cost`, `objective.presence`, and
    with a baseline `objective.changes` (units added plus units removed)."""
    rq = data.requirements
    short = rq["units"].to_numpy(dtype=float) - allocated_per_requirement(data, alloc)
    short = np.maximum(short, 0.0)
    weighted = short * rq["weight"].to_numpy(dtype=float)
    out: dict[str, float] = {}
    for p in data.priorities:
        out[f"objective.{shortfall_stage(p)}"] = float(
            weighted[(rq["priority"] == p).to_numpy()].sum()
        )
    units = alloc["units"].to_numpy(dtype=float) if len(alloc) else np.zeros(0)
    out["objective.cost"] = float((unit_costs(data, alloc) * units).sum())
    present = alloc[alloc["units"] > 0] if len(alloc) else alloc
    out["objective.presence"] = float(len(present.drop_duplicates(["contributor", "site"])))
    if data.baseline is not None:
        planned = alloc[["contributor", "capability", "site", "units"]].assign(t=0)
        out["objective.changes"] = changes_value(data.baseline, planned, np.ones(1))
    return out
