"""Locked baseline tours held apart from the other units of their option (re-plans, in time).

Tours are read first in, first out (model/tours.py, model/tour_reading.py): the units leaving an
option are its oldest. A locked tour under a tour limit can need a younger unit to leave before
an older one: a re-plan trial's baseline (one nation, S1 needing 2 INF in P1..P3, tours of at
most 3 months: P1..P3, P1..P1, P2..P2 locked, P3..P3, 4 arrivals) kept every rule, but first in,
first out its locked unit could not leave after P2 while the P1..P3 unit stayed, so the plan
cost 5 arrivals and was said optimal. So each such tour is held apart: its units are a fixed
part of the plan, and the option's tour rows bind the other units alone.

For a locked tour q of option o = (c,k,s) with dates first(q)..last(q) and u(q) units, held
apart when its pledge has a tour limit T, the tour is no longer than T, every period of it has
an x column, its units are not carried in from before the horizon (model/history.py), and the
model is not one built to explain infeasibility (whose smallest change relaxes the locks):

    L[o,t]  = sum of u(q) over the tours q held apart with first(q) <= t <= last(q)
    AL[o,t] = sum of u(q) over those with first(q) = t

The other units are x'[o,t] = x[o,t] - L[o,t], arriving a'[o,t] = a[o,t] - AL[o,t], and the
rows of model/tours.py are written for them:

    tour         x[o,t] - sum_{t' in W(t)} a[o,t']  <=  L[o,t] - sum_{t' in W(t)} AL[o,t']
    arrive.stay  a[o,t] - x[o,t]                    <=  AL[o,t] - L[o,t]

with x' >= 0 and a' >= 0 the `locked` and `locked.arrive` rows, and the flow of x' the
`locked.leave` row where a tour held apart ends (elsewhere it is the option's `flow` row:
L changes only where such a tour begins or ends). Rotation counts every departure alike, so it
is unchanged. Exact: a tour held apart is valid by itself (no longer than T), the other units
are read first in, first out among themselves, which the rows above make valid, and every plan
of valid tours holding the locked ones satisfies them. The tours are read with the tours held
apart first, then the other units (model/tour_reading.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import X_KEY, BuildContext

APART_COLUMNS = [*X_KEY, "first_t", "last_t", "units"]


def held_apart(ctx: BuildContext) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The locked tours held apart (the module's docstring): option, first_t, last_t and
    units, summed per option and dates (empty without any); and per x position their L[o,t]
    and AL[o,t]."""
    assert ctx.x is not None
    present, arriving = np.zeros(len(ctx.x)), np.zeros(len(ctx.x))
    tours = _locked_tours(ctx)
    if not len(tours):
        return tours, present, arriving
    index = pd.MultiIndex.from_frame(ctx.x[[*X_KEY, "t"]].astype({"t": np.int64}))
    spans = [  # the x positions of each tour's periods, -1 where the option has no column
        index.get_indexer([(*r[:3], t) for t in range(int(r.first_t), int(r.last_t) + 1)])
        for r in tours.itertuples(index=False)
    ]
    kept = _within_limit(ctx, tours, spans)
    for pos, units, held in zip(spans, tours["units"], kept, strict=True):
        if held:
            present[pos] += float(units)
            arriving[pos[0]] += float(units)
    return tours[kept].reset_index(drop=True), present, arriving


def _locked_tours(ctx: BuildContext) -> pd.DataFrame:
    """The baseline's locked tours with units, not carried in, summed per option and dates;
    none without a baseline, in a snapshot, or in a model built to explain infeasibility."""
    baseline = ctx.data.baseline
    empty = pd.DataFrame(columns=APART_COLUMNS)
    if baseline is None or ctx.explain or not ctx.timed:
        return empty
    locked = baseline.rows[baseline.rows["lock"] & (baseline.rows["units"] > 0)]
    history = baseline.history
    if history is not None and len(history):
        carried = set(history.loc[history["carried"].astype(bool), "where"])
        locked = locked[~locked["where"].isin(carried)]
    if not len(locked):
        return empty
    tours = locked.groupby([*X_KEY, "first_t", "last_t"], sort=True, as_index=False)["units"].sum()
    return tours[APART_COLUMNS]


def _within_limit(ctx: BuildContext, tours: pd.DataFrame, spans: list[np.ndarray]) -> np.ndarray:
    """Per tour: its pledge has a tour limit it keeps, and every period of it has a column
    (`spans`: its periods' x positions)."""
    assert ctx.data.periods is not None
    offset = ctx.data.periods["offset"].to_numpy(dtype=np.int64)
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    limit = ctx.data.pledges.set_index(["contributor", "capability"])["tour_months"]
    cap = limit.reindex(pd.MultiIndex.from_frame(tours[["contributor", "capability"]]))
    first, last = tours["first_t"].to_numpy(), tours["last_t"].to_numpy()
    length = offset[last] + months[last] - offset[first]
    whole = np.array([bool((pos >= 0).all()) for pos in spans], dtype=bool)
    return whole & (length <= cap.to_numpy(dtype=float))  # NaN: no limit, never held apart
