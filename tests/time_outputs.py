"""Build a timed OUTPUT workbook (the agreed format of a timed solve) from small Python literals,
so that tests of `report`, `compare` and friends need no timed solver.

    path = timed_output(tmp_path / "plan.xlsx",
        periods=["P1", "P2", "P3"],                      # or [("P1", 1), ("Q2", 3)]: (name, months)
        tours=[tour("FRA", "INF", "S1", "P1", "P2", 1)],  # contributor, capability, site, from, to, units
        lines=[line("S1", "INF", 1, priority=1)],         # required 1 in every period
        start="2027-01-01",                               # optional: start_date/end_date on Tours
    )

What it writes (every sheet derived from the tours and lines exactly as the contract reads them):
- `Tours`: contributor, capability, site, from, to, months = m(to) + months(to) - m(from), units,
  personnel = units x ppu (ppu: personnel per unit, 100 unless given per capability), and
  start_date / end_date (first day of `from`; last day of `to`: the day before the next period's
  start, for the last period the day before its start + its months) when `start` is given.
- `Allocation`: x[c,k,s,t] = the sum of the units of the tours of (c,k,s) covering t, one row per
  (c,k,s,t) with units > 0, personnel = units x ppu.
- `Coverage`: one row per line and period in which the line is active (its `required` per period:
  one number for every period of its window `from..to`, or a dict period -> units); allocated =
  sum over c of x[c,k,s,t]; shortfall = max(required - allocated, 0).
- `Sustainability`: per line, periods_active, periods_short, unit_months_short = sum over t of
  months(t) x shortfall, first_short, sustained_until (the period before first_short; the last
  active period when never short; blank when short from the start) and `reason` (given per line).
- `Burden`: per contributor and period: units, personnel present, dwell_units (given, else 0),
  pledged_units (given per contributor, else the most units it has present at once).
- `Contributors`: per contributor: pledged_units, deployed_units and deployed_personnel at the
  busiest period, sites (at any time), name, status, pledged_personnel, site_list, unit_months
  (sum over its tours of units x months), gdp (blank).
- `Timeline`: lines down, periods across, `FRA 2, ITA 1`.
- `Summary`: scenario, status, objective.shortfall.p<N> = sum of weight x months x shortfall,
  objective.cost 0, objective.presence = number of (contributor, site) pairs, mip_gap 0,
  input_file, forcegen_version, periods, horizon_months, required_unit_months, allocated_unit_months
  (sum of months(t) x min(allocated, required)), shortfall_unit_months, coverage_pct (of unit-months),
  stage.*.status; `summary` overrides or adds.
The document's Author is `forcegen`, as for every output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from solver.io.periods import add_months

Row = dict[str, Any]

TOURS = ["contributor", "capability", "site", "from", "to", "months", "units", "personnel"]
COVERAGE = [
    "site",
    "capability",
    "period",
    "required",
    "allocated",
    "shortfall",
    "priority",
    "hard",
    "weight",
    "single_source",
    "hard_because",
]
SUSTAINABILITY = [
    "site",
    "capability",
    "priority",
    "periods_active",
    "periods_short",
    "unit_months_short",
    "first_short",
    "sustained_until",
    "reason",
]


def tour(c: str, k: str, s: str, first: str, last: str, units: int = 1) -> Row:
    return {"contributor": c, "capability": k, "site": s, "from": first, "to": last, "units": units}


def line(
    s: str,
    k: str,
    required: int | dict[str, int],
    priority: int = 1,
    *,
    first: str | None = None,
    last: str | None = None,
    hard: bool = False,
    weight: float = 1.0,
    reason: str = "",
) -> Row:
    """A requirement line: `required` units in every period of from..to (default: all), or a
    dict period -> units (the line is then active in exactly those periods)."""
    return {
        "site": s,
        "capability": k,
        "required": required,
        "priority": priority,
        "from": first,
        "to": last,
        "hard": hard,
        "weight": weight,
        "reason": reason,
    }


def timed_output(
    path: Path,
    *,
    periods: list[str] | list[tuple[str, int]],
    tours: list[Row],
    lines: list[Row],
    ppu: dict[str, int] | None = None,
    pledged: dict[str, int] | None = None,
    dwell: dict[tuple[str, str], int] | None = None,
    contributors: list[str] | None = None,
    start: str | None = None,
    summary: dict[str, Any] | None = None,
) -> Path:
    """Write the timed output workbook at `path` (see the module's docstring); returns `path`."""
    names = [p if isinstance(p, str) else p[0] for p in periods]
    months = [1 if isinstance(p, str) else int(p[1]) for p in periods]
    offset = [sum(months[:i]) for i in range(len(months))]
    pos = {n: i for i, n in enumerate(names)}
    size = {**(ppu or {})}
    presence: dict[tuple[str, str, str, int], int] = {}
    tour_rows = []
    for t in sorted(
        tours, key=lambda r: (r["contributor"], r["capability"], r["site"], pos[r["from"]])
    ):
        a, b = pos[t["from"]], pos[t["to"]]
        unit = size.get(t["capability"], 100)
        row = {**t, "months": offset[b] + months[b] - offset[a], "personnel": t["units"] * unit}
        if start is not None:
            day0 = dt.date.fromisoformat(start)
            row["start_date"] = add_months(day0, offset[a])
            following = add_months(day0, offset[b] + months[b])  # the next period's start
            row["end_date"] = following - dt.timedelta(days=1)  # the day before it starts
        tour_rows.append(row)
        for i in range(a, b + 1):
            key = (t["contributor"], t["capability"], t["site"], i)
            presence[key] = presence.get(key, 0) + int(t["units"])
    alloc = [
        {
            "contributor": c,
            "capability": k,
            "site": s,
            "period": names[i],
            "units": n,
            "personnel": n * size.get(k, 100),
        }
        for (c, k, s, i), n in sorted(presence.items())
        if n > 0
    ]
    coverage, sustain, stages = _coverage(lines, names, months, pos, presence)
    at = dict(zip(names, months, strict=True))
    required = sum(at[r["period"]] * r["required"] for r in coverage)
    allocated = sum(at[r["period"]] * min(r["allocated"], r["required"]) for r in coverage)
    who = sorted(set(contributors or []) | {c for c, *_ in presence})
    burden = _burden(who, names, presence, size, pledged or {}, dwell or {})
    book = {
        "Summary": _summary(
            path,
            names,
            months,
            stages,
            presence,
            {**_unit_months(required, allocated), **(summary or {})},
        ),
        "Coverage": coverage,
        "Allocation": alloc,
        "Contributors": _contributors(who, burden, presence, pledged or {}, size, months),
        "Tours": tour_rows,
        "Sustainability": sustain,
        "Burden": burden,
        "Timeline": _timeline(lines, names, presence),
    }
    columns = {"Tours": TOURS + (["start_date", "end_date"] if start else [])}
    columns["Coverage"], columns["Sustainability"] = COVERAGE, SUSTAINABILITY
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "forcegen"
    for title, rows in book.items():
        ws = wb.create_sheet(title)
        cols = columns.get(title) or list(dict.fromkeys(k for r in rows for k in r))
        if title == "Summary":
            cols = ["key", "value"]
        ws.append(cols)
        for r in rows:
            ws.append([r.get(c) for c in cols])
    wb.save(path)
    return path


def _unit_months(required: int, allocated: int) -> dict[str, Any]:
    """The Summary's totals in unit-months (months(t) x units over the Coverage rows)."""
    return {
        "required_unit_months": required,
        "allocated_unit_months": allocated,
        "shortfall_unit_months": required - allocated,
        "coverage_pct": round(100.0 * allocated / required, 2) if required else 100.0,
    }


def _required(ln: Row, names: list[str], pos: dict[str, int]) -> dict[int, int]:
    if isinstance(ln["required"], dict):
        return {pos[p]: int(n) for p, n in ln["required"].items()}
    a = pos[ln["from"]] if ln["from"] else 0
    b = pos[ln["to"]] if ln["to"] else len(names) - 1
    return {i: int(ln["required"]) for i in range(a, b + 1)}


def _coverage(lines, names, months, pos, presence):
    coverage, sustain = [], []
    stages: dict[int, float] = {}
    for ln in lines:
        s, k, p = ln["site"], ln["capability"], int(ln["priority"])
        short_at = []
        um = 0
        for i, req in sorted(_required(ln, names, pos).items()):
            got = sum(n for (_, kk, ss, t), n in presence.items() if (kk, ss, t) == (k, s, i))
            short = max(req - got, 0)
            coverage.append(
                {
                    "site": s,
                    "capability": k,
                    "period": names[i],
                    "required": req,
                    "allocated": got,
                    "shortfall": short,
                    "priority": p,
                    "hard": "yes" if ln["hard"] else "no",
                    "weight": ln["weight"],
                    "single_source": "no",
                    "hard_because": "workbook" if ln["hard"] else None,
                }
            )
            if short:
                short_at.append(i)
            um += months[i] * short
            stages[p] = stages.get(p, 0) + ln["weight"] * months[i] * short
        active = sorted(_required(ln, names, pos))
        first = short_at[0] if short_at else None
        until = (
            names[active[-1]]
            if first is None
            else (None if first == active[0] else names[active[active.index(first) - 1]])
        )
        sustain.append(
            {
                "site": s,
                "capability": k,
                "priority": p,
                "periods_active": len(active),
                "periods_short": len(short_at),
                "unit_months_short": um,
                "first_short": None if first is None else names[first],
                "sustained_until": until,
                "reason": ln["reason"] or None,
            }
        )
    return coverage, sustain, stages


def _burden(who, names, presence, size, pledged, dwell):
    rows = []
    for c in who:
        peak = max(
            (sum(n for (cc, _, _, t), n in presence.items() if cc == c and t == i))
            for i in range(len(names))
        )
        for i, name in enumerate(names):
            here = [(k, n) for (cc, k, _, t), n in presence.items() if cc == c and t == i]
            rows.append(
                {
                    "contributor": c,
                    "period": name,
                    "units": sum(n for _, n in here),
                    "personnel": sum(n * size.get(k, 100) for k, n in here),
                    "dwell_units": dwell.get((c, name), 0),
                    "pledged_units": pledged.get(c, peak),
                }
            )
    return rows


def _contributors(who, burden, presence, pledged, size, months):
    rows = []
    for c in who:
        deployed = sum(n * months[i] for (cc, _, _, i), n in presence.items() if cc == c)
        mine = [r for r in burden if r["contributor"] == c]
        busiest = max(mine, key=lambda r: (r["units"], r["personnel"]))
        sites = sorted({s for (cc, _, s, _) in presence if cc == c})
        rows.append(
            {
                "contributor": c,
                "pledged_units": mine[0]["pledged_units"],
                "deployed_units": busiest["units"],
                "deployed_personnel": busiest["personnel"],
                "sites": len(sites),
                "name": c,
                "status": "available",
                "pledged_personnel": mine[0]["pledged_units"] * 100,
                "site_list": ", ".join(sites),
                "unit_months": deployed,
                "gdp": None,
            }
        )
    return rows


def _timeline(lines, names, presence):
    rows = []
    for ln in lines:
        row = {"site": ln["site"], "capability": ln["capability"], "priority": ln["priority"]}
        for i, name in enumerate(names):
            here = sorted(
                (c, n)
                for (c, k, s, t), n in presence.items()
                if (k, s, t) == (ln["capability"], ln["site"], i)
            )
            row[name] = ", ".join(f"{c} {n}" for c, n in here) or None
        rows.append(row)
    return rows


def _summary(path, names, months, stages, presence, extra):
    values: dict[str, Any] = {"scenario": "base", "status": "optimal"}
    for p in sorted(stages):
        values[f"objective.shortfall.p{p}"] = stages[p]
    values["objective.cost"] = 0
    values["objective.presence"] = len({(c, s) for (c, _, s, _) in presence})
    values.update(
        {
            "mip_gap": 0,
            "input_file": f"{Path(path).stem}_input.xlsx",
            "forcegen_version": "0.1.0",
            "message": "optimal at every stage (within the MIP gap)",
            "periods": len(names),
            "horizon_months": sum(months),
        }
    )
    for p in sorted(stages):
        values[f"stage.shortfall.p{p}.status"] = "optimal"
    values.update(extra)
    return [{"key": k, "value": v} for k, v in values.items()]
