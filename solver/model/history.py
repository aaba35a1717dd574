"""A rolling re-plan's tours running into the first period, in the model (timed workbooks).

The baseline file of an earlier horizon (io/baseline_horizon.py) has tours that began before
the workbook's first period and run into it: their units are deployed when the horizon begins,
having served some months already (`Baseline.history`, carried). They are carried into the
first period rather than arriving there: they may stay (for what their tour limit has left),
and those the plan withdraws at the start go home into dwell, as any unit leaving. With the
symbols of model/tours.py:

    P[o]      the units of option o carried into period 0: the history's carried tours of o
    s_j       the months tour j of those has served before period 0 (-start)
    C[o,t]    sum of the units of o's carried tours j with s_j + m(t) + months(t) <= L: those
              whose tour may still run in t (P[o] without a tour limit)
    Q[p,h]    sum of P[o] over the options o of pledge p, where m(h) < dwell_months[p] (0 else):
              the carried units' share of a departure at the start of period 0

Rows of model/tours.py that change:

    flow      (o, 0):   x[o,0] - a[o,0]  <=  P[o]              (carried units may stay)
    rotation  (p, h):   the departure d[o,0] = P[o] + a[o,0] - x[o,0] at the start of period
                        0 is counted as every other: its terms a[o,0] - x[o,0] in the row, P[o]
                        off its bound (U[p] - H[p,h] - Q[p,h], at least 0)
    tour      (o, t):   x[o,t] - sum_{t' in W(t)} a[o,t']  <=  C[o,t]   where o's periods run
                        unbroken from period 0 to t (0 elsewhere, as before); a row also where
                        the window reaches period 0 and C[o,t] < P[o] (else flow implies it)

    cost      (stage `cost`): arrivals only, as before: a carried unit that stays costs
                        nothing (it is deployed already; charging it as a new tour made
                        relieving it in place at period 0 look cheaper: a rolling trial saw
                        two battalions sent home early). The Summary and verify read the plan
                        alike (time_plan.carried_reading, verify/carried.py)
    presence  (block `pledge.present`, key (c,k,period)), where H[p,t] + Q[p,t] > U[p]:
                        sum_s x[c,k,s,t]  <=  U[c,k]

With the rotation bound clamped at 0, units committed before the horizon beyond the pledge (a
pledge cut below what is deployed and at home) never make a plan infeasible: the rows read
T(t) = units present + at home (H and the carried units withdrawn included) <= max(U, H + Q),
and what is present stays within the pledge (verify/time_tours.py reads the same rule).

Why this is exact: the carried units are the oldest of o (first in, first out), so the units
present in t beyond the arrivals within the window are carried ones, the youngest first; C
counts exactly the carried units whose tour may last to t. A window that does not reach
period 0 means m(t) + months(t) - L > 0 > start, so no carried unit may still be there (C = 0).
A carried option without a column in period 0 (no longer allowed there) has all its units
leave at the start: their dwell is Q's alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import BuildContext


def carried_tours(ctx: BuildContext) -> pd.DataFrame:
    """The history's carried tours of pledges the workbook has: contributor, capability,
    site, start (< 0), units, pledge_idx."""
    baseline = ctx.data.baseline
    history = None if baseline is None else baseline.history
    cols = ["contributor", "capability", "site", "start", "units", "pledge_idx"]
    if history is None or not len(history) or not history["carried"].any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    carried = history[history["carried"].astype(bool)]
    pl = ctx.data.pledges
    index = {key: i for i, key in enumerate(zip(pl["contributor"], pl["capability"], strict=True))}
    pairs = zip(carried["contributor"], carried["capability"], strict=True)
    pledge = [index.get(key, -1) for key in pairs]
    carried = carried.assign(pledge_idx=pledge)
    return carried.loc[carried["pledge_idx"] >= 0, cols].reset_index(drop=True)


def carried_units(ctx: BuildContext) -> np.ndarray:
    """P[o] per x position: at the position of o in period 0, 0 elsewhere."""
    assert ctx.x is not None
    x = ctx.x
    out = np.zeros(len(x))
    tours = carried_tours(ctx)
    if not len(tours):
        return out
    units = tours.groupby(["contributor", "capability", "site"])["units"].sum()
    first = np.flatnonzero(x["t"].to_numpy() == 0)
    keys = zip(*(x[c].iloc[first] for c in ("contributor", "capability", "site")), strict=True)
    out[first] = [float(units.get(key, 0)) for key in keys]
    return out


def carried_off_bound(ctx: BuildContext, offset: np.ndarray, dwell: np.ndarray) -> np.ndarray:
    """Q[p, h] per pledge and period (the module's docstring)."""
    out = np.zeros((len(ctx.data.pledges), len(offset)))
    tours = carried_tours(ctx)
    if not len(tours):
        return out
    per_pledge = tours.groupby("pledge_idx")["units"].sum()
    for p, units in per_pledge.items():
        out[int(p), offset < dwell[int(p)]] = float(units)
    return out


def may_stay(
    ctx: BuildContext, at: np.ndarray, limit: np.ndarray, unbroken: np.ndarray
) -> np.ndarray:
    """C[o,t] per x position in `at` (their tour limits `limit`, months), where `unbroken`
    (o's periods run unbroken from period 0 to t), else 0; a loop over the positions of
    options with carried units only (model building is a hot path)."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    out = np.zeros(len(at))
    tours = carried_tours(ctx)
    if not len(tours) or not len(at):
        return out
    keys = ["contributor", "capability", "site"]
    options = pd.MultiIndex.from_arrays([x[c].to_numpy(dtype=object)[at] for c in keys])
    has = np.flatnonzero(options.isin(pd.MultiIndex.from_frame(tours[keys])) & unbroken)
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    t = x["t"].to_numpy(dtype=np.int64)[at]
    by_option: dict[tuple, list[tuple[int, int]]] = {}
    for c, k, s, start, n in tours[[*keys, "start", "units"]].itertuples(index=False):
        by_option.setdefault((c, k, s), []).append((int(start), int(n)))
    for j in has.tolist():
        until = offset[t[j]] + months[t[j]]
        out[j] = sum(n for start, n in by_option[options[j]] if until - start <= limit[j])
    return out
