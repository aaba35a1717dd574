"""The baseline in the model (contract `replanning.md`): locked rows, and the `changes` stage.

Symbols (a snapshot is one period t = 0 of one month):

    o = (c,k,s)    an allocation option; x[o,t] its units in period t (0 where it has no column)
    b[o,t]         the baseline's units of o present in t (`Baseline.presence()`)
    L[o,t]         the same over the locked baseline rows only (L <= b)
    months(t)      the length of period t
    w[o,t]         units of the baseline kept (block `baseline.kept`, key (c,k,s[,period])):
                   one continuous column per (o,t) with b[o,t] > 0 and an x column, 0 <= w <= b

Rows:

    baseline.kept (key (c,k,s[,period])):   w[o,t] - x[o,t] <= 0
    locked        (key (c,k,s[,period])):   x[o,t] >= L[o,t]   for every (o,t) with L[o,t] > 0

A locked (o,t) without an x column (a caveat now forbids the option, the site, line or pledge
is gone) keeps its row with no column in it: 0 >= L, which cannot hold, so the workbook is
infeasible and the infeasibility explanation names the locked row. Timed: a locked tour
(first..last, u units) stands as it is, x[o,t] >= u for t in first..last (with the other locked
tours of o summed), and with its dates: rows `locked.arrive` and `locked.leave`
(`_locked_tour_ends`) make u units arrive in `first` and leave after `last`; under a tour
limit its units are held apart from the option's others, a column of their own whose rows
date the tour, and read as that tour; one longer than the limit is no tour a plan may have, and
the tour limit's row `tour.apart` h <= 0 against the lock's h = u makes the model infeasible
(model/locked_apart.py).

Stage `changes` (after the shortfall stages, before cost), in unit-months (units in a
snapshot):

    changes = sum_{o,t} months(t) |x[o,t] - b[o,t]|
            = sum_{o,t} months(t) (x[o,t] + b[o,t] - 2 min(x[o,t], b[o,t]))
            = sum_{x columns} months(t) x[o,t]  -  2 sum_{w columns} months(t) w[o,t]
              + sum_{(o,t): b > 0} months(t) b[o,t]

since min(x, b) is the largest w with w <= x and w <= b, and minimising the stage pushes every w
up to it (its coefficient is negative). The constant counts every baseline unit-month, those of
options with no column too: they are changes no plan can avoid. One column and one row per
baseline (o,t) replace the two deviation columns of |x - b| = p + m; (o,t) with b = 0 need
neither (|x - 0| = x). The values are whole (x whole, months whole, w = min(x, b) at the
optimum), so the stage is held within 0.5 (a change of one unit-month is never given up).
Without a baseline nothing here is added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import X_KEY, BuildContext
from .linear import Stage
from .locked_apart import held_rows

CHANGES_HOLD_ABS = 0.5  # the stage counts whole unit-months: see the module docstring


def add_baseline(ctx: BuildContext) -> None:
    """The kept columns w with their rows w <= x, and the locked rows x >= L."""
    assert ctx.x is not None and ctx.data.baseline is not None
    baseline = ctx.data.baseline
    b = _on_columns(ctx, baseline.presence())
    has = np.flatnonzero(b["pos"].to_numpy() >= 0)
    positions = b["pos"].to_numpy()[has]
    keys = ctx.xkeys(positions)
    kept = ctx.lm.add_vars(
        "baseline.kept",
        keys,
        0,
        b["units"].to_numpy(dtype=float)[has],
        origin=f"{ctx.baseline_source()} (units kept)",
    )
    n = len(has)
    ctx.lm.add_rows(
        "baseline.kept",
        keys,
        np.concatenate([np.arange(n), np.arange(n)]),
        np.concatenate([kept, ctx.x["col"].to_numpy()[positions]]),
        np.concatenate([np.ones(n), -np.ones(n)]),
        -np.inf,
        0.0,
        origin=f"{ctx.baseline_source()} (units kept)",
        kind="baseline",
    )
    ctx.baseline_kept = pd.DataFrame({"pos": positions, "col": kept})
    _locked_rows(ctx, _on_columns(ctx, baseline.presence(locked_only=True)))
    if ctx.timed:
        _locked_tour_ends(ctx, baseline.rows[baseline.rows["lock"]])


def _locked_tour_ends(ctx: BuildContext, locked: pd.DataFrame) -> None:
    """A locked tour stands with its dates: units of o arrive in its first period and leave
    after its last,

        locked.arrive (key (c,k,s,first)):   a[o,first] >= A[o,first]
        locked.leave  (key (c,k,s,last+1)):  x[o,last] - x[o,last+1] + a[o,last+1] >= D[o,last+1]

    A = the locked units whose tours start in `first`, D = those whose tours end with `last`
    (summed over the locked tours of o, those held apart too: the rows count every unit of o
    arriving or leaving); the left of `leave` is the units departing at the start of last+1
    (model/tours.py). A tour that ends with the horizon needs no `leave` row, and an (o,t)
    without a column is left to the `locked` rows (they cannot hold there). A rolling re-plan's
    tour that began before the first period has no `arrive` row: its units are carried in, not
    arriving (model/history.py). A tour held apart needs neither (its column's rows date it,
    model/locked_apart.py): the rows are written where another locked tour of o begins or ends
    (a review: a carried tour ending with a held one, D counting the carried unit alone, was
    met by the held unit's departure, and the carried unit stayed on)."""
    assert ctx.x is not None
    n_periods = ctx.n_periods
    locked = locked.assign(_own=~held_rows(ctx, locked))
    history = ctx.data.baseline.history if ctx.data.baseline is not None else None
    carried = pd.Series(dtype=float)
    if history is not None and len(history):
        carried = history[history["carried"].astype(bool)].groupby("where")["units"].sum()
    # a row's units carried in (its part continuing a tour begun before the first period)
    # and the rest, arriving in its first period (a review: a row of 1 carried unit and 2 new
    # ones, locked, was held as 3 carried, and the re-plan was infeasible)
    in_place = np.minimum(locked["where"].map(carried).fillna(0).to_numpy(), locked["units"])
    _locked_carried(ctx, locked.assign(units=in_place))
    arriving = locked.assign(units=locked["units"] - in_place)
    arriving = arriving[arriving["units"] > 0]
    starts = _summed(arriving, "first_t")
    starts = _on_columns(ctx, starts.rename(columns={"first_t": "t"}))
    starts = starts[starts["pos"] >= 0]
    arrive = ctx.x["arrive"].to_numpy()
    keys = [tuple(k) for k in starts[list(X_KEY)].itertuples(index=False)]
    ctx.lm.add_rows(
        "locked.arrive",
        ctx.keyed(keys, starts["t"].to_numpy()),
        np.arange(len(starts)),
        arrive[starts["pos"].to_numpy()],
        1.0,
        starts["units"].to_numpy(dtype=float),
        np.inf,
        origin=f"{ctx.baseline_source()} lock",
        kind="locked",
    )
    ends = _summed(locked[locked["last_t"] + 1 < n_periods], "last_t")
    last = _on_columns(ctx, ends.rename(columns={"last_t": "t"}))
    after = _on_columns(ctx, ends.assign(t=ends["last_t"] + 1).drop(columns="last_t"))
    ok = np.flatnonzero(last["pos"].to_numpy() >= 0)
    rows, cols, vals = (
        [np.arange(len(ok))],
        [ctx.x["col"].to_numpy()[last["pos"].to_numpy()[ok]]],
        [np.ones(len(ok))],
    )
    following = after["pos"].to_numpy()[ok]
    there = np.flatnonzero(following >= 0)
    rows += [there, there]
    cols += [ctx.x["col"].to_numpy()[following[there]], arrive[following[there]]]
    vals += [-np.ones(len(there)), np.ones(len(there))]
    keys = [tuple(k) for k in last[list(X_KEY)].to_numpy()[ok]]
    ctx.lm.add_rows(
        "locked.leave",
        ctx.keyed(keys, last["t"].to_numpy()[ok] + 1),
        np.concatenate(rows),
        np.concatenate(cols),
        np.concatenate(vals),
        last["units"].to_numpy(dtype=float)[ok],
        np.inf,
        origin=f"{ctx.baseline_source()} lock",
        kind="locked",
    )


def _summed(locked: pd.DataFrame, date: str) -> pd.DataFrame:
    """The locked units per option and `date` (first_t or last_t), where a tour not held apart
    (`_own`) has that date."""
    by = locked.groupby([*X_KEY, date], sort=True, as_index=False).agg(
        units=("units", "sum"), _own=("_own", "any")
    )
    return by[by["_own"]].drop(columns="_own")


def _locked_carried(ctx: BuildContext, locked: pd.DataFrame) -> None:
    """A locked tour running into the first period keeps its units carried, not relieved:

        locked.carry (key (c,k,s,first period)):   x[o,0] - a[o,0] >= K[o]

    K = the locked carried units of o: with model/history.py's tour rows, a locked tour whose
    months before and after the horizon's start exceed tour_months cannot stand (a review found
    it withdrawn and relieved by a fresh unit, the lock said to hold)."""
    assert ctx.x is not None
    locked = locked[locked["units"] > 0]
    if not len(locked):
        return
    units = locked.groupby(list(X_KEY), sort=True, as_index=False)["units"].sum()
    at = _on_columns(ctx, units.assign(t=0))
    at = at[at["pos"] >= 0]  # an option without a column: the `locked` rows cannot hold
    pos = at["pos"].to_numpy()
    keys = [tuple(k) for k in at[list(X_KEY)].itertuples(index=False)]
    ctx.lm.add_rows(
        "locked.carry",
        ctx.keyed(keys, np.zeros(len(at), dtype=np.int64)),
        np.concatenate([np.arange(len(at)), np.arange(len(at))]),
        np.concatenate([ctx.x["col"].to_numpy()[pos], ctx.x["arrive"].to_numpy()[pos]]),
        np.concatenate([np.ones(len(at)), -np.ones(len(at))]),
        at["units"].to_numpy(dtype=float),
        np.inf,
        origin=f"{ctx.baseline_source()} lock",
        kind="locked",
    )


def _locked_rows(ctx: BuildContext, locked: pd.DataFrame) -> None:
    """x[o,t] >= L[o,t]; an (o,t) without a column keeps its row, empty (it cannot hold)."""
    assert ctx.x is not None
    pos = locked["pos"].to_numpy()
    has = np.flatnonzero(pos >= 0)
    keys = [tuple(k) for k in locked[list(X_KEY)].itertuples(index=False)]
    ctx.lm.add_rows(
        "locked",
        ctx.keyed(keys, locked["t"].to_numpy()),
        has,
        ctx.x["col"].to_numpy()[pos[has]],
        1.0,
        locked["units"].to_numpy(dtype=float),
        np.inf,
        origin=f"{ctx.baseline_source()} lock",
        kind="locked",
    )


def _on_columns(ctx: BuildContext, presence: pd.DataFrame) -> pd.DataFrame:
    """`presence` (contributor, capability, site, t, units) with `pos`, the x position of each
    (o,t), or -1 where the option has no column in t."""
    assert ctx.x is not None
    x = ctx.x
    index = pd.MultiIndex.from_frame(x[[*X_KEY, "t"]].astype({"t": np.int64}))
    wanted = pd.MultiIndex.from_frame(presence[[*X_KEY, "t"]].astype({"t": np.int64}))
    pos = index.get_indexer(wanted) if len(presence) else np.zeros(0, dtype=np.int64)
    return presence.assign(pos=np.asarray(pos, dtype=np.int64))


def changes_stage(ctx: BuildContext, months: np.ndarray) -> Stage:
    """Stage `changes`: sum months(t) x  -  2 sum months(t) w  +  sum months(t) b (see above)."""
    assert ctx.x is not None and ctx.data.baseline is not None
    x = ctx.x
    kept = ctx.baseline_kept
    assert kept is not None
    t = x["t"].to_numpy()
    b = ctx.data.baseline.presence()
    offset = float((months[b["t"].to_numpy()] * b["units"].to_numpy(dtype=float)).sum())
    return Stage(
        "changes",
        np.concatenate([x["col"].to_numpy(), kept["col"].to_numpy()]),
        np.concatenate([months[t], -2.0 * months[t[kept["pos"].to_numpy()]]]),
        offset,
        hold_abs=CHANGES_HOLD_ABS,
        hold_rel=0.0,
        at_least_zero=True,  # sum months (x + b - 2w) with w <= x, w <= b
    )
