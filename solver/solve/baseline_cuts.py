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

taken where every row and hold still holds (flow, tour length, rotation and dwell: the rows of
model/tours.py, on a and x alone) and no stage's value changes (a tie broken, never a stage
traded). The options of one pledge are tried together first, since their departures share its
rotation rows, then one at a time, in key order. No HiGHS run: the same plan on any machine.

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

if TYPE_CHECKING:
    from .holds import Holds

OPTION = ["contributor", "capability", "site"]
TOLERANCE = 1e-6  # of a stage's value, as the holds read it


def keep_baseline_rotations(ctx: BuildContext, solver: Holds, x: np.ndarray) -> np.ndarray:
    """x with the baseline's arrivals on every option where they keep every row, hold and
    stage value (the module's docstring); x itself where none does."""
    baseline = ctx.data.baseline
    if baseline is None or ctx.x is None or not len(baseline.rows):
        return x
    candidates = _candidates(ctx, x)
    if not candidates:
        return x
    acol = ctx.x["arrive"].to_numpy()
    values = [dot(cost, x) for cost in solver.mm.costs]
    kept = x
    by_pledge: dict[tuple[str, str], list[tuple[tuple[str, str, str], np.ndarray, np.ndarray]]]
    by_pledge = {}
    for option, positions, arrivals in candidates:
        by_pledge.setdefault(option[:2], []).append((option, positions, arrivals))
    for options in by_pledge.values():
        together = _with(kept, acol, options)
        if _keeps(solver, together, values):
            kept = together
            continue
        for one in options:
            alone = _with(kept, acol, [one])
            if _keeps(solver, alone, values):
                kept = alone
    return kept


def _candidates(
    ctx: BuildContext, x: np.ndarray
) -> list[tuple[tuple[str, str, str], np.ndarray, np.ndarray]]:
    """(option, its x positions, the baseline's arrivals there) for each option the module's
    docstring tries, in key order."""
    assert ctx.x is not None and ctx.data.baseline is not None
    frame, baseline = ctx.x, ctx.data.baseline
    limited = ~np.isnan(ctx.data.pledges["tour_months"].to_numpy(dtype=float))
    limited = limited[frame["pledge_idx"].to_numpy()] & ~locked_options(ctx)
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
        if np.array_equal(present[positions], b_here[positions]) and not np.array_equal(
            arriving[positions], starts_here[positions]
        ):
            out.append((option, positions, starts_here[positions]))
    return out


def _with(
    x: np.ndarray,
    acol: np.ndarray,
    options: list[tuple[tuple[str, str, str], np.ndarray, np.ndarray]],
) -> np.ndarray:
    """x with these options' arrivals set to the baseline's."""
    changed = x.copy()
    for _, positions, arrivals in options:
        changed[acol[positions]] = arrivals
    return changed


def _keeps(solver: Holds, x: np.ndarray, values: list[float]) -> bool:
    """x keeps every row and hold, and every stage's value."""
    if not solver.keeps_rows(x):
        return False
    return all(
        abs(dot(cost, x) - value) <= max(TOLERANCE, 1e-9 * abs(value))
        for cost, value in zip(solver.mm.costs, values, strict=True)
    )
