"""Planner-level rules of a timed workbook in words, naming their periods.

A conflict's per-period rules of one line, pledge or site come together as one rule over the
periods it holds in (runs of consecutive periods: `P1..P3, P6`):

    `LVA-East/INF_BN is hard in 2027-01..2027-03 (needs 1 INF_BN in full; hard because of the
     workbook (hard = yes)) but no INF_BN pledge is available before 2027-04`

A pledge's window (`from`..`to`) and its tour length decide which options exist at all, so the
text of a hard line says which pledges can be present in its periods, and from or until when.

A caveat's rows per period are rules per period too; a caveat is named with its periods when
the conflict needs only some of its window, and a commitment with why it cannot be met then:

    `caveat C9 (POL min_units capability=LOG_COY 1) in 2027-01: no POL unit can count towards
     it then, as no LOG_COY line requires a unit (Lviv/LOG_COY from 2027-02); set the
     caveat's from to 2027-02`
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import Data, is_blank, required_units
from ..io.commitments import commitment_gaps, commitments, no_option_reason, window_fix
from ..io.period_names import as_end
from ..io.periods import spans
from ..model.context import BuildContext
from ..wording import count

if TYPE_CHECKING:
    from .rules import Rule

Periods = list[int]  # 0-based period positions, ascending


def when(ctx: BuildContext, periods: Periods) -> str:
    """`P1..P3, P6`: the periods as runs of consecutive ones."""
    return spans(ctx.data.period_names, periods)


def window_text(data: Data, row: pd.Series) -> str:
    """`, P2..P3` for a caveat whose from..to is not the whole horizon (else '', as in a
    snapshot)."""
    if data.periods is None:
        return ""
    first, last = int(row["from_t"]), int(row["to_t"])
    if first == 0 and last == len(data.periods) - 1:
        return ""
    return ", " + spans(data.periods["period"].tolist(), list(range(first, last + 1)))


def caveat_periods(ctx: BuildContext, rule: Rule, periods: Periods | None) -> Periods:
    """The periods to name of a caveat's per-period rules (`periods`, default its own): none
    when they are its whole window (its text gives the window), nor for its rule over the
    whole horizon."""
    if rule.t < 0:
        return []
    row = _caveat_row(ctx.data, rule.key[0])
    shown = sorted(set(periods or [rule.t]))
    return [] if shown == list(range(int(row["from_t"]), int(row["to_t"]) + 1)) else shown


def caveat_in_time(ctx: BuildContext, rule: Rule, periods: Periods | None, short: bool) -> str:
    """What follows a caveat's text for its per-period rules: ` in P1` (`caveat_periods`),
    and for a commitment without any option it matches in those periods (unless `short`), why
    and the window that would fix it (the words of `validate`'s warning)."""
    if rule.t < 0:
        return ""
    shown = caveat_periods(ctx, rule, periods)
    text = f" in {when(ctx, shown)}" if shown else ""
    if short:
        return text
    return text + _no_option(ctx, _caveat_row(ctx.data, rule.key[0]), periods or [rule.t], shown)


def _no_option(ctx: BuildContext, row: pd.Series, periods: Periods, shown: Periods) -> str:
    """`: no A unit can count towards it then, as ...; set the caveat's from to P2` for a
    commitment none of whose options exists in `periods`; else ''."""
    if row["caveat"] not in commitments():
        return ""
    gaps = commitment_gaps(ctx.index_of("cand"), row)
    if not set(periods) <= set(gaps):
        return ""
    names = ctx.data.period_names
    then = " then" if shown else ""
    fix = window_fix(names, int(row["from_t"]), int(row["to_t"]), gaps)
    return (
        f": no {row['contributor']} unit can count towards it{then}, as "
        f"{no_option_reason(ctx.data, row, periods)}; {fix}"
    )


def _caveat_row(data: Data, cid: str) -> pd.Series:
    cav = data.caveats
    return cav[cav["id"] == cid].iloc[0]


def needs(ctx: BuildContext, site: str, cap: str, periods: Periods) -> str:
    """`1 INF` (or `1 to 2 INF` when the Profile changes it within the periods)."""
    rq = ctx.data.requirements
    line = int(np.flatnonzero(((rq["site"] == site) & (rq["capability"] == cap)).to_numpy())[0])
    units = required_units(ctx.data)[line, periods]
    low, high = int(units.min()), int(units.max())
    return f"{low} {cap}" if low == high else f"{low} to {high} {cap}"


def describe_line(
    ctx: BuildContext,
    cls: str,
    site: str,
    cap: str,
    periods: Periods,
    why: str,
    short: bool,
    acting: AbstractSet[str] | None = None,
) -> str:
    """A hard line or a line's upper limit, over its periods."""
    span = when(ctx, periods)
    if cls == "requirement_limit":
        return (
            f"{site} needs only {needs(ctx, site, cap, periods)} in {span} "
            "(no more can be allocated there)"
        )
    if short:
        return f"{site} needs {needs(ctx, site, cap, periods)} in full in {span}"
    joint, who = suppliers_then(ctx, site, cap, periods, acting)
    return (
        f"{site}/{cap} is hard in {span} (needs {needs(ctx, site, cap, periods)} in full; "
        f"hard because of {why}){joint}{who}"
    )


def suppliers_then(
    ctx: BuildContext,
    site: str,
    cap: str,
    periods: Periods,
    acting: AbstractSet[str] | None = None,
) -> tuple[str, str]:
    """(joint, text): who pledges `cap` and can be present in these periods. When no pledge of
    an available contributor can be present in any of them: (" but ", `no INF pledge is
    available before P4`, or `after P2`, or `in P1..P3`); else ("; ", `INF is pledged by A 1
    (from P4), B 2 (kept out by C5)`)."""
    from .rules import exclusions

    data = ctx.data
    pl = data.pledges[(data.pledges["capability"] == cap) & (data.pledges["units"] > 0)]
    if not len(pl):
        return "; ", f"nobody pledges {cap}"
    available = data.available
    first, last = periods[0], periods[-1]
    live = pl[pl["contributor"].isin(available)]
    overlaps = (live["from_t"] <= last) & (live["to_t"] >= first)
    name = ctx.period_name
    if len(live) and not overlaps.any():
        if (live["from_t"] > last).all():
            return " but ", f"no {cap} pledge is available before {name(int(live['from_t'].min()))}"
        if (live["to_t"] < first).all():
            return " but ", f"no {cap} pledge is available after {name(int(live['to_t'].max()))}"
        return " but ", f"no {cap} pledge is available in {when(ctx, periods)}"
    excluded = exclusions(ctx, cap, [site], periods, acting)
    parts = []
    for _, p in pl.iterrows():
        c = p["contributor"]
        note = excluded.get(c) or pledge_window_note(ctx, p, periods)
        parts.append(f"{c} {p['units']}" + (f" ({note})" if note else ""))
    return "; ", f"{cap} is pledged by " + ", ".join(parts)


def pledge_window_note(ctx: BuildContext, pledge: pd.Series, periods: Periods) -> str:
    """What keeps the pledge's units out of some of the periods: its window (`from P4`, `to
    P2` or `P2..P3`) and, in the periods of its window, a tour too short for the period (`tours
    of at most 2 months cannot cover Q1 (3 months)`); '' when neither."""
    first, last = int(pledge["from_t"]), int(pledge["to_t"])
    starts_late, ends_early = first > periods[0], last < periods[-1]
    notes = []
    if starts_late and ends_early:
        notes.append(when(ctx, list(range(first, last + 1))))
    elif starts_late:
        notes.append(f"from {ctx.period_name(first)}")
    elif ends_early:
        notes.append(f"to {ctx.period_name(last)}")
    if tours := tours_too_short(ctx, pledge, [t for t in periods if first <= t <= last]):
        notes.append(tours)
    return "; ".join(notes)


def closed_window(ctx: BuildContext, pledge: pd.Series, periods: Periods) -> str:
    """Why the pledge has no unit in any of `periods` by its window alone, in the Gaps sheet's
    words: `available only to 2027-06 (its mandate ends)`, `available only from 2027-09 (notice
    to move)`; '' when its window meets one of them."""
    first, last = int(pledge["from_t"]), int(pledge["to_t"])
    if any(first <= t <= last for t in periods):
        return ""
    if last < periods[0]:
        ended = as_end(ctx.period_name(last), int(ctx.data.period_months[last]))
        return f"available only to {ended} (its mandate ends)"
    if first > periods[-1]:
        return f"available only from {ctx.period_name(first)} (notice to move)"
    return f"available only in {when(ctx, list(range(first, last + 1)))}"


def tours_too_short(ctx: BuildContext, pledge: pd.Series, periods: Periods) -> str:
    """`tours of at most 2 months cannot cover Q1 (3 months)` for the periods longer than the
    pledge's tour_months (a tour covers whole periods: none of its units can be there); ''
    when none is, or the pledge has no tour limit."""
    tour = pledge["tour_months"]
    if pd.isna(tour):
        return ""
    assert ctx.data.periods is not None
    months = ctx.data.periods["months"].to_numpy()
    longer = [t for t in periods if months[t] > tour]
    if not longer:
        return ""
    lengths = sorted({int(months[t]) for t in longer})
    said = (
        count(lengths[0], "month")
        if len(lengths) == 1
        else "months: " + ", ".join(f"{ctx.period_name(t)} {int(months[t])}" for t in longer)
    )
    return f"tours of at most {count(tour, 'month')} cannot cover {when(ctx, longer)} ({said})"


def describe_pledge(ctx: BuildContext, c: str, cap: str, periods: Periods) -> str:
    """`A pledges 1 INF in P3 (units present, or at home for 1 month of dwell after a tour)`."""
    units, counted = _pledge(ctx, c, cap)
    return f"{c} pledges {units} {cap} in {when(ctx, periods)}{counted}"


def usable_pledge(ctx: BuildContext, c: str, cap: str, periods: Periods) -> str:
    """`A 1 in P3 (units present, or ...)`: a pledge in a list of one capability's."""
    units, counted = _pledge(ctx, c, cap)
    return f"{c} {units} in {when(ctx, periods)}{counted}"


def _pledge(ctx: BuildContext, c: str, cap: str) -> tuple[int, str]:
    """The pledged units, and what counts against them when the pledge has a dwell."""
    pl = ctx.data.pledges
    p = pl[(pl["contributor"] == c) & (pl["capability"] == cap)].iloc[0]
    dwell = int(p["dwell_months"])
    counted = (
        f" (units present, or at home for {dwell} month{'' if dwell == 1 else 's'} of dwell "
        "after a tour)"
        if dwell
        else ""
    )
    return int(p["units"]), counted


def describe_tour(ctx: BuildContext, c: str, cap: str) -> str:
    """`A's tours of INF last at most 2 months (tour_months)`."""
    pl = ctx.data.pledges
    p = pl[(pl["contributor"] == c) & (pl["capability"] == cap)].iloc[0]
    limit = p["tour_months"]
    months = "no limit" if is_blank(limit) else f"at most {int(limit)} months"
    return f"{c}'s tours of {cap} last {months} (tour_months)"


def describe_site_rule(ctx: BuildContext, cls: str, key: tuple, periods: Periods) -> str:
    """A single-source line or a site's contributor limit, over its periods."""
    span = when(ctx, periods)
    if cls == "single_source":
        site, cap = key
        return f"{site}/{cap} must come from a single contributor in {span} (single_source)"
    site = key[0]
    limit = ctx.data.sites.set_index("site").at[site, "max_contributors"]
    return (
        f"at most {int(limit)} contributors may be present at {site} in {span} (max_contributors)"
    )
