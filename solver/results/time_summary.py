"""The Summary figures and the Contributors table of a timed output, in a planner's reading.

A snapshot counts units; a plan in time counts **unit-months** (a unit present for a period of
months(t) months counts months(t)), so a quarter weighs three times a month:

    required_unit_months  = sum over Coverage rows of months(t) x required
    allocated_unit_months = sum over Coverage rows of months(t) x allocated
    shortfall_unit_months = sum over Coverage rows of months(t) x shortfall (also per priority)
    coverage_pct          = 100 x allocated_unit_months / required_unit_months (100 if none)
    deployed_personnel    = the peak: the most personnel present in any one period
    contributors_engaged  = contributors with at least one tour

Contributors per contributor: `deployed_units` and `deployed_personnel` are peaks over the periods
(the largest simultaneous force, what a mandate caps), `unit_months` and `dwell_unit_months` the
sums over periods of months(t) x units present (at home in dwell), `deploy_to_dwell` the ratio
of the unit-months of its rotating pledges (`dwell_months` > 0) to the dwell their tours are
owed in full, after the horizon too (`time_plan.deploy_to_dwell`; blank when none is owed:
units that sustain themselves have no dwell, and counting them made a nation whose battalions
rotate 6 months out, 12 home read 3.6), `tours` the number of tours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import Data
from ..io.output_schema import TIMED_CONTRIBUTORS
from ..time_plan import TimedPlan, deploy_to_dwell
from .digest import allocation_digest, tours_derived_digest, tours_digest
from .tables import Tables

TIMED_CONTRIBUTOR_COLUMNS = TIMED_CONTRIBUTORS.names  # io/output_schema.py


def months_of(periods: pd.DataFrame, names: pd.Series) -> np.ndarray:
    """months(t) of each period name in `names`."""
    return periods.set_index("period")["months"].reindex(names).to_numpy(dtype=np.int64)


def timed_figures(data: Data, tables: Tables) -> list[tuple[str, Any]]:
    """The Summary rows that replace the snapshot's unit counts (see the module docstring),
    with `periods`, `horizon_months`, the lines held in every period and the first gap."""
    assert tables.periods is not None
    cov, alloc, tours = tables.coverage, tables.allocation, tables.timed["Tours"]
    totals = unit_month_totals(
        cov,
        alloc,
        tours,
        tables.timed["Sustainability"],
        months_of(tables.periods, cov["period"]),
        tables.periods["period"].tolist(),
    )
    by_priority = {k: v for k, v in totals.items() if k.startswith("shortfall_unit_months.p")}
    rows: list[tuple[str, Any]] = [
        ("periods", len(tables.periods)),
        ("horizon_months", int(tables.periods["months"].sum())),
        *((k, v) for k, v in totals.items() if k not in by_priority),
        ("allocation_sha256", allocation_digest(alloc)),
        ("tours_sha256", tours_digest(tours)),
        ("tours_derived_sha256", tours_derived_digest(tours)),
    ]
    keys = [f"shortfall_unit_months.p{p}" for p in data.priorities]
    return rows + [(key, by_priority.get(key, 0)) for key in keys]


def unit_month_totals(
    cov: pd.DataFrame,
    alloc: pd.DataFrame,
    tours: pd.DataFrame,
    sustainability: pd.DataFrame,
    months: np.ndarray,
    periods: list[str],
) -> dict[str, Any]:
    """The Summary's totals in unit-months of a timed plan's sheets (`months`: months(t) of
    each Coverage row; `periods`: the order `first_gap` reads): required, allocated (each
    row's min(allocated, required): a solved plan never gives a line more than it requires,
    a hand edit may, and its surplus covers no other line), short, coverage_pct, peak
    personnel, contributors engaged, lines sustained, the first gap, and unit-months short
    per priority (ascending). The solve's Summary and a hand-edited plan's rebuilt one
    (outputs/rebuilt_time.py) read their figures here."""
    m = np.asarray(months, dtype=float)
    required = int((m * cov["required"].fillna(0).to_numpy(dtype=float)).sum())
    filled = cov[["allocated", "required"]].fillna(0).min(axis=1).to_numpy(dtype=float)
    filled_months = float((m * filled).sum())
    short = m * cov["shortfall"].fillna(0).to_numpy(dtype=float)
    peak = alloc.groupby("period")["personnel"].sum().max() if len(alloc) else 0
    totals: dict[str, Any] = {
        "required_unit_months": required,
        "allocated_unit_months": round(filled_months),
        "shortfall_unit_months": int(short.sum()),
        "coverage_pct": round(100.0 * filled_months / required, 2) if required else 100.0,
        "deployed_personnel": int(peak),
        "contributors_engaged": int(tours["contributor"].nunique()) if len(tours) else 0,
        **dict(zip(("lines", "lines_sustained"), line_counts(sustainability), strict=True)),
        "first_gap": first_gap(sustainability, periods),
    }
    for p, value in pd.Series(short).groupby(cov["priority"].to_numpy()).sum().items():
        totals[f"shortfall_unit_months.p{int(p)}"] = int(value)
    return totals


def first_gap(sustainability: pd.DataFrame, periods: list[str]) -> str:
    """The Summary's `first_gap`: `p1 Dnipro AD_BTY from 2027-07` (`first_gap_row`), or ''."""
    row = first_gap_row(sustainability, periods)
    return (
        "" if row is None else f"p{row.priority} {row.site} {row.capability} from {row.first_short}"
    )


def line_counts(sustainability: pd.DataFrame) -> tuple[int, int]:
    """The lines required in some period, and of them those never short: `lines` and
    `lines_sustained`. A line that requires nothing over the horizon (a scenario's 0) is
    neither: counted as sustained, it read `50 of 68 lines` where one asked for nothing (an
    analyst trial)."""
    active = sustainability[sustainability["periods_active"].fillna(0) > 0]
    return len(active), int((active["periods_short"].fillna(0) == 0).sum())


def first_gap_row(sustainability: pd.DataFrame, periods: list[str]) -> Any:
    """The Sustainability row of the first gap of the most important priority that has one
    (the earliest first_short; ties in line order); None when every line is held."""
    short = sustainability[sustainability["periods_short"] > 0]
    if not len(short):
        return None
    top = short[short["priority"] == short["priority"].min()]
    order = {p: i for i, p in enumerate(periods)}
    return min(top.itertuples(index=False), key=lambda r: order[r.first_short])


def timed_contributors(plan: TimedPlan, allocation: pd.DataFrame) -> pd.DataFrame:
    """Contributors in data order, read in time (see the module docstring)."""
    data = plan.data
    periods = plan.periods
    pledged = data.pledges.groupby("contributor")["units"].sum()
    pledged_pers = (
        (data.pledges["units"] * data.pledges["personnel_per_unit"])
        .groupby(data.pledges["contributor"])
        .sum()
    )
    per = allocation.groupby(["contributor", "period"])[["units", "personnel"]].sum()
    peak = per.groupby(level="contributor").max() if len(per) else None
    unit_months = _unit_months(allocation, periods)
    rotating = data.pledges.loc[data.pledges["dwell_months"] > 0, ["contributor", "capability"]]
    pools = set(zip(rotating["contributor"], rotating["capability"], strict=True))
    in_pools = [
        key in pools
        for key in zip(allocation["contributor"], allocation["capability"], strict=True)
    ]
    rotating_um = _unit_months(allocation[in_pools], periods)
    dwell = plan.dwell()
    dwell_months = periods["months"].to_numpy(dtype=np.int64)[dwell["t"].to_numpy(dtype=np.int64)]
    dwell_um = (dwell["units"] * dwell_months).groupby(dwell["contributor"]).sum()
    tours = plan.tours
    ratio = deploy_to_dwell(
        {str(c): int(n) for c, n in rotating_um.items()},
        zip(tours["contributor"], tours["capability"], tours["units"], strict=True),
        data.pledges.set_index(["contributor", "capability"])["dwell_months"].to_dict(),
    )
    con = data.contributors.set_index("contributor")
    rows = []
    for c in data.contributors["contributor"]:
        where = sorted(set(tours.loc[tours["contributor"] == c, "site"]))
        deployed_um = int(unit_months.get(c, 0))
        home = int(dwell_um.get(c, 0))
        rows.append(
            {
                "contributor": c,
                "pledged_units": int(pledged.get(c, 0)),
                "deployed_units": int(peak["units"].get(c, 0)) if peak is not None else 0,
                "deployed_personnel": int(peak["personnel"].get(c, 0)) if peak is not None else 0,
                "sites": len(where),
                "name": con.at[c, "name"],
                "status": con.at[c, "status"],
                "pledged_personnel": int(pledged_pers.get(c, 0)),
                "site_list": ", ".join(where),
                "unit_months": deployed_um,
                "dwell_unit_months": home,
                "deploy_to_dwell": ratio.get(c),
                "tours": int((tours["contributor"] == c).sum()),
            }
        )
    return TIMED_CONTRIBUTORS.table(rows)


def _unit_months(allocation: pd.DataFrame, periods: pd.DataFrame) -> pd.Series:
    """Per contributor: sum over Allocation rows of months(period) x units."""
    if not len(allocation):
        return pd.Series(dtype=np.int64)
    months = months_of(periods, allocation["period"])
    weighted = pd.Series(allocation["units"].to_numpy(dtype=np.int64) * months)
    return weighted.groupby(allocation["contributor"].to_numpy()).sum()
