"""The Gaps sheet of a timed workbook: why a line is short, in a planner's words, per period range.

Per short line l and period t (shortfall(l, t) = required(l, t) - allocated(l, t) > 0) and per
pledge p = (c, k) of the line's capability k, the reason in t is the first that holds of:

    c unavailable                          `unavailable`
    p pledges 0 units                      `pledged 0 units`
    t < from(p)                            `A's INF pledge available only from P3 (notice to move)`
    t > to(p)                              `A's mandate ends P4`
    months(t) > tour_months(p)             `A's tours of at most 2 months cannot cover P3
                                            (3 months)`
    a caveat removed the option in t       `kept out by caveat C1 (...)`
    spare(p, t) <= 0                       `A's 3 units: 1 at S2 (p1), 2 in dwell until P4`
    a caveat or a site rule bites in t     each kind's `gap_text`, read in period t
    otherwise                              no single rule blocks it, and what filling the
                                           line would cost: a line of higher or equal
                                           priority, another period (where p rotates and
                                           the plan takes all its units in a later period a
                                           tour then would keep one home in: `another period
                                           (a tour then keeps a unit at home for 12 months
                                           after it, into P9, when all A's 2 units are taken:
                                           1 at S2 (p1), 1 in dwell until P12)`)

where spare(p, t) = pledged(p) - present(p, t) - dwell(p, t) inside p's from..to (else 0), and
`in dwell until P4` names the last period those units are at home (their tours, hence their
dwell, are the plan's: read with the model's arrivals, as the Tours sheet); a dwell running
past the last period says so, `until P12, the plan's end, and 3 months beyond`. When no
pledge of k can be present in t (every one is unavailable, pledges 0 units or lies outside its
from..to) and one becomes available later, the line gets one row for t instead, contributor
`-`: `no INF pledge available before P3 (notice to move)`, or, when pledges of k were present
before t and their mandates ended, `no INF pledge available until P6 (notice to move): B's
mandate ends P4`.

Rows of one line and contributor in consecutive periods with the same figures (required,
allocated, shortfall, pledged, spare) and the same reason are merged: `period` is `P1..P3`.
Rows are sorted by priority, line (Requirements order), first period, contributor (Pledges
order, `-` first).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import Data, required_units
from ..io.output_schema import TIMED_GAPS
from ..io.period_names import as_end
from ..io.periods import span
from ..io.withdrawals import parse_name
from ..time_plan import TimedPlan
from ..wording import BESIDES, count

if TYPE_CHECKING:  # the explainer hands itself over; importing it at run time would make a cycle
    from .gaps import GapExplainer

COLUMNS = TIMED_GAPS.names  # io/output_schema.py
FIGURES = ("required", "allocated", "shortfall", "pledged", "spare", "reason")
MAX_LINE_PERIODS = 50_000  # short (line, period) pairs explained in full, besides MAX_LINES

# (c, k, t) -> {until: units}; until is the dwell's last period within the horizon, plus the
# months it runs on past the horizon's end (a dwell ending within: the period itself)
Dwell = dict[tuple[str, str, int], dict[int, int]]


def dwell_units(plan: TimedPlan) -> Dwell:
    """The units of each pledge at home in dwell in period t, by the end of their dwell (see
    Dwell), from `TimedPlan.dwell_rows`: the plan's Burden and its gaps read one dwell."""
    out: Dwell = defaultdict(dict)
    for c, k, t, last_home, beyond, n in plan.dwell_rows():
        until = last_home + beyond  # the key's encoding: see Dwell
        out[(c, k, t)][until] = out[(c, k, t)].get(until, 0) + n
    return dict(out)


def timed_table(g: GapExplainer) -> pd.DataFrame:
    """The timed Gaps sheet (see the module's docstring)."""
    return merge_runs(g, period_rows(g))


def period_rows(g: GapExplainer) -> list[dict]:
    """One row per short line, period and contributor (or `-`), before merging."""
    from .gaps import MAX_LINES

    data = g.data
    rq = data.requirements
    short_t = g.sol.shortfall_t > 0.5
    lines = np.flatnonzero(short_t.any(axis=1))
    lines = lines[np.lexsort((lines, rq["priority"].to_numpy()[lines]))]
    pl = data.pledges
    by_cap: dict[str, list[int]] = defaultdict(list)
    for p, k in enumerate(pl["capability"]):
        by_cap[k].append(p)
    required = required_units(data)
    rows: list[dict] = []
    explained = 0
    for n, line in enumerate(lines.tolist()):
        site, cap = rq["site"].iloc[line], rq["capability"].iloc[line]
        priority = int(rq["priority"].iloc[line])
        for t in np.flatnonzero(short_t[line]).tolist():
            short = int(np.rint(g.sol.shortfall_t[line, t]))
            base = {
                "line": line,
                "t": t,
                "site": site,
                "capability": cap,
                "priority": priority,
                "required": int(required[line, t]),
                "allocated": int(required[line, t]) - short,
                "shortfall": short,
            }
            explained += 1
            if n >= MAX_LINES or explained > MAX_LINE_PERIODS:
                note = f"not explained: only the first {MAX_LINES:,} short lines (by priority) are"
                rows.append(line_row(base, note))
                continue
            pledges = by_cap.get(cap, [])
            if not pledges:
                rows.append(line_row(base, f"nobody pledged {cap}"))
                continue
            later = not_yet_available(g, pledges, t)
            if later is not None:
                rows.append(line_row(base, between_pledges(g, cap, pledges, t, later)))
                continue
            for p in pledges:
                rows.append(
                    {
                        **base,
                        "contributor": g.pledge_rows[p]["contributor"],
                        "order": p,
                        "pledged": int(g.pledge_rows[p]["units"]),
                        "spare": int(max(g.sol.spare_t[p, t], 0)),
                        "reason": reason_then(g, line, p, t),
                    }
                )
    return rows


def line_row(base: dict, reason: str) -> dict:
    return {**base, "contributor": "-", "order": -1, "pledged": 0, "spare": 0, "reason": reason}


def not_yet_available(g: GapExplainer, pledges: list[int], t: int) -> int | None:
    """The first period a pledge of these becomes available, when none can be present in t
    and one comes later (None otherwise)."""
    rows = [g.pledge_rows[p] for p in pledges]
    live = [r for r in rows if g.status.get(r["contributor"]) == "available" and r["units"] > 0]
    if any(r["from_t"] <= t <= r["to_t"] for r in live):
        return None
    later = [int(r["from_t"]) for r in live if r["from_t"] > t]
    return min(later) if later else None


def between_pledges(g: GapExplainer, cap: str, pledges: list[int], t: int, later: int) -> str:
    """Why no pledge of `cap` can be present in t, one arriving in `later`: its notice to move,
    and the mandates that ended before t when some did (`A's mandate ends P1`): the
    line is then between two pledges, not before the first."""
    rows = [g.pledge_rows[p] for p in pledges]
    live = [r for r in rows if g.status.get(r["contributor"]) == "available" and r["units"] > 0]
    ended = [r for r in live if r["to_t"] < t]
    if not ended:
        return f"no {cap} pledge available before {g.names[later]} (notice to move)"
    last = max(int(r["to_t"]) for r in ended)
    who = list(dict.fromkeys(str(r["contributor"]) for r in ended if r["to_t"] == last))
    if len(who) == 1:
        ended_as = ended_words(who[0], g.names[last], g.data.scenario, int(g.months[last]))
    else:
        ended_as = f"{', '.join(who)}'s mandates end {as_end(g.names[last], g.months[last])}"
    return f"no {cap} pledge available until {g.names[later]} (notice to move): {ended_as}"


def ended_words(c: str, last: str, scenario: str, months: int = 1) -> str:
    """`ITA's mandate ends 2027-12` (`last` the period, of `months` months: `as_end`); in a
    generated withdrawal's scenario, of the nation it withdraws after that period, `ITA leaves
    after 2027-12 (withdrawn in this scenario)` (an analyst trial read the mandate as simply
    running out)."""
    withdrawn = parse_name(scenario)
    shown = as_end(last, months)
    if withdrawn is not None and withdrawn.code == c and withdrawn.after == last:
        return f"{c} leaves after {shown} (withdrawn in this scenario)"
    return f"{c}'s mandate ends {shown}"


def absent_why(data: Data, c: str, t: int) -> str:
    """Why contributor c can have no unit anywhere in period t, from the data alone:
    `unavailable`, `pledges nothing`, its mandates ended (`F's mandate ends P3`), not yet ready
    (`F's pledges available only from P5`), its tours shorter than the period (`A's tours of
    at most 6 months cannot cover P2 (12 months)`: a tour covers whole periods); '' when some
    pledge of c can be there then (a trial read `F deploys nothing then` beside a `requires`
    of F without why)."""
    contributors = data.contributors
    if dict(zip(contributors["contributor"], contributors["status"], strict=True)).get(c) != (
        "available"
    ):
        return f"{c} is unavailable"
    pl = data.pledges
    rows = pl[(pl["contributor"] == c) & (pl["units"] > 0)].to_dict("records")
    if not rows:
        return f"{c} pledges nothing"
    if not data.timed:
        return ""
    names, months = data.period_names, data.period_months
    open_then = [r for r in rows if r["from_t"] <= t <= r["to_t"]]
    if open_then:
        return _tours_shorter(c, open_then, names[t], int(months[t]))
    if all(r["to_t"] < t for r in rows):
        last = max(int(r["to_t"]) for r in rows)
        return ended_words(c, names[last], data.scenario, int(months[last]))
    first = min(int(r["from_t"]) for r in rows if r["from_t"] > t)
    return f"{c}'s pledges available only from {names[first]}"


def _tours_shorter(c: str, rows: list[dict], name: str, months: int) -> str:
    """`A's tours of at most 6 months cannot cover P2 (12 months)` where every pledge of
    `rows` (open in period `name`) has a tour limit below its months; else ''."""
    limits = [float(r["tour_months"]) for r in rows]
    if not all(limit == limit and limit < months for limit in limits):  # NaN: no limit
        return ""
    longest = int(max(limits))
    return f"{c}'s tours of at most {count(longest, 'month')} cannot cover {name} ({count(months, 'month')})"


def reason_then(g: GapExplainer, line: int, p: int, t: int) -> str:
    """Why pledge p does not fill more of the line in period t (the order of the docstring)."""
    pl = g.pledge_rows[p]
    c = pl["contributor"]
    names = g.names
    if g.status.get(c) != "available":
        return "unavailable"
    if pl["units"] == 0:
        return "pledged 0 units"
    closed = pledge_closed_then(pl, names, g.months, t, g.data.scenario)
    if closed is not None:
        return closed
    cand = g.cand_of.get((p, line, t))
    if cand is None:
        return "no allocation option"
    none_spare = g.sol.spare_t[p, t] <= 0
    if cand in g.forbidders:
        kept = "kept out by " + "; ".join(g.kept_text(b, t) for b in g.forbidders[cand])
        return (
            f"{kept}{BESIDES}{units_then(g, p, t, line)}" if none_spare else kept
        )  # as in a snapshot
    if none_spare:
        return units_then(g, p, t, line)
    return g.rules_at(g.x_of_cand[cand], c, line) or g.no_single_rule(
        line, p, held_for_later(g, p, t)
    )


def held_for_later(g: GapExplainer, p: int, t: int) -> str:
    """What `another period` costs a spare unit of a pledge with dwell: with D = dwell_months(p),
    a unit present in t is at home at least until m(t) + months(t) + D (m: the month a period
    starts), so where the plan takes every unit of p in some later t' with m(t') < m(t) +
    months(t) + D (spare(p, t') <= 0), the unit is held for t':

        `a tour then keeps a unit at home for 12 months after it, into Jan 2028, when all
        FRA's 2 units are taken: 1 at Kyiv (p1), 1 in dwell until Jun 2028`

    t' is within p's window (its `to`); '' when p has no dwell or no such t' (a planner trial
    read `spare 1` of a unit the plan held for a later tour as a unit left idle)."""
    pl = g.pledge_rows[p]
    dwell = int(pl["dwell_months"])
    if not dwell:
        return ""
    months = np.asarray(g.months, dtype=np.int64)
    assert g.data.periods is not None  # a pledge with dwell is timed
    start = g.data.periods["offset"].to_numpy(dtype=np.int64)
    home_until = start[t] + months[t] + dwell
    # within the pledge's window: past its `to` no unit is spare, nor taken (a review)
    for later in range(t + 1, min(len(g.names), int(pl["to_t"]) + 1)):
        if start[later] >= home_until:
            break
        if g.sol.spare_t[p, later] <= 0:
            units = int(pl["units"])
            taken = "all " if units > 1 else ""
            are = "are" if units > 1 else "is"  # a trial: `when all B's 1 unit are taken`
            return (
                f"a tour then keeps a unit at home for "
                f"{count(dwell, 'month')} after it, into {g.names[later]}, when {taken}"
                f"{pl['contributor']}'s {count(units, 'unit')} {are} taken: "
                + ", ".join(unit_places(g, p, later))
            )
    return ""


def pledge_closed_then(
    pl: dict, names: list[str], lengths: np.ndarray, t: int, scenario: str = ""
) -> str | None:
    """Why pledge row `pl` can have no unit present in period t (`lengths`: each period's
    months): its from..to (readiness, mandate: `ended_words`) or its tour length; None when it
    can."""
    c, k = pl["contributor"], pl["capability"]
    months, to = int(lengths[t]), int(pl["to_t"])
    if t < pl["from_t"]:
        return f"{c}'s {k} pledge available only from {names[int(pl['from_t'])]} (notice to move)"
    if t > pl["to_t"]:
        return ended_words(c, names[to], scenario, int(lengths[to]))
    if not np.isnan(pl["tour_months"]) and months > pl["tour_months"]:
        return (
            f"{c}'s tours of at most {count(pl['tour_months'], 'month')} cannot cover "
            f"{names[t]} ({count(months, 'month')})"
        )
    return None


def units_then(g: GapExplainer, p: int, t: int, line: int = -1) -> str:
    """`A's 3 units: 1 at S2 (p1), 2 in dwell until P4`: where a pledge's units are in t."""
    pl = g.pledge_rows[p]
    c, units = pl["contributor"], int(pl["units"])
    parts = unit_places(g, p, t, line)
    return f"{c}'s {units} unit{'' if units == 1 else 's'}: " + (
        ", ".join(parts) if parts else "no units left"
    )


def unit_places(g: GapExplainer, p: int, t: int, line: int = -1) -> list[str]:
    """`1 at S2 (p1)`, `2 in dwell until P4`: where pledge p's units are in period t."""
    pl = g.pledge_rows[p]
    c, k = pl["contributor"], pl["capability"]
    parts = [] if not g.used_by_pledge.get((p, t)) else [g.where_units_went(p, t, line)]
    last = len(g.names) - 1
    for until, n in sorted(g.dwell.get((c, k, t), {}).items()):
        end = as_end(g.names[min(until, last)], int(g.months[min(until, last)]))
        if until > last:  # a dwell running past the plan's end (a planner trial read it as ending)
            end += f", the plan's end, and {count(until - last, 'month')} beyond"
        parts.append(f"{n} in dwell until {end}")
    return parts


def merge_runs(g: GapExplainer, rows: list[dict]) -> pd.DataFrame:
    """Rows of one line and contributor in consecutive periods with the same figures merged
    into one row per run, `period` named `P1..P3`."""
    rows = sorted(rows, key=lambda r: (r["line"], r["order"], r["t"]))
    runs: list[dict] = []
    for row in rows:
        last = runs[-1] if runs else None
        if (
            last is not None
            and (last["line"], last["order"]) == (row["line"], row["order"])
            and last["last_t"] == row["t"] - 1
            and all(last[f] == row[f] for f in FIGURES)
        ):
            last["last_t"] = row["t"]
        else:
            runs.append({**row, "last_t": row["t"]})
    for run in runs:
        run["period"] = span(g.names, run["t"], run["last_t"])
    runs.sort(key=lambda r: (r["priority"], r["line"], r["t"], r["order"]))
    return pd.DataFrame(runs, columns=COLUMNS)
