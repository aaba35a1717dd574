"""The HTML briefing: one self-contained page (inline CSS and SVG, no script, no network).

This module gathers what each section shows (plain values, view.py) and renders the templates in
solver/report/templates with autoescape (render.py); figures are matplotlib's SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import __version__
from ..alternative_adopted import ADOPTED
from ..outputs.load import Geo, Output
from ..results.tables import CAVEAT_COLUMNS as TABLE_CAVEAT_COLUMNS
from ..results.tables import CAVEAT_WINDOW
from ..wording import unproven_note
from . import figures
from .compare import comparison_section
from .figures_map import site_map
from .render import render, svg
from .replan import Replan, replan_view
from .status import Status, status_view
from .timed_section import TimeSection, collapsed, time_section, timed_cards, timed_gaps_table
from .view import (
    Cell,
    Row,
    Table,
    cost_unit,
    headline,
    inputs_said,
    is_number,
    left_out_note,
    period_months,
    reason_head,
    short_first,
    site_severity,
    table,
    text,
    weighted,
)

COMMON = ("pledge exhausted", "unavailable", "pledged 0 units")  # listed after specific reasons
# a timed output's window shows where the sheet has it (a snapshot has no from/to columns)
CAVEAT_COLUMNS = [*TABLE_CAVEAT_COLUMNS, *CAVEAT_WINDOW, "remark"]
GAP_KEYS = ["site", "capability", "priority", "required", "allocated", "shortfall"]


@dataclass(frozen=True)
class MapView:
    """The map (or the coverage bars when there are no coordinates) and its notes."""

    figure: Markup
    notes: list[str]
    notes_first: bool


@dataclass(frozen=True)
class Section:
    """Everything about one output: status, figures, map, heat map, bars, gaps, caveats; an
    output without a plan (infeasible, error) has its status only."""

    label: str
    status: Status
    plan: bool
    cards: list[tuple[str, str]] = field(default_factory=list)
    map: MapView | None = None
    heatmap: Markup | None = None
    heatmap_note: str = ""  # the sites the heat map leaves out (`heat_map`)
    contributions: Markup | None = None
    burden: Markup | None = None
    gaps: Table | None = None
    gaps_note: str = ""
    caveats: Table | None = None
    caveats_note: str = ""
    prices: Table | None = None  # with --price-caveats: what each rule costs
    alternatives: Table | None = None  # with --alternatives: the other plans, how they differ
    alternatives_heading: str = "Other plans as good"
    alternatives_said: str = ""  # the Summary's alternatives.message
    time: TimeSection | None = None  # a timed output: its sections in time
    replan: Replan | None = None  # a re-plan's asks and changes against its baseline


def cards(figs: dict[str, Any], out: Output) -> list[tuple[str, str]]:
    """(value, label) per headline card; the plan's cost when the output records its unit
    (an output without the unit shows no cost: a number in an unknown unit misleads). A
    figure a stage not proven decides says so (`unproven_note`)."""
    open_ = partial(unproven_note, out.summary)
    items = [(f"{figs['coverage']:.1%}", "coverage, all priorities" + open_("shortfall"))]
    items += [
        (f"{v:.1%}", f"coverage priority {k[1:]}" + open_(f"shortfall.p{k[1:]}"))
        for k, v in figs.items()
        if k[:1] == "p" and k[1:].isdigit()
    ]
    items += [
        (f"{figs['personnel']:,}", "personnel deployed"),
        (f"{figs['engaged']} of {figs['available']}", _engaged_label(figs)),
        (
            f"{figs['unmet']:,}",
            ("unit unmet" if figs["unmet"] == 1 else "units unmet") + open_("shortfall"),
        ),
        (
            f"{figs['hard_short']:,}",
            "hard line short" if figs["hard_short"] == 1 else "hard lines short",
        ),
    ]
    return items + cost_card(out)


def _engaged_label(figs: dict[str, Any]) -> str:
    """`contributors engaged`, and those of an edited plan deployed though not available."""
    others = figs.get("engaged_unavailable") or []
    if not others:
        return "contributors engaged"
    return f"contributors engaged (and {', '.join(others)}, not available)"


def cost_card(out: Output) -> list[tuple[str, str]]:
    """The plan's cost card when the output records the cost's unit, else none."""
    cost, unit = out.summary.get("objective.cost"), cost_unit(out)
    if unit and is_number(cost):
        return [(text(cost), f"cost ({unit})" + unproven_note(out.summary, "cost"))]
    return []


def input_warnings(geo: Geo) -> list[str]:
    """What reading the output's input warned about (its damaged document properties), as
    the console says it: on the page under the map, or under the status of an output without
    a plan (no map)."""
    from ..compare.views import note_in_file

    return [f"warning: {note_in_file(w, w.where)}" for w in geo.warnings]


def map_view(out: Output, geo: Geo) -> MapView:
    """The map and its notes: where the input came from, what reading it warned about, what
    the map leaves out."""
    notes = [*geo.notes, *input_warnings(geo)]
    unit, people = "units", "personnel"
    if out.timed:  # the figures add the periods up (by their months when the Periods are known)
        by_months = geo.periods is not None
        unit = "unit-months" if by_months else "unit-periods"
        people = "personnel-months" if by_months else "personnel summed over the periods"
    if geo.sites is None or geo.homes is None:
        return MapView(svg(figures.coverage_bars(out.coverage, unit)), notes, notes_first=True)
    drawn = site_map(out.coverage, out.allocation, geo.sites, geo.homes, unit, people)
    if drawn.off:
        notes.append(f"Lines leave the frame towards {', '.join(drawn.off)}.")
    return MapView(svg(drawn.svg), [*notes, *drawn.unlabelled], notes_first=False)


# sites the heat map draws, those with a line short first: a scale trial's heat map of 300
# sites was 130 inches tall
HEAT_SITES = 40


def heat_map(coverage: pd.DataFrame, when: str = "") -> tuple[Markup, str]:
    """The heat map of every site, in the sites' order; past HEAT_SITES + 1 sites, of those
    `short_first` picks (the short ones first), and what the page says of the others (`when`:
    ' in some period' of a timed plan's)."""
    sites = list(dict.fromkeys(coverage["site"].astype(str)))
    severity = site_severity(coverage)
    shown, left = short_first(sites, severity, HEAT_SITES)
    if left:
        rank = coverage["site"].astype(str).map({s: i for i, s in enumerate(shown)})
        coverage = coverage.assign(_rank=rank).dropna(subset=["_rank"])
        coverage = coverage.sort_values("_rank", kind="mergesort").drop(columns="_rank")
    where = "the Coverage sheet shows every site's lines"
    return svg(figures.heatmap(coverage)), left_out_note(left, set(severity), where, when)


GAPS_SHEET = "the Gaps sheet"


def gaps_table(out: Output) -> Table | None:
    """One row per short line (per period range in time), the most important first: by
    priority, then the line's shortfall over every period, the largest first (a scale trial:
    in the sheet's site order, the most short lines were past the page's first 100 rows);
    the contributors that pledged it, grouped by reason (specific reasons first). None when
    no line is short."""
    gaps = out.table("Gaps")
    if gaps is None:
        cov = out.coverage
        reason = "(edited plan: not recomputed)" if out.edited else "(no Gaps sheet)"
        gaps = cov[cov["shortfall"] > 0].assign(contributor="", reason=reason)
    if not len(gaps):
        return None
    gaps = _most_short_first(gaps, out.coverage)
    rows = []
    for line, grp in gaps.groupby(GAP_KEYS, sort=False):
        rows.append(Row([*(Cell(text(v)) for v in line), Cell("", reasons=grouped_reasons(grp))]))
    return Table([*GAP_KEYS, "why not filled (contributors that pledged it)"], rows, GAPS_SHEET)


def _most_short_first(gaps: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """`gaps` by priority, then by its line's weighted shortfall summed over `coverage`'s rows
    (`view.weighted`, as the objective and the console rank it), the largest first; a line's
    rows kept together in their order (a stable sort)."""
    line = ["site", "capability"]
    total = (
        coverage.assign(**{k: coverage[k].astype(str) for k in line}, _weighted=weighted(coverage))
        .groupby(line)["_weighted"]
        .sum()
    )
    keys = pd.MultiIndex.from_arrays([gaps[k].astype(str) for k in line])
    return gaps.assign(
        _priority=pd.to_numeric(gaps["priority"], errors="coerce").fillna(float("inf")).to_numpy(),
        _size=-total.reindex(keys).fillna(0).to_numpy(),
    ).sort_values(["_priority", "_size"], kind="mergesort")


def grouped_reasons(gaps: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(reason, contributors) pairs of one line's Gaps rows, specific reasons first; each
    contributor named once per reason (a timed output has a row per period range)."""
    by_reason: dict[str, dict[str, None]] = {}
    for c, reason in zip(gaps["contributor"], gaps["reason"], strict=True):
        by_reason.setdefault(reason_head(reason), {})[str(c)] = None
    ordered = sorted(by_reason.items(), key=lambda kv: kv[0] in COMMON)
    return tuple((text(r), text(", ".join(cs))) for r, cs in ordered)


def caveats_table(out: Output) -> tuple[Table | None, str]:
    """The binding caveats, or None and the sentence that says why there are none."""
    cav = out.table("Caveats")
    if out.edited and cav is None:
        return None, "The plan was edited: which caveats bind is not recomputed."
    if cav is None or "binding" not in cav.columns:
        return None, "No Caveats sheet in this output."
    binding = cav[cav["binding"].astype(str) == "yes"]
    if not len(binding):
        return None, "No caveat binds."
    return table(binding, CAVEAT_COLUMNS, where="the Caveats sheet"), ""


def personnel_months(out: Output) -> pd.Series:
    """Per contributor, the sum over its tours of months x personnel (a timed output's Tours):
    what the horizon asked of it, where its peak personnel is one period's."""
    tours = out.sheets["Tours"]
    if not len(tours) or not {"contributor", "months", "personnel"} <= set(tours.columns):
        return pd.Series(dtype=float)
    carried = pd.to_numeric(tours["months"]) * pd.to_numeric(tours["personnel"])
    return carried.groupby(tours["contributor"].astype(str)).sum()


PRICE_COLUMNS = ["rule", "status", "summary"]


def prices_table(out: Output) -> Table | None:
    """The CaveatPrices sheet (`--price-caveats`): each rule, whether it was priced and what
    lifting it changes, in the sheet's order (most costly first); None without the sheet."""
    prices = out.table("CaveatPrices")
    if prices is None or not len(prices) or not {"rule", "summary"} <= set(prices.columns):
        return None
    return table(prices, PRICE_COLUMNS, where="the CaveatPrices sheet")


# a snapshot's Alternatives sheet has `units_changed`, a timed one `tours_added`/`tours_removed`
ALTERNATIVE_COLUMNS = [
    "plan",
    "sheet",
    "cost_above_plan_pct",
    "units_changed",
    "tours_added",
    "tours_removed",
    "differs_by",
]


def alternatives_table(out: Output) -> Table | None:
    """The Alternatives sheet (`--alternatives`): each plan, where it is, what it costs above
    the plan and how it differs in presence (`units_changed`, called `units_moved` by outputs
    written before 2026-12-02: the same sum of |change|); None without the sheet (or for an edited plan,
    whose alternatives were found beside the plan as solved)."""
    alternatives = out.table("Alternatives")
    if alternatives is None or not len(alternatives) or "plan" not in alternatives.columns:
        return None
    if "units_changed" not in alternatives.columns:  # an output of before the column's rename
        alternatives = alternatives.rename(columns={"units_moved": "units_changed"})
    if "cost_above_plan_pct" in alternatives.columns:  # a percent: 0.0093 read as 0.93% bare
        above = alternatives["cost_above_plan_pct"]
        alternatives = alternatives.assign(
            cost_above_plan_pct=[f"{float(v):.3g}%" if is_number(v) else v for v in above]
        )
    return table(alternatives, ALTERNATIVE_COLUMNS)


def alternatives_heading(out: Output) -> str:
    """The alternatives' heading: plans found with `--within W` may cost up to W more than the
    plan (presence left free), so they are nearly as good, not as good; where the search
    adopted a better plan, the solve's own is among them, worse (an adoption trial read it
    under `Other plans as good`)."""
    if ADOPTED in str(out.summary.get("alternatives.message") or ""):
        return "Other plans: the solve's own among them, which the plan written beats"
    try:
        within = float(out.summary.get("alternatives.within") or 0)
    except (TypeError, ValueError):
        within = 0.0
    if within > 0:
        return f"Other plans nearly as good: cost within {100 * within:g}% of the plan's"
    return "Other plans as good"


def alternatives_said(out: Output) -> str:
    """The search's outcome in its own words (the Summary's `alternatives.message`): which plan
    was adopted, or is better or cheaper, and why, as the console says it."""
    message = out.summary.get("alternatives.message")
    return "" if message is None or message != message else str(message)


def section(out: Output, geo: Geo) -> Section:
    """One output's sections; a timed output's map and heat map add up its periods
    (timed_section.collapsed) and it gains its sections in time."""
    if not out.has_plan:
        status = status_view(out)
        status = replace(status, notes=[*status.notes, *input_warnings(geo)])
        return Section(label=out.label, status=status, plan=False)
    burden = (
        figures.burden(out.contributors, personnel_months(out), "personnel-months")
        if out.timed
        else figures.burden(out.contributors)
    )
    caveats, caveats_note = caveats_table(out)
    time, flat, the_cards = None, out, None
    if out.timed:
        flat = collapsed(out, period_months(geo.periods))
        time, timed = time_section(out, geo.periods, flat.coverage)
        the_cards = timed_cards(out, timed) + cost_card(out)
    heat, heat_note = heat_map(flat.coverage, " in some period" if out.timed else "")
    return Section(
        label=out.label,
        status=status_view(out),
        plan=True,
        cards=the_cards if the_cards is not None else cards(headline(out), out),
        map=map_view(flat, geo),
        heatmap=heat,
        heatmap_note=heat_note,
        contributions=svg(figures.contributions(out.contributors, out.timed)),
        burden=svg(burden) if burden else None,
        gaps=timed_gaps_table(out, grouped_reasons) if out.timed else gaps_table(out),
        gaps_note="No requirement line is short.",
        caveats=caveats,
        caveats_note=caveats_note,
        prices=prices_table(out),
        alternatives=alternatives_table(out),
        alternatives_heading=alternatives_heading(out),
        alternatives_said=alternatives_said(out),
        time=time,
        replan=replan_view(out),
    )


def page(outputs: Sequence[Output], geos: Sequence[Geo]) -> str:
    """The whole HTML document."""
    names = ", ".join(o.path.name for o in outputs)
    return render(
        "page.html.j2",
        title=f"forcegen briefing: {names}",
        names=names,
        inputs=inputs_said(outputs),
        version=__version__,
        comparison=(
            comparison_section(outputs, [g.periods for g in geos]) if len(outputs) > 1 else None
        ),
        sections=[section(o, g) for o, g in zip(outputs, geos, strict=True)],
    )
