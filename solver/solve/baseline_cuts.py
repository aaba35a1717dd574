"""A timed re-plan keeps the baseline's rotations where its plan keeps the baseline's units.

The `changes` stage counts unit-months present (replanning.md), so two plans with the same
units present but their tours cut at other months are equal there, and equal at the cost stage
where they have as many tours. HiGHS then picks either, and a re-plan against a baseline it
keeps unit for unit could still ask a nation to re-cut its rotations (`DEU: re-cut MECH_COY
rotations at Dnipro: 2027-05..2027-10 x1, 2027-11..2028-02 x1 -> 2027-05..2027-09 x1,
2027-10..2028-02 x1`, 0 unit-months changed): a needless change a planner must take to a
nation. So, once the solve has its plan:

    for each option o = (c,k,s) of a pledge with a tour limit (whole arrivals a[o,t]) whose
    units present x[o,t] equal the baseline's b[o,t] in every period from the baseline's
    first period there to its last, t0..t* (the first and last t with b[o,t] > 0), and whose
    arrivals differ from these:
        a[o,t] := F[o,t]                      for t < t0 (fresh tours, gone by t0)
        a[o,t] := B[o,t] - P[o] [t = 0]       for t0 <= t <= t*
        a[o,t] := F[o,t]                      for t > t*

where F are the arrivals that keep x there (`_arrivals`); after t* first with the baseline's
tours present in t* running on while their tour limit allows, else with them ending at t*.
Units added before or after the baseline's tours were otherwise free to re-cut them: a rolling
re-plan's new last quarter sent a carried unit home and asked its nation to re-cut a rotation
it kept unit for unit (a trial), and a unit added the month before a baseline tour moved that
tour a month earlier (another), for no stage's gain.

Each is taken where every row still holds (flow, tour length, rotation and dwell: the rows of
model/tours.py, on a and x alone) and no stage's value changes (the cost counts tours, so a cut
of as many tours; a tie broken, never a stage traded; so every hold keeps too). The options of
one pledge are tried together first, since their departures share its rotation rows, then one
at a time, in key order. No HiGHS run: the same plan on any machine.

    x[o,t]   units of o present in t (the plan's, kept)
    a[o,t]   units of o arriving in t (the plan's, replaced)
    b[o,t]   the baseline's units of o present in t (`Baseline.presence`)
    B[o,t]   the baseline's units of o arriving in t: the units of its tours whose first period
             is t
    P[o]     the units carried into period 0 (model/history.py): they stay without arriving

An option with locked tours is read without them: x, a, b and B are its other units' (x - L,
a - AL, and the baseline's unlocked rows; L, AL: the locked tours held apart,
model/locked_apart.py), and the tries add AL back. A review's case: P1..P2 locked, P3..P4 not,
a tour added for P5, asked `re-cut ... P3..P4 x1 -> P3 x1, P4..P5 x1` at equal stage values.
Where a locked tour is not held apart (carried in) its own rows hold its dates
(model/baseline.py) and the option is left as solved; one longer than its limit is held apart
and forbidden (model/locked_apart.py): no plan comes here with it. Options without a tour
limit need none of this: their tours are read from x alone, as the least churn
(model/tour_reading.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.history import carried_units
from ..model.locked_apart import held_apart
from ..model.portable import dot
from ..model.tours import tour_limits

if TYPE_CHECKING:
    from .highs import LexicographicSolver

# an option, its x positions, the arrivals to try there (the first that holds is taken)
Candidate = tuple[tuple[str, str, str], np.ndarray, list[np.ndarray]]

OPTION = ["contributor", "capability", "site"]
TOLERANCE = 1e-6  # of a stage's value, as the holds read it


def keep_baseline_rotations(
    ctx: BuildContext, solver: LexicographicSolver, x: np.ndarray
) -> np.ndarray:
    """x with the baseline's arrivals on every option where they keep every row, column bound
    and stage value (the module's docstring); x itself where none does, or where memory
    runs out (the plan is kept as solved)."""
    baseline = ctx.data.baseline
    if baseline is None or ctx.x is None or not len(baseline.rows):
        return x
    try:
        candidates = _candidates(ctx, x)
        if not candidates:
            return x
        check = _Check(solver, x)
        acol = ctx.x["arrive"].to_numpy()
        by_pledge: dict[tuple[str, str], list[Candidate]] = {}
        for candidate in candidates:
            by_pledge.setdefault(candidate[0][:2], []).append(candidate)
        for options in by_pledge.values():
            tries = max(len(wanted) for _, _, wanted in options)
            if any(check.take(acol, options, i) for i in range(tries)):
                continue
            for one in options:
                any(check.take(acol, [one], i) for i in range(len(one[2])))
        return check.x
    except MemoryError:
        return x


def _candidates(ctx: BuildContext, x: np.ndarray) -> list[Candidate]:
    """(option, its x positions, the arrivals to try there) for each option the module's
    docstring tries, in key order."""
    assert ctx.x is not None and ctx.data.baseline is not None
    frame, baseline = ctx.x, ctx.data.baseline
    limit = tour_limits(ctx)
    limited = ~np.isnan(limit)
    # the other units of an option with locked tours held apart: x - L, a - AL
    apart, apart_arriving = (np.rint(v).astype(np.int64) for v in held_apart(ctx)[1:])
    present = np.rint(x[frame["col"].to_numpy()]).astype(np.int64) - apart
    arriving = np.rint(x[frame["arrive"].to_numpy()]).astype(np.int64) - apart_arriving
    keys = pd.MultiIndex.from_frame(frame[[*OPTION, "t"]])
    b_locked = baseline.presence(locked_only=True).set_index([*OPTION, "t"])["units"]
    locked_here = b_locked.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    locked_total = b_locked.groupby(level=OPTION).sum()
    b = baseline.presence().set_index([*OPTION, "t"])["units"].sub(b_locked, fill_value=0)
    b_here = b.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    unlocked = baseline.rows[~baseline.rows["lock"].astype(bool)]
    starts = unlocked.groupby([*OPTION, "first_t"], sort=True)["units"].sum()
    starts.index = starts.index.set_names([*OPTION, "t"])
    starts_here = starts.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    carried = np.rint(carried_units(ctx)).astype(np.int64)
    assert ctx.data.periods is not None
    months = ctx.data.periods["months"].to_numpy(dtype=np.int64)
    t_of = frame["t"].to_numpy(dtype=np.int64)
    # every unit-period and tour start of the baseline on the option's columns: a period
    # without a column (a line inactive then) holds none of the plan's units
    b_total = b.groupby(level=OPTION).sum()
    starts_total = starts.groupby(level=OPTION).sum()
    ends = unlocked.groupby([*OPTION, "last_t"], sort=True)
    served_before = _served_before(baseline.history)
    out = []
    option_keys = frame[OPTION].to_numpy(dtype=object)
    boundaries = np.flatnonzero(np.any(option_keys[1:] != option_keys[:-1], axis=1)) + 1
    for positions in np.split(np.arange(len(frame)), boundaries):
        if not len(positions) or not limited[positions[0]]:
            continue
        option = tuple(option_keys[positions[0]])
        if option not in b_total.index or b_total[option] == 0:
            continue
        if locked_total.get(option, 0) != apart[positions].sum() or not np.array_equal(
            locked_here[positions], apart[positions]
        ):
            continue  # a locked tour not held apart: its own rows hold its dates
        if b_here[positions].sum() != b_total[option]:
            continue
        if starts_here[positions].sum() != starts_total.get(option, 0):
            continue
        held = np.flatnonzero(b_here[positions])
        first, last = int(held[0]), int(held[-1])  # t0 and t*, as places in positions
        before, during = positions[:first], positions[first : last + 1]
        after = positions[last + 1 :]
        kept = starts_here[during] - carried[during]
        if not np.array_equal(present[during], b_here[during]) or kept.min() < 0:
            continue  # units other than the baseline's in t0..t*, or carried beyond its tours
        running = _running(ends, option, int(t_of[during[-1]]), months, served_before)
        if len(after) and t_of[after[0]] != t_of[during[-1]] + 1:
            running = []  # no column right after t*: its units left
        tour_months = float(limit[positions[0]])
        early = _arrivals(present[before], t_of[before], months, tour_months, [])
        wanted: list[np.ndarray] = []
        for tours in (running, []):  # the baseline's tours running on; else ending at t*
            later = _arrivals(present[after], t_of[after], months, tour_months, tours)
            tried = np.concatenate([early, kept, later])
            # as many tours, so the same cost: a tour's cost is its option's (a stage value's
            # tolerance alone took a tour more beside a cost of 1e10: a review)
            same_count = tried.sum() == arriving[positions].sum()
            if same_count and not any(np.array_equal(tried, w) for w in wanted):
                wanted.append(tried)
        if wanted and not any(np.array_equal(arriving[positions], w) for w in wanted):
            out.append((option, positions, [w + apart_arriving[positions] for w in wanted]))
    return out


def _served_before(history: pd.DataFrame | None) -> dict[str, int]:
    """A carried tour's months served before the horizon (-start), by its row's cell."""
    if history is None or not len(history):
        return {}
    carried = history[history["carried"].astype(bool)]
    return {
        str(w): -int(start) for w, start in zip(carried["where"], carried["start"], strict=True)
    }


def _running(
    ends: Any,
    option: tuple[str, ...],
    t_last: int,
    months: np.ndarray,
    served_before: dict[str, int],
) -> list[list[int]]:
    """The baseline's tours of `option` present in its last period t*: [units, months served
    by the end of t*] each, a carried tour's months before the horizon counted (they were
    not: a tour carried in was let run past its limit, the rows refused it, and the re-cut
    stayed: a review)."""
    try:
        rows = ends.get_group((*option, t_last))
    except KeyError:
        return []
    return [
        [int(units), int(months[int(first) : t_last + 1].sum()) + served_before.get(str(w), 0)]
        for first, units, w in zip(rows["first_t"], rows["units"], rows["where"], strict=True)
    ]


def _arrivals(
    present: np.ndarray, t: np.ndarray, months: np.ndarray, limit: float, tours: list[list[int]]
) -> np.ndarray:
    """Arrivals that keep `present` in the periods `t` (consecutive runs), from `tours`
    ([units, months served], present in the period before t[0]) running on: a tour goes on
    while its months stay within the tour limit, the longest served leaving first where fewer
    units stay (first in, first out, as model/tours.py reads them); units beyond them arrive."""
    out = np.zeros(len(present), dtype=np.int64)
    for i, (units, period) in enumerate(zip(present.tolist(), t.tolist(), strict=True)):
        if i and period != t[i - 1] + 1:
            tours = []  # no column in between: every unit left
        going_on = sorted(
            (tour for tour in tours if tour[1] + months[period] <= limit), key=lambda tour: tour[1]
        )
        staying, on = units, []
        for tour_units, served in going_on:
            if staying <= 0:
                break
            on.append([min(tour_units, staying), served])
            staying -= on[-1][0]
        if staying > 0:
            on.append([staying, 0])
            out[i] = staying
        tours = [[u, served + int(months[period])] for u, served in on]
    return out


class _Check:
    """The plan so far and its row activities, to try arrivals changed on a few columns
    against the rows they touch (not the whole matrix for each try: a large model may have
    many options to try)."""

    def __init__(self, solver: LexicographicSolver, x: np.ndarray) -> None:
        self.solver = solver
        self.x = x
        self.activity = solver.mm.a @ x
        self.lower, self.upper = solver.row_bounds()
        self.values = [dot(cost, x) for cost in solver.mm.costs]

    def take(self, acol: np.ndarray, options: list[Candidate], i: int) -> bool:
        """The options' arrivals set to their i-th try (an option with fewer: its last), kept
        when every row they touch, every column bound and every stage value still holds: True
        if taken."""
        columns = np.concatenate([acol[positions] for _, positions, _ in options])
        tries = [wanted[min(i, len(wanted) - 1)] for _, _, wanted in options]
        wanted = np.concatenate(tries).astype(float)
        delta = wanted - self.x[columns]
        a_cols = self.solver.by_column()[:, columns]
        rows = np.unique(a_cols.indices)
        after = self.activity[rows] + (a_cols @ delta)[rows]
        if np.any(after < self.lower[rows] - TOLERANCE) or np.any(
            after > self.upper[rows] + TOLERANCE
        ):
            return False
        x = self.x.copy()
        x[columns] = wanted
        # every stage's value as before keeps every hold (each holds a stage at its value)
        if not self.solver.within_columns(x) or not self._same_stages(x):
            return False
        self.x = x
        self.activity[rows] = after
        return True

    def _same_stages(self, x: np.ndarray) -> bool:
        return all(
            abs(dot(cost, x) - value) <= max(TOLERANCE, 1e-9 * abs(value))
            for cost, value in zip(self.solver.mm.costs, self.values, strict=True)
        )
