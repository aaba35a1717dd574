"""A re-plan's start from its baseline (contract `replanning.md`): the baseline's own units,
as far as the workbook (maybe a scenario of it) still allows them, then the construction
heuristic for what the lines still need.

Without it a re-plan started from the construction heuristic's plan, which knows nothing of the
baseline: on the bundled timed example at a 20 s limit (a user's trial, session 14) a re-plan
against an unchanged baseline came back with no changes but 7.7% dearer (17 tours re-cut); with
three of its tours locked the heuristic could not meet the locks, there was no start, and the
plan was worse than the baseline at every stage (priority 3 128 against 101, 553 unit-months of
changes, 26 nations asked).

The baseline's units are placed as the heuristics place their own (solve/greedy.py,
solve/greedy_time.py: each move kept only if every row it tightens stays within its bounds), the
locked rows first, then the others, each row of the baseline with as many of its units as fit:

- snapshot: b[o] units added to x[o];
- timed: each baseline tour (o, first..last, n units) as tours over the maximal runs of periods
  in first..last where o still has a column, n units each (fewer where n do not fit).

Then the heuristic's own passes fill what the lines still need (`need` less what was placed)
and repair the rows still below their lower bound. In every start of a re-plan, whatever made
it, the kept columns w[o,t] of the `changes` stage (model/baseline.py) are set to their largest
valid value, min(x[o,t], b[o,t]) (`with_kept`), so the start's `changes` is its true count.

The solve then starts from whichever of this plan and the construction heuristic's is the
better, lexicographically over every stage, and each later stage adopts the other where it
keeps the stages already held and is better from there on (solve/highs.py,
`LexicographicSolver._adopt`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.baseline import _on_columns
from ..model.context import BuildContext
from ..model.locked_apart import carried_rows, held_rows
from ..model.matrix import MatrixModel
from .greedy import GreedyResult, _State, greedy_start
from .greedy_time import _Moves, greedy_time_start


def with_kept(mm: MatrixModel, ctx: BuildContext, x: np.ndarray | None) -> np.ndarray | None:
    """x with every kept column w[o,t] of a re-plan at min(x[o,t], b[o,t]) (b[o,t] is its
    upper bound); x itself without a baseline or without a plan."""
    kept = ctx.baseline_kept
    if x is None or kept is None or not len(kept) or ctx.x is None:
        return x
    out = x.copy()
    w = kept["col"].to_numpy()
    out[w] = np.minimum(out[ctx.x["col"].to_numpy()[kept["pos"].to_numpy()]], mm.col_upper[w])
    return out


def baseline_start(mm: MatrixModel, ctx: BuildContext, tries: int) -> GreedyResult:
    """The baseline's units placed first, then the construction heuristic (see above), within
    `tries` moves; its message says it started from the baseline."""
    if ctx.timed:
        result = greedy_time_start(mm, ctx, tries, first=lambda s, need: _place_tours(s, ctx, need))
    else:
        result = greedy_start(mm, ctx, tries, first=lambda s, need: _place_units(s, ctx, need))
    result.x = with_kept(mm, ctx, result.x)
    result.message = result.message.replace(
        "construction heuristic", "construction heuristic from the baseline", 1
    )
    return result


def _baseline_rows(ctx: BuildContext) -> pd.DataFrame:
    """The baseline's rows, locked ones first (each group in the baseline's own order)."""
    assert ctx.data.baseline is not None
    rows = ctx.data.baseline.rows
    return rows.sort_values("lock", ascending=False, kind="mergesort")


def _place_units(state: _State, ctx: BuildContext, need: np.ndarray) -> None:
    """Snapshot: each baseline row's units onto its option's x column, as many as fit."""
    assert ctx.x is not None
    rows = _baseline_rows(ctx).rename(columns={"first_t": "t"})
    rows = _on_columns(ctx, rows[["contributor", "capability", "site", "t", "units"]])
    line = ctx.x["req_idx"].to_numpy()
    col = ctx.x["col"].to_numpy()
    for pos, units in zip(rows["pos"].to_numpy(), rows["units"].to_numpy(), strict=True):
        if pos < 0 or state.budget.spent():
            continue
        need[line[pos]] -= state.add(int(col[pos]), float(units))


def _place_tours(state: _Moves, ctx: BuildContext, need: np.ndarray) -> None:
    """Timed: each baseline tour over the runs of its periods where its option has a column,
    with its units, or as many as fit."""
    assert ctx.x is not None
    line = ctx.x["req_idx"].to_numpy()
    tours = _held_together(ctx, _baseline_rows(ctx).reset_index(drop=True))
    span = (tours["last_t"] - tours["first_t"] + 1).to_numpy()
    periods = tours.loc[tours.index.repeat(span), ["contributor", "capability", "site", "units"]]
    periods["t"] = np.repeat(tours["first_t"].to_numpy(), span) + np.concatenate(
        [np.arange(n) for n in span] or [np.zeros(0, dtype=np.int64)]
    )
    positions = _on_columns(ctx, periods)["pos"].to_numpy()  # one look-up for every tour
    ends = np.cumsum(span)
    carried = _carried(ctx, tours)
    for k, units in enumerate(tours["units"].to_numpy()):
        for run in _runs(positions[ends[k] - span[k] : ends[k]]):
            if state.spent():
                return
            in_place = bool(carried[k]) and state.t[run[0]] == 0  # no arrival: model/history.py
            placed = _place_run(state, run, int(units), arrives=not in_place)
            if placed:
                need[line[run[0]], state.t[run]] -= placed


def _held_together(ctx: BuildContext, rows: pd.DataFrame) -> pd.DataFrame:
    """The baseline's rows with those of each locked tour held apart as one (its option and
    dates; model/locked_apart.py), first: its column is fixed at their sum, so a move of one
    row's units leaves its rows broken and is refused (a review: a tour over two Baseline rows
    lost the start from the baseline)."""
    held = held_rows(ctx, rows)
    if not held.any():
        return rows
    key = ["contributor", "capability", "site", "first_t", "last_t"]
    together = (
        rows[held]
        .groupby(key, sort=False, as_index=False)
        .agg(units=("units", "sum"), where=("where", "first"), lock=("lock", "first"))
    )
    return pd.concat([together, rows[~held]], ignore_index=True)


def _runs(positions: np.ndarray) -> list[np.ndarray]:
    """The maximal runs of consecutive x positions (an option's periods in order) among
    `positions`, -1 marking a period without a column."""
    runs: list[np.ndarray] = []
    current: list[int] = []
    for p in positions:
        if p >= 0 and (not current or p == current[-1] + 1):
            current.append(int(p))
            continue
        if current:
            runs.append(np.array(current, dtype=np.int64))
        current = [int(p)] if p >= 0 else []
    if current:
        runs.append(np.array(current, dtype=np.int64))
    return runs


def _carried(ctx: BuildContext, tours: pd.DataFrame) -> np.ndarray:
    """Per baseline tour: it began before the first period (a rolling re-plan's history), so
    its units are carried into period 0, not arriving there."""
    return tours["where"].isin(carried_rows(ctx)).to_numpy()


def _place_run(state: _Moves, run: np.ndarray, units: int, arrives: bool = True) -> int:
    """One tour of `units` (or as many as fit) over the x positions `run`, arriving in its first
    (else carried into it): the units placed."""
    cols = state.xcol[run]
    if arrives:
        cols = np.append(cols, int(state.acol[run[0]]))
    for n in range(units, 0, -1):
        if state.spent():
            return 0
        if state.move(cols, np.full(len(cols), float(n))):
            return n
    return 0
