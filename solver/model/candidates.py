"""The sparse index set: every (contributor, capability, site) where a pledge meets a requirement.

    X    = {(c, k, s) : c available, n(c,k) > 0, (s, k) a line required in some period}
    X_T  = {(c, k, s, t) : (c, k, s) in X, from(c,k) <= t <= to(c,k), r(s,k,t) > 0,
                           months(t) <= tour(c,k)}                       (a timed workbook)
    ub   = min(n(c,k), r(s,k[,t]))                                       (x's upper bound)
    cost(c, k, s) = cost_per_unit(c,k)  where given,
                  = d(c, s) * ppu(c,k)  else  (person-km; 0 where a location is missing)

    n(c,k)     the pledge's units;  r(s,k,t) the line's required units in period t
               (`data.required_units`: a Profile may raise a line of `units` 0)
    from, to   the pledge's window (period positions);  months(t) the period's length;
    tour(c,k)  tour_months (no limit: always fits), since a tour covers whole periods
    d(c, s)    great-circle km from c's home to site s (haversine, to the metre)
    ppu(c,k)   the pledge's personnel per unit

Caveats then take options out of X (model/forbidden.py); the columns x[o] are made from what is
left (model/build.py).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from ..data import Data, required_units, requiring
from .filters import TableIndex, with_filter_columns
from .option_columns import OPTION_COLUMNS, checked
from .portable import metres

__all__ = ["TableIndex", "candidates"]

EARTH_RADIUS_KM = 6371.0088
PER_UNIT = "per-unit cost"
PERSON_KM = "person-km"
MIXED = f"mixed: {PER_UNIT} + {PERSON_KM}"


def great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance in km, to the metre (model/portable.py); NaN where a coordinate is
    missing."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlam = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    return metres(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def candidates(data: Data) -> pd.DataFrame:
    """One row per possible allocation before caveats, sorted by (contributor, capability, site).

    A candidate needs an available contributor, a pledge of > 0 units and a requirement of > 0 units
    in some period (`data.requiring`: a Profile may raise a line of `units` 0) for the same
    capability. `ub` is the tightest bound on x: min(pledged, required).
    """
    con = data.contributors.set_index("contributor")
    pl = data.pledges.reset_index(names="pledge_idx")
    pl = pl[(pl["units"] > 0) & pl["contributor"].isin(data.available)]
    required = required_units(data)  # required(s, k, t): a Profile may raise a line of 0
    rq = data.requirements.reset_index(names="req_idx")
    rq = rq[required.max(axis=1, initial=0) > 0]
    cand = pl[
        ["contributor", "capability", "units", "personnel_per_unit", "cost_per_unit", "pledge_idx"]
    ].merge(
        rq[["site", "capability", "units", "priority", "weight", "req_idx"]],
        on="capability",
        suffixes=("_pledge", "_req"),
    )
    cand = cand.sort_values(["contributor", "capability", "site"], kind="mergesort").reset_index(
        drop=True
    )
    cand = with_filter_columns(cand, data)
    sit = data.sites.set_index("site")
    cand["ub"] = np.minimum(cand["units_pledge"], cand["units_req"]).astype(np.int64)
    cand["unit_cost"] = _unit_cost(cand, con, sit)
    cand["t"] = np.zeros(len(cand), dtype=np.int64)  # a snapshot is one period of one month
    cand["months"] = np.ones(len(cand), dtype=np.int64)
    cand = in_time(cand, data, required) if data.timed else cand
    return checked(cand, OPTION_COLUMNS, "ctx.cand")


def pledge_periods(data: Data, pledges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row p of `pledges` (a timed workbook's) and period t: window[p, t], t is within
    from(p) <= t <= to(p); fits[p, t], months(t) <= tour_months(p) (no tour limit: always),
    since a tour covers whole periods. Pledge p can have a unit present in t exactly where
    both hold: the model's columns (`in_time`) and validate's commitments
    (io/commitments.py) read it here; the Gaps sheet words whichever fails."""
    assert data.periods is not None
    months = data.periods["months"].to_numpy(dtype=np.int64)
    t = np.arange(len(months))
    first = pledges["from_t"].to_numpy()[:, None]
    last = pledges["to_t"].to_numpy()[:, None]
    tour = pledges["tour_months"].to_numpy(dtype=float)[:, None]
    return (first <= t) & (t <= last), ~(months[None, :] > tour)  # NaN: no tour limit


def in_time(cand: pd.DataFrame, data: Data, required: np.ndarray) -> pd.DataFrame:
    """The candidates of a timed workbook: one row per option (c,k,s) and period t in which a
    unit could be present, sorted by (contributor, capability, site, t):

        from(c,k) <= t <= to(c,k),   required(s,k,t) > 0,   months(t) <= tour_months(c,k)

    (a tour covers whole periods, so a period longer than the tour can hold none of its units).
    `units_req` becomes required(s,k,t) (`required`, `data.required_units`) and
    `ub` = min(pledged, required(s,k,t))."""
    assert data.periods is not None
    n_periods = len(data.periods)
    months = data.periods["months"].to_numpy(dtype=np.int64)
    rows = np.repeat(np.arange(len(cand)), n_periods)
    t = np.tile(np.arange(n_periods), len(cand))
    pledge = cand["pledge_idx"].to_numpy()[rows]
    req_t = required[cand["req_idx"].to_numpy()[rows], t]
    window, fits = pledge_periods(data, data.pledges)
    keep = window[pledge, t] & fits[pledge, t] & (req_t > 0)
    out = cand.iloc[rows[keep]].reset_index(drop=True)
    out["t"] = t[keep]
    out["months"] = months[t[keep]]
    out["units_req"] = req_t[keep]
    out["ub"] = np.minimum(out["units_pledge"].to_numpy(), req_t[keep]).astype(np.int64)
    return out


def _unit_cost(cand: pd.DataFrame, con: pd.DataFrame, sit: pd.DataFrame) -> np.ndarray:
    """The pledge's cost_per_unit, else person-km from home to site (great-circle km x the
    pledge's personnel per unit), else 0 when either location is missing. The two are summed as
    one number: `cost_unit` names what the sum counts, and validation warns when it mixes them
    or a location is missing (`io/cost_checks.py`)."""
    if not len(cand):
        return np.zeros(0)
    return unit_costs_of(
        cand["contributor"],
        cand["site"],
        cand["cost_per_unit"].to_numpy(dtype=float),
        cand["personnel_per_unit"].to_numpy(dtype=float),
        con,
        sit,
    )


def unit_costs_of(
    contributors: pd.Series,
    sites: pd.Series,
    given: np.ndarray,
    ppu: np.ndarray,
    con: pd.DataFrame,
    sit: pd.DataFrame,
) -> np.ndarray:
    """The unit cost of each (contributor, site) with its pledge's `given` cost_per_unit (NaN:
    none) and personnel per unit `ppu`: given, else great-circle km x ppu, else 0 (a location
    or a unit size missing). The model's costs and the Summary's (results/stages.py) alike."""
    dist = great_circle_km(
        con["lat"].reindex(contributors).to_numpy(dtype=float),
        con["lon"].reindex(contributors).to_numpy(dtype=float),
        sit["lat"].reindex(sites).to_numpy(dtype=float),
        sit["lon"].reindex(sites).to_numpy(dtype=float),
    )
    person_km = np.nan_to_num(dist, nan=0.0) * np.nan_to_num(ppu)
    return np.where(np.isnan(given), person_km, given)


def usable_pledges(data: Data) -> pd.DataFrame:
    """Pledges that can deploy a unit, so that their cost can count (`usable`)."""
    required = set(data.requirements.loc[requiring(data), "capability"])
    return usable(data.pledges, data.contributors, required)


def usable(pl: pd.DataFrame, con: pd.DataFrame, required: Collection[str]) -> pd.DataFrame:
    """The pledges `pl` that can deploy a unit: an available contributor, > 0 units, and a
    `required` capability, one a line requires a unit of in some period (caveats aside). On
    tables as validated, or as `forcegen generate` writes them."""
    avail = set(con.loc[con["status"] == "available", "contributor"])
    return pl[(pl["units"] > 0) & pl["contributor"].isin(avail) & pl["capability"].isin(required)]


def mixes_costs(pledges: pd.DataFrame) -> bool:
    """Some of `pledges` give a cost_per_unit and others do not (distance-based cost): the cost
    stage then adds two kinds of number, which `validate` warns about (io/cost_checks.py)."""
    given = pledges["cost_per_unit"].notna()
    return bool(given.any() and not given.all())


def cost_unit(data: Data) -> str:
    """What the cost stage counts: `per-unit cost` when every usable pledge gives a
    cost_per_unit, `person-km` when none does (the distance-based cost), else both summed as one
    number (`mixed: ...`). With no usable pledge, the same over every pledge."""
    pledges = usable_pledges(data)
    if not len(pledges):
        pledges = data.pledges
    given = pledges["cost_per_unit"].notna().to_numpy(dtype=bool)
    if len(given) and given.all():
        return PER_UNIT
    return MIXED if given.any() else PERSON_KM
