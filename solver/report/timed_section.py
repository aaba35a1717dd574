"""The briefing's sections of a timed output: the headline in time, its cards, a Gantt chart per
site, coverage over time, the first period each priority-1 line goes short, and who carries the
force over time (timed.py reads the sheets, figures_time.py draws)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import nation_colours
from ..model.stage_names import shortfall_stage
from ..outputs.load import Output
from ..results.time_summary import line_counts
from ..wording import count, shortened, unproven_note
from . import figures_time
from .render import svg
from .timed import Timed, headline_text, period_order, timed_view
from .view import (
    BLANK,
    Cell,
    Row,
    Table,
    by_months,
    is_number,
    left_out_note,
    line_weights,
    reason_head,
    short_first,
    site_severity,
    text,
)

FIRST_SHORT = [
    "site",
    "capability",
    "first_short",
    "sustained_until",
    "periods_short",
    "unit_months_short",
    "reason",
    "first_short_because",
]
COLLAPSED = (
    "In time, the map and the heat map add up every period: a line's allocated/required counts "
    "unit-periods (a line at 2/3, for example, had 2 of the 3 units it required over its "
    "periods), and a circle's personnel is summed over the periods (the input's Periods sheet "
    "was not found, so a period's months are not known)."
)
COLLAPSED_MONTHS = (
    "In time, the map and the heat map add up every period by its months: a line's "
    "allocated/required counts unit-months, as the Matrix sheet does (a line at 18/24, for "
    "example, had 18 of the 24 unit-months it required), and a circle's personnel is in "
    "personnel-months."
)


@dataclass(frozen=True)
class TimeSection:
    """What the page shows of a timed output beyond a snapshot's sections."""

    headline: str
    gantts: list[tuple[str, Markup]]
    coverage: Markup
    burden: Markup | None
    first_short: Table | None
    first_short_note: str
    collapsed_note: str = COLLAPSED
    gantts_note: str = ""  # the sites whose charts are left out (`gantt_sites`)
    colours_note: str = ""  # nations sharing a colour (`shared_colours`)


# site charts drawn, those with a line short first: a scale trial's page drew 100, in the
# sites' order, fully held ones among them
GANTTS_SHOWN = 30


def shared_colours(nations: list[str]) -> str:
    """Where the nations outnumber the palette's colours, which share one: `70 nations, 54
    colours: N001 and N055 share one, N002 and N056, ... (read the bars' labels; ...)`; '' else (a
    scale trial found 15 pairs sharing a colour, and the page said one colour per nation)."""
    palette = len(nation_colours.PALETTE)
    if len(nations) <= palette:
        return ""
    ordered = sorted(nations)
    pairs = [" and ".join(ordered[i::palette]) for i in range(min(palette, len(ordered) - palette))]
    return (
        f"{len(ordered)} nations, {palette} colours: {shortened(pairs, 6)} share one each "
        "(read the bars' labels; a tour too short for its label: the Tours sheet)."
    )


def gantt_sites(timed: Timed, coverage: pd.DataFrame) -> tuple[list[str], str]:
    """The sites whose Gantt charts the page draws: those with a line short in some period
    first, the worst first (`short_first`, by `coverage` over the periods), then the others in
    the sites' order, the first GANTTS_SHOWN of them (all up to one more); and what the page
    says of the rest ('' where none is left out)."""
    severity = site_severity(coverage)
    shown, left = short_first(timed.sites, severity, GANTTS_SHOWN)
    where = "the Tours and Timeline sheets show every site's tours"
    return shown, left_out_note(left, set(severity), where, " in some period")


def time_section(
    out: Output, periods: pd.DataFrame | None, coverage: pd.DataFrame
) -> tuple[TimeSection, Timed]:
    """The time sections of `out` (`periods`: the input's Periods sheet, when found;
    `coverage`: its lines' shortfall over the periods, which orders the Gantt charts)."""
    timed = timed_view(out, periods)
    colour = nation_colours.colours(timed.nations)
    shown, gantts_note = gantt_sites(timed, coverage)
    gantts = [
        (
            site,
            svg(
                figures_time.gantt(
                    site,
                    [b for b in timed.bars if b.site == site],
                    timed.short[site],
                    timed.periods,
                    colour,
                )
            ),
        )
        for site in shown
    ]
    table, note = first_short_table(out, timed)
    return (
        TimeSection(
            headline=headline_text(out, timed),
            gantts=gantts,
            gantts_note=gantts_note,
            colours_note=shared_colours(timed.nations),
            coverage=svg(figures_time.coverage_over_time(timed.coverage, timed.periods)),
            burden=svg(figures_time.personnel_over_time(timed.burden, timed.periods, colour))
            if timed.burden
            else None,
            first_short=table,
            first_short_note=note,
            collapsed_note=COLLAPSED if periods is None else COLLAPSED_MONTHS,
        ),
        timed,
    )


def first_short_table(out: Output, timed: Timed, priority: int = 1) -> tuple[Table | None, str]:
    """The lines of `priority` that go short, earliest first_short first (then site,
    capability), from the Sustainability sheet; and the sentence said of the others."""
    sus = out.sheets["Sustainability"]
    p1 = sus[sus["priority"] == priority]
    pos = {p: i for i, p in enumerate(timed.periods)}
    short = p1[p1["first_short"].map(text) != BLANK]
    short = short.assign(_t=[pos.get(str(p), len(pos)) for p in short["first_short"]])
    short = short.sort_values(["_t", "site", "capability"], kind="mergesort")
    lines, kept = line_counts(p1)  # the lines active in some period (a line of 0 is none)
    said = f"{kept} of {count(lines, f'priority-{priority} line')}"
    verbs = ("is", "it is") if lines == 1 else ("are", "they are")
    note = f"{said} {verbs[0]} sustained in every period {verbs[1]} active."
    if not len(short):
        return None, note
    columns = [c for c in FIRST_SHORT if c != "first_short_because" or c in short.columns]
    rows = [
        Row(
            [
                Cell(text(r[c]), num=c in ("periods_short", "unit_months_short"))
                if c in short.columns
                else Cell(BLANK)
                for c in columns
            ],
            short=True,
        )
        for _, r in short.iterrows()
    ]
    return Table(columns, rows), note


def _first_gap_card(out: Output, timed: Timed) -> tuple[str, str, int | None]:
    """The first gap of the most important priority that has one (the Summary's `first_gap`,
    the console's), and that priority (None without a gap): the card said "first priority-1
    gap: none" beside a priority-2 gap."""
    sus = out.sheets["Sustainability"]
    for p in sorted(int(p) for p in sus["priority"].dropna().unique()):
        table, _ = first_short_table(out, timed, p)
        if table is not None:
            site, cap, when = (c.text for c in table.rows[0].cells[:3])
            return when, f"first priority-{p} gap: {site}/{cap}{_then_too(table, when)}", p
    return "none", "first gap", None


def _then_too(table: Table, when: str) -> str:
    """` (and POL-East/AD_BTY then)`, ` (and 3 more lines then)`: the other priority-1 lines
    that go short first in the same period, as the console says them; '' when none does (the
    card named one of two lines short from 2027-04 where the console named both: a trial)."""
    same = [r.cells for r in table.rows[1:] if r.cells[2].text == when]
    if not same:
        return ""
    if len(same) == 1:
        return f" (and {same[0][0].text}/{same[0][1].text} then)"
    return f" (and {count(len(same), 'more line')} then)"


def timed_cards(out: Output, timed: Timed) -> list[tuple[str, str]]:
    """(value, label) per headline card of a timed output: coverage in unit-months (the
    Summary's coverage_pct, when it is the timed one), unit-months short per priority
    (Sustainability), lines sustained in every period, the first priority-1 gap, personnel at
    the busiest period (Burden), contributors with units allocated, hard lines short in some period."""
    sus, cov = out.sheets["Sustainability"], out.coverage
    open_ = partial(unproven_note, out.summary)  # a figure a stage not proven decides
    items = []
    pct: Any = out.summary.get("coverage_pct")
    if is_number(pct) and "required_unit_months" in out.summary:  # the solve's, in unit-months
        label = "coverage in unit-months, all priorities" + open_("shortfall")
        items.append((f"{pct / 100:.1%}", label))
    items += [
        (
            f"{text(v)}",
            f"{'unit-month' if v == 1 else 'unit-months'} short, priority {int(p)} (not weighted)"
            + open_(shortfall_stage(int(p))),
        )
        for p, v in sus.groupby("priority", sort=True)["unit_months_short"].sum().items()
    ]
    lines, sustained = line_counts(sus)
    label = f"{'line' if lines == 1 else 'lines'} sustained in every period" + open_("shortfall")
    items.append((f"{sustained} of {lines}", label))
    value, label, priority = _first_gap_card(out, timed)
    items.append((value, label + (open_(shortfall_stage(priority)) if priority else "")))
    peak = max(
        (sum(v[t] for v in timed.burden.values()) for t in range(len(timed.periods))), default=0
    )
    items.append((f"{peak:,}", "personnel deployed at the busiest period"))
    # the Allocation's, whose plan the other figures are: an edited Tours sheet that does not
    # fit its input is drawn as edited, but counted an unknown nation (`31 of 30 contributors
    # engaged` beside the solved plan's figures: an edit trial)
    alloc = out.allocation
    engaged = alloc.loc[pd.to_numeric(alloc["units"], errors="coerce") > 0, "contributor"].nunique()
    available = int((out.contributors["status"].astype(str) == "available").sum())
    items.append((f"{engaged} of {available}", "contributors engaged"))
    hard = cov[(cov["hard"].astype(str) == "yes") & (cov["shortfall"] > 0)]
    short = len(hard.groupby(["site", "capability"]))
    # no mark: a solved plan meets its hard lines whatever its proof (an edited one may not)
    items.append((f"{short:,}", f"hard {'line' if short == 1 else 'lines'} short in some period"))
    return items


def collapsed(out: Output, months: dict[str, float] | None = None) -> Output:
    """`out` with Coverage and Allocation added up over the periods (one row per line, per
    (contributor, capability, site)): what the map and the heat map draw. With `months` (the
    input's, `view.period_months`) each period counts its months: unit-months and
    personnel-months, as the Matrix sheet and the Summary count; without, one each
    (unit-periods)."""
    amounts = ["required", "allocated", "shortfall"]
    cov = by_months(out.coverage, amounts, months)
    keys = ["site", "capability"]
    sums = cov.groupby(keys, sort=False)[amounts].sum()
    firsts = (
        cov.groupby(keys, sort=False)
        .first()
        .drop(columns=["period", "required", "allocated", "shortfall"])
    )
    coverage = sums.join(firsts).reset_index()
    coverage["hard"] = (
        cov.groupby(keys, sort=False)["hard"]
        .agg(lambda h: "yes" if (h.astype(str) == "yes").any() else "no")
        .to_numpy()
    )
    alloc = (
        by_months(out.allocation, ["units", "personnel"], months)
        .groupby(["contributor", "capability", "site"], sort=True)[["units", "personnel"]]
        .sum()
        .reset_index()
    )
    return Output(out.path, out.summary, {**out.sheets, "Coverage": coverage, "Allocation": alloc})


GAP_COLUMNS = [
    "site",
    "capability",
    "priority",
    "periods_short",
    "unit_months_short",
    "first_short",
]


def timed_gaps_table(
    out: Output, reasons_of: Callable[[pd.DataFrame], tuple[tuple[str, str], ...]]
) -> Table | None:
    """One row per line short in some period (Sustainability: periods and unit-months short,
    first_short), by priority, then the most weighted unit-months short first (unit-months
    times the line's weight, as the objective and the console rank them; then the sheet's order:
    a scale trial found the most short lines past the page's first 100 rows, in site order),
    with the Gaps sheet's reasons grouped by `reasons_of` (html.grouped_reasons); without a
    Gaps row for the line, Sustainability's reason. None when no line is short."""
    sus = out.sheets["Sustainability"]
    short = sus[sus["periods_short"].fillna(0) > 0]
    if not len(short):
        return None
    keys = pd.MultiIndex.from_arrays([short[k].astype(str) for k in ("site", "capability")])
    weight = line_weights(out.coverage).reindex(keys).fillna(1.0).to_numpy()
    months = pd.to_numeric(short["unit_months_short"], errors="coerce").fillna(0).to_numpy()
    short = short.assign(
        _priority=pd.to_numeric(short.get("priority"), errors="coerce"),
        _size=-(months * weight),
    ).sort_values(["_priority", "_size"], kind="mergesort", na_position="last")
    gaps = out.table("Gaps")
    by_line = (
        {(str(s), str(k)): g for (s, k), g in gaps.groupby(["site", "capability"], sort=False)}
        if gaps is not None and len(gaps) and {"contributor", "reason"} <= set(gaps.columns)
        else {}
    )
    order = period_order(out)
    rows = []
    for _, r in short.iterrows():
        grp = by_line.get((str(r["site"]), str(r["capability"])))
        said = reasons_of(_when(grp, order)) if grp is not None else ((text(r.get("reason")), ""),)
        cells = [
            Cell(text(r[c]), num=c in ("periods_short", "unit_months_short")) for c in GAP_COLUMNS
        ]
        rows.append(Row([*cells, Cell("", reasons=said)]))
    return Table(
        [*GAP_COLUMNS, "why not filled (contributors that pledged it)"],
        rows,
        "the Sustainability and Gaps sheets",
    )


def _when(gaps: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """One line's Gaps rows with each contributor that gives more than one reason on the line
    named with the periods of each (`FRA (2027-04..2027-06)` beside `FRA (2027-07..2028-12)`):
    a nation spare early and in dwell later is two reasons in time, not a contradiction. A
    contributor with one reason is named alone (its reason holds in every period the line is
    short, or the Gaps sheet splits the range only where the line's own figures change). The
    ranges of one reason that follow each other in `order` (the periods in time) are one."""
    if "period" not in gaps.columns or not len(gaps):
        return gaps
    heads = [reason_head(r) for r in gaps["reason"]]
    reasons: dict[str, set[str]] = {}
    for c, head in zip(gaps["contributor"], heads, strict=True):
        reasons.setdefault(str(c), set()).add(head)
    several = {c for c, said in reasons.items() if len(said) > 1}
    if not several:
        return gaps
    spans: dict[tuple[str, str], dict[str, None]] = {}
    for c, head, p in zip(gaps["contributor"], heads, gaps["period"], strict=True):
        spans.setdefault((str(c), head), {})[str(p)] = None
    named = [
        f"{c} ({', '.join(_joined_spans(list(spans[(str(c), head)]), order))})"
        if str(c) in several
        else c
        for c, head in zip(gaps["contributor"], heads, strict=True)
    ]
    return gaps.assign(contributor=named)


def _joined_spans(spans: list[str], order: list[str]) -> list[str]:
    """Period ranges (`P1..P3`, `P4`) with those that follow each other in `order` made one
    (`P1..P4`); where a range names a period `order` lacks, the ranges stay as they are."""
    at = {p: i for i, p in enumerate(order)}
    ends = [tuple(span.split("..", 1)) if ".." in span else (span, span) for span in spans]
    if not all(a in at and b in at for a, b in ends):
        return spans
    out: list[list[str]] = []
    for a, b in sorted(ends, key=lambda e: at[e[0]]):
        if out and at[a] == at[out[-1][1]] + 1:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [a if a == b else f"{a}..{b}" for a, b in out]
