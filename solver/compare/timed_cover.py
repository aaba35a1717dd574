"""A timed view's lines per period: the units covered, min(allocated, required), and the units
required, as its Coverage sheet says, and the runs of periods with one change of them
(compare/timed_tables.py compares them run by run)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .tables import DELTA
from .timed_views import TimedView


def covered(view: TimedView) -> pd.Series:
    """Units covered per (site, capability, period): min(allocated, required)."""
    cov = view.coverage
    if not len(cov) or not view.has_plan:
        return pd.Series(dtype="int64")
    got = cov[["allocated", "required"]].min(axis=1).astype("int64")
    return pd.Series(
        got.to_numpy(), index=pd.MultiIndex.from_frame(cov[["site", "capability", "period"]])
    )


def required(view: TimedView) -> pd.Series:
    """Units required per (site, capability, period), as the view's Coverage says."""
    cov = view.coverage
    if not len(cov) or not view.has_plan:
        return pd.Series(dtype="int64")
    index = pd.MultiIndex.from_frame(cov[["site", "capability", "period"]])
    return pd.Series(cov["required"].astype("int64").to_numpy(), index=index)


def full_cover(row: pd.Series) -> bool:
    """The scenario covers the run's line in full in every period of the run (its covered
    units and its requirement the same number throughout); never a line it lacks (its
    requirement read as 0: a review saw `1 -> 0, covered in full` of a line a scenario drops)."""
    covered, required = row.get("covered"), row.get("required")
    if pd.isna(row.get("scenario_priority")):  # the scenario has no such line
        return False
    return isinstance(covered, int | np.integer) and covered == required


def loses(row: pd.Series) -> bool:
    """The run is a loss: the scenario is short of more units there than base (`Δ short` > 0:
    a requirement raised and not met, with the same units covered, is one; a requirement
    lowered and met with fewer units is none), or covers fewer units of a line it lacks."""
    if pd.isna(row.get("scenario_priority")):  # the scenario has no such line
        return bool(row[DELTA + "units"] < 0)
    return bool(row[DELTA + "short"] > 0)


def short_said(row: pd.Series) -> str:
    """`short by 1 more` (or `fewer`) where the run's units short change by other than its
    units covered say (a requirement raised or lowered there); '' otherwise."""
    delta, short = int(row[DELTA + "units"]), int(row[DELTA + "short"])
    if not short or delta == -short:
        return ""
    return f"short by {abs(short)} {'more' if short > 0 else 'fewer'}"


def runs(cells: list[tuple[int, ...]]) -> list[tuple[int, int, tuple[int, int], list[Any]]]:
    """(first, last, (delta, short), held) per run of consecutive periods with one change of
    units covered (`delta`, now - base) and of units short (`short`); cells are (t, base, now)
    or (t, base, now, base_required, required), short 0 in the first form. `held` gives base,
    now and each requirement as the run's value where it holds throughout, else its range
    `a..b`."""
    runs: list[list[tuple[int, ...]]] = []
    for cell in cells:
        last = runs[-1][-1] if runs else None
        if last is not None and last[0] == cell[0] - 1 and _change(last) == _change(cell):
            runs[-1].append(cell)
        else:
            runs.append([cell])
    out = []
    for run in runs:
        held = [_held([r[i] for r in run]) for i in range(1, len(run[0]))]
        out.append((run[0][0], run[-1][0], _change(run[0]), held))
    return out


def _change(cell: tuple[int, ...]) -> tuple[int, int]:
    """(units covered, units short) of a cell, now - base."""
    _, base, now, *required = cell
    if not required:
        return now - base, 0
    base_required, now_required = required
    return now - base, (now_required - now) - (base_required - base)


def _held(values: list[int]) -> Any:
    return values[0] if min(values) == max(values) else f"{min(values)}..{max(values)}"
