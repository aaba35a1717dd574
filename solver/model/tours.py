"""Tours in the model (timed workbooks): arrivals, tour lengths, rotation and dwell (`time.md`).

The plan is a set of tours; the model does not enumerate them. Per allocation option o = (c,k,s)
and period t it has the units present x[o,t] (block `x`) and the units arriving a[o,t] (block
`arrive`, key (c, k, s, period)); the units departing at the start of t (their tour's last
period is t-1) are d[o,t] = x[o,t-1] + a[o,t] - x[o,t]. Rows:

    flow      (block `flow`, key (c,k,s,period)):     x[o,t] - x[o,t-1] - a[o,t]  <=  0
    arrive    (block `arrive.stay`, same key):         a[o,t] - x[o,t]             <=  0
    tour      (block `tour`, same key; L set):         x[o,t] - sum_{t' in W(t)} a[o,t'] <= 0
    rotation  (block `pledge`, key (c,k,period)):
        sum_s x[c,k,s,t] + sum_s sum_{t' in D(t)} d[c,k,s,t']  <=  max(0, U[c,k] - H[c,k,t])

    o = (c,k,s)  an allocation option; x[o,t] = 0 where the option has no column in t
    m(t)         the month offset of period t; months(t) its length
    L            the pledge's tour_months (blank: no `tour` rows)
    W(t)         { t' <= t : m(t) + months(t) - m(t') <= L }, the arrivals a unit present in t
                 may come from without staying longer than L months
    D(t)         { 1 <= t' <= t : m(t') <= m(t) < m(t') + dwell_months }, the departures whose
                 units are still at home in dwell in t (a tour ending at e = m(t') counts in
                 every t with e <= m(t) < e + dwell)
    U[c,k]       the pledged units
    H[c,k,t]     a rolling re-plan's units still at home in t from tours that ended before the
                 first period (`baseline.dwell_before`; 0 without a baseline file of an earlier
                 horizon): what the baseline's history holds back

Why this is exact. flow and arrive.stay make d >= 0 and d <= x[o,t-1]. Matching departures to
the oldest units present (first in, first out), the units present in t are the latest x[o,t]
arrivals, so `tour` holds if and only if every unit present in t arrived within L months: each
FIFO tour is at most L months long, and any plan of valid tours satisfies the rows. Rotation is
rule 3 of `time.md` word for word, since d counts the units whose tours end at m(t').

A rolling re-plan's tours running into the first period are carried into it, not arrivals:
model/history.py (P, C, Q) changes the bounds of flow, tour and rotation as it says.

a is whole where a tour limit applies. Without one, a may be continuous: for whole x, lowering
every a to max(0, x[o,t] - x[o,t-1]) keeps every row (fewer departures only loosen rotation)
and is what the cost stage chooses; the tours are read with exactly those arrivals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..baseline import dwell_before
from .context import BuildContext
from .history import carried_off_bound, carried_units, may_stay
from .linear import ranges
from .locked_apart import Apart, add_held_apart, flow_terms, stay_terms, tour_terms
from .option_columns import X_TIMED_COLUMNS, checked


def add_tours(ctx: BuildContext) -> None:
    """Arrival columns and the flow, tour-length and rotation rows of a timed workbook."""
    assert ctx.x is not None
    x = ctx.x
    limit = tour_limits(ctx)
    whole = ~np.isnan(limit)  # a tour limit: whole arrivals (the model's and as read)
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
    ctx.x = x = checked(x.assign(arrive=arrive), X_TIMED_COLUMNS, "ctx.x")
    previous = previous_position(x)
    carried = carried_units(ctx)  # P[o] in period 0 (model/history.py), else 0
    apart = add_held_apart(ctx)  # h of the locked tours held apart (model/locked_apart.py)
    _flow_rows(ctx, previous, keys, carried, apart)
    _tour_rows(ctx, limit, keys, carried, apart)
    _rotation_rows(ctx, previous, carried)


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


def _flow_rows(
    ctx: BuildContext,
    previous: np.ndarray,
    keys: list[tuple],
    carried: np.ndarray,
    apart: Apart,
) -> None:
    """x[o,t] - x[o,t-1] - a[o,t] <= P[o] (in period 0), and a[o,t] - x[o,t] <= 0 where a
    is whole; with the terms of the locked tours held apart (`apart`, model/locked_apart.py)."""
    assert ctx.x is not None
    n = len(ctx.x)
    xcol = ctx.x["col"].to_numpy()
    acol = ctx.x["arrive"].to_numpy()
    has_prev = np.flatnonzero(previous >= 0)
    held = flow_terms(apart, previous)
    ctx.lm.add_rows(
        "flow",
        keys,
        np.concatenate([np.arange(n), has_prev, np.arange(n), held[0]]),
        np.concatenate([xcol, xcol[previous[has_prev]], acol, held[1]]),
        np.concatenate([np.ones(n), -np.ones(len(has_prev)), -np.ones(n), held[2]]),
        -np.inf,
        carried,
        origin="Pledges tours (arrivals)",
        kind="flow",
    )
    whole = np.flatnonzero(~np.isnan(tour_limits(ctx)))
    held = stay_terms(apart, whole)
    ctx.lm.add_rows(
        "arrive.stay",
        [keys[i] for i in whole],
        np.concatenate([np.arange(len(whole)), np.arange(len(whole)), held[0]]),
        np.concatenate([acol[whole], xcol[whole], held[1]]),
        np.concatenate([np.ones(len(whole)), -np.ones(len(whole)), held[2]]),
        -np.inf,
        0.0,
        origin="Pledges tours (arrivals)",
        kind="flow",
    )


def tour_limits(ctx: BuildContext) -> np.ndarray:
    """Per x position: its pledge's tour_months, NaN without a tour limit. Where there is one,
    the arrivals are whole columns, and read as solved (`tour_reading.arrivals_as_read`)."""
    assert ctx.x is not None
    return ctx.data.pledges["tour_months"].to_numpy(dtype=float)[ctx.x["pledge_idx"].to_numpy()]


def _tour_rows(
    ctx: BuildContext,
    limit: np.ndarray,
    keys: list[tuple],
    carried: np.ndarray,
    apart: Apart,
) -> None:
    """x[o,t] <= sum of a[o,t'] over t' in W(t), where the window does not reach the option's
    first period (else the row is implied by flow); with locked tours held apart, for the
    other units: - L[o,t] + sum of AL[o,t'] over W(t) on the left (model/locked_apart.py).

    x is sorted by option, then period, so W(t) of position i is the positions lo..i of its
    option with m(t') >= m(t) + months(t) - L: one binary search over (option, m) for all i
    (lo > i where even t itself is too long for L: the row then holds x[o,t] at 0)."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    option = option_codes(x)
    t = x["t"].to_numpy(dtype=np.int64)
    first = _first_of_option(option)
    horizon = int(offset[-1] + months[-1]) + 1 if len(offset) else 1
    along_x = option * horizon + offset[t]  # nondecreasing: x is sorted by option, then period
    at = np.flatnonzero(~np.isnan(limit))
    earliest = np.ceil(offset[t[at]] + months[t[at]] - limit[at]).astype(np.int64)
    lo = np.searchsorted(along_x, option[at] * horizon + earliest, side="left")
    lo = np.maximum(lo, first[at])
    unbroken = t[at] - t[first[at]] == at - first[at]  # its periods unbroken from its first
    implied = (lo <= at) & (lo == first[at]) & unbroken
    stay = may_stay(ctx, at, limit[at], unbroken & (t[first[at]] == 0))  # C[o,t] (history.py)
    implied &= stay >= carried[first[at]]
    row_at, lo, stay = at[~implied], lo[~implied], stay[~implied]
    size = np.maximum(row_at - lo + 1, 0)
    held = tour_terms(apart, row_at, lo)
    row = np.arange(len(row_at))
    xcol, acol = x["col"].to_numpy(), x["arrive"].to_numpy()
    ctx.lm.add_rows(
        "tour",
        [keys[i] for i in row_at.tolist()],
        np.concatenate([row, np.repeat(row, size), held[0]]),
        np.concatenate([xcol[row_at], acol[ranges(lo, size)], held[1]]),
        np.concatenate([np.ones(len(row_at)), -np.ones(int(size.sum())), held[2]]),
        -np.inf,
        stay,
        origin="Pledges tour_months",
        kind="tour",
    )


def _first_of_option(option: np.ndarray) -> np.ndarray:
    """Per position of x (sorted by option), the position of its option's first period."""
    starts = np.ones(len(option), dtype=bool)
    starts[1:] = option[1:] != option[:-1]
    return np.maximum.accumulate(np.where(starts, np.arange(len(option)), 0))


Terms = tuple[np.ndarray, np.ndarray, np.ndarray]  # row key p * n_periods + t, column, value


def _rotation_rows(ctx: BuildContext, previous: np.ndarray, carried: np.ndarray) -> None:
    """Per pledge and period: units present + units at home in dwell <= pledged units. No row
    where the pledge has no dwell and its options' bounds cannot exceed its units.

    Built as terms (row key p * n_periods + t, column, coefficient), summed per row and
    column: x[o,t] in row (p, t); each departure d[o,l] = x[o,l-1] + a[o,l] - x[o,l] (l >= 1),
    and x[o,t] again at l = t+1 where the option has no column after t, in every row (p, h)
    with m(l) <= m(h) < m(l) + dwell_months[p]."""
    assert ctx.x is not None and ctx.data.periods is not None
    x = ctx.x
    pl = ctx.data.pledges
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    n_periods = len(offset)
    dwell = pl["dwell_months"].fillna(0).to_numpy(dtype=np.int64)
    units = pl["units"].to_numpy(dtype=float)
    pledge = x["pledge_idx"].to_numpy(dtype=np.int64)
    t = x["t"].to_numpy(dtype=np.int64)
    xcol = x["col"].to_numpy(dtype=np.int64)
    acol = x["arrive"].to_numpy(dtype=np.int64)
    present = (pledge * n_periods + t, xcol, np.ones(len(x)))
    departures = _departure_terms(pledge, t, xcol, acol, previous, n_periods)
    departures = _joined(
        [departures, _carried_departure_terms(carried, pledge, xcol, acol, n_periods)]
    )
    keys, row, col, val = _summed(_joined([present, _at_home(departures, dwell, offset)]))
    p, period = keys // n_periods, keys % n_periods
    reach = pd.Series(x["ub"].to_numpy(dtype=float)).groupby(present[0]).sum()
    can_exceed = reach.reindex(keys, fill_value=0.0).to_numpy() > units[p]
    home = (_home_before(ctx, n_periods) + carried_off_bound(ctx, offset, dwell))[p, period]
    kept = (dwell[p] > 0) | can_exceed | ctx.explain | (home > 0)
    new_row = np.cumsum(kept) - 1
    on = kept[row]
    contributor = pl["contributor"].to_numpy(dtype=object)
    capability = pl["capability"].to_numpy(dtype=object)
    ctx.lm.add_rows(
        "pledge",
        ctx.keyed(list(zip(contributor[p[kept]], capability[p[kept]], strict=True)), period[kept]),
        new_row[row[on]],
        col[on],
        val[on],
        -np.inf,
        np.maximum(units[p[kept]] - home[kept], 0.0),
        origin="Pledges",
        kind="pledge",
    )
    over = kept & (home > units[p])  # committed before the horizon beyond the pledge
    if over.any():
        _present_rows(ctx, present, keys[over], units, n_periods)


def _present_rows(
    ctx: BuildContext, present: Terms, keys: np.ndarray, units: np.ndarray, n_periods: int
) -> None:
    """sum_s x[c,k,s,t] <= U[c,k] for the row keys p * n_periods + t given (model/history.py:
    where a rotation row's bound is clamped at 0, the pledge still caps what is deployed)."""
    key, col, val = present
    at = np.flatnonzero(np.isin(key, keys))
    pl = ctx.data.pledges
    p = keys // n_periods
    names = list(zip(pl["contributor"].to_numpy()[p], pl["capability"].to_numpy()[p], strict=True))
    ctx.lm.add_rows(
        "pledge.present",
        ctx.keyed(names, keys % n_periods),
        np.searchsorted(keys, key[at]),
        col[at],
        val[at],
        -np.inf,
        units[p],
        origin="Pledges",
        kind="pledge",
    )


def _home_before(ctx: BuildContext, n_periods: int) -> np.ndarray:
    """H[p, t] per pledge and period (the module's docstring)."""
    assert ctx.data.periods is not None
    pl = ctx.data.pledges
    home = np.zeros((len(pl), n_periods))
    pledges = list(zip(pl["contributor"], pl["capability"], strict=True))
    dwell_of = dict(zip(pledges, pl["dwell_months"], strict=True))
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    before = dwell_before(ctx.data.baseline, offset, dwell_of)
    index = {key: i for i, key in enumerate(pledges)}
    for c, k, t, _, n in before.itertuples(index=False):
        if (c, k) in index:
            home[index[(c, k)], int(t)] += float(n)
    return home


def _carried_departure_terms(
    carried: np.ndarray, pledge: np.ndarray, xcol: np.ndarray, acol: np.ndarray, n_periods: int
) -> Terms:
    """a[o,0] - x[o,0] of the departure d[o,0] = P[o] + a[o,0] - x[o,0] of each option with
    units carried into period 0 (`carried`: P per x position; model/history.py: P is off the
    rotation rows' bound)."""
    at = np.flatnonzero(carried > 0)
    leave = pledge[at] * n_periods  # period 0
    return (
        np.concatenate([leave, leave]),
        np.concatenate([acol[at], xcol[at]]),
        np.concatenate([np.ones(len(at)), -np.ones(len(at))]),
    )


def _departure_terms(
    pledge: np.ndarray,
    t: np.ndarray,
    xcol: np.ndarray,
    acol: np.ndarray,
    previous: np.ndarray,
    n_periods: int,
) -> Terms:
    """The terms of each departure, keyed by its pledge and the period l it leaves in:
    a[o,l] - x[o,l] + x[o,l-1] (l = t >= 1), and x[o,t] leaving at t+1 where the option
    stops after t (not past the last period)."""
    at = t >= 1
    has_previous = at & (previous >= 0)
    stops = (next_position(previous) < 0) & (t + 1 < n_periods)
    leave = pledge * n_periods + t
    return _joined(
        [
            (leave[at], acol[at], np.ones(int(at.sum()))),
            (leave[at], xcol[at], -np.ones(int(at.sum()))),
            (leave[has_previous], xcol[previous[has_previous]], np.ones(int(has_previous.sum()))),
            (leave[stops] + 1, xcol[stops], np.ones(int(stops.sum()))),
        ]
    )


def _at_home(departures: Terms, dwell: np.ndarray, offset: np.ndarray) -> Terms:
    """Each departure term of pledge p in period l, repeated in every row (p, h) with
    m(l) <= m(h) < m(l) + dwell[p] (in none where the pledge has no dwell)."""
    key, col, val = departures
    n_periods = len(offset)
    p, leave = key // n_periods, key % n_periods
    until = np.searchsorted(offset, offset[leave] + dwell[p], side="left")
    count = np.maximum(until - leave, 0)
    term = np.repeat(np.arange(len(key)), count)
    return np.repeat(p * n_periods, count) + ranges(leave, count), col[term], val[term]


def _joined(parts: list[Terms]) -> Terms:
    """The terms of every part, one after another."""
    key, col, val = (np.concatenate(column) for column in zip(*parts, strict=True))
    return key, col, val


def _summed(terms: Terms) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Terms added up per (row key, column): the row keys in order (every key a term names,
    even where its coefficients cancel), and per nonzero sum its row (a position in those
    keys), column and value."""
    key, col, val = terms
    keys, row_of = np.unique(key, return_inverse=True)
    width = int(col.max()) + 1 if len(col) else 1
    cell, cell_of = np.unique(row_of * width + col, return_inverse=True)
    summed = np.bincount(cell_of, weights=val, minlength=len(cell))
    nonzero = summed != 0
    return keys, cell[nonzero] // width, cell[nonzero] % width, summed[nonzero]


def next_position(previous: np.ndarray) -> np.ndarray:
    """Position of the same option in the period after, or -1: the inverse of `previous`."""
    following = np.full(len(previous), -1, dtype=np.int64)
    has = previous >= 0
    following[previous[has]] = np.flatnonzero(has)
    return following
