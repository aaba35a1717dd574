"""A timed output (it has a `Tours` sheet) as the briefing reads it: the periods in time order, the
tours as bars, the lines at each site and the periods each is short, coverage by priority per
period, the first period each priority-1 line goes short, and the personnel each nation has
present per period.

Everything comes from the output's sheets (contract `time.md`, Output), never from a model:
- periods: in time order, merged from the orders the sheets give them in (Burden per contributor,
  Coverage per line, Allocation per (contributor, capability, site)); the input's Periods sheet
  when the report found the input;
- coverage(p, t) = sum of min(allocated, required) / sum of required over the lines of priority p
  active in period t (a share of required unit-months: months(t) is common to every term);
- a line (site, capability) is active in the periods it has a Coverage row for, and short in
  period t when its shortfall > 0 in t.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..outputs.load import Output, covered
from ..outputs.order import merge_orders
from .view import BLANK, text


@dataclass(frozen=True)
class Bar:
    """One tour drawn on its site's Gantt chart: periods first..last (0-based positions)."""

    contributor: str
    capability: str
    site: str
    first: int
    last: int
    units: int


@dataclass(frozen=True)
class Timed:
    """What the time sections of one output show (plain values; figures_time.py draws them)."""

    periods: list[str]
    sites: list[str]
    bars: list[Bar]
    # site -> capability of every line at the site active in some period (sorted) -> positions
    # of the periods in which that line is short (empty when it is held throughout)
    short: dict[str, dict[str, list[int]]]
    coverage: dict[int, list[float | None]]  # priority -> share covered per period (None: none due)
    burden: dict[str, list[int]]  # contributor -> personnel present per period
    nations: list[str]  # every contributor of the output, sorted: the colour order
    start: dt.date | None


def lanes(bars: list[Bar], capabilities: Iterable[str] = ()) -> list[tuple[str, list[Bar]]]:
    """A Gantt chart's rows: per capability (sorted), tours in time order packed into as few
    lanes as keep them apart (each tour into the first lane whose last tour ended before it);
    a capability of `capabilities` (the site's lines) without a tour has one empty lane."""
    rows: list[tuple[str, list[Bar]]] = []
    for cap in sorted({b.capability for b in bars} | set(capabilities)):
        packed: list[list[Bar]] = []
        for bar in sorted(
            (b for b in bars if b.capability == cap),
            key=lambda b: (b.first, b.last, b.contributor, b.site),
        ):
            free = next((lane for lane in packed if lane[-1].last < bar.first), None)
            if free is None:
                packed.append([bar])
            else:
                free.append(bar)
        rows += [(cap, lane) for lane in packed or [[]]]
    return rows


def period_order(out: Output, given: list[str] | None = None) -> list[str]:
    """The periods in time order: `given` (the input's) when it names every period the output
    does, else merged from the sheets' orders (each sheet lists a key's periods in time order).
    The Allocation sheet, derived from the Tours, is read only where Burden and Coverage give
    no period: a cell edited there (`7` for 2027-11) made a period of its own on every chart."""
    sequences: list[list[str]] = []
    for sheet, keys in (
        ("Burden", ["contributor"]),
        ("Coverage", ["site", "capability"]),
        ("Allocation", ["contributor", "capability", "site"]),
    ):
        if sheet == "Allocation" and sequences:
            break
        frame = out.table(sheet)
        if frame is None or "period" not in frame.columns or not len(frame):
            continue
        for _, grp in frame.groupby(keys, sort=False):
            sequences.append([str(p) for p in grp["period"]])
    seen = {p for seq in sequences for p in seq}
    if given and seen <= set(given):
        return list(given)
    return merge_orders(sequences)


def timed_view(out: Output, periods: pd.DataFrame | None = None) -> Timed:
    """The time sections of `out`; `periods` is the input's Periods sheet when found."""
    given = [str(p) for p in periods["period"]] if periods is not None else None
    names = period_order(out, given)
    pos = {p: i for i, p in enumerate(names)}
    tours = out.sheets["Tours"]
    bars = [
        Bar(str(c), str(k), str(s), pos[str(a)], pos[str(b)], int(n))
        for c, k, s, a, b, n in zip(
            tours["contributor"],
            tours["capability"],
            tours["site"],
            tours["from"],
            tours["to"],
            tours["units"],
            strict=True,
        )
        if str(a) in pos and str(b) in pos and pd.notna(n)  # a units cell edited to text: none
    ]
    cov = out.coverage.assign(t=[pos.get(str(p), -1) for p in out.coverage["period"]])
    sites = list(dict.fromkeys([*cov["site"].astype(str), *(b.site for b in bars)]))
    short: dict[str, dict[str, list[int]]] = {s: {} for s in sites}
    active = cov[cov["t"] >= 0]
    for (s, k), grp in active.groupby(
        [active["site"].astype(str), active["capability"].astype(str)], sort=True
    ):
        short[s][k] = sorted({int(t) for t in grp.loc[grp["shortfall"] > 0, "t"]})
    return Timed(
        periods=names,
        sites=sites,
        bars=bars,
        short=short,
        coverage=coverage_over_time(cov, len(names)),
        burden=personnel_over_time(out.sheets["Burden"], pos),
        nations=sorted(
            {*out.contributors["contributor"].astype(str), *(b.contributor for b in bars)}
        ),
        start=start_date(out, periods, names),
    )


def coverage_over_time(cov: pd.DataFrame, n: int) -> dict[int, list[float | None]]:
    """Per priority, per period: sum(min(allocated, required)) / sum(required); None where no
    line of the priority requires a unit in that period."""
    cov = cov.assign(filled=covered(cov))
    out: dict[int, list[float | None]] = {}
    for p, grp in cov.groupby("priority", sort=True):
        sums = grp.groupby("t")[["filled", "required"]].sum()
        out[int(p)] = [
            float(sums.at[t, "filled"] / sums.at[t, "required"])
            if t in sums.index and sums.at[t, "required"] > 0
            else None
            for t in range(n)
        ]
    return out


def personnel_over_time(burden: pd.DataFrame, pos: dict[str, int]) -> dict[str, list[int]]:
    """Per contributor with anyone present at some time: personnel present per period."""
    out: dict[str, list[int]] = {}
    for c, p, people in zip(
        burden["contributor"], burden["period"], burden["personnel"], strict=True
    ):
        row = out.setdefault(str(c), [0] * len(pos))
        if str(p) in pos and people == people:
            row[pos[str(p)]] += int(people)
    return {c: v for c, v in sorted(out.items()) if any(v)}


def start_date(out: Output, periods: pd.DataFrame | None, names: list[str]) -> dt.date | None:
    """The first day of the first period: from the input's Periods, else from a tour that starts
    in the first period (its start_date); None when not known."""
    if periods is not None and len(periods) and isinstance(periods["start"].iloc[0], dt.date):
        return _day(periods["start"].iloc[0])
    tours = out.sheets["Tours"]
    if "start_date" in tours.columns and names:
        firsts = tours.loc[tours["from"].astype(str) == names[0], "start_date"]
        for value in firsts:
            day = _day(value)
            if day is not None:
                return day
    return None


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def headline_text(out: Output, timed: Timed) -> str:
    """`3 periods (P1..P3) over 3 months, from 2027-01-01`."""
    n = len(timed.periods)
    span = timed.periods[0] if n == 1 else f"{timed.periods[0]}..{timed.periods[-1]}"
    months = out.summary.get("horizon_months")
    over = f" over {text(months)} month{'' if text(months) == '1' else 's'}"
    over = over if text(months) != BLANK else ""
    start = f", from {timed.start.isoformat()}" if timed.start else ""
    return f"{n} period{'' if n == 1 else 's'} ({span}){over}{start}"
