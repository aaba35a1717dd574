"""The Dashboard of a timed output: headline figures in unit-months, then two charts in time
over chart data on the same sheet, and the burden charts of the snapshot Dashboard.

- coverage by priority per period: allocated / required units of the lines of that priority in
  that period (a line chart; blank where nothing of that priority is required);
- personnel per contributor per period: the personnel present (stacked bars, one series per
  engaged contributor).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from ..model.stage_names import shortfall_stage
from ..wording import unproven_note
from .console import also_then
from .dashboard import (
    CHART_COL,
    INT,
    PCT,
    _categories,
    _contributor_block,
    _share,
    _table,
    contributor_frame,
    left_aligned,
    planless_dashboard,
    replan_rows,
    rows_spanned,
    unexplained_rows,
)
from .tables import Tables
from .time_summary import first_gap_row, months_of
from .writer import OutSheet

PERSONNEL_ROW = 62  # the wide personnel table starts below the charts
PERSONNEL_CHART_ROW = 40  # below the contributors' charts, where they are short
PERSONNEL_CHART_CM = 9


def timed_dashboard_sheet(tables: Tables) -> OutSheet:
    """The Dashboard of a timed output (see the module docstring); an output without a plan
    has its headline only (`dashboard.planless_dashboard`)."""
    planless = planless_dashboard(tables)
    if planless is not None:
        return planless
    headline, formats = timed_headline(tables)
    frame = pd.DataFrame(headline, columns=["figure", "value"])
    assert tables.periods is not None
    names = tables.periods["period"].tolist()

    def decorate(ws: Worksheet) -> None:
        left_aligned(ws, formats)
        row = len(headline) + 3
        row = _priority_block(ws, row, coverage_by_priority(tables.coverage, names))
        below = _contributor_block(
            ws, row + 2, peaks_and_months(tables), "Peak personnel per contributor"
        )
        _personnel_block(
            ws, tables, max(row + 4 + len(tables.contributors), PERSONNEL_ROW), below + 1
        )

    return OutSheet(
        "Dashboard", frame, widths={"figure": 30, "value": 24}, decorate=decorate, cells=True
    )


def peaks_and_months(tables: Tables) -> pd.DataFrame:
    """The snapshot's contributor table in time: each contributor's peak personnel (its own
    largest simultaneous force: the peaks do not add up to the force's peak, which may fall
    in another period) and its share of the personnel-months, sum over t of months(t) x
    personnel present, which is what the horizon asked of it."""
    assert tables.periods is not None
    frame = contributor_frame(tables.contributors)
    alloc = tables.allocation
    person_months = pd.Series(dtype=float)
    if len(alloc):
        months = months_of(tables.periods, alloc["period"])
        person_months = (
            pd.Series(months * alloc["personnel"].to_numpy(dtype=float), index=alloc.index)
            .groupby(alloc["contributor"].astype(str))
            .sum()
        )
    mine = person_months.reindex(frame["contributor"]).fillna(0.0).to_numpy()
    total = float(mine.sum())
    return pd.DataFrame(
        {
            "contributor": frame["contributor"],
            "peak personnel": frame["deployed personnel"],
            "personnel-months share": mine / total if total else 0.0,
            "gdp share": frame["gdp share"],
        }
    )


def timed_headline(tables: Tables) -> tuple[list[tuple[str, Any]], list[str]]:
    """(figure, value) rows and their number formats; counts in unit-months."""
    summary = dict(tables.summary)
    cov = tables.coverage
    assert tables.periods is not None
    months = months_of(tables.periods, cov["period"])
    req = months * cov["required"].to_numpy()
    got = months * cov["allocated"].to_numpy()
    short = months * cov["shortfall"].to_numpy()
    open_ = partial(unproven_note, summary)  # beside a figure a stage not proven decides
    rows: list[tuple[str, Any, str]] = [
        ("status", summary.get("status"), ""),
        ("why", summary.get("message"), ""),
        *unexplained_rows(tables),
        ("MIP gap (the largest stage's)", summary.get("mip_gap"), "0.00%"),
        ("scenario", summary.get("scenario"), ""),
        ("input", summary.get("input_file"), ""),
        *replan_rows(tables),
        ("periods", summary.get("periods"), INT),
        ("horizon (months)", summary.get("horizon_months"), INT),
        ("coverage, all priorities" + open_("shortfall"), _share(got.sum(), req.sum()), PCT),
    ]
    priority = cov["priority"].to_numpy()
    priorities = sorted(int(p) for p in cov["priority"].unique())
    for p in priorities:
        sel = priority == p
        share = _share(got[sel].sum(), req[sel].sum())
        rows.append((f"coverage p{p}" + open_(shortfall_stage(p)), share, PCT))
    rows += [
        ("unit-months required", int(req.sum()), INT),
        ("unit-months allocated" + open_("shortfall"), int(got.sum()), INT),
        ("unit-months unmet" + open_("shortfall"), int(short.sum()), INT),
    ]
    for p in priorities:
        unmet = int(short[priority == p].sum())
        rows.append((f"unit-months unmet p{p}" + open_(shortfall_stage(p)), unmet, INT))
    con = tables.contributors
    # lines, as the briefing counts them (it counted line-periods here: two figures of one name)
    hard = cov[(cov["hard"] == "yes") & (cov["shortfall"] > 0)]
    hard_short = len(hard.groupby(["site", "capability"]))
    rows += [
        ("lines held in every period" + open_("shortfall"), summary.get("lines_sustained"), INT),
        ("lines", summary.get("lines"), INT),
        *_first_gap(tables, summary),
        ("hard lines short in some period", hard_short, INT),  # met by a solved plan: no mark
        ("peak personnel deployed", summary.get("deployed_personnel"), INT),
        ("contributors engaged", int((con["deployed_units"] > 0).sum()), INT),
        ("contributors available", int((con["status"] == "available").sum()), INT),
        ("cost (the cost stage)" + open_("cost"), summary.get("objective.cost"), "#,##0.00"),
        ("cost unit", summary.get("cost.unit"), ""),
    ]
    return [(k, v) for k, v, _ in rows], [f for _, _, f in rows]


def coverage_by_priority(coverage: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Rows: periods in time order; columns `period`, `p1`, `p2`, ...: allocated / required
    units of that priority's lines in that period (blank when none is required)."""
    sums = coverage.groupby(["period", "priority"])[["allocated", "required"]].sum()
    priorities = sorted(int(p) for p in coverage["priority"].unique())
    rows = []
    for t in periods:
        row: dict[str, Any] = {"period": t}
        for p in priorities:
            need = int(sums["required"].get((t, p), 0))
            row[f"p{p}"] = _share(sums["allocated"].get((t, p), 0), need) if need else None
        rows.append(row)
    return pd.DataFrame(rows, columns=["period", *(f"p{p}" for p in priorities)])


def personnel_by_contributor(allocation: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Rows: periods; columns `period`, then each contributor present at some time (sorted):
    personnel present in that period."""
    if not len(allocation):
        return pd.DataFrame({"period": periods})
    table = allocation.pivot_table(
        index="period", columns="contributor", values="personnel", aggfunc="sum", fill_value=0
    )
    table = table.reindex(index=periods, fill_value=0).astype(int)
    out = table.reset_index().rename(columns={"index": "period"})
    out.columns = ["period", *[str(c) for c in table.columns]]
    return out


def _priority_block(ws: Worksheet, row: int, frame: pd.DataFrame) -> int:
    fmts = {c: PCT for c in frame.columns if c != "period"}
    header = _table(ws, row, "Chart data: coverage by priority per period", frame, fmts)
    last = header + len(frame)
    if len(frame) and len(frame.columns) > 1:
        chart = LineChart()
        chart.title, chart.style = "Coverage by priority over time", 10
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.add_data(
            Reference(ws, min_col=2, max_col=len(frame.columns), min_row=header, max_row=last),
            titles_from_data=True,
        )
        _categories(chart, Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        chart.width, chart.height = 24, 9
        ws.add_chart(chart, f"{CHART_COL}2")
    return last


def personnel_chart_cm(nations: int) -> float:
    """The personnel chart's height: 9 cm, taller where its legend of `nations` (one entry of
    about 0.45 cm each, to the right) would not fit (a scale trial: 39 in 9 cm)."""
    return max(PERSONNEL_CHART_CM, 0.45 * nations + 2.0)


def _personnel_block(ws: Worksheet, tables: Tables, row: int, free_row: int) -> None:
    """The personnel per contributor and period: its chart from PERSONNEL_CHART_ROW (or
    `free_row`, the first below the charts above), its table below the chart (from `row` at
    the earliest)."""
    assert tables.periods is not None
    frame = personnel_by_contributor(tables.allocation, tables.periods["period"].tolist())
    height = personnel_chart_cm(len(frame.columns) - 1)
    chart_row = max(PERSONNEL_CHART_ROW, free_row)
    row = max(row, chart_row + rows_spanned(height) + 2)
    fmts = {c: INT for c in frame.columns if c != "period"}
    header = _table(ws, row, "Chart data: personnel per contributor per period", frame, fmts)
    last = header + len(frame)
    if not len(frame) or len(frame.columns) < 2:
        return
    chart = BarChart()
    chart.type, chart.title, chart.style = "col", "Personnel per contributor over time", 10
    chart.grouping, chart.overlap = "stacked", 100
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(
        Reference(ws, min_col=2, max_col=len(frame.columns), min_row=header, max_row=last),
        titles_from_data=True,
    )
    _categories(chart, Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    chart.width, chart.height = 24, height
    ws.add_chart(chart, f"{CHART_COL}{chart_row}")


def _first_gap(tables: Tables, summary: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """The headline's `first gap` row: the Summary's `first_gap` with the other lines of its
    priority short from the same period, as the console says it (`p1 LTU-South AD_BTY from
    2027-04 (and POL-East AD_BTY then)`: named alone, the first of two read as the only one,
    an analyst trial), marked where its priority's stage (or one before) is not proven."""
    first = summary.get("first_gap")
    sus = tables.timed["Sustainability"]
    assert tables.periods is not None
    gap = first_gap_row(sus, tables.periods["period"].tolist()) if first else None
    if gap is None:
        return [("first gap", str(first) if first else "none", "")]
    mark = unproven_note(summary, shortfall_stage(int(gap.priority)))
    return [("first gap" + mark, str(first) + also_then(sus, gap), "")]
