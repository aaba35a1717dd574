"""The lexicographic stages of the model (stage_names.py names them), each minimised holding
the ones before it (solve/highs.py); model/objective.py says how each is scaled.

    shortfall.p  sum_{(s,k) in p, t} months[t] (w[s,k] / w_min[p]) (R[s,k,t] - sum_c x[c,k,s,t])
    changes      units moved from the baseline (re-plans only: model/baseline.py)
    cost         sum cost[c,k,s] a[c,k,s,t] / 10^e   (a: a tour's arrivals; a snapshot's x)
    presence     sum_{c,s} present[c,s]

(symbols as in model/build.py's table)
"""

from __future__ import annotations

import numpy as np

from ..data import required_units
from .baseline import changes_stage
from .context import BuildContext
from .linear import Stage
from .objective import (
    COST_HOLD_ABS,
    COST_HOLD_REL,
    SHORTFALL_HOLD_ABS,
    cost_scale,
    shortfall_scale,
)
from .stage_names import shortfall_stage


def add_stages(ctx: BuildContext) -> None:
    """Lexicographic stages: shortfall per priority (most important first), changes (only
    with a baseline: model/baseline.py), cost, presence.

    Each stage is scaled so that HiGHS's tolerances cannot decide it (see model/objective.py):
    shortfall p is  sum_{l,t} months(t) (w_l / w_min) (u_lt - y_lt)  (one unit-month of the
    lightest line counts 1; a snapshot is one period of one month), cost is
    sum c_j a_j / 10^k  over the arrivals a (a snapshot's arrivals are its x; largest
    coefficient at most 1e6), presence counts (contributor, site) pairs over the horizon."""
    assert ctx.x is not None and ctx.pairs is not None
    rq = ctx.data.requirements
    x = ctx.x
    xcols = x["col"].to_numpy()
    weight = rq["weight"].to_numpy(dtype=float)
    months = period_months(ctx)
    required = required_units(ctx.data).astype(float)
    line = x["req_idx"].to_numpy()
    per_x = months[x["t"].to_numpy()]
    for p in ctx.data.priorities:
        in_p = (rq["priority"] == p).to_numpy()
        scale = shortfall_scale(weight[in_p])
        scaled = weight / scale
        on = in_p[line]
        ctx.lm.add_stage(
            Stage(
                shortfall_stage(p),
                xcols[on],
                -(scaled[line] * per_x)[on],
                float((scaled[in_p, None] * required[in_p] * months[None, :]).sum()),
                hold_abs=SHORTFALL_HOLD_ABS,
                hold_rel=0.0,
                scale=scale,
                at_least_zero=True,  # required - allocated, per line, months and weight
            )
        )
    if ctx.data.baseline is not None:
        ctx.lm.add_stage(changes_stage(ctx, months))
    cost = x["unit_cost"].to_numpy(dtype=float)
    scale = cost_scale(cost)
    ctx.lm.add_stage(
        Stage(
            "cost",
            x["arrive"].to_numpy() if ctx.timed else xcols,  # carried units: none (history.py)
            cost / scale,
            0.0,
            hold_abs=COST_HOLD_ABS,
            hold_rel=COST_HOLD_REL,
            scale=scale,
            at_least_zero=True,  # costs >= 0 (Pledges: cost_per_unit >= 0, or distances)
        )
    )
    ctx.lm.add_stage(
        Stage(
            "presence",
            ctx.pairs["col"].to_numpy(),
            np.ones(len(ctx.pairs)),
            0.0,
            hold_abs=0.5,
            hold_rel=0.0,
            at_least_zero=True,  # presence indicators
        )
    )


def period_months(ctx: BuildContext) -> np.ndarray:
    """months(t) per period; a snapshot is one period of one month."""
    if ctx.data.periods is None:
        return np.ones(1)
    return ctx.data.periods["months"].to_numpy(dtype=float)
