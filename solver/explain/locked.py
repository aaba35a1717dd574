"""Locked baseline rows in a planner's words, for the infeasibility explanation.

A locked option (c,k,s) is one rule (class `locked`, rows x[c,k,s,t] >= L[c,k,s,t] of every
period, model/baseline.py). Its text names the locked units and, where the workbook itself says
why they cannot stay, that fact, in the words of the Changes sheet's `why`
(results/change_reasons.py) for the same cause:

    `locked: FRA 2 INF_BN at Kyiv — FRA's pledge of INF_BN is now 1 (base.xlsx Allocation!A5)`
    `locked: ESP 1 INF_BN at Kyiv — ESP no longer pledges INF_BN`      (no pledge row)
    `locked: A 1 INF at S1 in P2..P3 — S1 requires INF only in P1`
    `locked: A 1 INF at S1 in P1..P4 — a tour of 4 months, longer than the 2 months A's tours
     of INF may last`                   (a lock keeps it as one tour: model/locked_apart.py)

A pledge, a contributor, a site or a line is said to have changed only where the baseline is a
plan as its solve wrote it (`baseline_words.py`); of a `Baseline` sheet or a plan edited by hand
the same causes read `the baseline locks 2 units of FRA's INF_BN, more than its pledge of 1`,
`ESP does not pledge INF_BN`, `the baseline locks GRC's INF_BN at Kyiv, but GRC is not a
contributor`.

A caveat that now forbids the option is a rule of its own in the conflict (its forbid rows), so
it is not repeated here. The checks run in the Changes sheet's order: the option's own facts
first (its pledge below its locked units, its site or line gone, its windows), the pledge below
the locks of all its sites together last, and not where a caveat keeps the option out.
"""

from __future__ import annotations

import pandas as pd

from ..baseline_words import (
    above_pledge,
    no_pledge,
    not_a_contributor,
    not_a_site,
    not_required,
    tour_too_long,
)
from ..data import required_units, requiring
from ..model.context import BuildContext
from ..model.locked_apart import carried_rows
from ..wording import cells_text
from .rules_time import when


def describe_locked(ctx: BuildContext, key: tuple, short: bool = False) -> str:
    """`locked: c u k at s[ in periods]`, with ` — why` and the locked rows' cells (unless
    `short`): `(plan.xlsx Allocation!A5)`, where a planner unlocks them."""
    c, k, s = key[:3]
    text = f"locked: {_units(ctx, c, k, s)}"
    if short:
        return text
    why = _why(ctx, c, k, s)
    cells = [str(w) for w in _locked_rows(ctx, c, k, s)["where"] if str(w)]
    at = f" ({cells_text(cells)})" if cells else ""
    return f"{text} — {why}{at}" if why else f"{text}{at}"


def _units(ctx: BuildContext, c: str, k: str, s: str) -> str:
    """`FRA 2 INF_BN at Kyiv`, in time `A 1 INF at S1 in P2..P3` (one part per locked row)."""
    rows = _locked_rows(ctx, c, k, s)
    if not ctx.timed:
        return f"{c} {int(rows['units'].sum())} {k} at {s}"
    parts = [
        f"{int(r.units)} {k} at {s} in {when(ctx, list(range(r.first_t, r.last_t + 1)))}"
        for r in rows.itertuples(index=False)
    ]
    return f"{c} " + ", ".join(parts)


def _locked_rows(ctx: BuildContext, c: str, k: str, s: str) -> pd.DataFrame:
    assert ctx.data.baseline is not None
    rows = ctx.data.baseline.rows
    return rows[
        rows["lock"] & (rows["contributor"] == c) & (rows["capability"] == k) & (rows["site"] == s)
    ]


def _why(ctx: BuildContext, c: str, k: str, s: str) -> str:
    """What in the workbook stands against the locked units (empty when it is the rules of
    the conflict together, not one fact)."""
    data = ctx.data
    assert data.baseline is not None
    as_solved = data.baseline.as_solved
    locked = _most_locked(ctx, c, k, s)
    status = data.contributors.set_index("contributor")["status"].get(c)
    if status is None:
        return not_a_contributor(c, k, s, as_solved, locked=True)
    if status != "available":
        return f"{c} is {status}"
    pl = data.pledges
    pledge = pl[(pl["contributor"] == c) & (pl["capability"] == k)]
    # as the Changes sheet's `why` (results/change_reasons.py): a pledge row of 0 units is
    # still a pledge, "now 0"; only a pledge row gone is "no longer pledges"
    if not len(pledge):
        return no_pledge(c, k, as_solved)
    pledged = int(pledge["units"].iloc[0])
    if pledged < locked:
        return above_pledge(c, k, pledged, _most_locked(ctx, c, k), as_solved, locked=True)
    if s not in set(data.sites["site"]):
        return not_a_site(c, k, s, as_solved, locked=True)
    rq = data.requirements
    line = rq[(rq["site"] == s) & (rq["capability"] == k)]
    position = rq.index.get_loc(line.index[0]) if len(line) else -1
    if not len(line) or not requiring(data)[position]:
        return not_required(c, k, s, as_solved, locked=True)
    if not ctx.timed:
        units = int(line["units"].iloc[0])
        if units < locked:
            return f"{s} requires only {units} {k}"
    elif outside := _outside_windows(ctx, c, k, s, pledge.iloc[0], line.iloc[0]):
        return outside
    elif above := _above_the_line(ctx, c, k, s, position):
        return above
    elif longer := _longer_than_tours(ctx, c, k, s, pledge.iloc[0]):
        return longer
    # last, as the Changes sheet's totals: the pledge too small for the locks of all its sites
    # together, unless a caveat keeps this option out (its own rule in the conflict)
    if not _kept_out(ctx, c, k, s) and pledged < (all_sites := _most_locked(ctx, c, k)):
        return above_pledge(c, k, pledged, all_sites, as_solved, locked=True)
    return ""


def _kept_out(ctx: BuildContext, c: str, k: str, s: str) -> bool:
    """Whether a caveat forbids the option (c,k,s) in a period its locks hold units in."""
    return bool(keeping_out(ctx, (c, k, s)))


def keeping_out(ctx: BuildContext, key: tuple, periods: set[int] | None = None) -> list[str]:
    """The ids of the caveats that forbid the locked option `key` (c,k,s) in one of `periods`
    (None or empty: the periods its locks hold units in), sorted: there none of its units can
    stay, whatever else gives way (a `min_contingent` above what its pledge leaves it)."""
    c, k, s = key[:3]
    held = periods or {
        t for r in _locked_rows(ctx, c, k, s).itertuples() for t in range(r.first_t, r.last_t + 1)
    }
    cand = ctx.cand
    out = []
    for cid, positions in sorted(ctx.forbidden_by.items()):
        sel = cand.iloc[positions]
        mine = (sel["contributor"] == c) & (sel["capability"] == k) & (sel["site"] == s)
        if bool((mine & sel["t"].isin(held)).any()):
            out.append(cid)
    return out


def _outside_windows(
    ctx: BuildContext, c: str, k: str, s: str, pledge: pd.Series, line: pd.Series
) -> str:
    """In time: the line or the pledge does not reach every locked period."""
    periods = {
        t for r in _locked_rows(ctx, c, k, s).itertuples() for t in range(r.first_t, r.last_t + 1)
    }
    for what, row in ((f"{s} requires {k}", line), (f"{c}'s pledge of {k} is available", pledge)):
        window = set(range(int(row["from_t"]), int(row["to_t"]) + 1))
        if not periods <= window:
            return f"{what} only in {when(ctx, sorted(window))}"
    return ""


def _longer_than_tours(ctx: BuildContext, c: str, k: str, s: str, pledge: pd.Series) -> str:
    """In time: a locked tour of the option (not carried in) longer than the pledge's
    tour_months T, m(last) + months(last) - m(first) > T: a lock keeps it as one tour, which
    the tour limit forbids (model/locked_apart.py, `tour.apart`). `a tour of 4 months, longer
    than the 2 months A's tours of INF may last`, naming its periods where the option has
    other locked tours."""
    limit = pledge["tour_months"]
    if pd.isna(limit):
        return ""
    assert ctx.data.periods is not None
    offset = ctx.data.periods["offset"].to_numpy()
    months = ctx.data.periods["months"].to_numpy()
    rows = _locked_rows(ctx, c, k, s)
    carried = carried_rows(ctx)
    spans = sorted({(int(r.first_t), int(r.last_t)) for r in rows.itertuples(index=False)})
    for r in rows.itertuples(index=False):
        length = int(offset[r.last_t] + months[r.last_t] - offset[r.first_t])
        if length > limit and r.where not in carried:
            tour = when(ctx, list(range(r.first_t, r.last_t + 1))) if len(spans) > 1 else ""
            return tour_too_long(c, k, length, int(limit), tour)
    return ""


def _above_the_line(ctx: BuildContext, c: str, k: str, s: str, line: int) -> str:
    """In time: the option's locked units above what its line requires in some period
    (`LTU-South requires only 1 AD_BTY in 2027-07..2027-12`), the periods where the line
    requires the fewest of those it falls short in."""
    assert ctx.data.baseline is not None
    locked = ctx.data.baseline.presence(locked_only=True)
    mine = locked[
        (locked["contributor"] == c) & (locked["capability"] == k) & (locked["site"] == s)
    ]
    held = mine.groupby("t")["units"].sum()
    required = required_units(ctx.data)[line]
    short = {int(t): int(required[int(t)]) for t, units in held.items() if units > required[int(t)]}
    if not short:
        return ""
    fewest = min(short.values())
    periods = sorted(t for t, n in short.items() if n == fewest)
    return f"{s} requires only {fewest} {k} in {when(ctx, periods)}"


def _most_locked(ctx: BuildContext, c: str, k: str, s: str | None = None) -> int:
    """The largest locked units of the option (c,k,s) in any period; without `s`, of c's k
    over all its sites together (as the Changes sheet's `why` counts a pledge's)."""
    assert ctx.data.baseline is not None
    locked = ctx.data.baseline.presence(locked_only=True)
    mine = locked[(locked["contributor"] == c) & (locked["capability"] == k)]
    if s is not None:
        mine = mine[mine["site"] == s]
    return int(mine.groupby("t")["units"].sum().max()) if len(mine) else 0
