"""The main reason each line is short over the horizon, for the Sustainability sheet.

Each short period t of line l gets one reason, the line's in that period: the Gaps row of
contributor `-` when there is one (no pledge available yet, nobody pledged); else the reason of
the largest pledge of an available contributor with a unit spare then (most units, then the
Pledges sheet's row order): what holds back a unit that could come (a caveat, a tour that does
not fit) is what a planner can act on (a pledge not yet ready or past its mandate has no unit
spare then), while a caveat on a pledge whose units are all deployed elsewhere is true but
lifting it frees nothing. A spare unit that no rule holds back (`not used although spare`) comes
before any held back: the line is short by the plan's choice then, and lifting a caveat on
another nation's unit would fill nothing (a trial read AUT's `only` as the reason a line was
short while DEU's and FRA's platoons stood spare). When no pledge has a unit
spare, the largest pledge's reason (where its units are, busy elsewhere or in dwell): the line
stands or falls with it; with others, `; the N other pledges have no unit spare either`, so
that one nation is not read as the cause. (No such pledge: the first row's reason, e.g.
`unavailable`.)

The main reason of l is the one whose periods add up to the most unit-months short,

    sum over its periods t of months(t) x shortfall(l, t),

ties going to the reason of the earliest period.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..results.tables import Tables
from ..wording import SPARE
from .gaps import GapExplainer, gaps_table
from .gaps_time import merge_runs, period_rows

Line = tuple[str, str]  # (site, capability)


def gaps_and_reasons(
    ctx: BuildContext, xval: np.ndarray, aval: np.ndarray | None = None
) -> tuple[pd.DataFrame, dict[Line, str]]:
    """The Gaps sheet and, in time, the main reason of each short line (one pass)."""
    if not ctx.timed:
        return gaps_table(ctx, xval), {}
    g = GapExplainer(ctx, np.round(xval), aval)
    rows = period_rows(g)
    return merge_runs(g, rows), reasons_of(g, rows)


def reasons_of(g: GapExplainer, rows: list[dict]) -> dict[Line, str]:
    """The main reason of each line from the Gaps rows of each (line, period)."""
    by_period: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows:
        by_period[(row["line"], row["t"])].append(row)
    months = g.data.period_months.astype(float)
    weight: dict[int, dict[str, float]] = defaultdict(dict)  # line -> reason -> unit-months
    first: dict[tuple[int, str], int] = {}
    for (line, t), period in sorted(by_period.items()):
        text = period_reason(g, period)
        weight[line][text] = weight[line].get(text, 0.0) + months[t] * period[0]["shortfall"]
        first.setdefault((line, text), t)
    rq = g.data.requirements
    return {
        (rq["site"].iloc[line], rq["capability"].iloc[line]): min(
            texts, key=lambda text: (-texts[text], first[(line, text)])
        )
        for line, texts in weight.items()
    }


def period_reason(g: GapExplainer, rows: list[dict]) -> str:
    """The line's one reason in a period, from its Gaps rows then (see the module's docstring)."""
    live = [r for r in rows if r["order"] >= 0 and g.status.get(r["contributor"]) == "available"]
    live = [r for r in live if r["pledged"] > 0]
    if rows[0]["order"] < 0 or not live:
        return str(rows[0]["reason"])
    pl = g.data.pledges
    sheet_row = pl["_row"].to_numpy() if "_row" in pl else np.arange(len(pl))

    def rank(r: dict) -> tuple:
        held = not str(r["reason"]).startswith(SPARE)  # a spare unit no rule holds back first
        return (r["spare"] <= 0, held, -r["pledged"], sheet_row[r["order"]], r["order"])

    chosen = min(live, key=rank)
    others = len(live) - 1
    if chosen["spare"] > 0 or not others:
        return str(chosen["reason"])
    # the largest pledge stands for the line, but not alone: a planner reading one nation's
    # busy unit as the reason would ask that nation (a trial: `FRA's 1 unit: 1 at Odesa (p2)`
    # where ten pledges had none spare)
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
        return (
            f"{SPARE}, but the search stopped before priority {first} was proven optimal: "
            "a longer run may use it (raise the time or work limit)"
        )

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
