"""A comparison in time on the console (click.style: better green, worse red) and as a workbook
(sheets Scenarios, Coverage changes, Tour changes, Shortfall by priority)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import pandas as pd

from ..results.safe_write import atomic_write
from ..results.writer import OutSheet, build_workbook, workbook_bytes
from ..wording import count
from .caution import MARK
from .console import (
    ALL_IN_WORKBOOK,
    BETTER,
    MAX_VIOLATIONS,
    MOVED,
    STATUS_COLOUR,
    WORSE,
    _cell,
    _change,
    _num,
    _section,
    exact_figures,
    not_compared_lines,
    unproven_lines,
)
from .marks import marking
from .replan import replan_sheets
from .tables import DELTA
from .timed_cover import full_cover, loses, short_said
from .timed_horizon import no_shared_period
from .timed_tables import TimedComparison, coverage_unknown, said_span
from .timed_views import TimedView, edited_note
from .unplanned import not_compared, remarked, with_not_compared

MOVED_TOUR = {"added": BETTER, "removed": WORSE}


def timed_lines(cmp: TimedComparison, top: int = 15) -> list[str]:
    """Everything `forcegen compare` prints for timed outputs."""
    return [
        *overview_lines(cmp),
        *coverage_lines(cmp, top),
        *tour_lines(cmp, top),
        *caution_lines(cmp),
    ]


def caution_lines(cmp: TimedComparison) -> list[str]:
    """Under the changes: the plans not proven optimal, whose differences may be the search's,
    and for each scenario with tours that differ from base's but not solved with base as its
    baseline, how to see only what the scenario changes (a timed plan churns freely wherever
    the objective does not care); not for a plan edited by hand, whose tour changes are the
    planner's, nor for a re-plan against another baseline (its own note says which)."""
    lines = unproven_lines(cmp)
    replanned = {r.name for r in cmp.replans}
    moved = set(cmp.tours["scenario"].astype(str)) if len(cmp.tours) else set()
    fresh = [  # a re-plan against another baseline is said as such (related.note_sources)
        str(v.name)
        for v in cmp.views[1:]
        if v.has_plan
        and not v.edited
        and str(v.name) in moved
        and str(v.name) not in replanned
        and not v.summary.get("baseline_sha256")
    ]
    if fresh:
        lines.append(
            f"solved without the base as baseline: {', '.join(fresh)}: where the scenario "
            "changes nothing, tours may still differ (another plan as good, or the search "
            "stopping elsewhere); to see only what it changes, solve it with --baseline "
            f"{cmp.views[0].source} (the fewest changes)"
        )
    return lines


def overview_lines(cmp: TimedComparison) -> list[str]:
    """One row per scenario: status, periods, every stage, unit-months short per priority and
    coverage in unit-months, each with its change (lower is better, but for coverage); under
    them, whose figures each edited plan shows, and the rules it breaks."""
    ov = cmp.overview
    keys = [c for c in ov.columns if c.startswith(("objective.", "unit_months_short."))]
    keys.append("coverage_pct")
    labels = [
        k.removeprefix("objective.")
        .removeprefix("shortfall.")
        .replace("unit_months_short.", "um short ")
        .replace("coverage_pct", "coverage %")
        for k in keys
    ]
    widths = [max(14, len(label) + 2) for label in labels]
    for i, key in enumerate(keys):
        for value, delta in zip(ov[key], ov[DELTA + key], strict=True):
            exact = exact_figures(key)
            moved = (
                0
                if delta is None or pd.isna(delta) or delta == 0
                else len(_change(value, delta, exact=exact)) + 3
            )
            widths[i] = max(widths[i], len(_num(value, exact=exact)) + moved + 1)
    name_w = max(8, *(len(str(s)) for s in ov["scenario"])) + 1
    marks, legend = marking(cmp.views, ov, keys)
    pad = {key: 1 if marks else 0 for key in keys}
    head = "scenario".ljust(name_w) + "status".ljust(12) + "periods".rjust(9)
    head += "".join(
        label.rjust(w + pad[key]) for key, label, w in zip(keys, labels, widths, strict=True)
    )
    lines = [click.style(head, bold=True)]
    for _, row in ov.iterrows():
        status = str(row["status"])
        text = str(row["scenario"]).ljust(name_w)
        text += click.style(status.ljust(12), fg=STATUS_COLOUR.get(status, "red"))
        text += _num(row["periods"]).rjust(9)
        for key, w in zip(keys, widths, strict=True):
            text += _cell(
                row[key], row[DELTA + key], w, key != "coverage_pct", exact=exact_figures(key)
            )
            if pad[key]:
                text += MARK if (str(row["scenario"]), key) in marks else " "
        lines.append(text)
    lines.append(
        "  (shortfall stages are weighted unit-months; um short = unit-months short, unweighted)"
    )
    lines += legend
    for view in cmp.views:
        lines += edited_lines(view)
    return lines


def edited_lines(view: TimedView) -> list[str]:
    """Of an edited plan: whose figures are shown (`edited_note`), then, when it was checked,
    the rules it breaks (the first MAX_VIOLATIONS) or that it keeps them all."""
    if not view.edited:
        return []
    lines = [click.style(edited_note(view), fg=MOVED)]
    if view.violations is None:
        return lines
    if not view.violations:
        return [*lines, f"{view.name}: keeps every rule"]
    lines.append(
        click.style(f"{view.name}: breaks {count(len(view.violations), 'rule')}", fg=WORSE)
    )
    lines += [f"    {v}" for v in view.violations[:MAX_VIOLATIONS]]
    more = len(view.violations) - MAX_VIOLATIONS
    if more > 0:
        lines.append(f"    ... and {more} more (forcegen verify lists them all)")
    return lines


def coverage_lines(cmp: TimedComparison, top: int) -> list[str]:
    """`what_if: Kyiv/AD_BTY (p1): -1 unit in 2027-07..2027-12`, per run of periods; where the
    scenario gives the line another priority than base, both (`priority base 2, what_if 1`;
    `none` where the scenario has no such line), as the Coverage changes sheet's
    `scenario_priority` gives it. Each scenario's most important first, `top` of each (one cap
    over all of them, in line order, left a third scenario's changes unseen behind a second's
    priority-3 lines)."""
    title = "coverage that changes against base, per period"
    lost = [click.style(f"  {v.name}: {why}", fg=MOVED) for v, why in unknown_coverage(cmp)]
    lost += [
        click.style(
            f"  {v.name}: not compared: it shares no period with {cmp.views[0].name}", fg=MOVED
        )
        for v in no_shared_period(cmp.views)
    ]
    lost = [*not_compared_lines(cmp.views), *lost]
    if not len(cmp.coverage):
        return _section(title, [], top, first=lost)
    lines = [click.style(f"{title}:", bold=True), *lost]
    ordered = _most_important_first(cmp.coverage)
    for name, rows in ordered.groupby("_scenario", sort=True, observed=True):
        said = [_coverage_row(cmp, r) for _, r in rows.iterrows()]
        lines += said[:top]
        if len(said) > top:
            lines.append(f"  ... {len(said) - top} more of {name}: {ALL_IN_WORKBOOK}")
    return lines


def _coverage_row(cmp: TimedComparison, r: pd.Series) -> str:
    """`monitoring: Dnipro/MECH_COY (p1): -2 units in 2027-04..2028-09`; where the scenario
    requires other units there, they are said too, with the change of units short (`surge:
    Kyiv/INF_BN (p1, required base 2, surge 3): the same units, short by 1 more in ...`), and
    a line it still covers in full is no loss (`..., required base 3, monitoring 1: covered in
    full`, not red)."""
    delta, short = int(r[DELTA + "units"]), int(r[DELTA + "short"])
    units = f"{delta:+d} unit{'' if abs(delta) == 1 else 's'}" if delta else "the same units"
    said = click.style(units, fg=WORSE if loses(r) else BETTER if delta > 0 else MOVED)
    dropped = _or_none(r["scenario_priority"]) is None
    more = short_said(r) if not dropped else ""
    if dropped and not delta and short:  # a line base never covered, gone: its shortfall too
        more = f"no longer a line, short by {abs(short)} fewer"
    if more:
        said += ", " + click.style(more, fg=WORSE if short > 0 else BETTER)
    when = said_span(cmp.periods, r["from"], r["to"])
    priority = _priority_text(cmp.views[0].name, r)
    base_required, now_required = (_or_none(r.get(c)) for c in ("base_required", "required"))
    required = ""
    lacks = any(_or_none(r[c]) is None for c in ("priority", "scenario_priority"))
    if base_required != now_required and not lacks:  # a line one lacks: its priority says so
        required = f", required {cmp.views[0].name} {base_required}, {r['scenario']} {now_required}"
        required += ": covered in full" if full_cover(r) else ""
    line = f"{r['site']}/{r['capability']} ({priority}{required})"
    return f"  {r['scenario']}: {line}: {said} in {when}"


def _most_important_first(coverage: pd.DataFrame) -> pd.DataFrame:
    """The coverage changes in scenario order, and in each the most important first: by the
    line's priority (in base), then the most unit-periods changed, then site and capability."""
    order = coverage.assign(
        _scenario=pd.Categorical(
            coverage["scenario"].astype(str),
            categories=list(dict.fromkeys(coverage["scenario"].astype(str))),
            ordered=True,
        ),
        _priority=pd.to_numeric(coverage["priority"], errors="coerce").fillna(float("inf")),
        # a line newly short with the same units counts as much as one losing them (a review)
        _size=-(
            np.maximum(coverage[DELTA + "units"].abs(), coverage[DELTA + "short"].abs())
            * coverage["periods"]
        ),
    )
    keys = ["_scenario", "_priority", "_size", "site", "capability", "from"]
    return order.sort_values(keys, kind="mergesort")


def unknown_coverage(cmp: TimedComparison) -> list[tuple[TimedView, str]]:
    """Each scenario whose coverage changes cannot be given, and why: its plan's, or base's,
    was edited by hand and not recomputed."""
    base = cmp.views[0]
    said = []
    for view in coverage_unknown(cmp.views):
        whose = view if not view.has_figures else base
        said.append(
            (
                view,
                f"not known: the Tours of {Path(whose.source).name} were edited after solving "
                f"and its coverage could not be recomputed ({whose.not_recomputed}): "
                f"{_redo([whose])}",
            )
        )
    return said


def _priority_text(base: str, row: pd.Series) -> str:
    """`p1`, or `priority base 2, what_if 1` when the row's scenario gives the line another
    priority than base (`none`: an output with no such line)."""
    first, own = (_or_none(row[c]) for c in ("priority", "scenario_priority"))
    if first == own:
        return f"p{_num(first)}"
    return f"priority {base} {_or_said(first)}, {row['scenario']} {_or_said(own)}"


def _or_none(value: object) -> object:
    """None for a blank cell (None or NaN), else the value."""
    return None if value is None or pd.isna(value) else value


def _or_said(value: object) -> str:
    """A priority as the console says it; `none` where the output has no such line."""
    return "none" if value is None else _num(value)


def tour_lines(cmp: TimedComparison, top: int) -> list[str]:
    """The tours added, removed or changed against base."""
    rows = []
    for _, r in cmp.tours.iterrows():
        colour = MOVED_TOUR.get(r["change"], "yellow")
        what = f"{r['contributor']} {r['capability']} {r['site']}: "
        if r["change"] == "added":
            what += _tour(cmp, r["from"], r["to"], r["units"])
        elif r["change"] == "removed":
            what += _tour(cmp, r["base_from"], r["base_to"], r["base_units"])
        else:
            what += (
                f"{_tour(cmp, r['base_from'], r['base_to'], r['base_units'])} -> "
                f"{_tour(cmp, r['from'], r['to'], r['units'])}"
            )
        rows.append(f"  {r['scenario']:<16} " + click.style(f"{r['change']:<8}", fg=colour) + what)
    return _section("tours that differ from base", rows, top, first=not_compared_lines(cmp.views))


def _tour(cmp: TimedComparison, first: str, last: str, units: int) -> str:
    return f"{said_span(cmp.periods, first, last)} x{int(units)}"


def timed_sheets(cmp: TimedComparison) -> list[OutSheet]:
    """Scenarios, Coverage changes, Tour changes, Shortfall by priority (and a re-plan's)."""
    ov = cmp.overview
    deltas = [c for c in ov.columns if str(c).startswith(DELTA)]
    moved = ov[deltas].apply(pd.to_numeric, errors="coerce").fillna(0).ne(0).any(axis=1)
    bad = ~ov["status"].isin(["optimal", "feasible"])
    bad |= pd.to_numeric(ov["violations"], errors="coerce").fillna(0) > 0
    coverage = coverage_sheet(cmp)
    return [
        OutSheet("Scenarios", ov, highlight=(moved | bad).to_numpy(), widths={"remark": 90}),
        OutSheet(
            "Coverage changes",
            coverage,
            highlight=np.array([_is_loss(r) for _, r in coverage.iterrows()], dtype=bool)
            if len(coverage)
            else np.zeros(0, dtype=bool),
            widths={"remark": 90} if "remark" in coverage.columns else {},
        ),
        OutSheet("Tour changes", with_not_compared(cmp.tours, cmp.views), widths={"remark": 90}),
        OutSheet("Shortfall by priority", cmp.priorities),
        *replan_sheets(cmp.replans),
    ]


def timed_stage_source(cmp: TimedComparison) -> str:
    """Whose stage values (and coverage) each output shows, as one phrase."""
    by: dict[str, list[str]] = {}
    for view in cmp.views:
        by.setdefault(view.stages_from, []).append(str(view.name))
    if set(by) == {"Summary"}:
        return "as in each Summary (the plans as solved; forcegen verify checks a timed plan)"
    unknown = [v for v in cmp.views if v.stages_from == "unknown"]
    said = {
        "Summary": "as in the Summary for {} (as solved)",
        "recomputed": "recomputed from the Tours sheet for {} (edited after solving)",
        "unknown": "left blank for {} (edited after solving, not recomputed: "
        + _redo(unknown)
        + ")",
    }
    return "; ".join(said[k].format(", ".join(by[k])) for k in said if k in by)


def _redo(views: list[TimedView]) -> str:
    """What recomputes edited plans' figures: correcting the cells named where their input was
    found but does not fit (an edit trial was told to pass --input, which only made that an
    error), else giving the input."""
    unfit = [v for v in views if v.input_unfit]
    if unfit and len(unfit) == len(views):
        return "correct the cells named"
    return "correct the cells named, or pass --input" if unfit else "pass --input WORKBOOK"


def _is_loss(row: pd.Series) -> bool:
    """A row of the Coverage changes sheet marked as a loss (a remark's row is none)."""
    return not pd.isna(row[DELTA + "units"]) and loses(row)


def coverage_sheet(cmp: TimedComparison) -> pd.DataFrame:
    """The Coverage changes sheet: first, for each scenario whose coverage changes cannot be
    given (no plan on one side, unplanned.py; or an edited plan not recomputed), a row naming
    it with blank cells and a `remark` saying why (the column only then: a sheet with no row of
    a scenario would say its coverage does not change); then its rows."""
    said = [*not_compared(cmp.views), *((v.name, why) for v, why in unknown_coverage(cmp))]
    return remarked(cmp.coverage, said) if said else cmp.coverage


def write_timed_comparison(cmp: TimedComparison, output: Path) -> Path:
    """Write the comparison workbook atomically (deterministic bytes)."""
    output = Path(output)
    atomic_write(output, workbook_bytes(build_workbook(timed_sheets(cmp))))
    return output
