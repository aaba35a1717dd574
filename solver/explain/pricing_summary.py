"""The words of a caveat's price (CaveatPrices' `summary`, explain/pricing.py): the first stage
the lift gains at, in the stage's units, what it gives back at lower priorities, and the lines
it moves."""

from __future__ import annotations

import pandas as pd

from ..model.stage_names import is_shortfall, priority_of
from ..wording import count


def coverage_changes(base_cov: pd.Series, after: pd.Series) -> str:
    """`S1 INF +1, S2 INF -1`: the lines whose units the lift moves (by (site, capability))."""
    diff = (after - base_cov.reindex(after.index).fillna(0)).astype(int)
    moved = diff[diff != 0]
    return ", ".join(f"{s} {k} {d:+d}" for (s, k), d in moved.items())


def summary(
    rule: str, row: dict, base_status: str, stages: list[str], unit: str, timed: bool = False
) -> str:
    """The CaveatPrices `summary` of lifting `rule`: a plan made possible, nothing, or its
    price at the first stage it gains at (`priced_stage`), in that stage's units."""
    if base_status == "infeasible":
        if row["status"] == "infeasible":
            return f"lifting {rule} alone does not make a plan possible"
        return f"lifting {rule} makes a plan possible"
    what = priced_stage(row, stages)
    if what is None:
        return f"{rule} costs nothing in this plan"
    cost = row[f"costs.{what}"]
    if is_shortfall(what):
        where = f" (lifted: {row['changes']})" if row["changes"] else ""
        what_short = "unit-month" if timed else "unit"
        units = count(cost, f"weighted priority-{priority_of(what)} {what_short}")
        return f"{rule} costs {units}{traded(row, stages, what, what_short)}{where}"
    if what == "cost":
        of = "the cost of tours" if timed else "cost"
        return f"{rule} costs {cost:,.0f} in {of} ({unit})"
    if what == "changes":  # a re-plan's (model/baseline.py)
        changed = count(cost, "more unit-month" if timed else "more unit")
        return f"{rule} costs {changed} changed against the baseline"
    return f"{rule} costs {count(cost, 'more contingent presence')}"


def traded(row: dict, stages: list[str], what: str, what_short: str) -> str:
    """`; lifting it leaves 1 more weighted priority-3 unit short`: the lower priorities'
    shortfall the lift gives back for the price (a prices trial read `costs 1 weighted priority-1 unit
    (lifted: S1 INF +1, S2 INF -1)` of a hard priority-3 line, whose -1 only the sheet's
    columns stated)."""
    later = [key.removeprefix("objective.") for key in stages]
    later = [s for s in later[later.index(what) + 1 :] if is_shortfall(s)]
    worse = [
        count(-row[f"costs.{s}"], f"more weighted priority-{priority_of(s)} {what_short}")
        for s in later
        if (row.get(f"costs.{s}") or 0) < -1e-9
    ]
    return f"; lifting it leaves {' and '.join(worse)} short" if worse else ""


def priced_stage(row: dict, stages: list[str]) -> str | None:
    """The first stage (`cost`, `shortfall.p1`) the rule's price lands on: its first gain
    (a stage made worse by the lift is the search's), or None."""
    for key in stages:
        what = key.removeprefix("objective.")
        cost = row.get(f"costs.{what}")
        if cost and cost > 1e-9:
            return what
    return None
