"""The objective stages of a snapshot plan, recomputed from its Allocation rows (`workbook.md`,
Objective), independently of `results.stages`, which wrote the Summary's values:

shortfall.p<N>  sum over the lines (s, k) of priority N of weight(s, k) x max(n(s, k) - a(s, k), 0)
cost            sum over the rows of units x unit cost(c, k, s)
presence        the number of (contributor, site) pairs with units > 0

    n(s, k)     the units line (s, k) requires; a(s, k) the units the rows give it
    unit cost   the pledge's cost_per_unit, else the great-circle km (to the metre) from c's
                (lat, lon) to s's x the pledge's personnel per unit (person-km), else 0 where a
                location is missing
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..data import Data

# the mean Earth radius of IUGG, as the contract's great-circle distance is measured here
EARTH_KM = 6371.0088


def snapshot_stage_values(data: Data, alloc: pd.DataFrame) -> dict[str, float]:
    """`objective.shortfall.p<N>` per priority, `objective.cost` and `objective.presence` of
    the rows (contributor, capability, site, units), in plain Python over the data."""
    costs = UnitCosts(data)
    given: dict[tuple[str, str], int] = {}
    cost = 0.0
    pairs: set[tuple[str, str]] = set()
    rows = alloc[["contributor", "capability", "site", "units"]].itertuples(index=False)
    for c, k, s, n in rows:
        units = int(n)
        given[(s, k)] = given.get((s, k), 0) + units
        cost += units * costs.of(c, k, s)
        if units > 0:
            pairs.add((c, s))
    out: dict[str, float] = {f"objective.shortfall.p{p}": 0.0 for p in data.priorities}
    lines = data.requirements[["site", "capability", "units", "weight", "priority"]]
    for s, k, n, w, p in lines.itertuples(index=False):
        out[f"objective.shortfall.p{p}"] += float(w) * max(int(n) - given.get((s, k), 0), 0)
    out["objective.cost"] = cost
    out["objective.presence"] = float(len(pairs))
    return out


class UnitCosts:
    """The cost of one unit of a pledge (contributor, capability) at a site (above)."""

    def __init__(self, data: Data) -> None:
        pl = data.pledges
        self.pledge = {
            (c, k): (_number(v), _number(p))
            for c, k, v, p in zip(
                pl["contributor"],
                pl["capability"],
                pl["cost_per_unit"],
                pl["personnel_per_unit"],
                strict=True,
            )
        }
        con, sit = data.contributors, data.sites
        self.home = dict(
            zip(con["contributor"], zip(con["lat"], con["lon"], strict=True), strict=True)
        )
        self.site = dict(zip(sit["site"], zip(sit["lat"], sit["lon"], strict=True), strict=True))

    def of(self, contributor: str, capability: str, site: str) -> float:
        given, people = self.pledge.get((contributor, capability), (None, None))
        if given is not None:
            return given
        home, there = self.home.get(contributor), self.site.get(site)
        if home is None or there is None or people is None:
            return 0.0
        km = great_circle_km(*home, *there)
        return 0.0 if km is None else km * people


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float | None:
    """The haversine distance in km to the metre (docs/workbook.md: the same on every
    machine), None where a coordinate is missing."""
    points = [_number(v) for v in (lat1, lon1, lat2, lon2)]
    if any(v is None for v in points):
        return None
    p1, l1, p2, l2 = (math.radians(float(v)) for v in points)  # type: ignore[arg-type]
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return round(2 * EARTH_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0))), 3)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
