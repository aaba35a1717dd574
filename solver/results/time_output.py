"""The tables of a timed solve, assembled from a `TimedPlan` (`make_tables` calls this).

Allocation and Coverage are the timed ones (with `period`); Tours, Sustainability and Burden go
to `Tables.timed`; Contributors is read in time (`time_summary`); the Matrix counts unit-months:
each cell is `allocated/required` summed over the periods as months(t) x units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Data
from ..model.context import BuildContext
from ..solve.outcome import SolveOutcome
from ..time_plan import TOUR_KEY, TimedPlan
from .tables import Tables, caveats_table, matrix_table
from .time_summary import months_of, timed_contributors
from .time_tables import active_lines, timed_tables


def timed_output(
    data: Data,
    ctx: BuildContext,
    outcome: SolveOutcome,
    plan: TimedPlan | None,
    hard: np.ndarray | None,
    hard_because: np.ndarray | None,
    reasons: dict[tuple[str, str], str] | None = None,
) -> tuple[Tables, TimedPlan]:
    """Tables of a timed solve (Summary left empty) and the plan they show (an empty plan when
    none is given: the solve found none)."""
    if plan is None:
        plan = TimedPlan(data, pd.DataFrame(columns=[*TOUR_KEY, "units"]))
    if hard is None or hard_because is None:
        hard, hard_because = workbook_hard(data)
    timed = timed_tables(plan, hard, hard_because, reasons)
    coverage = timed.pop("Coverage")
    allocation = timed.pop("Allocation")
    xval = aval = None
    if outcome.x is not None and ctx.x is not None:
        xval = outcome.x[ctx.x["col"].to_numpy()]  # units per (c, k, s, t) position
        aval = outcome.x[ctx.x["arrive"].to_numpy()]  # arrivals: who is in dwell when
    caveats = caveats_table(ctx, xval, aval)
    tables = Tables(
        summary=[],
        allocation=allocation,
        coverage=coverage,
        contributors=timed_contributors(plan, allocation),
        caveats=caveats,
        matrix=matrix_table(unit_month_lines(coverage, data), data),
        periods=data.periods,
        timed=timed,
    )
    return tables, plan


def workbook_hard(data: Data) -> tuple[np.ndarray, np.ndarray]:
    """hard(i, t): the line's `hard` in every period it is active, because `workbook`."""
    hard_in = data.requirements["hard"].to_numpy(dtype=bool)[:, None]
    hard = hard_in & active_lines(data)
    return hard, np.where(hard, "workbook", "").astype(object)


def unit_month_lines(coverage: pd.DataFrame, data: Data) -> pd.DataFrame:
    """One row per line (site, capability): required and allocated in unit-months."""
    assert data.periods is not None
    months = months_of(data.periods, coverage["period"])
    frame = coverage[["site", "capability"]].assign(
        required=coverage["required"].to_numpy() * months,
        allocated=coverage["allocated"].to_numpy() * months,
    )
    summed = frame.groupby(["site", "capability"], sort=False)[["required", "allocated"]].sum()
    return summed.reset_index()
