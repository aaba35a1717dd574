"""Tours in the model (timed workbooks): arrivals, tour lengths, rotation and dwell (`time.md`).

The plan is a set of tours; the model does not enumerate them. Per allocation option o = (c,k,s)
and period t it has the units present x[o,t] (block `x`) and the units arriving a[o,t] (block
`arrive`, key (c, k, s, period)); the units departing at the start of t (their tour's last
period is t-1) are d[o,t] = x[o,t-1] + a[o,t] - x[o,t]. Rows:

    flow      (block `flow`, key (c,k,s,period)):     x[o,t] - x[o,t-1] - a[o,t]  <=  0
    arrive    (block `arrive.stay`, same key):         a[o,t] - x[o,t]             <=  0
    tour      (block `tour`, same key; L set):         x[o,t] - sum_{t' in W(t)} a[o,t'] <= 0
    rotation  (block `pledge`, key (c,k,period)):
        sum_s x[c,k,s,t] + sum_s sum_{t' in D(t)} d[c,k,s,t']  <=  U[c,k]

    o = (c,k,s)  an allocation option; x[o,t] = 0 where the option has no column in t
    m(t)         the month offset of period t; months(t) its length
    L            the pledge's tour_months (blank: no `tour` rows)
    W(t)         { t' <= t : m(t) + months(t) - m(t') <= L }, the arrivals a unit present in t
                 may come from without staying longer than L months
    D(t)         { 1 <= t' <= t : m(t') <= m(t) < m(t') + dwell_months }, the departures whose
                 units are still at home in dwell in t (a tour ending at e = m(t') counts in
                 every t with e <= m(t) < e + dwell)
    U[c,k]       the pledged units

Why this is exact. flow and arrive.stay make d >= 0 and d <= x[o,t-1]. Matching departures to
the oldest units present (first in, first out), the units present in t are the latest x[o,t]
arrivals, so `tour` holds if and only if every unit present in t arrived within L months: each
FIFO tour is at most L months long, and any plan of valid tours satisfies the rows. Rotation is
rule 3 of `time.md` word for word, since d counts the units whose tours end at m(t').

a is whole where a tour limit applies. Without one, a may be continuous: for whole x, lowering
every a to max(0, x[o,t] - x[o,t-1]) keeps every row (fewer departures only loosen rotation)
and is what the cost stage chooses; the tours are read with exactly those arrivals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import BuildContext


def add_tours(ctx: BuildContext) -> None:
    """Arrival columns and the flow, tour-length and rotation rows of a timed workbook."""
    assert ctx.x is not None
    x = ctx.x
    pl = ctx.data.pledges
    limit = pl["tour_months"].to_numpy(dtype=float)[x["pledge_idx"].to_numpy()]
    whole = ~np.isnan(limit)
    keys = ctx.xkeys(np.arange(len(x)))
    ub = x["ub"].to_numpy(dtype=float)
    arrive = np.empty(len(x), dtype=np.int64)
    for mask, integer in ((whole, True), (~whole, False)):
        pos = np.flatnonzero(mask)
        if len(pos):
            arrive[pos] = ctx.lm.add_vars(
                "arrive" if integer else "arrive.free",
                [keys[i] for i in pos],
                0,
                ub[pos],
                integer=integer,
                origin="Pledges tours (arrivals)",
            )
    ctx.x = x = x.assign(arrive=arrive)
    previous = previous_position(x)
    _flow_rows(ctx, previous, keys)
    _tour_rows(ctx, limit, keys)
    _rotation_rows(ctx, previous)


def option_codes(x: pd.DataFrame) -> np.ndarray:
    """One code per option (c,k,s) of each x position (x is sorted by option, then period)."""
    key = pd.MultiIndex.from_arrays([x["contributor"], x["capability"], x["site"]])
    return pd.factorize(key)[0]


def previous_position(x: pd.DataFrame) -> np.ndarray:
    """Position in x of the same option in the period before, or -1 (no column there). x is
    sorted by option, then period, so it can only be the position just before."""
    option, t = option_codes(x), x["t"].to_numpy()
    prev = np.arange(len(x)) - 1
    ok = (prev >= 0) & (option == np.roll(option, 1)) & (t - 1 == np.roll(t, 1))
    return np.where(ok, prev, -1).astype(np.int64)


def _flow_rows(ctx: BuildContext, previous: np.ndarray, keys: list[tuple]) -> None:
    """x[o,t] - x[o,t-1] - a[o,t] <= 0, and a[o,t] - x[o,t] <= 0 where a is whole."""
    assert ctx.x is not None
    n = len(ctx.x)
    xcol = ctx.x["col"].to_numpy()
    acol = ctx.x["arrive"].to_numpy()
    has_prev = np.flatnonzero(previous >= 0)
    ctx.lm.add_rows(
        "flow",
        keys,
        np.concatenate([np.arange(n), has_prev, np.arange(n)]),
        np.concatenate([xcol, xcol[previous[has_prev]], acol]),
        np.concatenate([np.ones(n), -np.ones(len(has_prev)), -np.ones(n)]),
        -np.inf,
        0.0,
        origin="Pledges tours (arrivals)",
        kind="flow",
    )
    whole = np.flatnonzero(~np.isnan(_limits(ctx)))
    ctx.lm.add_rows(
        "arrive.stay",
        [keys[i] for i in whole],
        np.concatenate([np.arange(len(whole)), np.arange(len(whole))]),
        np.concatenate([acol[whole], xcol[whole]]),
        np.concatenate([np.ones(len(whole)), -np.ones(len(whole))]),
        -np.inf,
        0.0,
        origin="Pledges tours (arrivals)",
        kind="flow",
    )


def _limits(ctx: BuildContext) -> np.ndarray:
    assert ctx.x is not None
    return ctx.data.pledges["tour_months"].to_numpy(dtype=float)[ctx.x["pledge_idx"].to_numpy()]


def _tour_rows(ctx: BuildContext, limit: np.ndarray, keys: list[tuple]) -> None:
    """x[o,t] <= sum of a[o,t'] over t' in W(t), where the window does not reach the option's
    first period (else the row is implied by flow)."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    option = option_codes(x)
    t = x["t"].to_numpy()
    first_of_option = pd.Series(np.arange(len(x))).groupby(option).transform("min").to_numpy()
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_keys: list[tuple] = []
    xcol, acol = x["col"].to_numpy(), x["arrive"].to_numpy()
    for i in np.flatnonzero(~np.isnan(limit)).tolist():
        end = offset[t[i]] + months[t[i]]
        window = [
            j
            for j in range(first_of_option[i], i + 1)
            if option[j] == option[i] and end - offset[t[j]] <= limit[i]
        ]
        if window and window[0] == first_of_option[i] and _contiguous(t, window[0], int(i)):
            continue  # every arrival since the option's first period counts: flow implies it
        r = len(row_keys)
        row_keys.append(keys[i])
        rows += [r] * (1 + len(window))
        cols += [int(xcol[i]), *(int(acol[j]) for j in window)]
        vals += [1.0, *([-1.0] * len(window))]
    ctx.lm.add_rows(
        "tour",
        row_keys,
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(vals),
        -np.inf,
        0.0,
        origin="Pledges tour_months",
        kind="tour",
    )


def _contiguous(t: np.ndarray, first: int, last: int) -> bool:
    """Positions first..last of one option hold consecutive periods."""
    return bool(t[last] - t[first] == last - first)


def _rotation_rows(ctx: BuildContext, previous: np.ndarray) -> None:
    """Per pledge and period: units present + units at home in dwell <= pledged units. No row
    where the pledge has no dwell and its options' bounds cannot exceed its units."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    pl = ctx.data.pledges
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    dwell = pl["dwell_months"].fillna(0).to_numpy(dtype=np.int64)
    pledge, t = x["pledge_idx"].to_numpy(), x["t"].to_numpy()
    xcol, acol = x["col"].to_numpy(), x["arrive"].to_numpy()
    ub = x["ub"].to_numpy(dtype=float)
    following = next_position(previous)
    terms: dict[tuple[int, int], dict[int, float]] = {}
    reach: dict[tuple[int, int], float] = {}

    def put(key: tuple[int, int], col: int, val: float) -> None:
        row = terms.setdefault(key, {})
        row[col] = row.get(col, 0.0) + val

    for i in range(len(x)):
        key = (int(pledge[i]), int(t[i]))
        put(key, int(xcol[i]), 1.0)
        reach[key] = reach.get(key, 0.0) + ub[i]
    for i in range(len(x)):
        p = int(pledge[i])
        if dwell[p] <= 0:
            continue
        # d[o,t] = x[o,t-1] + a[o,t] - x[o,t]; where the option stops, d[o,t+1] = x[o,t]
        leaving = [(int(t[i]), [(int(acol[i]), 1.0), (int(xcol[i]), -1.0)])]
        if previous[i] >= 0:
            leaving[0][1].append((int(xcol[previous[i]]), 1.0))
        if following[i] < 0 and t[i] + 1 < len(offset):
            leaving.append((int(t[i]) + 1, [(int(xcol[i]), 1.0)]))
        for leave, parts in leaving:
            if leave == 0:
                continue  # nobody leaves before the first period
            start = offset[leave]
            home = np.flatnonzero((offset >= start) & (offset < start + dwell[p])).tolist()
            for at_home in home:
                for col, val in parts:
                    put((p, at_home), col, val)
    units = pl["units"].to_numpy(dtype=float)
    keys: list[tuple] = []
    periods: list[int] = []
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    upper: list[float] = []
    for (p, period), row in sorted(terms.items()):
        if dwell[p] == 0 and reach.get((p, period), 0.0) <= units[p] and not ctx.explain:
            continue
        coefs = {c: v for c, v in row.items() if v != 0}
        rows += [len(keys)] * len(coefs)
        cols += list(coefs)
        vals += list(coefs.values())
        keys.append((pl["contributor"].iloc[p], pl["capability"].iloc[p]))
        periods.append(period)
        upper.append(units[p])
    ctx.lm.add_rows(
        "pledge",
        ctx.keyed(keys, np.array(periods, dtype=np.int64)),
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(vals),
        -np.inf,
        np.array(upper),
        origin="Pledges",
        kind="pledge",
    )


def next_position(previous: np.ndarray) -> np.ndarray:
    """Position of the same option in the period after, or -1: the inverse of `previous`."""
    following = np.full(len(previous), -1, dtype=np.int64)
    has = previous >= 0
    following[previous[has]] = np.flatnonzero(has)
    return following
