"""The `~` of a comparison's overview: a change at or after a stage that either plan did not
prove (compare/caution.py's words), on the console's snapshot and timed tables alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from ..model.stage_names import solve_order
from .caution import marked_legend, unproven_stages
from .tables import DELTA
from .views import ScenarioView

if TYPE_CHECKING:
    from .timed_views import TimedView


def marking(
    views: Sequence[ScenarioView | TimedView], ov: pd.DataFrame, keys: list[str]
) -> tuple[set[tuple[str, str]], list[str]]:
    """The overview's cells to mark (`_marks`, over its `objective.` columns among `keys`)
    and the legend under the table that says what the mark means, naming the stages not
    proven behind the marks (none when nothing is marked)."""
    unproven = {str(v.name): unproven_stages(v.summary) for v in views}
    base = str(views[0].name) if views else ""
    # base's own plan edited by hand (it records base's solved plan): it differs by the edit
    # alone, whatever the search left unproven (an analyst trial saw a hand edit's +24 marked)
    edits = {str(v.name) for v in views[1:] if edit_of(v.summary, views[0].summary)}
    stages = [k for k in keys if k.startswith("objective.")]
    marks, behind = _marks(ov[~ov["scenario"].astype(str).isin(edits)], stages, unproven, base)
    marks |= _following(ov, keys, marks)
    said: dict[str, dict[str, str]] = {base: {}}
    for name, stage in behind:
        said.setdefault(name, {})[stage] = unproven[name][stage]
    legend = [click.style(marked_legend(said), fg="yellow")] if marks else []
    return marks, legend


DIGESTS = ("tours_sha256", "allocation_sha256")  # the solved plan's, as its Summary records it


def edit_of(summary: dict[Any, Any], base: dict[Any, Any]) -> bool:
    """The output records the same solved plan as base (its Summary's digest and its
    input's), so it is base's plan, as solved or edited by hand since."""
    key = next((k for k in DIGESTS if summary.get(k)), None)
    same = ("input_sha256", "scenario", key) if key else ()
    return bool(same) and all(summary.get(k) == base.get(k) for k in same)


def _following(
    ov: pd.DataFrame, keys: list[str], marks: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The marks of the columns that follow from a marked shortfall stage: its unweighted
    unit-months short (`unit_months_short.p2` beside `objective.shortfall.p2`) and the
    coverage (a quick trial saw them unmarked beside a marked stage)."""
    out = set()
    for _, row in ov.iterrows():
        name = str(row["scenario"])
        short = {k for n, k in marks if n == name and k.startswith("objective.shortfall.")}
        for key in keys:
            delta = row.get(DELTA + key)
            if delta is None or pd.isna(delta) or delta == 0:
                continue
            if key.startswith("unit_months_short."):
                follows = f"objective.shortfall.{key.split('.', 1)[1]}" in short
            else:
                follows = key == "coverage_pct" and bool(short)
            if follows:
                out.add((name, key))
    return out


def _marks(
    ov: pd.DataFrame, stages: list[str], unproven: dict[str, dict[str, str]], base: str
) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """(scenario, stage key) of each change at a stage that the scenario's plan or base's did
    not prove, or at a later stage (solved holding that one: a review saw base's p2 unproven
    and the cost changes unmarked), and the (output, stage) not proven behind the marks, in
    the stages' order: a figure that may differ by where a search stopped (a trial: us_late's
    p3 94 (+2), inside its own 2.13% gap, read as an effect)."""
    names = [k.removeprefix("objective.") for k in stages]

    # every stage an output did not prove counts, among the columns or not: a re-plan's
    # `changes`, which base has no column for, holds its cost (an adoption trial)
    def first_unproven(who: str) -> tuple[int, int]:
        return min((solve_order(n) for n in unproven.get(who, {})), default=(3, 0))

    marks: set[tuple[str, str]] = set()
    behind: list[tuple[str, str]] = []
    for _, row in ov.iterrows():
        name = str(row["scenario"])
        start = min(first_unproven(name), first_unproven(base))
        for key, stage in zip(stages, names, strict=True):
            delta = row[DELTA + key]
            if solve_order(stage) < start or delta is None or pd.isna(delta) or delta == 0:
                continue
            marks.add((name, key))
            for who in (base, name):
                for held in unproven.get(who, {}):
                    if solve_order(held) <= solve_order(stage) and (who, held) not in behind:
                        behind.append((who, held))
    behind.sort(key=lambda pair: (pair[0] != base, solve_order(pair[1])))
    return marks, behind
