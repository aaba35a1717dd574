"""The tours of a solved timed model: its present and arriving units read first in, first out.

Per option o = (c,k,s), in period order: the units departing at the start of t are
d = x[o,t-1] + a[o,t] - x[o,t] (x = 0 where the option has no column); they are the oldest
units present (first in, first out), and the a[o,t] arrivals join the queue. Each batch that
arrives at t' and leaves at the start of t is a tour first = t', last = t - 1; batches of the
same option, first and last are summed into one tour. With the model's rows (`model/tours.py`)
every such tour is valid: it is exactly how the tour-length rows were argued. Without a tour
limit the newest units leave first instead (last in, first out), so that a surge comes and
goes while the core stays on one long tour; rotation only counts departures, which either
order gives alike.

A rolling re-plan's units carried into period 0 (model/history.py) are there before it, the
oldest of their option: read as x[o,-1] = P[o], their tours read from period 0.

Arrivals where a is continuous (no tour limit) are read as max(0, x[o,t] - x[o,t-1]), the
least churn, which keeps every row (see model/tours.py), except for an option with a locked
baseline tour: its arrivals are read as solved, since rows keep that tour's dates. A locked
tour held apart (model/locked_apart.py) is read as itself first, and the option's other units
first in, first out among themselves.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd

from .context import BuildContext
from .history import carried_units
from .locked_apart import held_apart
from .tours import previous_position, tour_limits

TOUR_COLUMNS = ["contributor", "capability", "site", "first_t", "last_t", "units"]


def read_tours(ctx: BuildContext, xval: np.ndarray, aval: np.ndarray | None = None) -> pd.DataFrame:
    """Tours (contributor, capability, site, first_t, last_t, units) of the values `xval`
    (units per x position) and `aval` (arrivals per x position; None: the least churn)."""
    assert ctx.x is not None
    x = ctx.x
    units = np.rint(np.asarray(xval, dtype=float)).astype(np.int64)
    previous = previous_position(x)
    carried = np.rint(carried_units(ctx)).astype(np.int64)  # P[o] in period 0, else 0
    before, arrive = arrivals_as_read(ctx, units, aval)
    found: dict[tuple[str, str, str, int, int], int] = {}
    if aval is not None:  # locked tours held apart are tours of their own (locked_apart.py)
        found, units, before, arrive = _apart_first(ctx, units, before, arrive, previous)
    con, cap, site = (x[c].to_numpy(dtype=object) for c in ("contributor", "capability", "site"))
    t = x["t"].to_numpy()
    queue: deque[list[int]] = deque()  # [arrival period, units] of the option being read
    limited = ~np.isnan(tour_limits(ctx))
    for i in range(len(x)):
        if carried[i] > 0:
            queue.append([int(t[i]), int(carried[i])])
        leaving = before[i] + arrive[i] - units[i]
        _leave(found, queue, (con[i], cap[i], site[i]), leaving, int(t[i]) - 1, limited[i])
        if arrive[i] > 0:
            queue.append([int(t[i]), int(arrive[i])])
        if i + 1 == len(x) or previous[i + 1] != i:  # the option stops after t
            _leave(found, queue, (con[i], cap[i], site[i]), sum(u for _, u in queue), int(t[i]))
    rows = [(*key, n) for key, n in sorted(found.items())]
    frame = pd.DataFrame(rows, columns=TOUR_COLUMNS)
    return frame.astype({"first_t": np.int64, "last_t": np.int64, "units": np.int64})


def _apart_first(
    ctx: BuildContext,
    units: np.ndarray,
    before: np.ndarray,
    arrive: np.ndarray,
    previous: np.ndarray,
) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """The locked tours held apart as found tours, and the units present, there before and
    arriving of the option's other units (x - L, x[t-1] - L[t-1], a - AL), which are then read
    first in, first out among themselves. Where the plan does not hold them (a plan the rows
    did not make), nothing is held apart."""
    tours, *units_apart = held_apart(ctx)
    present, arriving = (np.rint(v).astype(np.int64) for v in units_apart)
    was = np.where(previous >= 0, present[np.maximum(previous, 0)], 0)
    rest = (units - present, before - was, arrive - arriving)
    leaving = rest[1] + rest[2] - rest[0]
    if not len(tours) or min(int(v.min(initial=0)) for v in (*rest, leaving)) < 0:
        return {}, units, before, arrive
    found = {
        (r.contributor, r.capability, r.site, int(r.first_t), int(r.last_t)): int(r.units)
        for r in tours.itertuples(index=False)
    }
    return found, *rest


def arrivals_as_read(
    ctx: BuildContext, units: np.ndarray, aval: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per x position, the whole units there before it, x[o,t-1] (in period 0 a rolling
    re-plan's carried P[o], else 0), and those arriving as the tours are read from the units
    present `units` and the model's arrivals `aval`: the least churn max(0, x[o,t] - x[o,t-1])
    where a is continuous (no tour limit, no locked tour) or not given; elsewhere a[o,t] as
    solved, rounded and kept between the least churn and x[o,t]. Every reading of a plan's
    arrivals goes through here: the tours (`read_tours`) and the stage values priced
    (explain/pricing_time.py), so that a price and the Summary read one plan."""
    assert ctx.x is not None
    units = np.rint(np.asarray(units, dtype=float)).astype(np.int64)
    previous = previous_position(ctx.x)
    carried = np.rint(carried_units(ctx)).astype(np.int64)
    before = np.where(previous >= 0, units[np.maximum(previous, 0)], carried)
    least = np.maximum(units - before, 0)
    if aval is None:
        return before, least
    as_solved = ~np.isnan(tour_limits(ctx)) | locked_options(ctx)
    given = np.rint(np.asarray(aval, dtype=float)).astype(np.int64)
    return before, np.where(as_solved, np.clip(given, least, units), least)


def locked_options(ctx: BuildContext) -> np.ndarray:
    """Per x position: its option has a locked baseline tour, whose dates the model's
    arrivals keep (model/baseline.py `locked.arrive`, `locked.leave`; a tour held apart, its
    column's rows, model/locked_apart.py): read them as given, even where arrivals are
    otherwise read as the least churn."""
    assert ctx.x is not None
    baseline = ctx.data.baseline
    if baseline is None or not baseline.rows["lock"].any():
        return np.zeros(len(ctx.x), dtype=bool)
    option = ["contributor", "capability", "site"]
    locked = pd.MultiIndex.from_frame(baseline.rows.loc[baseline.rows["lock"], option])
    return np.asarray(pd.MultiIndex.from_frame(ctx.x[option]).isin(locked), dtype=bool)


def _leave(
    found: dict, queue: deque, option: tuple, n: int, last: int, oldest: bool = True
) -> None:
    """n units of the queue (the oldest, else the newest) end their tours in period `last`."""
    end = 0 if oldest else -1
    while n > 0 and queue:
        first, units = queue[end]
        gone = min(units, n)
        key = (*option, first, last)
        if last >= first:  # else carried units that leave as period 0 begins: no tour in it
            found[key] = found.get(key, 0) + gone
        n -= gone
        if gone < units:
            queue[end][1] = units - gone
        elif oldest:
            queue.popleft()
        else:
            queue.pop()
