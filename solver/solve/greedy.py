"""A construction heuristic: a valid allocation in seconds, passed to HiGHS as a MIP start.

It works on the model's own rows, so it respects every rule and caveat kind without knowing
them: requirement lines are filled in lexicographic order (hard first, then by priority, weight
and unit cost); a move adds units to one x and switches on the 0/1 indicators that x forces
(presence, single-source use, minimum-contingent "on") or allows (a `requires` partner
deploying); it is taken only as far as every row that gets tighter stays within its bounds.
Rows with a lower bound still unmet at the end (hard lines, `min_units`) get a repair pass. If
a hard rule still fails, there is no start, and the reason is reported honestly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from ..model.portable import dot
from ..model.stage_names import is_shortfall
from ..wording import count

log = logging.getLogger("forcegen.greedy")
TOL = 1e-9
WHOLE_SEARCH = 25  # options tried for filling a line at once, cheapest first
# The budget is a number of tries, never seconds: the same workbook and settings give the same
# plan on every run and machine, loaded or not (a clock deciding when to stop gave three
# different plans in six runs on a loaded machine). It is sized from the time limit: 50,000
# tries per second of budget, as before, so an idle machine (~75,000 tries a second from 78k to
# 2.9M columns) makes the plans docs/performance.md shows in about 2/3 of its share. A machine
# four times slower (a 2-core machine shared by eight jobs makes ~12,000) spends the whole
# limit on them: HiGHS then gets no time and the heuristic's plan, the same one, is returned.
TRIES_PER_SECOND = 50_000
BUDGET_SHARE = 0.25  # of the time limit
BUDGET_MAX_SECONDS = 10.0


def heuristic_tries(time_limit: float) -> int:
    """The heuristic's budget for a solve with this time limit (seconds, from Settings or the
    command line): TRIES_PER_SECOND * min(BUDGET_MAX_SECONDS, BUDGET_SHARE * time_limit)."""
    return int(TRIES_PER_SECOND * min(BUDGET_MAX_SECONDS, BUDGET_SHARE * time_limit))


@dataclass
class _Budget:
    """When the heuristic stops: after `tries` tries. No clock: see TRIES_PER_SECOND."""

    tries: int
    used: int = 0

    def spent(self) -> bool:
        return self.used >= self.tries


@dataclass
class GreedyResult:
    x: np.ndarray | None  # full column vector, or None when a hard rule could not be met
    seconds: float
    message: str
    tries: int = 0  # the tries it used (a work limit charges them: solve/clock.py)
    # without a plan: the nearest it came, a full column vector keeping every row's upper
    # bound and leaving only rows below their lower bound (solve/repair.py meets them)
    partial: np.ndarray | None = None


def fewest_short(acts: list[np.ndarray], mm: MatrixModel) -> tuple[int, np.ndarray]:
    """Of the rows' activities of several heuristic plans, the one leaving the fewest rows
    below their lower bound or above their upper bound (the first of equals), and those rows.
    A move keeps every row it touches within its upper bound, but a column fixed by its bounds
    from the start (a timed locked tour held apart) is in rows no move touches: a lock longer
    than its tour limit (model/locked_apart.py, `tour.apart` h <= 0) was called a valid start."""
    shorts = [
        np.flatnonzero((act < mm.row_lower - 1e-6) | (act > mm.row_upper + 1e-6)) for act in acts
    ]
    best = min(range(len(acts)), key=lambda k: len(shorts[k]))
    return best, shorts[best]


class _State:
    def __init__(self, mm: MatrixModel, ctx: BuildContext, budget: _Budget) -> None:
        self.mm = mm
        self.budget = budget
        csc = sp.csc_array(mm.a)
        self.cptr, self.crow, self.cval = csc.indptr, csc.indices, csc.data
        self.lower, self.upper = mm.row_lower, mm.row_upper
        self.ub = mm.col_upper
        self.x = np.zeros(mm.n_cols)
        self.act = np.zeros(mm.n_rows)
        self.link_indicator = link_indicators(mm, ctx)
        # rows whose activity only grows as units are added: once such a row has no room for
        # a column, the column stays blocked, and later tries skip it at once
        self.monotone = rows_without_negative(mm)
        self.blocked = np.zeros(mm.n_cols, dtype=bool)

    def column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        return self.crow[self.cptr[j] : self.cptr[j + 1]], self.cval[
            self.cptr[j] : self.cptr[j + 1]
        ]

    def add(self, j: int, want: float, *, commit: bool = True) -> float:
        """Add up to `want` units to column j (with the indicators it switches on); returns the
        units added (0 when no move keeps every tightened row within bounds). With
        `commit=False`, only says how many could be added."""
        self.budget.used += 1
        room = min(want, self.ub[j] - self.x[j])
        if room < 1 or self.blocked[j]:
            return 0.0
        rows, vals = self.column(j)
        plain = self.link_indicator[rows] < 0  # link rows are satisfied by switching on
        full = plain & (vals > 0) & (self.act[rows] + vals > self.upper[rows] + TOL)
        if full.any():  # a row this column fills (pledge, line, cap) has no room for one unit
            self.blocked[j] = bool((full & self.monotone[rows]).any())
            return 0.0
        links = self.link_indicator[rows]
        switch = sorted({int(u) for u in links[links >= 0] if self.x[u] < 0.5})
        if switch:
            parts = [self.column(u) for u in switch]
            extra_rows = np.concatenate([p[0] for p in parts])
            extra = np.concatenate([p[1] for p in parts])
            touched = np.union1d(rows, extra_rows)
            a = np.zeros(len(touched))
            b = np.zeros(len(touched))
            np.add.at(a, np.searchsorted(touched, rows), vals)
            np.add.at(b, np.searchsorted(touched, extra_rows), extra)
        else:  # the common move: every indicator already on, only this column's rows change
            extra_rows, extra = np.zeros(0, dtype=np.int64), np.zeros(0)
            touched, a, b = rows, vals, np.zeros(len(rows))
        act = self.act[touched]
        lo, hi = self.lower[touched], self.upper[touched]
        d_min, d_max = 1.0, float(np.floor(room))
        pos, neg = a > 0, a < 0
        # upper bounds: act + a d + b <= hi
        with np.errstate(divide="ignore", invalid="ignore"):
            cap = (hi - act - b) / a
        if (pos & np.isfinite(hi)).any():
            d_max = min(d_max, float(np.floor(cap[pos & np.isfinite(hi)].min() + TOL)))
        if (neg & np.isfinite(hi)).any():
            d_min = max(d_min, float(np.ceil(cap[neg & np.isfinite(hi)].max() - TOL)))
        bad = (a == 0) & (act + b > hi + TOL)
        # lower bounds only where the move makes a row smaller (it must not break it)
        shrink = np.isfinite(lo) & ((b < 0) | (a < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            need = (lo - act - b) / a
        if (shrink & pos).any():
            d_min = max(d_min, float(np.ceil(need[shrink & pos].max() - TOL)))
        if (shrink & neg).any():
            d_max = min(d_max, float(np.floor(need[shrink & neg].min() + TOL)))
        bad |= shrink & (a == 0) & (act + b < lo - TOL)
        if bad.any() or d_min > d_max:
            return 0.0
        d = d_max
        if not commit:
            return d
        self.x[j] += d
        self.act[rows] += vals * d
        for u in switch:
            self.x[u] = 1.0
        if len(extra_rows):
            np.add.at(self.act, extra_rows, extra)
        return d


def link_indicators(mm: MatrixModel, ctx: BuildContext) -> np.ndarray:
    """Per row, the indicator column a move switches on (-1: none): a link row's one negative
    entry (a row that `forces` it) or its one positive entry (a row that `allows` it)."""
    forced, allowed = link_rows(ctx, mm.n_rows)
    csr = mm.a
    entry_row = np.repeat(np.arange(mm.n_rows), np.diff(csr.indptr))
    marks = (forced[entry_row] & (csr.data < 0)) | (allowed[entry_row] & (csr.data > 0))
    single = np.bincount(entry_row[marks], minlength=mm.n_rows) == 1
    chosen = marks & single[entry_row]
    indicator = np.full(mm.n_rows, -1, dtype=np.int64)
    indicator[entry_row[chosen]] = csr.indices[chosen]
    return indicator


def rows_without_negative(mm: MatrixModel) -> np.ndarray:
    """Per row: it has no negative entry, so adding units (and switching indicators on) only
    raises it."""
    entry_row = np.repeat(np.arange(mm.n_rows), np.diff(mm.a.indptr))
    return np.bincount(entry_row[mm.a.data < 0], minlength=mm.n_rows) == 0


def link_rows(ctx: BuildContext, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows linking an indicator to x: `forced` (sum x <= M u) and `allowed` (u <= sum x)."""
    forced = np.zeros(n_rows, dtype=bool)
    allowed = np.zeros(n_rows, dtype=bool)
    for block in ctx.lm.row_blocks:
        if block.link == "forces":
            forced[block.rows] = True
        elif block.link == "allows":
            allowed[block.rows] = True
    return forced, allowed


def greedy_start(
    mm: MatrixModel,
    ctx: BuildContext,
    tries: int = heuristic_tries(60.0),
    first: Callable[[_State, np.ndarray], None] | None = None,
) -> GreedyResult:
    """A valid start within `tries` tries (each a call to `_State.add`), or None and why.
    `first`: units added before any other in each order tried, given the state and what the
    lines need (a re-plan's baseline: solve/baseline_start.py); it takes off `need` what it
    adds."""
    began = time.perf_counter()
    x = ctx.x
    if x is None or not len(x) or mm.n_cols == 0:
        return GreedyResult(None, 0.0, "no allocation options")
    rq = ctx.data.requirements
    hard = ctx.hard_mask()
    line_order = lines_in_order(rq, hard)
    order = np.lexsort(
        (x["col"].to_numpy(), x["unit_cost"].to_numpy(dtype=float), x["req_idx"].to_numpy())
    )
    req_sorted = x["req_idx"].to_numpy()[order]
    cols_sorted = x["col"].to_numpy()[order]
    starts = np.searchsorted(req_sorted, np.arange(len(rq) + 1))
    by_line = [cols_sorted[starts[i] : starts[i + 1]] for i in range(len(rq))]
    limit = _Budget(tries)
    skip = requirement_rows(ctx, mm.n_rows)
    hard_lines = [i for i in line_order if hard[i]]
    # two orders: commitments (min_units) before the lines, or hard lines before commitments
    states = []
    # with `first` (a re-plan's baseline) the first order only: the baseline's own units
    # are the point, and the second order doubled the time on the bundled timed example
    for commitments_first in (True,) if first is not None else (True, False):
        state = _State(mm, ctx, limit)
        states.append(state)
        need = rq["units"].to_numpy(dtype=float).copy()
        if first is not None:
            first(state, need)
        if commitments_first:
            _repair(state, skip=skip)
        else:
            _fill(state, hard_lines, by_line, need, limited=False)
            _repair(state, skip=skip)
        for _ in range(2):  # a second pass lets a `requires` partner deployed later unlock a unit
            _fill(state, line_order, by_line, need)
        _repair(state)
        if not (state.act < mm.row_lower - 1e-6).any() or limit.spent():
            break
    units = x["col"].to_numpy()
    return chosen_start(
        ctx,
        mm,
        [(s.act, s.x) for s in states],
        (time.perf_counter() - began, limit.used),
        lambda plan: f"a valid start with {int(plan[units].sum())} units",
    )


def chosen_start(
    ctx: BuildContext,
    mm: MatrixModel,
    tried: list[tuple[np.ndarray, np.ndarray]],
    spent: tuple[float, int],
    what: Callable[[np.ndarray], str],
) -> GreedyResult:
    """The result of a construction heuristic (this module's, or greedy_time.py's) from the
    (row activities, plan) of each order it tried and the (seconds, tries) it spent: the plan
    of the order with the fewest rows short, said with `what` and its shortfall stages; None
    and the rules unmet where every order leaves one short."""
    seconds, used = spent
    best, short = fewest_short([act for act, _ in tried], mm)
    plan = tried[best][1]
    if len(short):
        return GreedyResult(None, seconds, unmet(ctx, short), used, partial=plan)
    values = ", ".join(
        f"{st.name} {st.scale * (dot(c, plan) + o):g}"
        for st, c, o in zip(mm.stages, mm.costs, mm.offsets, strict=True)
        if is_shortfall(st.name)
    )
    return GreedyResult(plan, seconds, f"construction heuristic: {what(plan)} ({values})", used)


def lines_in_order(rq: pd.DataFrame, hard: np.ndarray) -> np.ndarray:
    """Requirement lines in the order they are filled: hard first, then by priority, heavier
    weight, site and capability."""
    return np.lexsort(
        (
            rq["capability"].to_numpy(),
            rq["site"].to_numpy(),
            -rq["weight"].to_numpy(dtype=float),
            rq["priority"].to_numpy(),
            ~hard,
        )
    )


def unmet(ctx: BuildContext, short: np.ndarray) -> str:
    """What the heuristic could not meet, for the log and the Summary (solve/start.py says what
    happens instead)."""
    block, local = ctx.lm.row_block_of(int(short[0]))
    keys = [str(k) for k in block.keys[local]]
    if keys and block.caveat_id == keys[0]:  # `caveat C9`, keys (C9, 2027-01)
        keys = keys[1:]
    what = " ".join([block.origin, "/".join(keys)]).strip()
    return f"the construction heuristic could not meet {what} ({count(len(short), 'rule')} unmet)"


def _fill(
    state: _State,
    lines: Sequence[int] | np.ndarray,
    by_line: list[np.ndarray],
    need: np.ndarray,
    *,
    limited: bool = True,
) -> None:
    """Fill requirement lines in the given order, each from its cheapest options (all of them
    when not `limited`, else until the budget is spent)."""
    for i in lines:
        if need[i] < 1 or (limited and state.budget.spent()):
            continue
        # one option that fills the line at once (single-source lines, minimum contingents);
        # only options with room for the whole line are worth a try
        first = by_line[i][:WHOLE_SEARCH]
        first = first[(state.ub[first] - state.x[first] >= need[i]) & ~state.blocked[first]]
        whole = next(
            (j for j in first if state.add(int(j), need[i], commit=False) >= need[i]),
            None,
        )
        if whole is not None:
            need[i] -= state.add(int(whole), need[i])
            continue
        options = by_line[i]
        for j in options[(state.ub[options] - state.x[options] >= 1) & ~state.blocked[options]]:
            if need[i] < 1:
                break
            need[i] -= state.add(int(j), need[i])


def requirement_rows(ctx: BuildContext, n_rows: int) -> np.ndarray:
    """Which rows are requirement rows (a line's, in time one per period)."""
    mask = np.zeros(n_rows, dtype=bool)
    for block in ctx.lm.row_blocks:
        if block.kind == "requirement":
            mask[block.rows] = True
    return mask


def _repair(state: _State, skip: np.ndarray | None = None) -> None:
    """Rows still below their lower bound (hard lines, min_units): add units along their own
    columns, cheapest first, while every other row allows it."""
    csr = state.mm.a
    short = state.act < state.lower - 1e-6
    if skip is not None:
        short &= ~skip
    for r in np.flatnonzero(short):
        cols = csr.indices[csr.indptr[r] : csr.indptr[r + 1]]
        vals = csr.data[csr.indptr[r] : csr.indptr[r + 1]]
        for j, v in zip(cols, vals, strict=True):
            if v <= 0 or state.act[r] >= state.lower[r] - 1e-6 or state.budget.spent():
                continue
            state.add(int(j), np.ceil((state.lower[r] - state.act[r]) / v))
