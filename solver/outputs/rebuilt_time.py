"""The sheets and totals of a hand-edited timed plan, rebuilt from its Tours as `verify` reads
them (report/edited_time.py says what each rebuilt figure is, and shows them; compare's audit
recomputes a view with them)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import Data, required_units
from ..results.time_summary import unit_month_totals
from ..time_plan import TimedPlan, deploy_to_dwell
from .load import Output

if TYPE_CHECKING:
    from ..verify.schedule import Schedule

NOT_RECOMPUTED = "(edited plan: not recomputed)"  # a gap's reason, which the edit made stale


def rebuilt_sheets(out: Output, schedule: Schedule) -> dict[str, pd.DataFrame]:
    """Tours, Allocation, Coverage, Sustainability, Burden and Contributors of the edited plan."""
    names = schedule.names
    months = dict(zip(names, schedule.months.tolist(), strict=True))
    x = schedule.x
    x = x.assign(
        period=[names[int(t)] for t in x["t"]],
        personnel=[round(float(n * s)) for n, s in zip(x["units"], x["ppu"], strict=True)],
    )
    alloc = x[["contributor", "capability", "site", "period", "units", "personnel"]]
    alloc = alloc.astype({"units": "int64", "personnel": "int64"}).reset_index(drop=True)
    tours = _tours(out, schedule, x)
    coverage = _coverage(lines_as_found(out.coverage, schedule.data), alloc)
    dwell = _dwell(schedule)
    return {
        "Tours": tours,
        "Allocation": alloc,
        "Coverage": coverage,
        "Sustainability": _sustainability(out.sheets["Sustainability"], coverage, names, months),
        "Burden": _burden(out.sheets["Burden"], alloc, dwell, names),
        "Contributors": _contributors(out.contributors, alloc, tours, dwell, schedule, months),
    }


def _tours(out: Output, schedule: Schedule, x: pd.DataFrame) -> pd.DataFrame:
    """The tours verify placed, with their derived cells as they follow from from, to, units."""
    names, placed = schedule.names, schedule.tours
    size = {(c, k): s for c, k, s in x[["contributor", "capability", "ppu"]].itertuples(False)}
    first, last = placed["first"].astype(int).tolist(), placed["last"].astype(int).tolist()
    units = placed["units"].astype("int64")
    tours = pd.DataFrame(
        {
            "contributor": placed["contributor"].astype(object),
            "capability": placed["capability"].astype(object),
            "site": placed["site"].astype(object),
            "from": [names[a] for a in first],
            "to": [names[b] for b in last],
            "months": [schedule.length(a, b) for a, b in zip(first, last, strict=True)],
            "units": units,
            "personnel": [
                round(float(n * size.get((c, k), 0)))
                for c, k, n in zip(placed["contributor"], placed["capability"], units, strict=True)
            ],
        }
    )
    periods = schedule.data.periods
    assert periods is not None  # a Schedule's data is timed
    starts = periods["start"].tolist()
    if "start_date" in out.sheets["Tours"].columns and all(isinstance(s, dt.date) for s in starts):
        from ..io.periods import last_days

        ends = last_days(starts, schedule.months.tolist())
        tours["start_date"] = [starts[a] for a in first]
        tours["end_date"] = [ends[b] for b in last]
    return tours


def lines_as_found(coverage: pd.DataFrame, data: Data) -> pd.DataFrame:
    """The Coverage rows (site, capability, period) as the input found requires them: its
    lines' required units and priority per period (`required_units`: the line's window and
    its Profile), a row of a line or period it lacks dropped and one it adds given (its other
    columns blank); it may be another version than the plan was solved from (a review saw the
    stages recomputed against the new input beside the old requirements)."""
    assert data.periods is not None
    names = [str(p) for p in data.periods["period"]]
    rq = data.requirements
    required = required_units(data)
    rows = [
        (str(s), str(k), names[t], int(required[i, t]), int(p))
        for i, (s, k, p, first, last) in enumerate(
            zip(rq["site"], rq["capability"], rq["priority"], rq["from_t"], rq["to_t"], strict=True)
        )
        for t in range(int(first), int(last) + 1)
    ]
    keys = ["site", "capability", "period"]
    found = pd.DataFrame(rows, columns=[*keys, "required", "priority"])
    old = coverage.assign(**{c: coverage[c].astype(str) for c in keys})
    rest = [c for c in old.columns if c not in ("required", "priority")]
    merged = found.merge(old[rest], on=keys, how="left")
    return merged[[c for c in coverage.columns if c in merged.columns]]


def _coverage(coverage: pd.DataFrame, alloc: pd.DataFrame) -> pd.DataFrame:
    """The Coverage rows with allocated and shortfall taken from x[c,k,s,t]."""
    got = alloc.groupby(["site", "capability", "period"])["units"].sum()
    key = pd.MultiIndex.from_arrays(
        [coverage[c].astype(str) for c in ("site", "capability", "period")]
    )
    cov = coverage.copy()
    cov["allocated"] = got.reindex(key).fillna(0).astype("int64").to_numpy()
    cov["shortfall"] = (cov["required"] - cov["allocated"]).clip(lower=0)
    return cov


def _sustainability(
    sus: pd.DataFrame, cov: pd.DataFrame, names: list[str], months: dict[str, int]
) -> pd.DataFrame:
    """Per line, how long it is held in the edited plan (results/time_tables.py's reading:
    over the periods it requires units)."""
    pos = {p: i for i, p in enumerate(names)}
    held: dict[tuple[str, str], dict[str, object]] = {}
    for (s, k), grp in cov.groupby([cov["site"].astype(str), cov["capability"].astype(str)]):
        grp = grp[grp["required"].fillna(0) > 0]
        rows = sorted(
            zip(grp["period"].astype(str), grp["shortfall"], strict=True),
            key=lambda r: pos.get(r[0], len(pos)),
        )
        short = [i for i, (_, n) in enumerate(rows) if n > 0]
        until = short[0] if short else len(rows)
        held[(s, k)] = {
            "priority": int(grp["priority"].iloc[0]) if len(grp) else None,
            "periods_active": len(rows),
            "periods_short": len(short),
            "unit_months_short": int(sum(months.get(rows[i][0], 0) * rows[i][1] for i in short)),
            "first_short": rows[short[0]][0] if short else None,
            "sustained_until": rows[until - 1][0] if until else None,
        }
    # the lines of the Coverage (the input found's: `lines_as_found`), in its order: a line the
    # input lacks is none, one it adds has a row (a review saw a dropped line still listed)
    pairs = zip(cov["site"].astype(str), cov["capability"].astype(str), strict=True)
    lines = list(dict.fromkeys(pairs))
    old = sus.assign(site=sus["site"].astype(str), capability=sus["capability"].astype(str))
    order = pd.DataFrame(lines, columns=["site", "capability"])
    sus = order.merge(old, on=["site", "capability"], how="left")[list(sus.columns)]
    keys = list(zip(sus["site"], sus["capability"], strict=True))
    for column in ("priority", "periods_active"):
        sus[column] = [
            held.get(key, {}).get(column) if held.get(key, {}).get(column) is not None else v
            for key, v in zip(keys, sus[column], strict=True)
        ]
    for column in ("periods_short", "unit_months_short", "first_short", "sustained_until"):
        sus[column] = [
            held.get(key, {}).get(column, v) for key, v in zip(keys, sus[column], strict=True)
        ]
    for column in ("reason", "first_short_because"):  # the solved plan's: not this one's
        if column in sus.columns:
            sus[column] = np.where(sus["periods_short"] > 0, NOT_RECOMPUTED, "")
    return sus


def _dwell(schedule: Schedule) -> dict[tuple[str, str, str], int]:
    """(contributor, capability, period) -> units home in dwell, as the solve's Burden counts
    them (`TimedPlan.dwell`): after the plan's tours, and from a rolling re-plan's tours before
    the horizon (its history; a copy here left those out)."""
    placed = schedule.tours.rename(columns={"first": "first_t", "last": "last_t"})
    pledged = pd.MultiIndex.from_frame(placed[["contributor", "capability"]])
    plan = TimedPlan(schedule.data, placed[pledged.isin(schedule.pledges.index)])
    return {
        (c, k, schedule.names[int(t)]): int(n)
        for c, k, t, n in plan.dwell().itertuples(index=False, name=None)
    }


def _burden(
    burden: pd.DataFrame,
    alloc: pd.DataFrame,
    dwell: dict[tuple[str, str, str], int],
    names: list[str],
) -> pd.DataFrame:
    """Per contributor and period: units and personnel present and in dwell (pledged_units as
    written: it does not depend on the plan)."""
    present = alloc.groupby(["contributor", "period"])[["units", "personnel"]].sum()
    home: dict[tuple[str, str], int] = {}
    for (c, _, p), n in dwell.items():
        home[(c, p)] = home.get((c, p), 0) + n
    pledged = {
        (str(c), str(p)): n
        for c, p, n in zip(
            burden["contributor"], burden["period"], burden["pledged_units"], strict=True
        )
    }
    pos = {p: i for i, p in enumerate(names)}
    keys = sorted(
        {*pledged, *present.index, *home}, key=lambda cp: (cp[0], pos.get(cp[1], len(pos)), cp[1])
    )
    rows = [
        (
            c,
            p,
            int(present["units"].get((c, p), 0)),
            int(present["personnel"].get((c, p), 0)),
            home.get((c, p), 0),
            pledged.get((c, p), 0),
        )
        for c, p in keys
    ]
    columns = ["contributor", "period", "units", "personnel", "dwell_units", "pledged_units"]
    return pd.DataFrame(rows, columns=columns)


def _contributors(
    con: pd.DataFrame,
    alloc: pd.DataFrame,
    tours: pd.DataFrame,
    dwell: dict[tuple[str, str, str], int],
    schedule: Schedule,
    months: dict[str, int],
) -> pd.DataFrame:
    """The Contributors sheet with what depends on the plan recomputed (see the docstring)."""
    con = con.copy()
    who = con["contributor"].astype(str)
    per = alloc.groupby(["contributor", "period"])[["units", "personnel"]].sum()
    peak = per.groupby(level="contributor").max()
    for column in ("units", "personnel"):
        con[f"deployed_{column}"] = peak[column].reindex(who).fillna(0).astype("int64").to_numpy()
    at = tours.groupby("contributor")["site"].agg(lambda s: sorted(set(s)))
    where = [at.get(c, []) for c in who]
    con["sites"] = [len(s) for s in where]
    if "site_list" in con.columns:
        con["site_list"] = [", ".join(s) for s in where]
    pledges = schedule.pledges
    rotates = {key for key, m in pledges["dwell_months"].items() if int(m) > 0}
    um: dict[str, int] = {}  # unit-months deployed
    rotating: dict[str, int] = {}  # of them, of pledges with dwell_months > 0
    home: dict[str, int] = {}  # unit-months in dwell
    for c, k, p, n in alloc[["contributor", "capability", "period", "units"]].itertuples(False):
        um[c] = um.get(c, 0) + months.get(p, 0) * int(n)
        if (c, k) in rotates:
            rotating[c] = rotating.get(c, 0) + months.get(p, 0) * int(n)
    for (c, _, p), n in dwell.items():
        home[c] = home.get(c, 0) + months.get(p, 0) * n
    if "unit_months" in con.columns:
        con["unit_months"] = [um.get(c, 0) for c in who]
    if "dwell_unit_months" in con.columns:
        con["dwell_unit_months"] = [home.get(c, 0) for c in who]
    if "deploy_to_dwell" in con.columns:  # as the solve writes it (time_plan.deploy_to_dwell)
        owed = pledges["dwell_months"].to_dict()
        ck_units = zip(tours["contributor"], tours["capability"], tours["units"], strict=True)
        ratio = deploy_to_dwell(rotating, ck_units, owed)
        con["deploy_to_dwell"] = [ratio.get(c) for c in who]
    if "tours" in con.columns:
        con["tours"] = [int((tours["contributor"] == c).sum()) for c in who]
    return con


def rebuilt_totals(sheets: dict[str, pd.DataFrame], schedule: Schedule) -> dict[str, object]:
    """The Summary's totals of the edited plan in unit-months, read as the solve's are
    (`results.time_summary.unit_month_totals`: allocated_unit_months and coverage_pct count
    min(allocated, required) per Coverage row, so required = allocated + shortfall holds for
    an edit too; a trial saw an edit's surplus counted as +3 allocated beside an unchanged
    shortfall, in green); `first_gap` also reads the periods the Sustainability sheet names."""
    cov, sus = sheets["Coverage"], sheets["Sustainability"]
    months = dict(zip(schedule.names, schedule.months.tolist(), strict=True))
    m = cov["period"].astype(str).map(months).fillna(0).to_numpy(dtype=float)
    periods = [*schedule.names, *(p for p in sus["first_short"].dropna().astype(str))]
    return unit_month_totals(
        cov, sheets["Allocation"], sheets["Tours"], sus, m, list(dict.fromkeys(periods))
    )
