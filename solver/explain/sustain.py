"""The main reason each line is short over the horizon, for the Sustainability sheet.

Each short period t of line l gets one reason, the line's in that period: the Gaps row of
contributor `-` when there is one (no pledge available yet, nobody pledged); else the reason of
one pledge of an available contributor, the first of these tiers (then the most units, then
the Pledges sheet's row order):

    0  a unit spare then that a single rule holds back (a caveat, a site's rule, a tour that
       does not fit), where that pledge's units are not all taken in a later period its
       dwell would reach (`held_for_later`): lifting the rule frees a unit for the line
    1  a unit spare then that no single rule holds back (`not used although spare`): in a plan
       whose stages up to l's priority are proven, using it costs what filling the line would
    2  a pledge that can have no unit there then: its window (readiness, mandate) or its
       tour length (`pledge_closed_then`), which a planner can ask to move
    3  a pledge whose units are all deployed elsewhere or in dwell then (where they are)

Where the search stopped before l's priority was proven, tier 1 comes first: a longer run may
use that spare unit, and a rule on another nation's unit is then not what keeps the line short
(a trial read AUT's `only` as the reason a line was short while DEU's and FRA's platoons
stood spare). Where proven, a differential trial lifted the rule of tier 0 and the line filled
(DEU's `requires` C8: priority 1 short 75 unit-months -> 36) where tier 1 had been said first.
A tier 2 or 3 reason says `; the N other pledges have no unit spare either` when there are
others, so that one nation is not read as the cause.

The main reason of l is the one whose periods add up to the most unit-months short,

    sum over its periods t of months(t) x shortfall(l, t),

ties going to the reason of the earliest period. Where a pledge's units are (tier 3: `A's 3
units: ...`) is one reason whatever its words in each period (its places and dwell dates
change), said in the words of its heaviest period. The main reason is said with the periods
it holds in where those are not all of l's short periods (`; in 9 of the 24 periods short,
from 2027-07`).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..results.tables import Tables
from ..wording import SPARE
from .gaps import GapExplainer, gaps_table
from .gaps_time import held_for_later, merge_runs, period_rows, pledge_closed_then

Line = tuple[str, str]  # (site, capability)


def gaps_and_reasons(
    ctx: BuildContext,
    xval: np.ndarray,
    aval: np.ndarray | None = None,
    proven: dict[int, bool] | None = None,
) -> tuple[pd.DataFrame, dict[Line, str]]:
    """The Gaps sheet and, in time, the main reason of each short line (one pass); `proven`:
    priority -> its shortfall stage is settled (None: every one)."""
    if not ctx.timed:
        return gaps_table(ctx, xval), {}
    g = GapExplainer(ctx, np.round(xval), aval)
    rows = period_rows(g)
    return merge_runs(g, rows), reasons_of(g, rows, proven or {})


def reasons_of(g: GapExplainer, rows: list[dict], proven: dict[int, bool]) -> dict[Line, str]:
    """The main reason of each line from the Gaps rows of each (line, period)."""
    by_period: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows:
        by_period[(row["line"], row["t"])].append(row)
    months = g.data.period_months.astype(float)
    weight: dict[int, dict[str, float]] = defaultdict(dict)  # line -> reason -> unit-months
    periods: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (line, t), period in sorted(by_period.items()):
        settled = all(done for p, done in proven.items() if p <= period[0]["priority"])
        text = period_reason(g, period, settled)
        weight[line][text] = weight[line].get(text, 0.0) + months[t] * period[0]["shortfall"]
        periods[(line, text)].append(t)
    rq = g.data.requirements
    out = {}
    for line, texts in weight.items():
        first = {text: periods[(line, text)][0] for text in texts}
        main_kind = _heaviest_kind(texts, first)
        main = min(main_kind, key=lambda text: (-texts[text], first[text]))
        own = sorted(t for text in main_kind for t in periods[(line, text)])
        short = sum(len(periods[(line, text)]) for text in texts)
        key = (rq["site"].iloc[line], rq["capability"].iloc[line])
        out[key] = main + _share_of_periods(g, own, short)
    return out


def _heaviest_kind(weight: dict[str, float], first: dict[str, int]) -> list[str]:
    """The reasons of the kind (`_kind`) that weighs the most unit-months short, ties going to
    the kind of the earliest period."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for text in weight:
        kinds[_kind(text)].append(text)
    return min(
        kinds.values(),
        key=lambda some: (-sum(weight[t] for t in some), min(first[t] for t in some)),
    )


_BUSY = re.compile(r"^[^:;]+'s \d+ units?: ")  # `A's 3 units: 1 at S2 (p1), ...` (units_then)


def _kind(reason: str) -> str:
    """What a reason says, the same from period to period: where a pledge's units are
    (`A's 3 units: ...`, whose places and dwell dates change every period) is one kind; any
    other reason is its own. A review found the main reason a spare unit's of 2 periods, where
    A's units were all busy in the other 4, said each period in other words."""
    busy = _BUSY.match(reason)
    return busy.group(0) if busy else reason


_SHARE_TAIL = re.compile(r"; in \d+ of the \d+ periods short, from [^;]+$")


def _share_of_periods(g: GapExplainer, own: list[int], short: int) -> str:
    """`; in 9 of the 24 periods short, from 2027-07` where the main reason holds in only some
    of its line's short periods, '' where in all: an analyst trial took a cap reached in 9 of
    24 periods for why the line was short in every one."""
    if len(own) == short:
        return ""
    return f"; in {len(own)} of the {short} periods short, from {g.names[own[0]]}"


def period_reason(g: GapExplainer, rows: list[dict], proven: bool = True) -> str:
    """The line's one reason in a period, from its Gaps rows then (the module's docstring's
    tiers; `proven`: the stages up to the line's priority are settled)."""
    live = [r for r in rows if r["order"] >= 0 and g.status.get(r["contributor"]) == "available"]
    live = [r for r in live if r["pledged"] > 0]
    if rows[0]["order"] < 0 or not live:
        return str(rows[0]["reason"])
    pl = g.data.pledges
    sheet_row = pl["_row"].to_numpy() if "_row" in pl else np.arange(len(pl))

    def tier(r: dict) -> float:
        p, t = r["order"], r["t"]
        if r["spare"] <= 0:
            closed = pledge_closed_then(g.pledge_rows[p], g.names, g.months, t, g.data.scenario)
            return 2 if closed is not None else 3
        if str(r["reason"]).startswith(SPARE):
            return 1 if proven else 0
        if not proven:
            return 1.5
        return 1.5 if held_for_later(g, p, t) else 0  # its unit is taken later: after tier 1

    chosen = min(live, key=lambda r: (tier(r), -r["pledged"], sheet_row[r["order"]], r["order"]))
    others = len(live) - 1
    if chosen["spare"] > 0 or not others:
        return str(chosen["reason"])
    # one pledge stands for the line, but not alone: a planner reading one nation's busy unit
    # as the reason would ask that nation (a trial: `FRA's 1 unit: 1 at Odesa (p2)` where ten
    # pledges had none spare)
    either = "the other pledge has" if others == 1 else f"the {others} other pledges have"
    return f"{chosen['reason']}; {either} no unit spare either"


def fill_reasons(tables: Tables, reasons: dict[Line, str]) -> None:
    """Put the reasons in the `reason` column of the Sustainability sheet, by (site,
    capability), wherever the tables hold it; lines without a reason keep theirs."""
    for holder in (tables.timed, tables.extra):
        sheet = holder.get("Sustainability")
        if sheet is None or "reason" not in sheet or not reasons:
            continue
        keys = list(zip(sheet["site"], sheet["capability"], strict=True))
        given = [reasons.get(key) for key in keys]
        sheet = sheet.copy()
        sheet["reason"] = [
            new if new is not None else old for new, old in zip(given, sheet["reason"], strict=True)
        ]
        holder["Sustainability"] = sheet


def mark_unexplained(tables: Tables, why: str) -> None:
    """`not worked out: <why>` in the Sustainability sheet's blank `reason` of each line short
    in some period, where a stop or memory skipped the gaps' explanation: a blank read as no
    reason (a trial's briefing showed `-` for every priority-1 gap, and nothing said why)."""
    for holder in (tables.timed, tables.extra):
        sheet = holder.get("Sustainability")
        if sheet is None or not {"reason", "periods_short"} <= set(sheet.columns):
            continue
        short = pd.to_numeric(sheet["periods_short"], errors="coerce").fillna(0) > 0
        blank = sheet["reason"].isna() | (sheet["reason"].astype(str).str.strip() == "")
        sheet = sheet.copy()
        sheet["reason"] = sheet["reason"].astype(object)
        sheet.loc[short & blank, "reason"] = f"not worked out: {why}"
        holder["Sustainability"] = sheet


def qualify_unproven(
    gaps: pd.DataFrame, reasons: dict[Line, str], proven: dict[int, bool]
) -> tuple[pd.DataFrame, dict[Line, str]]:
    """The Gaps rows and main reasons with `not used although spare: no single rule blocks it`
    said for what it is where the search stopped before the line's priority was proven: that
    reason holds (filling the line would cost a higher priority, another period or a
    combination of rules) only when every shortfall stage up to the line's is optimal; else a
    longer run may use the spare unit. `proven`: priority -> its stage is settled."""

    def open_priority(priority: int) -> int | None:
        """The most important priority up to `priority` whose stage is not settled."""
        return min((p for p, done in proven.items() if p <= priority and not done), default=None)

    def said(reason: object, priority: int) -> object:
        first = open_priority(priority)
        if not isinstance(reason, str) or not reason.startswith(SPARE) or first is None:
            return reason
        share = _SHARE_TAIL.search(reason)  # kept: where the reason holds (a review)
        return (
            f"{SPARE}, but the search stopped before priority {first} was proven optimal: "
            "a longer run may use it (raise the time or work limit)"
        ) + (share.group(0) if share else "")

    if all(proven.values()) or not len(gaps):
        return gaps, reasons
    gaps = gaps.assign(
        reason=[said(r, int(p)) for r, p in zip(gaps["reason"], gaps["priority"], strict=True)]
    )
    priority_of = {
        (str(s), str(k)): int(p)
        for s, k, p in zip(gaps["site"], gaps["capability"], gaps["priority"], strict=True)
    }
    return gaps, {
        line: str(said(text, priority_of.get(line, max(proven, default=0))))
        for line, text in reasons.items()
    }
