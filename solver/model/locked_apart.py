"""Locked baseline tours held apart from the other units of their option (re-plans, in time).

Tours are read first in, first out (model/tours.py, model/tour_reading.py): the units leaving an
option are its oldest. A locked tour under a tour limit can need a younger unit to leave before
an older one: a re-plan trial's baseline (one nation, S1 needing 2 INF in P1..P3, tours of at
most 3 months: P1..P3, P1..P1, P2..P2 locked, P3..P3, 4 arrivals) kept every rule, but first in,
first out its locked unit could not leave after P2 while the P1..P3 unit stayed, so the plan
cost 5 arrivals and was said optimal. So each such tour is held apart: its units are a tour of
the plan of their own, and the option's tour rows bind the other units alone.

A locked tour q of option o = (c,k,s) with dates first(q)..last(q) and u(q) units is held
apart when its pledge has a tour limit T, every period of it has an x column, and its units are
not carried in from before the horizon (model/history.py). Its units held apart are a whole
column h[q] (`locked.apart`), fixed at u(q); in a model built to explain infeasibility
0 <= h[q] <= u(q), and the row `locked.apart` h[q] >= u(q) is part of the option's lock (a rule
the conflict search switches off and the smallest change relaxes):

    L[o,t]  = sum of h[q] over the tours q held apart with first(q) <= t <= last(q)
    AL[o,t] = sum of h[q] over those with first(q) = t

The other units are x'[o,t] = x[o,t] - L[o,t], arriving a'[o,t] = a[o,t] - AL[o,t], and the
rows of model/tours.py are written for them (`tour_terms`, `stay_terms`, `flow_terms`):

    tour         x[o,t] - sum_{t' in W(t)} a[o,t'] - L[o,t] + sum_{t' in W(t)} AL[o,t']  <=  C
    arrive.stay  a[o,t] - x[o,t] - AL[o,t] + L[o,t]                                     <=  0
    flow         x[o,t] - x[o,t-1] - a[o,t] + sum of h[q] over q with last(q) = t-1     <=  P

(the flow of x': L[o,t] - L[o,t-1] - AL[o,t] is minus the units of the tours ending in t-1),
and x' >= 0, a' >= 0 (`apart.present` x[o,t] - L[o,t] >= 0, `apart.arrive` a[o,t] - AL[o,t]
>= 0). So the tour's dates are its own rows', and model/baseline.py writes no `locked.arrive`
or `locked.leave` for it: in a model built to explain infeasibility, two locked tours of one
unit that must become one tour give way by their h, 1 unit each, not by their dates as well.
Rotation counts every departure alike, so it is unchanged.

A locked tour longer than T (len(q) = m(last(q)) + months(last(q)) - m(first(q)) > T) is held
apart too, and its units are a tour the limit forbids (time.md rule 2), written as a row of the
pledge's tour-length rule (class `tour`, key (c,k): switched off and relaxed with its `tour`
rows):

    tour.apart   (key (c,k,s,first,last), each q with len(q) > T):   h[q]  <=  0

The lock demands h[q] = u(q) > 0 and the limit h[q] = 0: the model is infeasible, and the
conflict is the lock and the tour limit (replanning.md: a locked tour stands as it is, and a
lock that cannot hold makes the workbook infeasible; before, the lock was held in shorter tours,
the plan said optimal, its Asks asking the nation to re-cut it: a contract audit).

Exact: a tour held apart no longer than T is valid by itself, the other units are read first in,
first out among themselves, which the rows above make valid, and every plan of valid tours
holding the locked ones satisfies them; one longer than T is no valid tour, and no plan holds
it. In an explain model this holds for every h between 0 (no tour held apart) and u. The tours
are read with the tours held apart first, then the other units (model/tour_reading.py).

    h[q]    units of locked tour q held apart (column `locked.apart`, key (c,k,s,first,last))
    u(q)    its locked units (summed over the Baseline rows of the same option and dates)
    len(q)  its months, m(last(q)) + months(last(q)) - m(first(q))
    T       the pledge's tour_months (none: no tour is held apart)
    W(t)    the periods t' of o with m(t') >= m(t) + months(t) - T (model/tours.py)
    C, P    the tour row's and flow row's right-hand sides of model/tours.py
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .context import X_KEY, BuildContext
from .linear import ranges

APART_COLUMNS = [*X_KEY, "first_t", "last_t", "units"]


class Apart(NamedTuple):
    """The tours held apart in the model: per tour its column h[q], and the x positions of its
    first and last periods (a tour's periods are consecutive positions of x)."""

    cols: np.ndarray
    first: np.ndarray
    last: np.ndarray


def held_apart(ctx: BuildContext) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The locked tours held apart (the module's docstring): option, first_t, last_t and
    units, summed per option and dates (empty without any); and per x position their L[o,t]
    and AL[o,t] at h = u (the plan of a model whose locks hold)."""
    assert ctx.x is not None
    present, arriving = np.zeros(len(ctx.x)), np.zeros(len(ctx.x))
    tours, first, last = _held(ctx)
    for a, b, units in zip(first, last, tours["units"], strict=True):
        present[a : b + 1] += float(units)
        arriving[a] += float(units)
    return tours, present, arriving


def add_held_apart(ctx: BuildContext) -> Apart:
    """The columns h[q] of the tours held apart, their rows `apart.present` and `apart.arrive`,
    and in a model built to explain infeasibility the lock's rows `locked.apart` (the module's
    docstring)."""
    tours, first, last = _held(ctx)
    if not len(tours):
        return Apart(np.zeros(0, dtype=np.int64), first, last)
    units = tours["units"].to_numpy(dtype=float)
    names = np.array(ctx.data.period_names, dtype=object)
    keys = [
        (*r[:3], names[int(r.first_t)], names[int(r.last_t)]) for r in tours.itertuples(index=False)
    ]
    origin = f"{ctx.baseline_source()} lock"
    cols = ctx.lm.add_vars(
        "locked.apart", keys, 0.0 if ctx.explain else units, units, integer=True, origin=origin
    )
    apart = Apart(cols, first, last)
    if ctx.explain:
        n = len(tours)
        ctx.lm.add_rows(
            "locked.apart",
            keys,
            np.arange(n),
            cols,
            1.0,
            units,
            np.inf,
            origin=origin,
            kind="locked",
        )
    _units_rows(ctx, apart, origin)
    _too_long_rows(ctx, tours, cols)
    return apart


def held_rows(ctx: BuildContext, rows: pd.DataFrame) -> np.ndarray:
    """Per locked Baseline row of `rows`: it is part of a tour held apart (whose arrival and
    departure its column's rows make, not model/baseline.py's `locked.arrive` and `.leave`)."""
    tours = _held(ctx)[0]
    held = set(tours[[*X_KEY, "first_t", "last_t"]].itertuples(index=False, name=None))
    carried = carried_rows(ctx)
    keys = rows[[*X_KEY, "first_t", "last_t"]].itertuples(index=False, name=None)
    wheres = rows["where"].tolist()
    return np.array(
        [key in held and where not in carried for key, where in zip(keys, wheres, strict=True)],
        dtype=bool,
    )


def _units_rows(ctx: BuildContext, apart: Apart, origin: str) -> None:
    """apart.present x[o,t] - L[o,t] >= 0 over each tour's periods, apart.arrive
    a[o,first] - AL[o,first] >= 0 (rows of the model, not of a rule: where the lock is
    switched off, h may fall below u but not the units present below h)."""
    assert ctx.x is not None
    count = apart.last - apart.first + 1
    every = np.arange(len(apart.cols))
    for name, pos, tour, column in (
        ("apart.present", ranges(apart.first, count), np.repeat(every, count), "col"),
        ("apart.arrive", apart.first, every, "arrive"),
    ):
        rows, row_of = np.unique(pos, return_inverse=True)
        ctx.lm.add_rows(
            name,
            ctx.xkeys(rows),
            np.concatenate([np.arange(len(rows)), row_of]),
            np.concatenate([ctx.x[column].to_numpy()[rows], apart.cols[tour]]),
            np.concatenate([np.ones(len(rows)), -np.ones(len(tour))]),
            0.0,
            np.inf,
            origin=origin,
            kind="flow",
        )


def _too_long_rows(ctx: BuildContext, tours: pd.DataFrame, cols: np.ndarray) -> None:
    """tour.apart h[q] <= 0 for each tour held apart longer than its pledge's tour limit (the
    module's docstring): a row of the pledge's tour-length rule, not of the lock."""
    over = np.flatnonzero(_months(ctx, tours) > _limits(ctx, tours))
    if not len(over):
        return
    names = ctx.data.period_names
    ctx.lm.add_rows(
        "tour.apart",
        [
            (*r[:3], names[int(r.first_t)], names[int(r.last_t)])
            for r in tours.iloc[over].itertuples(index=False)
        ],
        np.arange(len(over)),
        cols[over],
        1.0,
        -np.inf,
        0.0,
        origin="Pledges tour_months",
        kind="tour",
    )


def tour_terms(apart: Apart, row_at: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, ...]:
    """The terms -L[o,t] + sum_{t' in W(t)} AL[o,t'] of the tour rows (row r at x position
    row_at[r], its window the positions lo[r]..row_at[r]): per tour q, -1 where it covers t and
    began before the window, +1 where it began in the window and ended before t. As (row,
    column, value)."""
    parts = []
    for col, a, b in zip(apart.cols, apart.first, apart.last, strict=True):
        # row_at and lo are nondecreasing (x is sorted by option, then period): the rows a
        # tour can touch are those from its first period to its last, or to the last window
        # that holds its first
        start = np.searchsorted(row_at, a, side="left")
        end = max(np.searchsorted(row_at, b, side="right"), np.searchsorted(lo, a, side="right"))
        at, window = row_at[start:end], lo[start:end]
        coef = -((a <= at) & (at <= b)).astype(int) + ((window <= a) & (a <= at))
        rows = np.flatnonzero(coef)
        parts.append((start + rows, np.full(len(rows), col), coef[rows].astype(float)))
    return _joined(parts)


def stay_terms(apart: Apart, whole: np.ndarray) -> tuple[np.ndarray, ...]:
    """The terms L[o,t] - AL[o,t] of the arrive.stay rows (row r at x position whole[r]): +h[q]
    in every period of q but its first. As (row, column, value)."""
    count = apart.last - apart.first
    pos = ranges(apart.first + 1, count)
    cols = np.repeat(apart.cols, count)
    return np.searchsorted(whole, pos), cols, np.ones(len(pos))


def flow_terms(apart: Apart, previous: np.ndarray) -> tuple[np.ndarray, ...]:
    """The terms of the flow rows (row = x position): +h[q] in the period after q's last, where
    the option has a column then. As (row, column, value)."""
    after = apart.last + 1
    ok = after < len(previous)
    ok[ok] = previous[after[ok]] == apart.last[ok]
    return after[ok], apart.cols[ok], np.ones(int(ok.sum()))


def _joined(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _held(ctx: BuildContext) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The locked tours held apart, and the x positions of each one's first and last period;
    found once per model (the tours, the baseline's rows and the reading ask: `ctx.held`)."""
    if ctx.held is None:
        ctx.held = _held_tours(ctx)
    return ctx.held


def _held_tours(ctx: BuildContext) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    assert ctx.x is not None
    tours = _locked_tours(ctx)
    none = np.zeros(0, dtype=np.int64)
    if not len(tours):
        return tours, none, none
    index = pd.MultiIndex.from_frame(ctx.x[[*X_KEY, "t"]].astype({"t": np.int64}))
    spans = [  # the x positions of each tour's periods, -1 where the option has no column
        index.get_indexer([(*r[:3], t) for t in range(int(r.first_t), int(r.last_t) + 1)])
        for r in tours.itertuples(index=False)
    ]
    kept = _under_a_limit(ctx, tours, spans)
    first = np.array([pos[0] for pos, k in zip(spans, kept, strict=True) if k], dtype=np.int64)
    last = np.array([pos[-1] for pos, k in zip(spans, kept, strict=True) if k], dtype=np.int64)
    return tours[kept].reset_index(drop=True), first, last


def _locked_tours(ctx: BuildContext) -> pd.DataFrame:
    """The baseline's locked tours with units, not carried in, summed per option and dates;
    none without a baseline or in a snapshot."""
    baseline = ctx.data.baseline
    empty = pd.DataFrame(columns=APART_COLUMNS)
    if baseline is None or not ctx.timed:
        return empty
    locked = baseline.rows[baseline.rows["lock"] & (baseline.rows["units"] > 0)]
    locked = locked[~locked["where"].isin(carried_rows(ctx))]
    if not len(locked):
        return empty
    tours = locked.groupby([*X_KEY, "first_t", "last_t"], sort=True, as_index=False)["units"].sum()
    return tours[APART_COLUMNS]


def carried_rows(ctx: BuildContext) -> set:
    """The Baseline rows (`where`) whose units are carried in from before the horizon."""
    history = ctx.data.baseline.history if ctx.data.baseline is not None else None
    if history is None or not len(history):
        return set()
    return set(history.loc[history["carried"].astype(bool), "where"])


def _under_a_limit(ctx: BuildContext, tours: pd.DataFrame, spans: list[np.ndarray]) -> np.ndarray:
    """Per tour: its pledge has a tour limit (kept or not: one it breaks is held apart to be
    forbidden, `_too_long_rows`), and every period of it has a column (`spans`: its periods' x
    positions)."""
    whole = np.array([bool((pos >= 0).all()) for pos in spans], dtype=bool)
    return whole & ~np.isnan(_limits(ctx, tours))  # NaN: no limit, never held apart


def _limits(ctx: BuildContext, tours: pd.DataFrame) -> np.ndarray:
    """Per tour: its pledge's tour_months T (NaN without a limit)."""
    limit = ctx.data.pledges.set_index(["contributor", "capability"])["tour_months"]
    cap = limit.reindex(pd.MultiIndex.from_frame(tours[["contributor", "capability"]]))
    return cap.to_numpy(dtype=float)


def _months(ctx: BuildContext, tours: pd.DataFrame) -> np.ndarray:
    """Per tour: len(q) = m(last) + months(last) - m(first)."""
    assert ctx.data.periods is not None
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    first = tours["first_t"].to_numpy(dtype=np.int64)
    last = tours["last_t"].to_numpy(dtype=np.int64)
    return offset[last] + months[last] - offset[first]


def period_columns_apart(ctx: BuildContext, n_periods: int) -> list[np.ndarray]:
    """Per period, the columns h[q] of the tours held apart that cover it (fixed at 0 with the
    units of any period of theirs, explain/conflict_time.py)."""
    blocks = [b for b in ctx.lm.var_blocks if b.name == "locked.apart"]
    at: list[list[int]] = [[] for _ in range(n_periods)]
    period_of = {name: t for t, name in enumerate(ctx.data.period_names)}
    for block in blocks:
        for col, key in zip(block.cols.tolist(), block.keys, strict=True):
            for t in range(period_of[key[-2]], period_of[key[-1]] + 1):
                at[t].append(col)
    return [np.array(cols, dtype=np.int64) for cols in at]
