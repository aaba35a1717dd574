"""Caveat prices in time: what a timed plan is worth, and how it changes, line by line and period.

A price is base minus lifted per stage, in the stages' own units (`time.md`): weighted unit-months
short per priority, sum_{l,t} months(t) w_l (required(l,t) - allocated(l,t)); the cost of the
tours, sum over arrivals of units x unit cost; the (contributor, site) pairs with a tour. Both
sides are read off the same stage vectors the solver minimised (value = scale (c @ x + offset),
`model/build.py`) at the plan as its tours are read, so that a price is exactly the difference
the solver saw, without HiGHS's float dust.

A caveat with a window has rows only in its window's periods (`caveats/*`): lifting it frees
those periods only, and its price counts only what changes there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.portable import dot
from ..model.tour_reading import arrivals_as_read


def stage_values_in_time(ctx: BuildContext, x: np.ndarray) -> dict[str, float]:
    """`objective.<stage>` = scale x (cost @ x + offset) of each stage, in planner units, of the
    plan as its tours are read (`model/tour_reading.py`): whole columns rounded, and arrivals
    without a tour limit (continuous in the model) at the least churn max(0, x[t] - x[t-1]),
    and a re-plan's kept units (continuous, held within 0.5) at min(x, b), so that HiGHS's
    float dust never shows as a price (a changes price read 39.5 unit-months for 40)."""
    lm = ctx.lm
    clean = np.asarray(x, dtype=float)[: lm.n_cols].copy()
    whole = lm.integrality().astype(bool)
    clean[whole] = np.rint(clean[whole])
    if ctx.x is not None and "arrive" in ctx.x:
        units, given = clean[ctx.x["col"].to_numpy()], clean[ctx.x["arrive"].to_numpy()]
        clean[ctx.x["arrive"].to_numpy()] = arrivals_as_read(ctx, units, given)[1]
    kept = ctx.baseline_kept  # a re-plan's: w = min(x, b), the changes counted whole
    if ctx.x is not None and kept is not None and len(kept):
        w = kept["col"].to_numpy()
        present = clean[ctx.x["col"].to_numpy()[kept["pos"].to_numpy()]]
        clean[w] = np.minimum(present, lm.col_bounds()[1][w])
    return {
        f"objective.{stage.name}": round(
            stage.scale * (dot(lm.stage_vector(stage), clean) + stage.offset), 6
        )
        for stage in lm.stages
    }


def allocated_in_time(ctx: BuildContext, xval: np.ndarray) -> pd.Series:
    """Units present per (site, capability, period), summed over contributors; only where > 0,
    in the order of the requirement lines and then of the periods."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    names = ctx.data.periods["period"].to_numpy(dtype=object)
    frame = pd.DataFrame(
        {
            "line": x["req_idx"].to_numpy(),
            "t": x["t"].to_numpy(),
            "units": np.rint(np.asarray(xval, dtype=float)).astype(np.int64),
        }
    )
    got = frame.groupby(["line", "t"], sort=True)["units"].sum()
    got = got[got > 0]
    rq = ctx.data.requirements
    lines = got.index.get_level_values("line").to_numpy()
    index = pd.MultiIndex.from_arrays(
        [
            rq["site"].to_numpy(dtype=object)[lines],
            rq["capability"].to_numpy(dtype=object)[lines],
            names[got.index.get_level_values("t").to_numpy()],
        ],
        names=["site", "capability", "period"],
    )
    return pd.Series(got.to_numpy(), index=index, dtype=np.int64)


def changes_in_time(base: pd.Series, after: pd.Series, periods: list[str]) -> str:
    """What lifting a rule changes, per line and run of consecutive periods with the same change:
    `S1 INF +1 in P3..P4, S2 INF -1 in P6` (lines by site and capability)."""
    diff: dict[tuple, int] = {}
    for series, sign in ((after, 1), (base, -1)):
        for key, units in series.items():
            diff[key] = diff.get(key, 0) + sign * int(units)
    order = {p: i for i, p in enumerate(periods)}
    by_line: dict[tuple[str, str], dict[int, int]] = {}
    for (site, cap, period), d in diff.items():
        if d:
            by_line.setdefault((site, cap), {})[order[period]] = d
    parts = []
    for (site, cap), per_t in sorted(by_line.items()):
        for first, last, d in _runs(per_t):
            when = periods[first] if first == last else f"{periods[first]}..{periods[last]}"
            parts.append(f"{site} {cap} {d:+d} in {when}")
    return ", ".join(parts)


def _runs(per_t: dict[int, int]) -> list[tuple[int, int, int]]:
    """(first, last, change) of each run of consecutive periods with one change."""
    runs: list[tuple[int, int, int]] = []
    for t in sorted(per_t):
        d = per_t[t]
        if runs and runs[-1][1] == t - 1 and runs[-1][2] == d:
            runs[-1] = (runs[-1][0], t, d)
        else:
            runs.append((t, t, d))
    return runs
