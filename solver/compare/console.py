"""The comparison as compact console tables, changes against base highlighted (click.style)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from ..wording import count
from .caution import MARK, memory_remark, search_may_differ, unproven_caution
from .marks import marking
from .tables import DELTA, Comparison, stage_keys
from .unplanned import not_compared_said
from .views import ScenarioView

if TYPE_CHECKING:  # timed_tables imports this module's helpers
    from .timed_tables import TimedComparison
    from .timed_views import TimedView

BETTER, WORSE, MOVED = "green", "red", "yellow"
# where the rows a section leaves out are (compare writes the workbook only with -o)
ALL_IN_WORKBOOK = "the comparison workbook (-o FILE) lists them all"
STATUS_COLOUR = {"optimal": "green", "feasible": "yellow", "edited": "yellow"}
MAX_VIOLATIONS = 5  # per scenario on the console; the workbook's remark and verify show them


def _num(value: Any, fixed: bool = False, exact: bool = False) -> str:
    """A figure as shown; `fixed`: always with 2 decimals (a percentage, so that 91.00 stands
    as 91.00 beside 90.77 in its column); one of 10,000 or more whole unless `exact`
    (`exact_figures`)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if fixed and isinstance(value, int | float):
        return f"{value:,.2f}"
    if isinstance(value, float):
        if value.is_integer() or (abs(value) >= 1e4 and not exact):
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def signed(value: Any, fixed: bool = False) -> str:
    text = _num(value, fixed)
    return text if text.startswith("-") else "+" + text


def exact_figures(key: str) -> bool:
    """Whether a column's figures are shown to 2 decimals however large: all but a cost,
    whose cents say nothing. A shortfall stage's halves (weights of 0.5) do: 13,684.5 was
    shown 13,684 beside 7,909.50, and its change against 13,471.5 as -212 (a scale trial)."""
    return "cost" not in key


def _change(value: Any, delta: Any, fixed: bool = False, exact: bool = False) -> str:
    """The change beside a figure, as precise as the figure is shown: a value shown whole
    (10,000 and above) has its change shown whole (a cost of 85,542,352 beside +2,621.71
    read as a figure to the cent, where the two shown differ by 2,622), and is the change of the
    figures shown: 20,618,314.845 against 26,769,619.445 are shown 20,618,315 and 26,769,619,
    so -6,151,304, not the -6,151,305 of the change rounded (a briefing trial)."""
    whole = isinstance(value, float) and not fixed and not exact and abs(value) >= 1e4
    if whole and abs(value - delta) >= 1e4:  # the base is shown whole too
        return signed(float(round(value) - round(value - delta)), fixed)
    return signed(float(round(delta)) if whole else delta, fixed)


def _cell(
    value: Any,
    delta: Any,
    width: int,
    lower_is_better: bool | None,
    fixed: bool = False,
    exact: bool = False,
) -> str:
    """'4 (-4)' padded to `width`, the change coloured: green better, red worse."""
    text = _num(value, fixed, exact)
    if delta is None or pd.isna(delta) or delta == 0:
        return text.rjust(width)
    change = f" ({_change(value, delta, fixed, exact)})"
    colour = (
        MOVED if lower_is_better is None else BETTER if (delta < 0) == lower_is_better else WORSE
    )
    return " " * max(0, width - len(text) - len(change)) + text + click.style(change, fg=colour)


FIXED = ("coverage_pct",)  # shown with 2 decimals throughout


def overview_lines(cmp: Comparison) -> list[str]:
    """One row per scenario: status, every stage, coverage and personnel, with their changes."""
    ov = cmp.overview
    stages = stage_keys(cmp.views)
    cols = [
        *((k, k.removeprefix("objective.").removeprefix("shortfall."), True) for k in stages),
        ("coverage_pct", "coverage %", False),
        ("deployed_personnel", "personnel", None),
    ]
    widths = [max(14, len(label) + 2) for _, label, _ in cols]
    for i, (key, _, _) in enumerate(cols):
        for value, delta in zip(ov[key], ov[DELTA + key], strict=True):
            fixed, exact = key in FIXED, exact_figures(key)
            change = (
                0
                if delta is None or pd.isna(delta) or delta == 0
                else len(_change(value, delta, fixed, exact)) + 3
            )
            widths[i] = max(widths[i], len(_num(value, fixed, exact)) + change + 1)
    name_w = max(8, *(len(str(s)) for s in ov["scenario"])) + 1
    head = "scenario".ljust(name_w) + "status".ljust(12)
    marks, legend = marking(cmp.views, ov, [key for key, _, _ in cols])
    pad = {key: 1 if marks else 0 for key, _, _ in cols}
    head += "".join(
        label.rjust(w + pad[key]) for (key, label, _), w in zip(cols, widths, strict=True)
    )
    lines = [click.style(head, bold=True)]
    for _, row in ov.iterrows():
        status = str(row["status"])
        text = str(row["scenario"]).ljust(name_w)
        text += click.style(status.ljust(12), fg=STATUS_COLOUR.get(status, "red"))
        for (key, _, lower), w in zip(cols, widths, strict=True):
            text += _cell(row[key], row[DELTA + key], w, lower, key in FIXED, exact_figures(key))
            if pad[key]:
                text += MARK if (str(row["scenario"]), key) in marks else " "
        lines.append(text)
        if row["status"] == "error" and row["remark"]:
            lines.append("    " + click.style(str(row["remark"]), fg="red"))
    for view in cmp.views:
        lines += audit_lines(view)
    return lines + unproven_lines(cmp) + legend


def unproven_lines(cmp: Comparison | TimedComparison) -> list[str]:
    """Under the table: the plans not proven optimal, whose differences may be the search's
    (an edited plan's are its edit's: not named)."""
    memory = [v for v in cmp.views if not v.edited and memory_remark(v.summary)]
    lines = [click.style(f"{v.name}: {memory_remark(v.summary)}", fg="red") for v in memory]
    unproven = [
        str(v.name) for v in cmp.views if search_may_differ(v.status, v.edited) and v not in memory
    ]
    if unproven:
        lines.append(click.style(unproven_caution(unproven), fg="yellow"))
    return lines


def audit_lines(view: ScenarioView) -> list[str]:
    """Under the table: which plans were edited after solving, and the rules they break."""
    if not view.edited and not view.violations:
        return []
    unchecked = (
        "its input does not fit the plan (the note says why)"
        if view.unfit
        else "its input was not found (pass --input WORKBOOK)"
    )
    checked = (
        f"not checked: {unchecked}"
        if view.violations is None
        else f"breaks {count(len(view.violations), 'rule')}"
        if view.violations
        else "keeps every rule"
    )
    edited = f"edited after solving (solved as {view.status}); " if view.edited else ""
    colour = WORSE if view.violations else MOVED
    lines = [click.style(f"{view.name}: {edited}{checked}", fg=colour)]
    shown = (view.violations or [])[:MAX_VIOLATIONS]
    lines += [f"    {v}" for v in shown]
    more = len(view.violations or []) - len(shown)
    if more > 0:
        lines.append(f"    ... and {more} more (forcegen verify lists them all)")
    return lines


def site_lines(cmp: Comparison, top: int = 15) -> list[str]:
    """Lines (site/capability) whose allocation changes in some scenario, with the line's
    priority and what it requires: one number each when every output reads the same (`p2,
    required 3`), else base's and each differing output's (`priority base 2, odesa 1`;
    `required base 3, v1 4`; `none` where an output has no such line), as the Sites sheet's
    `priority <scenario>` and `required <scenario>` columns give them: a shortfall counts
    against its own output's priority.

    The most important first (a scale trial's 300 sites showed the first 15 by name, the
    largest changes left out): by the line's priority in base (else in the first output that
    has the line), then the largest change of units in any scenario, then site and capability."""
    names = [v.name for v in cmp.views]
    # an output that failed has no lines at all: it has nothing the others could differ by
    priority = {v.name: _per_line(v, "priority") for v in cmp.views if len(v.lines)}
    required = {v.name: _per_line(v, "required") for v in cmp.views if len(v.lines)}
    moved: list[tuple[tuple[float, float, str, str], str]] = []
    for _, row in cmp.sites.iterrows():
        parts, largest = [], 0.0
        for name in names[1:]:
            delta = row.get(DELTA + name)
            if delta is not None and not pd.isna(delta) and delta != 0:
                parts.append(f"{name} {_num(row[name])} " + _coloured(delta, lower=False))
                largest = max(largest, abs(float(delta)))
        if parts:
            line = (str(row["site"]), str(row["capability"]))
            base = _num(row[names[0]])
            said = _each_text("priority", line, priority, alike="p{}")
            said += ", " + _each_text("required", line, required, alike="required {}")
            text = f"  {line[0]}/{line[1]} ({said}): {names[0]} {base}; " + ", ".join(parts)
            moved.append(((_rank_priority(line, priority), -largest, *line), text))
    title = "site x capability: allocated units that change against base"
    ranked = [text for _, text in sorted(moved)]
    return _section(title, ranked, top, first=not_compared_lines(cmp.views))


def _rank_priority(line: tuple[str, str], priority: dict[str, dict[tuple[str, str], int]]) -> float:
    """The line's priority in the first output that has it (base, where base has the line),
    inf where none has."""
    return next((float(p[line]) for p in priority.values() if line in p), float("inf"))


def _per_line(view: ScenarioView, column: str) -> dict[tuple[str, str], int]:
    """`column` (`priority`, `required`) per (site, capability) line of the view."""
    lines = view.lines
    return {
        (str(s), str(k)): int(v)
        for s, k, v in zip(lines["site"], lines["capability"], lines[column], strict=True)
    }


def _each_text(
    word: str, line: tuple[str, str], values: dict[str, dict[tuple[str, str], int]], alike: str
) -> str:
    """`alike` filled with the line's value when every output has the same (`p2`, `required
    3`), else `<word>` with the first output's and each differing output's (`priority base 2,
    odesa 1`, `required base 3, v1 4`); `values` per output, in the comparison's order."""
    each = [(name, lines.get(line)) for name, lines in values.items()]
    first = each[0][1]
    if all(value == first for _, value in each):
        return alike.format(_num(first))
    said = [
        f"{name} {'none' if value is None else _num(value)}"
        for i, (name, value) in enumerate(each)
        if i == 0 or value != first
    ]
    return f"{word} " + ", ".join(said)


def contributor_lines(cmp: Comparison, top: int = 15) -> list[str]:
    """Contributors whose deployed units or personnel change in some scenario: the largest
    change of units in any scenario first, then of personnel, then by code."""
    names = [v.name for v in cmp.views]
    moved: list[tuple[tuple[float, float, str], str]] = []
    for _, row in cmp.contributors.iterrows():
        parts, units, people = [], 0.0, 0.0
        for name in names[1:]:
            du = row.get(f"{DELTA}{name} units")
            dp = row.get(f"{DELTA}{name} personnel")
            if du is None or pd.isna(du) or (du == 0 and dp == 0):
                continue
            parts.append(
                f"{name} {_num(row[f'{name} units'])}/{_num(row[f'{name} personnel'])} "
                + _coloured(du, lower=None)
                + "/"
                + _coloured(dp, lower=None)
            )
            units, people = max(units, abs(float(du))), max(people, abs(float(dp)))
        if parts:
            base = f"{_num(row[f'{names[0]} units'])}/{_num(row[f'{names[0]} personnel'])}"
            text = f"  {row['contributor']}: {names[0]} {base}; " + ", ".join(parts)
            moved.append(((-units, -people, str(row["contributor"])), text))
    title = "contributors: deployed units/personnel that change against base"
    ranked = [text for _, text in sorted(moved)]
    return _section(title, ranked, top, first=not_compared_lines(cmp.views))


def change_lines(cmp: Comparison, top: int = 10) -> list[str]:
    """How many allocation rows differ per scenario, and the first few; the scenarios not
    compared (no plan on one side) said, never `none`."""
    ch = cmp.changes
    title = "allocation rows that differ from base"
    if not len(ch):
        return _section(title, [], top, first=not_compared_lines(cmp.views))
    counts = ch.groupby("scenario", sort=False).size()
    lines = [
        click.style(f"{title}: ", bold=True) + ", ".join(f"{s} {n}" for s, n in counts.items()),
        *not_compared_lines(cmp.views),
    ]
    for _, r in ch.head(top).iterrows():
        colour = {"added": BETTER, "removed": WORSE}.get(r["change"], MOVED)
        lines.append(
            f"  {r['scenario']:<16} "
            + click.style(f"{r['change']:<8}", fg=colour)
            + f"{r['contributor']} {r['capability']} {r['site']}: {r['base_units']} -> {r['units']}"
        )
    if len(ch) > top:
        lines.append(f"  ... {len(ch) - top} more: the Changes sheet of {ALL_IN_WORKBOOK}")
    return lines


def _coloured(delta: Any, lower: bool | None) -> str:
    colour = MOVED if lower is None else BETTER if (delta < 0) == lower else WORSE
    return click.style(f"({signed(delta)})", fg=colour)


def not_compared_lines(views: Sequence[ScenarioView | TimedView]) -> list[str]:
    """A section's lines naming the outputs not compared (no plan on one side), if any."""
    return [click.style(f"  {said}", fg=MOVED) for said in not_compared_said(views)]


def _section(title: str, rows: list[str], top: int, first: Sequence[str] = ()) -> list[str]:
    """`title: none` when nothing is listed; else the title, the lines `first` (what is not
    compared, said before any change) and the first `top` rows."""
    if not rows and not first:
        return [f"{title}: none"]
    lines = [click.style(f"{title}:", bold=True), *first, *rows[:top]]
    if len(rows) > top:
        lines.append(f"  ... {len(rows) - top} more: {ALL_IN_WORKBOOK}")
    return lines


def comparison_lines(cmp: Comparison) -> list[str]:
    """Everything `forcegen compare` prints."""
    lines = overview_lines(cmp)
    lines += site_lines(cmp)
    lines += contributor_lines(cmp)
    lines += change_lines(cmp)
    from .console_ranking import robustness_lines  # it reads this module's colours

    lines += robustness_lines(cmp)
    return lines


def stage_source(cmp: Comparison) -> str:
    """Where the stage values shown come from, as one phrase."""
    by: dict[str, list[str]] = {}
    for view in cmp.views:
        by.setdefault(view.stages_from, []).append(view.name)
    if set(by) == {"recomputed"}:
        return "recomputed from each Allocation sheet with its input workbook"
    parts = []
    if "recomputed" in by:
        parts.append(f"recomputed from the Allocation sheet for {', '.join(by['recomputed'])}")
    if "Summary" in by:
        parts.append(f"as in the Summary for {', '.join(by['Summary'])}")
    if "unknown" in by:
        parts.append(f"left blank for {', '.join(by['unknown'])} (edited after solving)")
    return "; ".join(parts) + " (input not found, or not fitting: pass --input to recompute them)"
