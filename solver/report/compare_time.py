"""The comparison section of timed outputs: the same runs of periods and tour changes as
`forcegen compare` (solver/compare/timed_tables.py), read from the outputs as the page loaded them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..compare.tables import DELTA
from ..compare.timed_cover import full_cover, loses, short_said
from ..compare.timed_tables import compare_timed
from ..compare.timed_views import COVERAGE_COLUMNS, SUSTAIN_COLUMNS, TOUR_COLUMNS, TimedView
from ..compare.views import number
from ..outputs.load import Output
from .timed import period_order
from .view import Cell, Row, Table, text

LINE_KEYS = ["site", "capability"]
RUN_COLUMNS = ["from", "to", "periods"]
LINE_COLUMNS = [*LINE_KEYS, "priority", *RUN_COLUMNS, DELTA + "units"]  # priorities alike
TOUR_COLUMNS_SHOWN = ["contributor", "capability", "site", "change", "base_from", "base_to"]
TOUR_COLUMNS_SHOWN += ["base_units", "from", "to", "units"]


COMPARISON_WORKBOOK = "the comparison workbook (forcegen compare -o FILE)"


def timed_view_of(out: Output) -> TimedView:
    """`out` as compare reads a timed output (keys as text, counts as whole numbers). An edited
    output (edited_time.py) is compare's edited view: its solved status, marked edited, with
    the plan the page shows (its Tours as edited; rebuilt from them when its input was found).
    A tour the page cannot place (a units cell that is no number, a period the output does not
    know) is left out, as its Gantt chart leaves it out."""
    edited = out.edited
    periods = period_order(out)
    tours = _typed(out.table("Tours"), TOUR_COLUMNS)
    known = tours["from"].isin(periods) & tours["to"].isin(periods)
    return TimedView(
        name=out.label,
        status=str(out.summary.get("solved_status")) if edited else out.status,
        source=str(out.path),
        summary=out.summary,
        tours=tours[known].reset_index(drop=True),
        coverage=_typed(out.coverage, COVERAGE_COLUMNS),
        sustainability=_typed(out.table("Sustainability"), SUSTAIN_COLUMNS),
        periods=periods,
        stages={k: number(v) for k, v in out.summary.items() if k.startswith("objective.")},
        edited=edited,
        horizon=_horizon(out.table("Burden")),
    )


def _horizon(burden: pd.DataFrame | None) -> list[str]:
    """Every period of the plan, in order, from its Burden sheet, as compare reads it
    (`timed_views._horizon`): a review found the page compare a shorter plan's missing months
    as `-1 unit`, where compare left them out. [] without the sheet."""
    if burden is None or "period" not in burden.columns:
        return []
    return list(dict.fromkeys(burden["period"].dropna().astype(str)))


def _typed(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """`columns` of `frame`, keys as text and counts as numbers; a row whose `units` is blank
    or no number (a hand-edited Tours row) is left out, other blank counts are 0."""
    counts = {"units", "required", "allocated", "priority", "periods_short", "unit_months_short"}
    if frame is None or not len(frame) or not set(columns) <= set(frame.columns):
        return pd.DataFrame(columns=list(columns))
    typed = frame[list(columns)].copy()
    if "units" in columns:
        typed = typed[pd.to_numeric(typed["units"], errors="coerce").notna()]
    for c in columns:
        typed[c] = pd.to_numeric(typed[c]).fillna(0) if c in counts else typed[c].map(str)
    return typed


def _required(row: pd.Series) -> str:
    """`3 -> 1` where the row's output requires other units than the first, else `3`; a line
    it still covers in full says so (no loss: the rows of a shortfall are marked), and a
    change of units short that its covered units do not say is given (`2 -> 3, short by 1
    more`: a requirement raised and not met)."""
    first, own = text(row["base_required"]), text(row["required"])
    if pd.isna(row["scenario_priority"]):  # the output has no such line
        own = "none"
    said = own if first == own else f"{first} -> {own}"
    if first == own or own == "none":
        return said
    if full_cover(row):
        return said + ", covered in full"
    more = short_said(row)
    return said + (f", {more}" if more else "")


def timed_changes(outputs: Sequence[Output]) -> tuple[Table | None, Table | None]:
    """The lines whose covered units or units short change, in runs of periods (a change of
    units short alone is said in the `required` column), and the tours that change,
    each output against the first; None where nothing changes. A line's priority is one
    column when each output shown gives it the first's, else two (`priority: <first>` and
    `priority: output`, the row's own; blank where it lacks the line), as the snapshot's
    comparison gives each output's where they differ (compare.py `changed`)."""
    cmp = compare_timed([timed_view_of(o) for o in outputs])
    cov = cmp.coverage
    own = cov["scenario_priority"].map(text)
    each = not own.eq(cov["priority"].map(text)).all()
    priorities = ["priority", "scenario_priority"] if each else ["priority"]
    # what each output requires, where a scenario requires other units than the first
    both = cov["priority"].notna() & cov["scenario_priority"].notna()  # a line each has
    differs = ~cov["base_required"].map(text).eq(cov["required"].map(text))
    required = bool((both & differs).any())
    lines = [
        Row(
            [Cell(text(r[c])) for c in ["scenario", *LINE_KEYS, *priorities]]
            + [Cell(text(r[c]), num=c == "periods") for c in RUN_COLUMNS]
            + [Cell(f"{int(r[DELTA + 'units']):+d}", num=True)]
            + ([Cell(_required(r))] if required else []),
            short=loses(r),
        )
        for _, r in cov.iterrows()
    ]
    said = [f"priority: {outputs[0].label}", "priority: output"] if each else ["priority"]
    heads = ["output", *LINE_KEYS, *said, *RUN_COLUMNS, DELTA + "units"]
    heads += [f"required: {outputs[0].label} -> output"] if required else []
    tours = [
        Row([Cell(text(r["scenario"]))] + [Cell(text(r[c])) for c in TOUR_COLUMNS_SHOWN])
        for _, r in cmp.tours.iterrows()
    ]
    return (
        Table(heads, lines, COMPARISON_WORKBOOK) if lines else None,
        Table(["output", *TOUR_COLUMNS_SHOWN], tours, COMPARISON_WORKBOOK) if tours else None,
    )
