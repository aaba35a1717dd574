"""The comparison section: several outputs (scenarios) side by side, changes against the first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
from markupsafe import Markup

from ..compare.unplanned import not_compared_said
from ..outputs.load import Output
from . import figures
from .compare_figures import breaks_rules, caution, side_by_side
from .compare_time import timed_changes
from .render import svg
from .replan import ReplanOfFirst, replans_of_first, with_replan_changes
from .view import (
    Cell,
    Row,
    Table,
    change,
    headline,
    period_months,
    text,
)

LABELS = {"priority"}  # columns that name a row's kind, not a count: shown as its keys are


@dataclass(frozen=True)
class Comparison:
    """What the comparison section shows; a table is None when nothing changes."""

    count: int
    first: str
    figures: Table
    chart: Markup
    coverage: Table | None
    contributors: Table | None
    contributors_by: str = "deployed personnel"  # what lists a contributor as changed
    timed: bool = False  # timed outputs: `coverage` in runs of periods, and `tours`
    tours: Table | None = None
    replans: list[ReplanOfFirst] = field(default_factory=list)  # outputs re-planned on the first
    caution: str = ""  # the outputs not proven optimal, as `forcegen compare` cautions of them
    nothing: str = "No change against the first output."  # said under a section with no table
    unplanned: str = ""  # the outputs without a plan, not compared line by line

    @property
    def weighting(self) -> str:
        """What the table's shortfall rows count (a trial asked why p1 read 111 in one row and
        75 in the next), and that the figures beside the stages are the plan's (an analyst
        trial read `lines_sustained 49 (-2)` and `44 (-7)` of two plans with the same proven
        stages as what the scenario costs)."""
        unit = "unit-months" if self.timed else "units"
        unweighted = "shortfall_unit_months" if self.timed else "shortfall_units"
        sustained = ", lines_sustained" if self.timed else ""
        return (
            f"objective.shortfall.pN: the objective's stages, {unit} short weighted by each "
            f"line's weight; {unweighted}.pN: the {unit} short, unweighted. The other figures "
            f"(coverage_pct{sustained}, personnel, contributors) are those of the plan each "
            "output holds: another plan as good at every stage may differ in them, so a change "
            "there is the scenario's only where the stages change too (`forcegen solve "
            "--alternatives` shows such plans)."
        )


def changed(
    outputs: Sequence[Output],
    frames: list[pd.DataFrame],
    keys: list[str],
    value: str,
    first_cols: list[str],
    each: Sequence[str] = (),
    also: Sequence[str] = (),
    judge: Callable[[pd.Series, int], bool | None] | None = None,
) -> Table | None:
    """Rows (by `keys`) whose `value` differs from the first output in any other output (a row
    missing from an output counts as 0), or one of the `each` columns named in `also` does;
    None when no row differs. `first_cols` are the first output's; each column of `each` (such
    as `priority`, `required`) is one column when every output reads the same on the rows
    shown, else one column per output (`priority: <label>`, blank where it lacks the row), so
    that no output's figure is shown as another's. `judge(row, i)`: whether output i's
    figure on the row is better than the first's (True green, False red, None neither)."""
    # keys as text: an output without plan has empty sheets, read with float columns
    frames = [f.astype({k: str for k in keys}) for f in frames]
    merged = frames[0][keys + first_cols + [value]].rename(columns={value: "v0"})
    for i, frame in enumerate(frames[1:], start=1):
        part = frame[[*keys, value]].rename(columns={value: f"v{i}"})
        merged = merged.merge(part, on=keys, how="outer")
    cols = [f"v{i}" for i in range(len(frames))]
    merged[cols] = merged[cols].fillna(0)
    for j, column in enumerate(each):
        for i, frame in enumerate(frames):
            part = frame[[*keys, column]].drop_duplicates(keys)
            merged = merged.merge(part.rename(columns={column: f"e{j}.{i}"}), on=keys, how="left")
    differs = merged[cols].ne(merged["v0"], axis=0).any(axis=1)
    for j, column in enumerate(each):
        if column in also:
            figures = merged[[f"e{j}.{i}" for i in range(len(frames))]].fillna(0)
            differs |= figures.ne(figures[f"e{j}.0"], axis=0).any(axis=1)
    merged = merged[differs].sort_values(keys, kind="mergesort")
    if not len(merged):
        return None
    each_cols: list[tuple[str, bool]] = []  # (column, a count: right-aligned)
    each_heads: list[str] = []
    for j, column in enumerate(each):
        shown, heads = _each_columns(outputs, merged, column, f"e{j}")
        each_cols += [(c, column not in LABELS) for c in shown]
        each_heads += heads

    def each_cell(row: pd.Series, column: str, num: bool) -> Cell:
        """An `each` column's cell; a count shown per output changes against the first's."""
        first = f"{column.rsplit('.', 1)[0]}.0"
        moved = change(row[column], row[first]) if num and column != first else ""
        return Cell(text(row[column]), num=num, change=moved)

    rows = [
        Row(
            [Cell(text(row[c])) for c in keys + first_cols]
            + [each_cell(row, c, num) for c, num in each_cols]
            + [
                Cell(
                    text(row[c]),
                    num=True,
                    change=(said := change(row[c], row["v0"])),
                    better=judge(row, i) if judge is not None and said else None,
                )
                for i, c in enumerate(cols)
            ]
        )
        for _, row in merged.iterrows()
    ]
    heads = [*keys, *first_cols, *each_heads, *(f"{value}: {o.label}" for o in outputs)]
    return Table(heads, rows, "the comparison workbook (forcegen compare -o FILE)")


def _each_columns(
    outputs: Sequence[Output], merged: pd.DataFrame, column: str, prefix: str
) -> tuple[list[str], list[str]]:
    """The columns of `column` to show (`<prefix>.0`, or `<prefix>.0`, `<prefix>.1`, ...: the
    first output's, or every output's) and their headers."""
    cols = [f"{prefix}.{i}" for i in range(len(outputs))]
    shown = merged[cols].map(text)
    if shown.eq(shown[cols[0]], axis=0).all(axis=None):
        return cols[:1], [column]
    return cols, [f"{column}: {o.label}" for o in outputs]


def short_judged(outputs: Sequence[Output], row: pd.Series, i: int) -> bool | None:
    """Whether output i leaves a line (a row of `changed` over the Coverage sheets, `required`
    its second `each` column) short of fewer units than the first (True: green), more (False:
    red) or as many (None: units moved on a line covered as well, or one that requires other
    units): short = max(required - allocated, 0). A line one of them lacks is not judged, and a
    plan edited by hand that breaks a rule is better by nothing (`forcegen compare` marks the
    same: a briefing trial saw no line coloured, as the README says they are)."""
    required, first = row.get(f"e1.{i}"), row.get("e1.0")
    if pd.isna(required) or pd.isna(first):
        return None
    # a plan edited by hand may hold more than a line needs: short of none, not of fewer than 0
    short, short_first = max(required - row[f"v{i}"], 0), max(first - row["v0"], 0)
    if short == short_first:
        return None
    if short < short_first and (breaks_rules(outputs[i]) or breaks_rules(outputs[0])):
        return None
    return bool(short < short_first)


PEAK = "deployed personnel"
OVER_TIME = "unit-months deployed or peak personnel"


def contributor_changes(outputs: Sequence[Output], timed: bool) -> tuple[Table | None, str]:
    """The contributors whose deployment changes, and by what (the section's heading): in
    time, their unit-months deployed or their peak personnel (both shown), else their
    deployed personnel. A nation that leaves for a year keeps its peak (ITA leaving the
    bundled timed example after month 12: 1,150 personnel in both plans, 120 -> 60
    unit-months), so by the peak alone it was not listed; a mandate caps the peak, so a
    change of the peak alone is listed too. An output without `unit_months` (one written
    before it was a column) is compared by the peak alone."""
    frames = [o.contributors for o in outputs]
    if timed and all("unit_months" in f.columns for f in frames):
        # a timed Contributors sheet's deployed_personnel is the peak over the periods
        frames = [f.rename(columns={"deployed_personnel": "peak_personnel"}) for f in frames]
        peak = ["peak_personnel"]
        table = changed(outputs, frames, ["contributor"], "unit_months", [], peak, also=peak)
        return table, OVER_TIME
    return changed(outputs, frames, ["contributor"], "deployed_personnel", []), PEAK


def comparison_section(
    outputs: Sequence[Output], periods: Sequence[pd.DataFrame | None] = ()
) -> Comparison:
    """Stage values, coverage and contributions of every output beside the first's; timed
    outputs (all of them, command.same_kind): coverage in runs of periods, and the tours that
    change (compare_time.py); which outputs are re-plans of the first (replan.py); and the
    caution when some plan is not proven optimal (`caution`). `periods`: each output's input's
    Periods (None where not found): its coverage bars in unit-months, as the table's
    coverage_pct (they counted unit-periods: a quarter among months weighed as one month)."""
    # an edited timed re-plan's Asks are the solved re-plan's (edited_time.py drops them)
    replans = replans_of_first(
        [o for o in outputs if o is outputs[0] or not o.edited or not o.timed]
    )
    outputs = with_replan_changes(outputs, replans)  # the table's changes: the headline's
    months = [period_months(p) for p in periods] or [None] * len(outputs)
    figs = [headline(o, m) for o, m in zip(outputs, months, strict=True)]
    by_priority = [{k: v for k, v in f.items() if k[:1] == "p" and k[1:].isdigit()} for f in figs]
    for f, bp in zip(figs, by_priority, strict=True):
        bp["all"] = f["coverage"]
    for out, bp in zip(outputs, by_priority, strict=True):
        if not out.has_plan:  # no plan, no coverage: no bar rather than a 0% one
            bp.clear()
    timed = outputs[0].timed
    # what changes is said of the plans only: an output without one has nothing to compare
    planned = [o for o in outputs if o.has_plan] if outputs[0].has_plan else []
    contributors, contributors_by = (
        contributor_changes(planned, timed)
        if len(planned) > 1
        else (None, OVER_TIME if timed else PEAK)
    )
    without = [o.label for o in outputs if not o.has_plan]
    coverage: Table | None = None
    tours: Table | None = None
    if len(planned) > 1 and timed:
        coverage, tours = timed_changes(planned)
    elif len(planned) > 1:
        coverage = changed(
            planned,
            [o.coverage for o in planned],
            ["site", "capability"],
            "allocated",
            [],
            each=["priority", "required"],
            judge=partial(short_judged, planned),
        )
    return Comparison(
        count=len(outputs),
        first=outputs[0].label,
        figures=side_by_side(outputs),
        # an output without a plan has no bars: its legend entry says why, not a 0% (a trial)
        chart=svg(
            figures.compare_coverage(
                [o.label if o.has_plan else f"{o.label} (no plan)" for o in outputs], by_priority
            )
        ),
        coverage=coverage,
        contributors=contributors,
        contributors_by=contributors_by,
        timed=timed,
        tours=tours,
        replans=replans,
        caution=caution(outputs),
        nothing=_nothing(outputs, planned),
        unplanned=(
            f"Without a plan, not compared line by line: {', '.join(without)}."
            if without and outputs[0].has_plan
            else ""
        ),
    )


@dataclass
class _Named:
    """An output as `compare.unplanned` names it: by its label."""

    name: str
    status: str
    has_plan: bool


def _nothing(outputs: Sequence[Output], planned: Sequence[Output]) -> str:
    """What a section of changes says when it has no table: no change against the first output
    among the outputs with a plan, and of each output without one that it is not compared, in
    `forcegen compare`'s words (`plan-inf.xlsx (base) has no plan (infeasible): not compared`);
    never "no change" of an output without a plan, nor of any when the first has none."""
    first = outputs[0]
    if not first.has_plan:
        return f"Not compared: the first output, {first.label}, has no plan."
    said = not_compared_said([_Named(o.label, o.status, o.has_plan) for o in outputs])
    if not said:
        return "No change against the first output."
    lines = "; ".join(said)
    if len(planned) > 1:
        return f"No change against the first output among those with a plan; {lines}."
    return f"{lines}."
