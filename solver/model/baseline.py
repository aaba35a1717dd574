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
(`_locked_tour_ends`) make u units arrive in `first` and leave after `last`, and, under a
tour limit, `locked.batch` and `locked.older` (`_locked_tours_read`) make those units the ones
the tours are read with (first in, first out).

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
from .tours import tour_limits

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
        origin=f"{_source(ctx)} (units kept)",
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
        origin=f"{_source(ctx)} (units kept)",
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
    (summed over the locked tours of o); the left of `leave` is the units departing at the
    start of last+1 (model/tours.py). A tour that ends with the horizon needs no `leave` row,
    and an (o,t) without a column is left to the `locked` rows (they cannot hold there). A
    rolling re-plan's tour that began before the first period has no `arrive` row: its units
    are carried in, not arriving (model/history.py)."""
    assert ctx.x is not None
    n_periods = ctx.n_periods
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
    starts = arriving.groupby([*X_KEY, "first_t"], sort=True, as_index=False)["units"].sum()
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
        origin=f"{_source(ctx)} lock",
        kind="locked",
    )
    ends = locked[locked["last_t"] + 1 < n_periods]
    ends = ends.groupby([*X_KEY, "last_t"], sort=True, as_index=False)["units"].sum()
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
        origin=f"{_source(ctx)} lock",
        kind="locked",
    )
    # a tour with units carried in is read with them, older than any arriving (left out)
    _locked_tours_read(ctx, locked[(in_place == 0) & (locked["units"].to_numpy() > 0)])


def _locked_tours_read(ctx: BuildContext, locked: pd.DataFrame) -> None:
    """A locked tour of a pledge with a tour limit is read as one tour. Its tours are read
    first in, first out (model/tour_reading.py), so the rows above alone let its arrival and
    its departure pair with other units: a re-plan trial's C, one unit locked 2027-02..03 with
    tours of at most 3 months, came back as tours 01..01, 01..03, 02..04 and 04..04 (cost 40
    where the lock kept as one tour costs 50), no reading of them holding 02..03. Per locked
    tour (first..last, N units summed over the locked tours of o with those dates):

        locked.batch (key (c,k,s,last)):    x[o,last] - sum_{t=first+1}^{last} a[o,t] >= N
        locked.older (key (c,k,s,last+1)):  sum_{t=first}^{last+1} a[o,t] - x[o,last+1] >= N

    `batch`: at least N of the units present in `last` arrived in `first` or before; first in,
    first out, every one that arrived before `first` leaves before those of `first`, so with
    `older` (the units leaving as last+1 begins, x[o,last] + a[o,last+1] - x[o,last+1], are at
    least those older ones still there, x[o,last] - sum_{first..last} a, and N more) N units of
    `first` leave then: a tour first..last of N units. No `older` row where last+1 is past the
    horizon or the option has no column then (all its units leave). Only where every period of
    the tour has a column (else the `locked` rows cannot hold), for tours not carried in, no
    longer than the limit (a longer one is held in rotations), and not for an option whose
    locked tours overlap with other dates (first in, first out cannot read an older one
    leaving after a newer one: left as before, docs/workbook.md). Not in a model built to
    explain infeasibility: the smallest change counts a lock's dates by `arrive` and `leave`,
    and these rows' slack counted its units again (4 rows giving way for 2)."""
    assert ctx.x is not None and ctx.data.periods is not None
    if not len(locked) or ctx.explain:
        return
    tours = locked.groupby([*X_KEY, "first_t", "last_t"], sort=True, as_index=False)["units"].sum()
    tours = tours[_alone(tours)]
    limit = tour_limits(ctx)
    offset = ctx.data.periods["offset"].to_numpy()
    months = ctx.data.periods["months"].to_numpy()
    xcol, acol = ctx.x["col"].to_numpy(), ctx.x["arrive"].to_numpy()
    n_periods = ctx.n_periods
    batch: list[tuple[tuple, int, list[int], list[float], float]] = []
    older: list[tuple[tuple, int, list[int], list[float], float]] = []
    for row in tours.itertuples(index=False):
        option = tuple(getattr(row, k) for k in X_KEY)
        first, last = int(row.first_t), int(row.last_t)
        span = pd.DataFrame(
            [(*option, t) for t in range(first, min(last + 2, n_periods))], columns=[*X_KEY, "t"]
        )
        pos = _on_columns(ctx, span)["pos"].to_numpy()
        inside = pos[: last - first + 1]
        length = offset[last] + months[last] - offset[first]
        if (inside < 0).any() or not length <= limit[inside[0]]:  # NaN: no limit, not read FIFO
            continue  # a tour longer than its limit is held in rotations (docs/workbook.md)
        cols = [int(xcol[inside[-1]]), *(int(acol[p]) for p in inside[1:])]
        batch.append((option, last, cols, [1.0] + [-1.0] * (len(cols) - 1), float(row.units)))
        if last + 1 < n_periods and pos[-1] >= 0 and len(pos) == len(inside) + 1:
            cols = [*(int(acol[p]) for p in pos), int(xcol[pos[-1]])]
            older.append((option, last + 1, cols, [1.0] * len(pos) + [-1.0], float(row.units)))
    for name, rows in (("locked.batch", batch), ("locked.older", older)):
        if not rows:
            continue
        ctx.lm.add_rows(
            name,
            ctx.keyed([r[0] for r in rows], np.array([r[1] for r in rows])),
            np.concatenate([np.full(len(r[2]), j) for j, r in enumerate(rows)]),
            np.concatenate([r[2] for r in rows]),
            np.concatenate([r[3] for r in rows]),
            np.array([r[4] for r in rows]),
            np.inf,
            origin=f"{_source(ctx)} lock",
            kind="locked",
        )


def _alone(tours: pd.DataFrame) -> np.ndarray:
    """Per locked tour (one row per option and dates): no locked tour of its option with
    other dates overlaps it."""
    out = np.ones(len(tours), dtype=bool)
    for _, group in tours.groupby(list(X_KEY), sort=False):
        spans = list(zip(group["first_t"], group["last_t"], group.index, strict=True))
        for a_first, a_last, a in spans:
            for b_first, b_last, b in spans:
                if a != b and a_first <= b_last and b_first <= a_last:
                    out[tours.index.get_loc(a)] = False
    return out


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
        origin=f"{_source(ctx)} lock",
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
        origin=f"{_source(ctx)} lock",
        kind="locked",
    )


def _source(ctx: BuildContext) -> str:
    """Where the baseline's rows are, the origin of its blocks (`Baseline lock`, named where the
    construction heuristic says what it could not meet: `Baseline lock A/INF/S1/P2`): the
    workbook's `Baseline` sheet, or a `--baseline` file's Tours (a snapshot's Allocation) as
    `plan.xlsx Tours`; the sheet's name alone would send a planner to a sheet a file's locks
    are not on."""
    assert ctx.data.baseline is not None
    file = ctx.data.baseline.file
    if file is None:
        return "Baseline"
    return f"{file} {'Tours' if ctx.timed else 'Allocation'}"


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
