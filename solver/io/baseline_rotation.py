"""A timed baseline whose tours break a pledge's rotation (`time.md` rule 3): warned when read.

For pledge (c, k) with `dwell_months` D > 0 and `units` U, and every period t,

    deployed(t) + dwell(t) <= U,
    deployed(t) = sum of the units of c's k tours (any site) with first <= t <= last,
    dwell(t)    = sum of the units of those tours ending at e = m(last) + months(last) with
                  e <= m(t) < e + D,

m(t) being period t's month offset. The baseline's rows are its tours, as `verify` reads a Tours
sheet, except that two rows of one option and units back to back (the second starting the
period after the first ends) are one tour where the two fit in one (within the pledge's
`tour_months`, or without one): nothing leaves between them, and the re-plan keeps them so.

A baseline breaking it (a tour added by hand while the units it needs are at home) cannot be
kept whole: the re-plan withdraws units there, and its Changes name only the line's own
reasons. Said once per pledge, at its first row, with its periods and the worst of them;
periods where the units present alone exceed the pledge are left to `baseline_odd`'s "above
its pledge". A warning, never an error: whether a locked tour can hold is the model's
question.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..baseline import Baseline
from ..data import Data
from ..wording import count
from .periods import span


def rotation_broken(baseline: Baseline, data: Data) -> list[tuple[str, str]]:
    """(where, message) per pledge whose baseline tours and the units they leave in dwell
    exceed its units in some period (module docstring)."""
    if data.periods is None or not len(baseline.rows):
        return []
    offset = data.periods["offset"].to_numpy(dtype=np.int64)
    months = data.periods["months"].to_numpy(dtype=np.int64)
    names = [str(n) for n in data.periods["period"]]
    rows = baseline.rows
    out: list[tuple[str, str]] = []
    for pledge in data.pledges.itertuples(index=False):
        dwell = _whole(pledge.dwell_months)
        if dwell <= 0:
            continue
        mine = rows[
            (rows["contributor"] == pledge.contributor) & (rows["capability"] == pledge.capability)
        ]
        if not len(mine):
            continue
        deployed = np.zeros(len(offset), dtype=np.int64)
        at_home = np.zeros(len(offset), dtype=np.int64)
        for first, last, units in _tours(mine, offset, months, _whole(pledge.tour_months)):
            deployed[first : last + 1] += units
            ends = offset[last] + months[last]
            at_home[(offset >= ends) & (offset < ends + dwell)] += units
        pledged = int(pledge.units)
        broken = (deployed <= pledged) & (deployed + at_home > pledged)
        if not broken.any():
            continue
        when = ", ".join(span(names, a, b) for a, b in _runs(broken))
        worst = int(np.argmax(np.where(broken, deployed + at_home, -1)))
        a, b = next(r for r in _runs(broken, deployed, at_home) if r[0] <= worst <= r[1])
        out.append(
            (
                str(mine["where"].iloc[0]),
                f"the baseline's tours of {pledge.contributor}'s {pledge.capability} break its "
                f"rotation in {when}: up to {count(int(deployed[worst] + at_home[worst]), 'unit')} "
                f"deployed or at home in dwell ({dwell} months after a tour; in "
                f"{span(names, a, b)} {deployed[worst]} deployed, {at_home[worst]} in dwell) of "
                f"{pledged} pledged: some must change (a locked tour that cannot hold makes the "
                "solve infeasible)",
            )
        )
    return out


def _tours(
    rows: pd.DataFrame, offset: np.ndarray, months: np.ndarray, limit: int
) -> list[tuple[int, int, int]]:
    """(first, last, units) of a pledge's baseline rows, two unlocked rows of one site and units
    back to back made one while the two fit within `limit` months (0: no limit); a locked row
    is a tour as it stands (replanning.md), never merged."""
    tours: list[list[Any]] = []  # [site, first, last, units, lock]
    columns = ["site", "units", "first_t", "last_t", "lock"]
    for site, units, first, last, lock in rows.sort_values(columns[:3], kind="mergesort")[
        columns
    ].itertuples(index=False):
        first, last, units, lock = int(first), int(last), int(units), bool(lock)
        previous = tours[-1] if tours else None
        if (
            previous is not None
            and not lock
            and not previous[4]
            and previous[:1] == [site]
            and previous[3] == units
            and previous[2] + 1 == first
            and (not limit or offset[last] + months[last] - offset[previous[1]] <= limit)
        ):
            previous[2] = last
            continue
        tours.append([site, first, last, units, lock])
    return [(first, last, units) for _, first, last, units, _ in tours]


def _whole(value: object) -> int:
    """A pledge's dwell_months or tour_months as a whole number; blank (NaN, None) is 0."""
    if value is None or value != value:
        return 0
    return int(value)  # type: ignore[call-overload]


def _runs(flags: np.ndarray, *numbers: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive flagged periods with the same `numbers`."""
    runs: list[tuple[int, int]] = []
    for t in np.flatnonzero(flags).tolist():
        same = runs and runs[-1][1] == t - 1 and all(n[t] == n[t - 1] for n in numbers)
        if same:
            runs[-1] = (runs[-1][0], t)
        else:
            runs.append((t, t))
    return runs
