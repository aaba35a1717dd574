"""The timed output tables (contract `time.md`, Output) from a `TimedPlan` and the data.

Write required(i, t) for line i (a row of `data.requirements`) in period t (`required_units`),
x[c,k,s,t] for the units of the plan present (`TimedPlan.presence`), months(t) for the period's
length and m(t) for its month offset. Then, per line and period:

    allocated(i, t) = sum over c of x[c, k_i, s_i, t]
    shortfall(i, t) = max(required(i, t) - allocated(i, t), 0)

and a line is active in t when from_t <= t <= to_t (or, for safety, required(i, t) > 0).
Everything here is read from the plan and the data alone, never from the model.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..data import Data, required_units
from ..io.output_schema import BURDEN, SUSTAINABILITY, TIMED_ALLOCATION, TIMED_COVERAGE, TOURS
from ..io.periods import last_days
from ..time_plan import TimedPlan
from .first_short import first_short_because

TOURS_COLUMNS = TOURS.names  # the columns of each sheet: io/output_schema.py
ALLOCATION_COLUMNS = TIMED_ALLOCATION.names
COVERAGE_COLUMNS = TIMED_COVERAGE.names
SUSTAINABILITY_COLUMNS = SUSTAINABILITY.names
BURDEN_COLUMNS = BURDEN.names


def timed_tables(
    plan: TimedPlan,
    hard: np.ndarray,
    hard_because: np.ndarray,
    reasons: dict[tuple[str, str], str] | None = None,
) -> dict[str, pd.DataFrame]:
    """`Tours`, `Allocation`, `Coverage`, `Sustainability` and `Burden` of a timed output.

    `hard`: bool, lines x periods; `hard_because`: text of the same shape ('' when not hard);
    `reasons`: (site, capability) -> why the line is short (else a reason read from the data)."""
    coverage = timed_coverage(plan, hard, hard_because)
    return {
        "Tours": tours_table(plan),
        "Allocation": timed_allocation(plan),
        "Coverage": coverage,
        "Sustainability": sustainability_table(plan, reasons, hard_because),
        "Burden": burden_table(plan),
    }


def line_allocated(plan: TimedPlan) -> np.ndarray:
    """allocated(i, t): units present on each line (rows of `data.requirements`) per period."""
    data = plan.data
    rq = data.requirements
    out = np.zeros((len(rq), len(plan.periods)), dtype=np.int64)
    present = plan.presence()
    if not len(present):
        return out
    got = present.groupby(["site", "capability", "t"])["units"].sum()
    line = pd.MultiIndex.from_frame(rq[["site", "capability"]])
    rows = line.get_indexer(got.index.droplevel("t"))
    ts = got.index.get_level_values("t").to_numpy()
    keep = rows >= 0  # units at a site that does not ask for the capability count on no line
    np.add.at(out, (rows[keep], ts[keep]), got.to_numpy()[keep])
    return out


def active_lines(data: Data) -> np.ndarray:
    """Bool, lines x periods: the line is inside its from..to (or requires units)."""
    rq = data.requirements
    assert data.periods is not None
    t = np.arange(len(data.periods))
    window = (rq["from_t"].to_numpy()[:, None] <= t) & (t <= rq["to_t"].to_numpy()[:, None])
    return window | (required_units(data) > 0)


def shortfall(plan: TimedPlan) -> np.ndarray:
    """shortfall(i, t) = max(required(i, t) - allocated(i, t), 0), lines x periods."""
    return np.maximum(required_units(plan.data) - line_allocated(plan), 0)


def _personnel_per_unit(data: Data, frame: pd.DataFrame) -> np.ndarray:
    """Personnel of one unit of each row's pledge (contributor, capability); 0 if none."""
    ppu = data.pledges.set_index(["contributor", "capability"])["personnel_per_unit"]
    key = pd.MultiIndex.from_arrays([frame["contributor"], frame["capability"]])
    return ppu.reindex(key).fillna(0).to_numpy(dtype=np.int64)


def tours_table(plan: TimedPlan) -> pd.DataFrame:
    """One row per tour, sorted by contributor, capability, site, from (the plan's order).

    months = m(last) + months(last) - m(first); personnel = units x personnel_per_unit;
    start_date = start(first), end_date = the last day of `last` (the day before the next
    period's start, the last period's as if one more followed: `last_days`), only when
    the periods have start dates."""
    periods = plan.periods
    names = periods["period"].to_numpy(dtype=object)
    tours = plan.tours
    first = tours["first_t"].to_numpy(dtype=np.int64)
    last = tours["last_t"].to_numpy(dtype=np.int64)
    units = tours["units"].to_numpy(dtype=np.int64)
    out = pd.DataFrame(
        {
            "contributor": tours["contributor"].astype(object),
            "capability": tours["capability"].astype(object),
            "site": tours["site"].astype(object),
            "from": names[first],
            "to": names[last],
            "months": plan.tour_months().astype(np.int64),
            "units": units,
            "personnel": units * _personnel_per_unit(plan.data, tours),
        },
        columns=TOURS_COLUMNS,
    )
    starts = periods["start"].tolist()
    if len(starts) and all(isinstance(s, dt.date) for s in starts):
        ends = last_days(starts, [int(m) for m in periods["months"]])
        out["start_date"] = [starts[f] for f in first.tolist()]
        out["end_date"] = [ends[t] for t in last.tolist()]
    return out


def timed_allocation(plan: TimedPlan) -> pd.DataFrame:
    """One row per (contributor, capability, site, period) with units present, sorted by
    contributor, capability, site, then period in time order."""
    present = plan.presence()  # already sorted by contributor, capability, site, t
    names = plan.periods["period"].to_numpy(dtype=object)
    units = present["units"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "contributor": present["contributor"].astype(object),
            "capability": present["capability"].astype(object),
            "site": present["site"].astype(object),
            "period": names[present["t"].to_numpy(dtype=np.int64)],
            "units": units,
            "personnel": units * _personnel_per_unit(plan.data, present),
        },
        columns=ALLOCATION_COLUMNS,
    )


def timed_coverage(plan: TimedPlan, hard: np.ndarray, hard_because: np.ndarray) -> pd.DataFrame:
    """One row per line and period in which the line is active, in line order then time order;
    required, allocated and shortfall as in the module docstring."""
    data = plan.data
    rq = data.requirements.reset_index(drop=True)
    required = required_units(data)
    allocated = line_allocated(plan)
    i, t = np.nonzero(active_lines(data))
    names = plan.periods["period"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "site": rq["site"].to_numpy(dtype=object)[i],
            "capability": rq["capability"].to_numpy(dtype=object)[i],
            "period": names[t],
            "required": required[i, t].astype(np.int64),
            "allocated": allocated[i, t].astype(np.int64),
            "shortfall": np.maximum(required[i, t] - allocated[i, t], 0).astype(np.int64),
            "priority": rq["priority"].to_numpy(dtype=np.int64)[i],
            "hard": np.where(np.asarray(hard, dtype=bool)[i, t], "yes", "no"),
            "weight": rq["weight"].to_numpy(dtype=float)[i],
            "single_source": np.where(rq["single_source"].to_numpy(dtype=bool)[i], "yes", "no"),
            "hard_because": [str(r or "") for r in np.asarray(hard_because, dtype=object)[i, t]],
        },
        columns=COVERAGE_COLUMNS,
    )


def sustainability_table(
    plan: TimedPlan,
    reasons: dict[tuple[str, str], str] | None = None,
    hard_because: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per line: how long it is held.

    periods_active: periods the line requires units (required(i, t) > 0: in its window, and
    where a Profile says so; a period a Profile sets to 0 is none, so a line of `units` 0 that
    a Profile raises from 2027-08 and is short from then is not "sustained until 2027-07");
    periods_short: those with shortfall > 0; unit_months_short = sum over them of months(t) x
    shortfall(i, t) (not weighted); first_short: the first short period; sustained_until: the
    last period it requires units before it (blank when short from the first; the last such
    period when never short);
    reason: `reasons[(site, capability)]` when given, else what the data alone tells
    (`data_reason`), blank for a line never short."""
    data = plan.data
    rq = data.requirements.reset_index(drop=True)
    names = plan.periods["period"].tolist()
    months = plan.periods["months"].to_numpy(dtype=np.int64)
    active = required_units(data) > 0
    short = shortfall(plan) * active
    because = first_short_because(plan, short > 0, active, hard_because)
    rows = []
    for i, (site, cap, priority) in enumerate(
        zip(rq["site"], rq["capability"], rq["priority"], strict=True)
    ):
        ts = np.flatnonzero(active[i]).tolist()
        short_ts = [t for t in ts if short[i, t] > 0]
        first = short_ts[0] if short_ts else None
        held = [t for t in ts if first is None or t < first]
        reason = ""
        if first is not None:
            given = (reasons or {}).get((site, cap))
            reason = given if given is not None else data_reason(data, cap, first)
        rows.append(
            {
                "site": site,
                "capability": cap,
                "priority": int(priority),
                "periods_active": len(ts),
                "periods_short": len(short_ts),
                "unit_months_short": int(sum(months[t] * short[i, t] for t in short_ts)),
                "first_short": names[first] if first is not None else None,
                "sustained_until": names[held[-1]] if held else None,
                "reason": reason,
                "first_short_because": because[i],
            }
        )
    return SUSTAINABILITY.table(rows)


def data_reason(data: Data, capability: str, t: int) -> str:
    """Why a line of `capability` can be short in period t, from the pledges alone; '' when
    the pledges could cover every line of the capability then (the cause is then a caveat,
    rotation or a more important line: the gap analysis says which). Only available
    contributors' pledges count:
    - none of the capability at all: `no available pledge of INF`;
    - none whose window holds t: `no pledge of INF available before P3` (the earliest later
      from) or `no pledge of INF available after P2` (the latest to);
    - fewer units pledged in t than the lines of the capability require then:
      `INF in P3: 4 units required, 2 pledged`."""
    assert data.periods is not None
    names = data.periods["period"].tolist()
    available = data.available
    pl = data.pledges[
        (data.pledges["capability"] == capability) & data.pledges["contributor"].isin(available)
    ]
    if not len(pl):
        return f"no available pledge of {capability}"
    inside = pl[(pl["from_t"] <= t) & (t <= pl["to_t"])]
    if not len(inside):
        later = pl.loc[pl["from_t"] > t, "from_t"]
        if len(later):
            return f"no pledge of {capability} available before {names[int(later.min())]}"
        return f"no pledge of {capability} available after {names[int(pl['to_t'].max())]}"
    lines = (data.requirements["capability"] == capability).to_numpy()
    demand = int(required_units(data)[lines, t].sum())
    supply = int(inside["units"].sum())
    if supply < demand:
        return f"{capability} in {names[t]}: {demand} units required, {supply} pledged"
    return ""


def burden_table(plan: TimedPlan) -> pd.DataFrame:
    """One row per contributor and period (time.md), sorted by contributor then time: units and
    personnel present (sum of x[c, ., ., t]), dwell_units (`TimedPlan.dwell`), pledged_units
    (units of c's pledges whose from..to holds t); the Contributors sheet's every contributor,
    and any other the plan deploys (0 where it has nothing then)."""
    data = plan.data
    names = plan.periods["period"].to_numpy(dtype=object)
    present = plan.presence()
    present = present.assign(personnel=present["units"] * _personnel_per_unit(data, present))
    deployed = present.groupby(["contributor", "t"])[["units", "personnel"]].sum()
    dwell = plan.dwell().groupby(["contributor", "t"])["units"].sum()
    pledged: dict[tuple[str, int], int] = {}
    for c, first, last, n in zip(
        data.pledges["contributor"],
        data.pledges["from_t"],
        data.pledges["to_t"],
        data.pledges["units"],
        strict=True,
    ):
        for t in range(int(first), int(last) + 1):
            pledged[(c, t)] = pledged.get((c, t), 0) + int(n)
    everyone = set(data.contributors["contributor"]) | {c for c, _ in deployed.index}
    keys = [(c, t) for c in sorted(everyone) for t in range(len(names))]
    rows = [
        {
            "contributor": c,
            "period": names[t],
            "units": int(deployed["units"].get((c, t), 0)),
            "personnel": int(deployed["personnel"].get((c, t), 0)),
            "dwell_units": int(dwell.get((c, t), 0)),
            "pledged_units": pledged.get((c, t), 0),
        }
        for c, t in keys
    ]
    return BURDEN.table(rows)
