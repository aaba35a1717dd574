"""A re-plan's cost against its baseline's, both priced by the workbook solved (an added output:
the Summary's `baseline_cost`, the console's and the briefing's sentence). A session's note: a
re-plan never stated what it costs beside the plan nations were already asked for.

The baseline's rows are priced as `objective.cost` prices the plan (`workbook.md`, `time.md`):

    baseline_cost = sum over baseline rows r of units(r) x unit_cost(c_r, k_r, s_r)
                    - sum over options o of staying(o) x unit_cost(o)

    r              a row of the baseline (snapshot: an Allocation row; timed: a tour, one
                   deployment, whatever its length)
    unit_cost      the model's unit cost (`model.candidates.unit_costs_of`): the pledge's
                   cost_per_unit, else person-km
    staying(o)     a rolling re-plan's units of option o carried in from before the first
                   period (its history) that continue in the baseline's first-period tours
                   within their tour limit, as the plan's are read (`time_plan.carried_reading`):
                   already deployed, they cost nothing, as in the plan

The one function `results.time_stages.tours_cost` prices both sides (before, a copy here
counted every carried unit in a first-period tour as staying, one whose tour ran past its
tour_months too, and priced it 0 where the plan's reading priced it 1).

Rows whose pledge the workbook no longer has cannot be priced, nor those whose site it no
longer has where the cost is distance-based (a review: such a row was priced at 0 km): they are
left out and counted (`unpriced`), and the sentence says so. The file's own Summary cost is
not used: it priced the plan by the workbook it was solved from, and over its own horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import Data
from ..wording import count
from .time_stages import tours_cost


@dataclass(frozen=True)
class BaselineCost:
    """The baseline priced (`cost`) and its rows that could not be (`unpriced`)."""

    cost: float
    unpriced: int


def baseline_cost(data: Data) -> BaselineCost | None:
    """The module docstring's sum; None without a baseline, or for a baseline of history
    alone (verify's reading of a plan's own History sheet)."""
    baseline = data.baseline
    if baseline is None or baseline.history_only:
        return None
    rows = baseline.rows
    pledge = pd.MultiIndex.from_frame(rows[["contributor", "capability"]])
    per_unit = data.pledges.set_index(["contributor", "capability"])["cost_per_unit"]
    pledged = pledge.isin(per_unit.index)
    given = per_unit.reindex(pledge).notna().to_numpy()
    # a site the workbook no longer has has no place to measure a distance-based cost from
    priced = pledged & (rows["site"].isin(set(data.sites["site"])).to_numpy() | given)
    return BaselineCost(tours_cost(data, rows[priced]), int((~priced).sum()))


def cost_sentence(summary: dict) -> str:
    """`cost 183,393,337 against the baseline's 94,999,124, both priced by this workbook:
    +88,394,213 (+93.0%)`, from a re-plan's Summary; '' where it has no `baseline_cost`."""
    base, cost = _number(summary.get("baseline_cost")), _number(summary.get("objective.cost"))
    if base is None or cost is None:
        return ""
    # the change of the figures shown, so that the sentence adds up (a briefing trial:
    # 30,337,405 against 25,366,601 said +4,970,805)
    diff = float(f"{cost:.0f}") - float(f"{base:.0f}")
    share = f", {(cost - base) / base:+.1%}" if base else ""
    unpriced = int(_number(summary.get("baseline_unpriced_rows")) or 0)
    left = (
        f" ({count(unpriced, 'row')} of pledges or sites the workbook no longer has left out)"
        if unpriced
        else ""
    )
    return (
        f"cost {cost:,.0f} against the baseline's {base:,.0f}{left}, both priced by this "
        f"workbook: {diff:+,.0f}{share}"
    )


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number
