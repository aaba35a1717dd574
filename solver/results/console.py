"""The short console summary printed after a solve."""

from __future__ import annotations

from typing import Any

import click
import pandas as pd

from ..model.stage_names import NOT_RECORDED, StageRecord, stage_records
from ..signals import HungUp
from ..wording import count, gap_headline, percent, stopped_words, unproven_note
from .asks import console_line
from .baseline_cost import cost_sentence
from .tables import Tables, explanation_skipped
from .time_summary import first_gap_row

STAGE_NOTE = {
    "not_solved": "not optimised: the search stopped before this stage",
    "feasible": "not proven optimal",
    "no_solution": "no better plan found in time",
    "heuristic": "HiGHS found no plan in time: the construction heuristic's plan, not optimised",
}
STOPPED_BY = {
    "share": "its share of the {limit}",
    "time limit": "the time limit",
    "work limit": "the work limit",
    "interrupted": "Ctrl-C or SIGTERM",
    "memory": "running out of memory",
}
STATUS_COLOUR = {
    "optimal": "green",
    "feasible": "yellow",
    "infeasible": "red",
    "no_solution": "red",
    "interrupted": "yellow",
}


def summary_lines(tables: Tables, top: int = 5) -> list[str]:
    s = dict(tables.summary)
    status = s["status"]
    lines = [
        click.style(f"status: {status}", fg=STATUS_COLOUR.get(status), bold=True)
        + f"  (scenario {s['scenario']}, {gap_headline(s)}, "
        f"{s.get('solve_seconds', 0)} s)",
    ]
    if s.get("message"):
        lines.append(f"  {s['message']}")
    stages = [(k, v) for k, v in tables.summary if k.startswith("objective.")]
    recorded = {r.name: r for r in stage_records(s)}
    if stages and s.get("objective.cost") is not None:
        what = "weighted unit-months" if tables.periods is not None else "weighted by line weight"
        lines.append(f"objective stages (lexicographic; shortfall is {what}):")
        for key, value in stages:
            name = key.removeprefix("objective.")
            label = name  # as the Summary names the stage: shortfall.p1, cost, presence
            record = recorded.get(name, StageRecord(name, "", None, ""))
            note = STAGE_NOTE.get(record.status, "")
            if record.status == "heuristic" and record.stopped == "memory":  # not "in time"
                note = "the construction heuristic's plan, not optimised"
            if note and record.gap is not None:
                note += f", gap {percent(record.gap)}"
            if record.stopped in STOPPED_BY and note:
                note += f"; stopped by {stopped_words(record.stopped, s, STOPPED_BY)}"
            note = f"  ({note})" if note else ""
            unit = f" ({s['cost.unit']})" if name == "cost" and s.get("cost.unit") else ""
            lines.append(f"  {label:<16} {_num(value)}{unit}{note}")
    cov = tables.coverage
    if status in ("infeasible", "no_solution"):
        return lines + unexplained_lines(s, "no Infeasibility sheet", "the conflict was worked out")
    if tables.periods is not None:
        timed = timed_lines(tables, top)
        return lines + timed[:1] + replan_lines(tables) + timed[1:]
    lines.append(
        f"units: {s['allocated_units']} allocated of {s['required_units']} required "
        f"({s['coverage_pct']}%){unproven_note(s, 'shortfall')}, {s['deployed_personnel']} "
        "personnel, "
        f"{count(s['contributors_engaged'], 'contributor')}"
    )
    lines += replan_lines(tables)
    by_p = [
        f"p{k.removeprefix('shortfall_units.p')}: {v}"
        for k, v in tables.summary
        if k.startswith("shortfall_units.p")
    ]
    if by_p:
        lines.append(
            "shortfall units by priority (not weighted): "
            + ", ".join(by_p)
            + unproven_note(s, "shortfall")
        )
    gaps = _by_weighted(cov[cov["shortfall"] > 0], "shortfall")
    if len(gaps):
        where = (
            "in the Coverage sheet" if explanation_skipped(s) else "with reasons in the Gaps sheet"
        )
        more = f"; all {len(gaps)} {where}" if len(gaps) > top else ""
        lines.append(f"top gaps ({count(len(gaps), 'line')} short{more}):")
        for row in gaps.head(top).itertuples(index=False):
            lines.append(
                f"  p{row.priority} {row.site:<14} {row.capability:<12} "
                f"{row.allocated}/{row.required} (short {row.shortfall}"
                f"{_weight(row.weight, row.shortfall)})"
            )
        lines += unexplained_lines(s)
    return lines


def unexplained_lines(
    summary: dict[str, Any],
    missing: str = "no Gaps sheet",
    during: str = "the gaps' reasons were worked out",
) -> list[str]:
    """`<missing>: <signal> came while <during>` (or `memory ran out while <during>`) where an
    explanation was not given (solve_steps.explained: the gaps' reasons, or an infeasible
    workbook's conflict); nothing where it was given."""
    if not explanation_skipped(summary):
        return []
    why = str(summary["explanation"])
    if "out of memory" in why:  # not a signal (a fault trial: `Ctrl-C came while ...`)
        return [f"{missing}: memory ran out while {during}"]
    signal = HungUp.said if "SIGHUP" in why else "SIGTERM" if "SIGTERM" in why else "Ctrl-C"
    return [f"{missing}: {signal} came while {during}"]


def replan_lines(tables: Tables) -> list[str]:
    """A re-plan's `N units change, M nations asked` (timed: unit-months); none without a
    baseline."""
    if "Asks" not in tables.extra:
        return []
    summary = dict(tables.summary)
    line = (
        console_line(tables.extra["Asks"])
        + f"{locks_held(summary)} (see the Asks and Changes sheets)"
    )
    cost = cost_sentence(summary)
    return [line + fewest_note(summary)] + ([cost] if cost else [])


def locks_held(summary: dict) -> str:
    """`; 5 locked rows of the baseline held` of a re-plan with locks (the console, the
    Dashboard and the briefing say it alike), else ''."""
    locked = int(summary.get("baseline_locked_rows") or 0)
    return f"; {count(locked, 'locked row')} of the baseline held" if locked else ""


def fewest_note(summary: dict) -> str:
    """`; not proven the fewest: ...` where a re-plan's changes stage was not solved to
    optimality (a stopped search keeps whatever the earlier stage's plan moved), else ''.
    The console, the Dashboard, `compare` and the briefing's re-plan headlines all say it."""
    changes = next((s for s in stage_records(summary) if s.name == "changes"), None)
    if changes is None or changes.proven:
        return ""
    if changes.status == NOT_RECORDED:  # a blank cell: nothing says it is the fewest
        return "; not proven the fewest: the changes stage's status is not recorded"
    if changes.status == "not_solved":
        return "; not proven the fewest: the search stopped before the changes stage"
    return f"; not proven the fewest: the changes stage ended {changes.status}, not optimal"


def timed_lines(tables: Tables, top: int = 5) -> list[str]:
    """The figures of a timed plan: unit-months, the lines held in every period and the first
    gap of the most important priority that has one, the lines with most unit-months short."""
    s = dict(tables.summary)
    sus = tables.timed["Sustainability"]
    unproven = unproven_note(s, "shortfall")  # beside the figures a stage not proven decides
    lines = [
        f"unit-months: {s['allocated_unit_months']} allocated of {s['required_unit_months']} "
        f"required ({s['coverage_pct']}%){unproven} over {count(s['horizon_months'], 'month')}, "
        f"peak {s['deployed_personnel']} personnel, "
        f"{count(s['contributors_engaged'], 'contributor')}"
    ]
    by_p = [
        f"p{k.removeprefix('shortfall_unit_months.p')}: {v}"
        for k, v in tables.summary
        if k.startswith("shortfall_unit_months.p")
    ]
    if by_p:
        lines.append(
            "shortfall unit-months by priority (not weighted): " + ", ".join(by_p) + unproven
        )
    held = (
        f"sustained: {s['lines_sustained']} of {count(s['lines'], 'line')} in every period"
        + unproven
    )
    assert tables.periods is not None
    gap = first_gap_row(sus, tables.periods["period"].tolist())
    if gap is not None:
        held += (
            f"; first priority-{gap.priority} gap: {gap.site} {gap.capability} "
            f"from {gap.first_short}{also_then(sus, gap)}"
        )
    lines.append(held)
    weights = tables.coverage.drop_duplicates(["site", "capability"]).set_index(
        ["site", "capability"]
    )["weight"]
    short = sus[sus["periods_short"] > 0]
    short = _by_weighted(
        short.assign(
            weight=weights.reindex(
                pd.MultiIndex.from_frame(short[["site", "capability"]])
            ).to_numpy()
        ),
        "unit_months_short",
    )
    if len(short):
        more = f"; all {len(short)} in the Sustainability sheet" if len(short) > top else ""
        lines.append(f"top gaps ({count(len(short), 'line')} short{more}):")
        for row in short.head(top).itertuples(index=False):
            lines.append(
                f"  p{row.priority} {row.site:<14} {row.capability:<12} "
                f"short {count(row.unit_months_short, 'unit-month')} in {row.periods_short} of "
                f"{count(row.periods_active, 'period')}, from {row.first_short}"
                f"{_weight(row.weight, row.unit_months_short)}"
            )
        lines += unexplained_lines(s, "no Gaps sheet, some reasons blank in Sustainability")
    return lines


def _by_weighted(short: pd.DataFrame, column: str) -> pd.DataFrame:
    """The short lines in the order the objective weighs them: by priority, then `column` times
    the line's weight, largest first (then site, capability). Unweighted, a line of weight 2
    short 1 (2 weighted) ranked below one of weight 0.5 short 3 (1.5), which the objective
    counts as the smaller gap."""
    weight = pd.to_numeric(short["weight"], errors="coerce").fillna(1.0)
    ranked = short.assign(_weighted=short[column] * weight)
    return ranked.sort_values(
        ["priority", "_weighted", "site", "capability"], ascending=[True, False, True, True]
    )


def _weight(weight: Any, short: Any) -> str:
    """`, weight 0.5: 1.5 weighted` beside a line whose weight is not 1, `short` short: the
    figure it ranks by (a scale trial read `108, 75, 60, 108 (weight 0.5), 96` as unsorted)."""
    value = pd.to_numeric(weight, errors="coerce")
    if pd.isna(value) or float(value) == 1.0:
        return ""
    weighted = f"{float(value) * float(short):,.2f}".rstrip("0").rstrip(".")
    return f", weight {float(value):g}: {weighted} weighted"


def also_then(sus: pd.DataFrame, gap: Any) -> str:
    """The other lines of the first gap's priority that go short in the same period: `(and
    POL-East AD_BTY then)`, or `(and 3 more lines then)`; '' when it is alone. Named alone, the
    first of two lines short from the same month read as the only one."""
    same = sus[
        (sus["periods_short"] > 0)
        & (sus["priority"] == gap.priority)
        & (sus["first_short"] == gap.first_short)
        & ~((sus["site"] == gap.site) & (sus["capability"] == gap.capability))
    ]
    if not len(same):
        return ""
    if len(same) == 1:
        return f" (and {same['site'].iloc[0]} {same['capability'].iloc[0]} then)"
    return f" (and {count(len(same), 'more line')} then)"


def _num(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def price_lines(prices: pd.DataFrame, top: int = 10) -> list[str]:
    """The caveat price table, most costly first."""
    if prices.empty:
        return ["caveat prices: nothing to price (no caveat, no hard requirement line)"]
    lines = [f"what each caveat costs (re-solved without it; {count(len(prices), 'rule')}):"]
    for row in prices.head(top).itertuples(index=False):
        lines.append(f"  {row.summary}")
    if len(prices) > top:
        lines.append(f"  ... {len(prices) - top} more in the CaveatPrices sheet")
    return lines
