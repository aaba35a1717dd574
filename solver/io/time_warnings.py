"""What a valid timed workbook is warned of (contract part 2, `time.md`): a tour that cannot
cover a period of its pledge's window, a dwell without tours, a pledge available only when no
line needs it, a line needing units only when no pledge is available (split from
io/validate_time.py, which checks the windows themselves).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Data, required_units
from ..errors import Issues
from .periods import span, spans


def warn_tours(pl: pd.DataFrame, periods: pd.DataFrame, issues: Issues) -> None:
    """Tours that cannot fit a period of the window; a dwell that only follows a move. (A tour
    longer than the pledge's window is no slip: a nation's tour policy with a shorter mandate.)"""
    names = list(periods["period"])
    months = periods["months"].to_numpy()
    for _, p in pl.iterrows():
        who = f"{p['contributor']}/{p['capability']}"
        tour = p["tour_months"]
        if not np.isnan(tour):
            too_long = [t for t in range(p["from_t"], p["to_t"] + 1) if months[t] > tour]
            if too_long:
                one = len(too_long) == 1
                periods_said = (
                    f"the period {spans(names, too_long)} ({_months_of(months, too_long)} long)"
                    if one
                    else f"each of the periods {spans(names, too_long)} "
                    f"({_months_of(months, too_long)} long each)"
                )
                issues.warn(
                    p["_at_tour_months"],
                    f"{who}: tour_months {int(tour)} is shorter than {periods_said} inside the "
                    "pledge's window: a tour covers whole periods, so these units can never "
                    f"deploy in {'that period' if one else 'those periods'}",
                )
        elif p["dwell_months"] > 0:
            issues.warn(
                p["_at_dwell_months"],
                f"{who}: dwell_months {p['dwell_months']} with no tour_months: a unit may then "
                "stay for the whole window, so the dwell only applies when a unit leaves one "
                "site before moving to another or returning (set tour_months to rotate units)",
            )


def _months_of(months: np.ndarray, positions: list[int]) -> str:
    values = sorted({int(months[t]) for t in positions})
    return " or ".join(str(v) for v in values) + " months"


def warn_windows(data: Data, issues: Issues) -> None:
    """A pledge available only when no line of its capability requires a unit, and a line that
    requires units only when no pledge of its capability is available: both legal, both idle."""
    names = list(data.periods["period"]) if data.periods is not None else []
    required = required_units(data) > 0
    req, pl = data.requirements, data.pledges
    available = data.available
    offered = pl[(pl["units"] > 0) & pl["contributor"].isin(available)]
    for capability in sorted(set(req["capability"]) & set(offered["capability"])):
        lines = req["capability"].to_numpy() == capability
        needed = required[lines].any(axis=0)
        pledges = offered[offered["capability"] == capability]
        present = np.zeros(len(names), dtype=bool)
        for a, b in zip(pledges["from_t"], pledges["to_t"], strict=True):
            present[a : b + 1] = True
        if not needed.any():
            continue
        for _, p in pledges.iterrows():
            if not needed[p["from_t"] : p["to_t"] + 1].any():
                issues.warn(
                    _window_end(p, needed),
                    f"{p['contributor']}/{capability} is available only in "
                    f"{span(names, p['from_t'], p['to_t'])}, when no {capability} line requires "
                    f"a unit ({capability} is required in {spans(names, _where_true(needed))}): "
                    "the pledge can never be used",
                )
        idle = lines & required.any(axis=1) & ~(required & present).any(axis=1)
        for i in np.flatnonzero(idle):
            need = required[i]
            r = req.iloc[i]
            issues.warn(
                r["_at_from"],
                f"{r['site']}/{capability} requires units only in "
                f"{spans(names, _where_true(need))}, when no {capability} pledge is available "
                f"(pledges of {capability} are available in "
                f"{spans(names, _where_true(present))}): the line is short in every period",
            )


def _window_end(pledge: pd.Series, needed: np.ndarray) -> str:
    """The cell of the pledge's window that keeps it from the periods needed: its `to` where
    units are needed only after the window (a mandate ending too soon), else its `from` (a
    scenario's override of it is then named, its cell being the Scenarios one)."""
    return pledge["_at_to"] if not needed[: pledge["from_t"]].any() else pledge["_at_from"]


def _where_true(mask: np.ndarray) -> list[int]:
    return [int(t) for t in np.flatnonzero(mask)]
