"""A hand-edited timed output as the briefing shows it (edited.py does a snapshot's).

The plan of a timed output is its Tours sheet (contract `time.md`, Output). It was edited when
its rows no longer give the `tours_sha256` the Summary recorded (`results.digest.tours_edited`;
an output without that key is taken as solved). When the input is found (`--input`, else the
Summary's input_file where `forcegen report` looks for it), the Tours are read and checked by
`verify` (its reader, `verify_timed`'s rules, its `Schedule`: x[c,k,s,t] = the units of the tours
of (c, k, s) covering period t), and every figure the page shows is rebuilt from them:

- Tours: the tours verify places (a row naming what the input lacks, or with `from` after `to`,
  is a violation and not drawn), months = m(to) + months(to) - m(from), personnel = units x unit
  size, start_date / end_date when the sheet had them and the periods have start dates;
- Allocation: x[c,k,s,t] > 0 per (contributor, capability, site, period), personnel = units x
  unit size; Coverage (its rows kept): allocated = sum over c of x[c,k,s,t] on the row's line and
  period, shortfall = max(required - allocated, 0);
- Sustainability: per line, periods_short, unit_months_short = sum of months(t) x shortfall,
  first_short and sustained_until from that Coverage; `reason` is not recomputed (said so);
- Burden per contributor and period: units and personnel present, dwell_units (a tour ending at
  e = m(to) + months(to) keeps its units home in every t with e <= m(t) < e + dwell_months);
- Contributors: deployed_units / deployed_personnel (the busiest period's), sites, unit_months,
  dwell_unit_months, deploy_to_dwell and tours, as the solve writes them (results/time_summary);
- Summary: every objective stage as verify recomputes it (blank where it cannot: a re-plan's
  changes without its baseline), and the totals in unit-months as the solve writes them, but
  coverage_pct = 100 x sum months(t) x min(allocated, required) / required_unit_months (a line
  an edit gives more than it requires covers no other).

The Gaps, Caveats, CaveatPrices and Alternatives sheets and a re-plan's Asks and Changes belong to
the solved plan and are dropped. Without the input the figures stay the solved plan's, and the
page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError
from ..results.digest import allocation_digest, tours_edited
from ..results.time_summary import first_gap
from ..time_plan import dwell_periods
from .edited import EDITED, NOT_RECOMPUTED, STALE_SHEETS, against_solved, without_input
from .load import Output
from .view import covered

if TYPE_CHECKING:
    from ..verify.schedule import Schedule


def edited_tours(out: Output) -> bool:
    """Whether the output holds a plan whose Tours were edited after solving
    (`results.digest.tours_edited`)."""
    return out.has_plan and tours_edited(out.summary, out.sheets["Tours"])


ALLOCATION_ONLY = (
    "The Allocation sheet was edited after solving, but the Tours sheet was not: the Tours are "
    "the plan of a timed output, and every figure below is theirs, the solved plan's, not the "
    "edit's. Make the change in the Tours sheet (`forcegen verify` checks it, and the briefing "
    "then shows it)."
)


def edited_allocation_only(out: Output) -> bool:
    """Whether a timed output's Allocation no longer gives the `allocation_sha256` its Summary
    recorded while its Tours are as solved: an edit the plan (the Tours) does not carry."""
    stored = out.summary.get("allocation_sha256")
    if not (out.has_plan and isinstance(stored, str) and stored):
        return False
    alloc = out.sheets.get("Allocation")
    if alloc is None or not {"contributor", "capability", "site", "units"} <= set(alloc.columns):
        return True
    try:
        return allocation_digest(alloc.dropna(how="all")) != stored
    except (TypeError, ValueError):  # a units cell that is no number: an edit
        return True


def audited_timed(out: Output, given: Path | None) -> Output:
    """`out` unchanged when its Tours are the solved ones; else marked edited, with its figures
    rebuilt from the Tours when the input is found, and the rules they break."""
    from ..compare.audit import Inputs
    from ..compare.views import ScenarioView
    from ..verify.reader import read_raw
    from ..verify.schedule import Schedule
    from ..verify.timed import verify_timed
    from ..verify.tours_sheet import read_tours

    if not edited_tours(out):
        if edited_allocation_only(out):
            return replace(out, audit_notes=[ALLOCATION_ONLY])
        return out
    summary = {**out.summary, "status": EDITED, "solved_status": out.status}
    contributors = list(out.contributors["contributor"].astype(str))
    view = ScenarioView(
        out.scenario, out.status, out.summary, lines=out.coverage, contributors=contributors
    )
    view.source = str(out.path)
    inputs = Inputs(given)
    try:
        workbook = inputs.workbook_for(view)
        data = None if workbook is None else inputs.data_for(view, workbook)
    except InputError as exc:
        return replace(out, summary=summary, audit_notes=[without_input(out, exc.first)])
    if data is None:
        return replace(out, summary=summary, audit_notes=[without_input(out)])
    if not data.timed:
        why = f"{data.source_name} has no Periods: not a timed workbook"
        return replace(out, summary=summary, audit_notes=[without_input(out, why)])
    try:
        raw = read_raw(out.path)
        schedule = Schedule(data, read_tours(raw, data))
        report = verify_timed(data, raw, raw.summary)
    except InputError as exc:
        return replace(out, summary=summary, audit_notes=[_unreadable(out, exc.first)])
    summary["against_solved"] = against_solved(
        {s.stage: s.recomputed for s in report.stages}, out.summary
    )
    for stage in report.stages:
        summary[stage.stage] = stage.recomputed
    sheets = {k: v for k, v in out.sheets.items() if k not in STALE_SHEETS}
    sheets.update(rebuilt_sheets(out, schedule))
    summary.update(rebuilt_totals(sheets, schedule))
    notes = [
        f"The Tours sheet was edited after solving (solved as {out.status}): every figure "
        "below is recomputed from it as `forcegen verify` reads it (the stages, coverage per "
        "line and period, how long each line is sustained, personnel per nation and period); "
        "the gaps' reasons, the binding caveats, the caveats' prices and the alternatives are "
        "not.",
        *view.notes,
    ]
    if "Asks" in out.sheets:
        notes.append(
            "Its Asks and Changes sheets are the solved re-plan's, not the edited plan's, and "
            "are not shown: `forcegen verify INPUT.xlsx` with this file and --baseline "
            "BASELINE.xlsx recomputes its changes and checks its locked tours."
        )
    violations = [v.message for v in report.violations]
    return replace(out, summary=summary, sheets=sheets, violations=violations, audit_notes=notes)


def _unreadable(out: Output, reason: str) -> str:
    return (
        f"The Tours sheet was edited after solving (solved as {out.status}), but it cannot be "
        f"read against its input ({reason}): the figures below are the solved plan's, not the "
        "edited one's, and the rules were not checked (`forcegen verify` lists every cell it "
        "cannot read or that names what the input lacks)."
    )


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
    coverage = _coverage(out.coverage, alloc)
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
            "periods_short": len(short),
            "unit_months_short": int(sum(months.get(rows[i][0], 0) * rows[i][1] for i in short)),
            "first_short": rows[short[0]][0] if short else None,
            "sustained_until": rows[until - 1][0] if until else None,
        }
    sus = sus.copy()
    keys = list(zip(sus["site"].astype(str), sus["capability"].astype(str), strict=True))
    for column in ("periods_short", "unit_months_short", "first_short", "sustained_until"):
        sus[column] = [
            held.get(key, {}).get(column, v) for key, v in zip(keys, sus[column], strict=True)
        ]
    if "reason" in sus.columns:
        sus["reason"] = np.where(sus["periods_short"] > 0, NOT_RECOMPUTED, "")
    return sus


def _dwell(schedule: Schedule) -> dict[tuple[str, str, str], int]:
    """(contributor, capability, period) -> units home in dwell after their tours."""
    out: dict[tuple[str, str, str], int] = {}
    for r in schedule.tours.itertuples(index=False):
        if (r.contributor, r.capability) not in schedule.pledges.index:
            continue
        rest = schedule.pledges.loc[(r.contributor, r.capability), "dwell_months"]
        for t in dwell_periods(schedule.offset, schedule.months, int(r.last), rest):
            key = (r.contributor, r.capability, schedule.names[int(t)])
            out[key] = out.get(key, 0) + int(r.units)
    return out


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
    if "deploy_to_dwell" in con.columns:
        con["deploy_to_dwell"] = [
            round(rotating.get(c, 0) / home[c], 4) if home.get(c) else None for c in who
        ]
    if "tours" in con.columns:
        con["tours"] = [int((tours["contributor"] == c).sum()) for c in who]
    return con


def rebuilt_totals(sheets: dict[str, pd.DataFrame], schedule: Schedule) -> dict[str, object]:
    """The Summary's totals of the edited plan in unit-months (results/time_summary.py), with
    coverage_pct counting min(allocated, required) per Coverage row."""
    cov, sus, alloc = sheets["Coverage"], sheets["Sustainability"], sheets["Allocation"]
    months = dict(zip(schedule.names, schedule.months.tolist(), strict=True))
    m = cov["period"].astype(str).map(months).fillna(0).to_numpy(dtype=float)
    required = int((m * cov["required"].fillna(0)).sum())
    filled = float((m * covered(cov)).sum())
    short = m * cov["shortfall"].fillna(0).to_numpy(dtype=float)
    peak = alloc.groupby("period")["personnel"].sum().max() if len(alloc) else 0
    tours = sheets["Tours"]
    periods = [*schedule.names, *(p for p in sus["first_short"].dropna().astype(str))]
    totals: dict[str, object] = {
        "required_unit_months": required,
        "allocated_unit_months": int((m * cov["allocated"]).sum()),
        "shortfall_unit_months": int(short.sum()),
        "coverage_pct": round(100.0 * filled / required, 2) if required else 100.0,
        "deployed_personnel": int(peak),
        "contributors_engaged": int(tours["contributor"].nunique()) if len(tours) else 0,
        "lines": len(sus),
        "lines_sustained": int((sus["periods_short"].fillna(0) == 0).sum()),
        "first_gap": first_gap(sus, list(dict.fromkeys(periods))),
    }
    for p, value in pd.Series(short).groupby(cov["priority"].to_numpy()).sum().items():
        totals[f"shortfall_unit_months.p{int(p)}"] = int(value)
    return totals
