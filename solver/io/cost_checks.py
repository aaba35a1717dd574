"""Warnings on the cost stage that a valid workbook can still get silently wrong.

The cost of one unit (contract, "The model") is the pledge's `cost_per_unit` if given, else the
distance-based cost: great-circle km from the contributor's (lat, lon) to the site's x the unit's
personnel (person-km), else 0 when either location is missing. Two things then go unnoticed:

- some usable pledges give `cost_per_unit` and others do not: the cost stage adds a per-unit cost
  to person-km as if they were one unit (2.5 per unit against thousands of person-km makes a
  nation with a given cost look free);
- a contributor or site without coordinates: every distance-based cost to or from it is 0.

Only pledges that can deploy a unit count (`usable_pledges`), so a workbook that gives every
usable pledge a cost is not warned about its unused rows.
"""

from __future__ import annotations

import pandas as pd

from ..data import Data, requiring
from ..errors import Issue
from ..model.candidates import PERSON_KM, mixes_costs, usable_pledges
from ..wording import cells_text


def cost_warnings(data: Data) -> list[Issue]:
    """The warnings above, each one naming the rows concerned."""
    pledges = usable_pledges(data)
    given = pledges["cost_per_unit"].notna()
    distance = pledges[~given]
    out: list[Issue] = []
    if mixes_costs(pledges):
        out.append(
            Issue(
                "Pledges",
                f"cost_per_unit is given for {cells(pledges[given], 'cost_per_unit')} but blank "
                f"for {cells(distance, 'cost_per_unit')}, whose cost is distance-based "
                f"({PERSON_KM}): the cost stage adds the two as one number (a cost_per_unit of "
                "2.5 counts as 2.5 person-km); give every pledge a cost_per_unit, or none",
                "warning",
            )
        )
    distance = distance[distance["personnel_per_unit"] > 0]  # 0 personnel: 0 person-km anyway
    if not len(distance):
        return out
    con = _in_sheet_order(data.contributors)
    con = con[con["contributor"].isin(set(distance["contributor"])) & _unplaced(con)]
    if len(con):
        out.append(
            Issue(
                "Contributors",
                f"no lat/lon at {cells(con, 'lat', 'lon')} ({names(con['contributor'])}): the "
                "distance-based cost of their pledges without cost_per_unit is 0 to every site, "
                "so the cost stage takes them as free; give lat and lon, or a cost_per_unit",
                "warning",
            )
        )
    rq = data.requirements
    needed = set(
        rq.loc[requiring(data) & rq["capability"].isin(set(distance["capability"])), "site"]
    )
    sites = _in_sheet_order(data.sites)
    sites = sites[sites["site"].isin(needed) & _unplaced(sites)]
    if len(sites):
        out.append(
            Issue(
                "Sites",
                f"no lat/lon at {cells(sites, 'lat', 'lon')} ({names(sites['site'])}): the "
                "distance-based cost of every unit sent there without a cost_per_unit is 0, so "
                "the cost stage takes those sites as free to reach; give lat and lon",
                "warning",
            )
        )
    return out


def cells(table: pd.DataFrame, column: str, fallback: str | None = None) -> str:
    """The cells of `column` in `table`'s rows, in sheet order, compactly: `Pledges!F4, F9 and 12
    more` (the sheet named once per run of cells on it). With `fallback`, a row whose `column`
    is not blank is named by its `fallback` cell instead (e.g. lat given, lon missing)."""
    table = _in_sheet_order(table)
    at = _addresses(table, column)
    if fallback is not None:
        at = [
            a if pd.isna(v) else b
            for a, b, v in zip(at, _addresses(table, fallback), table[column], strict=True)
        ]
    return cells_text(at)


def names(keys: pd.Series, shown: int = 3) -> str:
    """Keys in sheet order, at most `shown` of them, then how many more."""
    texts = [str(k) for k in keys]
    if len(texts) <= shown:
        return ", ".join(texts)
    return f"{', '.join(texts[:shown])} and {len(texts) - shown} more"


def _addresses(table: pd.DataFrame, column: str) -> list[str]:
    """The cell of `column` in each row (the row's address where the column has none)."""
    cells = table.get(f"_at_{column}", table["_where"])
    return [
        a if isinstance(a, str) and a else str(w)
        for a, w in zip(cells, table["_where"], strict=True)
    ]


def _in_sheet_order(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values("_row", kind="mergesort")


def _unplaced(table: pd.DataFrame) -> pd.Series:
    return table["lat"].isna() | table["lon"].isna()
