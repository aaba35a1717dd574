"""What changed when a line first goes short: the Sustainability sheet's `first_short_because`.

The main `reason` says what keeps the line short over all its short periods (what else could
fill it); a planner asking "from when can we no longer hold line X, and why then?" wants what
changed at `first_short` (an analyst trial: Kyiv AD_BTY short from 2028-01 for caveat C8, when
what happened then was NLD's mandate ending).

For line l = (s, k) first short in period f after an active period p (the last period before f
in which l requires units; a line short from its first such period has none, and no text),
with x[c,l,t] the units of contributor c on l in t and required(l, t) its requirement:

    required(l, f) > required(l, p)     `Kyiv requires 3 AD_BTY from 2028-01 (2 before)`
    x[c,l,p] > x[c,l,f], for each c     the lost units' cause, in the Gaps sheet's words where
    (most units lost first, then c)     c's pledge can have no unit there in f (`NLD's mandate
                                        ends 2027-12 (NLD held 1 unit here until then)`,
                                        `until P2` where p is not the mandate's last period);
                                        else where a tour of c on l ends in p that could not
                                        go on into f (its months and f's above c's
                                        tour_months), `DEU's tour here ends 2027-06 (tours of
                                        at most 6 months)`; else a caveat of c that keeps the
                                        unit off in f and did not in p, or a `requires` of c
                                        whose other left (results/first_short_caveats.py:
                                        `caveat X1 (A exclude site=S1, P3..P6) applies from P3
                                        (A held 1 unit here until P2)`); else, where c's
                                        pledge has no dwell and
                                        c has more units of k at
                                        other sites in f than in p, `POL's 1 unit here moves
                                        to POL-East (priority 1) after 2027-12` (an analyst
                                        trial: "leaves" read as a withdrawal where the unit
                                        backfilled a nation that left); else `FRA's 1 unit
                                        here leaves after 2027-06`

at most three of them, then `and N more`.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..data import required_units
from ..explain.gaps_time import pledge_closed_then
from ..io.period_names import as_end
from ..time_plan import TimedPlan
from ..wording import count
from .first_short_caveats import caveat_then

SHOWN = 3


def first_short_because(
    plan: TimedPlan, short: np.ndarray, active: np.ndarray, hard_because: np.ndarray | None = None
) -> list[str]:
    """Per line (rows of `data.requirements`), what changed when it first went short; '' for a
    line never short or short from its first active period. `short`, `active`: bool, lines x
    periods; `hard_because`: why each line is hard in each period ('' where not), so that a
    unit that moves to a hard line says so (`S2 (priority 2, hard: caveat K1)`, as the Gaps
    sheet says it: a trial read the move as the plan's choice)."""
    data = plan.data
    rq = data.requirements.reset_index(drop=True)
    names = [str(n) for n in plan.periods["period"]]
    months = plan.periods["months"].to_numpy(dtype=np.int64)
    required = required_units(data)
    lines = rq[["site", "capability", "priority"]].itertuples(index=False)
    priority = {(s, k): int(p) for s, k, p in lines}
    line_of = {(s, k): i for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True))}

    def label(to: str, k: str, t: int) -> str:
        why = "" if hard_because is None else str(hard_because[line_of[(to, k)], t] or "")
        return f"{to} (priority {priority[(to, k)]}{f', hard: {why}' if why else ''})"

    pledges = {(r["contributor"], r["capability"]): r for r in data.pledges.to_dict("records")}
    present: dict[tuple[str, str, int], dict[str, int]] = defaultdict(dict)
    for c, k, s, t, n in plan.presence().itertuples(index=False):
        present[(s, k, int(t))][c] = int(n)
    tours = plan.tours
    ends: dict[tuple[str, str, str, int], int] = {}  # (c, k, s, last) -> the tour's months
    keys = zip(
        tours["contributor"], tours["capability"], tours["site"], tours["last_t"], strict=True
    )
    for (c, k, s, last_t), length in zip(keys, plan.tour_months().tolist(), strict=True):
        ends[(c, k, s, int(last_t))] = max(int(length), ends.get((c, k, s, int(last_t)), 0))
    out = []
    for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True)):
        ts = np.flatnonzero(active[i]).tolist()
        first = next((t for t in ts if short[i, t]), None)
        before = [t for t in ts if first is not None and t < first]
        if first is None or not before:
            out.append("")
            continue
        prev = before[-1]
        said = []
        if required[i, first] > required[i, prev]:
            said.append(
                f"{s} requires {required[i, first]} {k} from {names[first]} "
                f"({required[i, prev]} before)"
            )
        had, has = present.get((s, k, prev), {}), present.get((s, k, first), {})
        lost = {c: n - has.get(c, 0) for c, n in had.items() if n > has.get(c, 0)}
        for c in sorted(lost, key=lambda c: (-lost[c], c)):
            pledge = pledges.get((c, k))
            why = (
                None
                if pledge is None
                else pledge_closed_then(pledge, names, months, first, data.scenario)
            )
            units = count(lost[c], "unit")
            ended = as_end(names[prev], int(months[prev]))  # io/period_names.py
            # `until then` only where the mandate ends with the last period held (a trial:
            # a Profile's zeros between them read as A holding the line to its mandate's end)
            until = "then" if pledge is None or int(pledge["to_t"]) == prev else ended
            limit = _limit(pledge)
            served = ends.get((c, k, s, prev))
            if why is not None:
                said.append(f"{why} ({c} held {units} here until {until})")
            elif limit is not None and served is not None and served + months[first] > limit:
                limited = count(limit, "month")
                said.append(f"{c}'s tour here ends {ended} (tours of at most {limited})")
            elif caveat := caveat_then(data, c, k, s, prev, first):
                said.append(f"{caveat} ({c} held {units} here until {ended})")
            else:
                # with a dwell the unit that left is at home: one elsewhere is another (a review)
                went = [] if _dwell(pledge) else _moved_to(present, c, k, s, prev, first)
                where = ", ".join(label(to, k, first) for to in went)
                one = lost[c] == 1
                said.append(
                    f"{c}'s {units} here {'moves' if one else 'move'} to {where} after {ended}"
                    if went
                    else f"{c}'s {units} here {'leaves' if one else 'leave'} after {ended}"
                )
        more = len(said) - SHOWN
        out.append("; ".join(said[:SHOWN]) + (f"; and {more} more" if more > 0 else ""))
    return out


def _moved_to(
    present: dict[tuple[str, str, int], dict[str, int]], c: str, k: str, s: str, p: int, f: int
) -> list[str]:
    """The other sites where contributor c has more units of k in period f than in p."""
    sites = sorted({site for site, cap, _ in present if cap == k and site != s})
    return [
        site
        for site in sites
        if present.get((site, k, f), {}).get(c, 0) > present.get((site, k, p), {}).get(c, 0)
    ]


def _dwell(pledge: dict | None) -> int:
    """The pledge's dwell_months (blank: 0)."""
    dwell = None if pledge is None else pledge.get("dwell_months")
    return 0 if dwell is None or dwell != dwell else int(dwell)


def _limit(pledge: dict | None) -> int | None:
    """The pledge's tour limit in months; None without one (a blank `tour_months`: NaN)."""
    limit = None if pledge is None else pledge["tour_months"]
    return None if limit is None or limit != limit else int(limit)
