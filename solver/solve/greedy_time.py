"""The construction heuristic in time: a valid plan of tours, passed to HiGHS as a MIP start.

Lines are filled in lexicographic order (hard first, then by priority, weight), each period by
period from the start: where line l is short in period t, a tour of its cheapest options is
tried that starts in t and runs as long as the line still needs the units, the option has a
column and the tour limit allows, with as many units as fit. A tour of n units of option o over
t1..t2 is one move on the model's own columns:

    x[o,t] += n  for t1 <= t <= t2,      a[o,t1] += n

which keeps the flow and tour-length rows by construction; it is taken only if every row the
move tightens (rotation and dwell, the line, every caveat) stays within its bounds, switching on
the 0/1 indicators it forces (presence, single-source use, ...) or allows (a `requires` partner
deploying). So the units used are neither deployed elsewhere nor in dwell. Rows still below
their lower bound at the end (hard lines, `min_units`) get a repair pass of one-period tours.
The budget is a number of tries, never seconds (see greedy.py): the same plan on any machine.
A try is a move; a tour that cannot start (a row that only grows has no room for its first
unit: `_Moves.cannot_start`, solve/tour_rules.py) is refused before any try, at about a tenth
of its cost. A move in time touches a whole tour's rows: with those refusals this machine makes
1,900-2,600 tries a second (the bundled example, the generated 50 x 100 x 30 over 12 quarters
and 40 x 40 x 20 over 36 months; 6,000-8,300 when every refusal was a move, session 36), not the
snapshot's 75,000, so the budget has its own rate (TRIES_PER_SECOND) and its own cap; the two
orders tried share it. With the snapshot's rate the 40 x 40 x 20 case spent 65 s of a 60 s
limit here and left HiGHS no time at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..data import required_units
from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from ..model.tours import previous_position, tour_limits
from .greedy import (
    BUDGET_SHARE,
    WHOLE_SEARCH,
    GreedyResult,
    chosen_start,
    lines_in_order,
    requirement_rows,
)
from .tour_rules import TourRules

TOL = 1e-9
TRIES_PER_SECOND = 2_500  # of budget: about the seconds it takes on this machine, idle
BUDGET_MAX_SECONDS = 30.0  # the share of the time limit (greedy.BUDGET_SHARE), at most this


def timed_heuristic_tries(time_limit: float) -> int:
    """The budget of a timed solve with this limit: TRIES_PER_SECOND * min(BUDGET_MAX_SECONDS,
    BUDGET_SHARE * time_limit); 37,500 tries for a 60 s limit."""
    return int(TRIES_PER_SECOND * min(BUDGET_MAX_SECONDS, BUDGET_SHARE * time_limit))


class _Moves:
    """The solution under construction and the moves that keep it valid."""

    def __init__(
        self, mm: MatrixModel, ctx: BuildContext, tries: int, rules: TourRules | None = None
    ) -> None:
        self.mm, self.tries, self.used = mm, tries, 0
        rules = rules or TourRules(mm, ctx)
        self.cptr, self.crow, self.cval = rules.cptr, rules.crow, rules.cval
        self.indicator, self.enabling, self.first = rules.indicator, rules.enabling, rules.first
        # columns fixed by their bounds (a locked tour held apart, model/locked_apart.py) at
        # their value from the start, every other at 0
        fixed = mm.col_lower == mm.col_upper
        self.x = np.where(fixed, mm.col_lower, 0.0)
        self.act = mm.a @ self.x
        self.scratch = np.zeros(mm.n_rows)  # _add's sums, zero between moves
        # the x table as plain arrays (pandas per call was half the heuristic's time)
        assert ctx.x is not None and ctx.data.periods is not None
        x = ctx.x
        self.t = x["t"].to_numpy()
        self.ub = x["ub"].to_numpy()
        self.xcol = x["col"].to_numpy()
        self.acol = x["arrive"].to_numpy()
        self.limit = tour_limits(ctx)
        self.offset = ctx.data.periods["offset"].to_numpy()
        self.months = ctx.data.periods["months"].to_numpy()

    def cannot_start(self, position: int) -> bool:
        """No tour can start at x position `position`, checked without a try: one unit for
        one period, with the indicators (off now) it switches on, already breaks a row that
        only grows (`FirstUnit` in solve/tour_rules.py)."""
        first = self.first
        at = slice(first.start[position], first.start[position + 1])
        rows, rise, by = first.rows[at], first.rise[at], first.indicator[at]
        counted = (by < 0) | (self.x[by] < 0.5)
        rows, rise = rows[counted], rise[counted]
        np.add.at(self.scratch, rows, rise)
        breaks = (self.act[rows] + self.scratch[rows] > self.mm.row_upper[rows] + 1e-6).any()
        self.scratch[rows] = 0.0
        return bool(breaks)

    def spent(self) -> bool:
        return self.used >= self.tries

    def _add(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Add the change that adding vals to cols makes to each row into `scratch`; the rows
        touched (a row touched by several columns appears once for each)."""
        starts = self.cptr[cols]
        lens = self.cptr[cols + 1] - starts
        entries = np.arange(int(lens.sum())) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
        rows = self.crow[entries]
        np.add.at(self.scratch, rows, self.cval[entries] * np.repeat(vals, lens))
        return rows

    def _switches(self, touched: np.ndarray) -> np.ndarray:
        """The indicators (off now) that a move whose row changes are in `scratch` at
        `touched` switches on: those it forces (a link row it raises) and those it allows
        that only enable (a link row it lowers: a `requires` partner now deploys, so the
        nations that require it may)."""
        links = self.indicator[touched]
        change = self.scratch[touched]
        on = (links >= 0) & ((change > 0) | ((change < 0) & self.enabling[touched]))
        switch = np.unique(links[on])
        return switch[self.x[switch] < 0.5]

    def move(self, cols: np.ndarray, vals: np.ndarray) -> bool:
        """Add vals to cols (and switch on the indicators this needs) if every row stays valid."""
        self.used += 1
        if (self.x[cols] + vals > self.mm.col_upper[cols] + TOL).any():
            return False
        touched = self._add(cols, vals)
        switch = self._switches(touched)
        if len(switch):
            cols = np.concatenate([cols, switch])
            vals = np.concatenate([vals, np.ones(len(switch))])
            touched = np.concatenate([touched, self._add(switch, np.ones(len(switch)))])
        delta = self.scratch[touched]
        self.scratch[touched] = 0.0
        after = self.act[touched] + delta
        too_high = after > self.mm.row_upper[touched] + 1e-6
        too_low = (delta < 0) & (after < self.mm.row_lower[touched] - 1e-6)
        if too_high.any() or too_low.any():
            return False
        self.x[cols] += vals
        self.act[touched] = after
        return True


def greedy_time_start(
    mm: MatrixModel,
    ctx: BuildContext,
    tries: int,
    first: Callable[[_Moves, np.ndarray], None] | None = None,
) -> GreedyResult:
    """A valid start of tours within `tries` moves, or None and why. `first`: moves made
    before any other in each order tried, given the state and what the lines need (a
    re-plan's baseline tours: solve/baseline_start.py); it takes off `need` what it places."""
    began = time.perf_counter()
    x = ctx.x
    if x is None or not len(x) or mm.n_cols == 0:
        return GreedyResult(None, 0.0, "no allocation options")
    rq = ctx.data.requirements
    hard = ctx.hard_matrix()
    order = lines_in_order(rq, np.asarray(hard.any(axis=1)))
    options = _options_by_line(ctx)
    rules = TourRules(mm, ctx)  # the same for both orders
    # two orders: commitments (min_units) before the lines, or the lines first; the second
    # has what the first left of the budget
    used = 0
    states: list[_Moves] = []
    # with `first` (a re-plan's baseline) the first order only: the baseline's own units
    # are the point, and the second order doubled the time on the bundled timed example
    for commitments_first in (True,) if first is not None else (True, False):
        if states and used >= tries:
            break  # the first order spent the budget
        state = _Moves(mm, ctx, tries - used, rules)
        states.append(state)
        need = required_units(ctx.data).astype(float)
        if first is not None:
            first(state, need)
        if commitments_first:
            _repair(state, ctx, need, skip=requirement_rows(ctx, mm.n_rows))
        _fill(state, ctx, order, options, need)
        _repair(state, ctx, need)
        used += state.used
        if not (state.act < mm.row_lower - 1e-6).any():
            break
    arrivals = x["arrive"].to_numpy()
    return chosen_start(
        ctx,
        mm,
        [(s.act, s.x) for s in states],
        (time.perf_counter() - began, used),
        lambda plan: f"a valid start of tours with {int(plan[arrivals].sum())} units",
    )


def _fill(
    state: _Moves,
    ctx: BuildContext,
    order: np.ndarray,
    options: dict[tuple[int, int], list[np.ndarray]],
    need: np.ndarray,
) -> None:
    """Lines in `order`, each period by period from the start."""
    for line in order:
        for t in range(ctx.n_periods):
            if state.spent():
                return
            runs = options.get((int(line), t), [])
            # one option that fills the line at once (single-source lines, minimum
            # contingents), then the cheapest options with as many units as fit
            for run in runs[:WHOLE_SEARCH]:
                if need[line, t] < 1 or _place_tour(state, ctx, run, need, int(line), whole=True):
                    break
            for run in runs:
                if need[line, t] < 1:
                    break
                _place_tour(state, ctx, run, need, int(line))


def _options_by_line(ctx: BuildContext) -> dict[tuple[int, int], list[np.ndarray]]:
    """For each (line, period): the runs of x positions of its options that start there, as
    arrays of consecutive-period positions to the option's last column in that run, cheapest
    option first."""
    assert ctx.x is not None
    x = ctx.x
    previous = previous_position(x)
    start_of_run = np.flatnonzero(previous < 0)
    ends = np.append(start_of_run[1:], len(x))
    runs: dict[tuple[int, int], list[tuple[float, int, np.ndarray]]] = {}
    line, t, cost = x["req_idx"].to_numpy(), x["t"].to_numpy(), x["unit_cost"].to_numpy()
    for first, end in zip(start_of_run, ends, strict=True):
        for i in range(first, end):
            key = (int(line[i]), int(t[i]))
            runs.setdefault(key, []).append((float(cost[i]), i, np.arange(i, end)))
    return {k: [r for _, _, r in sorted(v, key=lambda r: (r[0], r[1]))] for k, v in runs.items()}


def _place_tour(
    state: _Moves,
    ctx: BuildContext,
    run: np.ndarray,
    need: np.ndarray,
    line: int,
    *,
    whole: bool = False,
    most: int | None = None,
) -> bool:
    """The longest tour from run[0] the line still needs, with as many units as fit (`whole`:
    all the units the line needs, or none). True if a tour was placed."""
    if state.cannot_start(int(run[0])):
        return False
    t = state.t[run]
    length = state.offset[t] + state.months[t] - state.offset[t[0]]
    fits = ~(length > state.limit[run[0]])
    units = int(min(need[line, t[0]], state.ub[run[0]], most or np.inf))
    if whole and units < need[line, t[0]]:
        return False
    xcol, acol = state.xcol[run], int(state.acol[run[0]])
    for n in range(units, units - 1 if whole else 0, -1):
        if state.spent():
            return False
        wanted = fits & (need[line, t] >= n)
        last = int(np.argmin(wanted)) if not wanted.all() else len(run)
        for stop in sorted({last, max(1, last // 2), 1}, reverse=True):
            if stop < 1 or not wanted[:stop].all():
                continue
            cols = np.append(xcol[:stop], acol)
            if state.move(cols, np.full(len(cols), float(n))):
                need[line, t[:stop]] -= n
                return True
    return False


def _repair(
    state: _Moves, ctx: BuildContext, need: np.ndarray, skip: np.ndarray | None = None
) -> None:
    """Rows below their lower bound (hard lines, `min_units`): tours along their own x
    columns, each as long as its line still needs the units."""
    assert ctx.x is not None
    x = ctx.x
    position_of = {int(c): i for i, c in enumerate(x["col"].to_numpy())}
    run_from = _runs_from(ctx)
    line_of = x["req_idx"].to_numpy()
    csr = state.mm.a
    short = state.act < state.mm.row_lower - 1e-6
    if skip is not None:
        short &= ~skip
    for r in np.flatnonzero(short):
        cols = csr.indices[csr.indptr[r] : csr.indptr[r + 1]]
        vals = csr.data[csr.indptr[r] : csr.indptr[r + 1]]
        for j, v in zip(cols, vals, strict=True):
            i = position_of.get(int(j))
            if v <= 0 or i is None or state.spent():
                continue
            if state.act[r] >= state.mm.row_lower[r] - 1e-6:
                break
            want = int(np.ceil((state.mm.row_lower[r] - state.act[r]) / v))
            _place_tour(state, ctx, run_from[i], need, int(line_of[i]), most=want)


def _runs_from(ctx: BuildContext) -> list[np.ndarray]:
    """For each x position, the positions of its option in consecutive periods from there."""
    assert ctx.x is not None
    previous = previous_position(ctx.x)
    first = np.flatnonzero(previous < 0)
    ends = np.append(first[1:], len(previous))
    out: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(previous)
    for a, b in zip(first, ends, strict=True):
        for i in range(a, b):
            out[i] = np.arange(i, b)
    return out
