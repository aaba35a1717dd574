"""A timed re-plan keeps the baseline's rotations where its plan keeps the baseline's units.

The `changes` stage counts unit-months present (replanning.md), so two plans with the same
units present but their tours cut at other months are equal there, and equal at the cost stage
where they have as many tours. HiGHS then picks either, and a re-plan against a baseline it
keeps unit for unit could still ask a nation to re-cut its rotations (`DEU: re-cut MECH_COY
rotations at Dnipro: 2027-05..2027-10 x1, 2027-11..2028-02 x1 -> 2027-05..2027-09 x1,
2027-10..2028-02 x1`, 0 unit-months changed): a needless change a planner must take to a
nation. So, once the solve has its plan:

    for each option o = (c,k,s) of a pledge with a tour limit (whole arrivals a[o,t]), not
    locked, whose units present x[o,t] equal the baseline's b[o,t] in every period and whose
    arrivals differ from the baseline's tours' starts B[o,t]:
        a[o,t] := B[o,t] for every t of o

taken where as many units arrive as before (so as many tours, and the same cost: a unit's
cost is its option's in every period), every row still holds (flow, tour length, rotation and
dwell: the rows of model/tours.py, on a and x alone) and no stage's value changes (a tie
broken, never a stage traded; so every hold keeps too). The options of one pledge are tried
together first, since their departures share its rotation rows, then one at a time, in key
order. No HiGHS run: the same plan on any machine.

    x[o,t]   units of o present in t (the plan's, kept)
    a[o,t]   units of o arriving in t (the plan's, replaced)
    b[o,t]   the baseline's units of o present in t (`Baseline.presence`)
    B[o,t]   the baseline's units of o arriving in t: the units of its tours whose first period
             is t

Options without a tour limit need none of this: their tours are read from x alone, as the
least churn (model/tour_reading.py), and a locked option's arrivals are held by its rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.portable import dot
from ..model.tour_reading import locked_options
from ..model.tours import tour_limits

if TYPE_CHECKING:
    from .highs import LexicographicSolver

# an option, its x positions, the baseline's arrivals there
Candidate = tuple[tuple[str, str, str], np.ndarray, np.ndarray]

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
            if check.take(acol, options):
                continue
            for one in options:
                check.take(acol, [one])
        return check.x
    except MemoryError:
        return x


def _candidates(ctx: BuildContext, x: np.ndarray) -> list[Candidate]:
    """(option, its x positions, the baseline's arrivals there) for each option the module's
    docstring tries, in key order."""
    assert ctx.x is not None and ctx.data.baseline is not None
    frame, baseline = ctx.x, ctx.data.baseline
    limited = ~np.isnan(tour_limits(ctx)) & ~locked_options(ctx)
    present = np.rint(x[frame["col"].to_numpy()]).astype(np.int64)
    arriving = np.rint(x[frame["arrive"].to_numpy()]).astype(np.int64)
    keys = pd.MultiIndex.from_frame(frame[[*OPTION, "t"]])
    b = baseline.presence().set_index([*OPTION, "t"])["units"]
    b_here = b.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    starts = baseline.rows.groupby([*OPTION, "first_t"], sort=True)["units"].sum()
    starts.index = starts.index.set_names([*OPTION, "t"])
    starts_here = starts.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    # every unit-period and tour start of the baseline on the option's columns: a period
    # without a column (a line inactive then) holds none of the plan's units
    b_total = b.groupby(level=OPTION).sum()
    starts_total = starts.groupby(level=OPTION).sum()
    out = []
    option_keys = frame[OPTION].to_numpy(dtype=object)
    boundaries = np.flatnonzero(np.any(option_keys[1:] != option_keys[:-1], axis=1)) + 1
    for positions in np.split(np.arange(len(frame)), boundaries):
        if not len(positions) or not limited[positions[0]]:
            continue
        option = tuple(option_keys[positions[0]])
        if option not in b_total.index or b_total[option] == 0:
            continue
        if b_here[positions].sum() != b_total[option]:
            continue
        if starts_here[positions].sum() != starts_total.get(option, 0):
            continue
        same_units = np.array_equal(present[positions], b_here[positions])
        # as many units arriving (so as many tours' cost: a unit's cost is the option's in
        # every period), only at other times
        same_count = arriving[positions].sum() == starts_here[positions].sum()
        if (
            same_units
            and same_count
            and not np.array_equal(arriving[positions], starts_here[positions])
        ):
            out.append((option, positions, starts_here[positions]))
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

    def take(self, acol: np.ndarray, options: list[Candidate]) -> bool:
        """The options' arrivals set to the baseline's, kept when every row they touch, every
        column bound and every stage value still holds: True if taken."""
        columns = np.concatenate([acol[positions] for _, positions, _ in options])
        wanted = np.concatenate([arrivals for _, _, arrivals in options]).astype(float)
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
