"""The Dashboard sheet (headline figures and live Excel charts over a helper table on the same
sheet) and the conditional formats of the Coverage and Matrix sheets."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model.stage_names import shortfall_stage
from ..wording import unproven_note
from .console import replan_lines, unexplained_lines
from .tables import Tables, explanation_skipped
from .writer import HEADER_FILL, HEADER_FONT, OutSheet

PCT, INT = "0.0%", "#,##0"
RED_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
RED_FONT = Font(color="9C0006")
HARD_FONT = Font(bold=True)
GREEN, RED, BLUE, GREY = "70AD47", "C00000", "2F5597", "A5A5A5"
CHART_COL = "G"  # charts sit right of the figures and the chart data (columns A:E)
CONTRIBUTOR_CHART_ROW = 21  # below the first chart (9 cm from row 2)
ROW_CM = 15 / 72 * 2.54  # Excel's default row height, 15 points, in cm

SITE_HEADER = ["site", "allocated", "shortfall", "required", "coverage"]
CONTRIBUTOR_HEADER = ["contributor", "deployed personnel", "personnel share", "gdp share"]


NO_PLAN = {  # statuses of an output without a plan, and what its Dashboard says instead
    "infeasible": "none: no allocation exists (the Infeasibility sheet says why)",
    "no_solution": "none: no plan was found within the limit",
}


def planless_headline(tables: Tables) -> list[tuple[str, Any]] | None:
    """The Dashboard of an output without a plan (infeasible, or no plan in time): status, why,
    scenario, input and `plan: none ...`, no coverage or unit figures (there is nothing they
    could count); None when the output has a plan."""
    summary = dict(tables.summary)
    status = summary.get("status")
    if status not in NO_PLAN:
        return None
    plan = NO_PLAN[str(status)]
    if status == "infeasible" and explanation_skipped(summary):
        # a stop came while the conflict was worked out: there is no Infeasibility sheet
        plan = f"none: no allocation exists (why {summary['explanation']})"
    return [
        ("status", status),
        ("why", summary.get("message")),
        ("scenario", summary.get("scenario")),
        ("input", summary.get("input_file")),
        ("plan", plan),
    ]


def replan_rows(tables: Tables) -> list[tuple[str, Any, str]]:
    """A re-plan's headline as the console says it: the baseline's file and `N units change,
    M nations asked` (with `not proven the fewest` where the search did not prove it), and its
    cost against the baseline's (`results.baseline_cost.cost_sentence`); none
    without a baseline. The Dashboard opens the file: without them a planner reading it saw
    no word that the plan is a re-plan, nor what it asks."""
    lines = replan_lines(tables)
    if not lines:
        return []
    baseline = dict(tables.summary).get("baseline_file") or "the workbook's Baseline sheet"
    cost = [("re-plan cost", lines[1], "")] if len(lines) > 1 else []
    return [("re-planned against", baseline, ""), ("re-plan", lines[0], ""), *cost]


def unexplained_rows(tables: Tables) -> list[tuple[str, Any, str]]:
    """`gap reasons: none in this output: Ctrl-C came while the gaps' reasons were worked out`
    where a stop (or memory) skipped them, as the console says it; none otherwise. The plan is
    whole, its status stays, and a planner reading the Dashboard saw no word of it (a trial)."""
    said = unexplained_lines(dict(tables.summary), "none in this output")
    return [("gap reasons", said[0], "")] if said else []


def left_aligned(ws: Worksheet, formats: list[str]) -> None:
    """The headline's values (B2 down) left-aligned, text wrapped, numbers in their formats."""
    ws.freeze_panes = None
    ws.auto_filter.ref = None
    for i, fmt in enumerate(formats, start=2):
        cell = ws.cell(row=i, column=2)
        cell.alignment = Alignment(horizontal="left", wrap_text=isinstance(cell.value, str))
        if fmt:
            cell.number_format = fmt


def planless_dashboard(tables: Tables) -> OutSheet | None:
    """The Dashboard of an output without a plan (`planless_headline`), no charts; None when
    the output has a plan."""
    headline = planless_headline(tables)
    if headline is None:
        return None
    frame = pd.DataFrame(headline, columns=["figure", "value"])
    return OutSheet(
        "Dashboard",
        frame,
        widths={"figure": 30, "value": 70},
        decorate=lambda ws: left_aligned(ws, [""] * len(headline)),
        cells=True,
    )


def dashboard_sheet(tables: Tables) -> OutSheet:
    """The Dashboard: headline figures (A:B), then the chart data below them, charts at G; an
    output without a plan has its headline only (`planless_dashboard`)."""
    planless = planless_dashboard(tables)
    if planless is not None:
        return planless
    headline, formats = headline_rows(tables)
    frame = pd.DataFrame(headline, columns=["figure", "value"])

    def decorate(ws: Worksheet) -> None:
        left_aligned(ws, formats)
        for letter in "CDE":
            ws.column_dimensions[letter].width = 16
        row = len(headline) + 3
        row = _site_block(ws, row, site_frame(tables.coverage))
        _contributor_block(ws, row + 2, contributor_frame(tables.contributors))

    return OutSheet(
        "Dashboard", frame, widths={"figure": 30, "value": 24}, decorate=decorate, cells=True
    )


def headline_rows(tables: Tables) -> tuple[list[tuple[str, Any]], list[str]]:
    """(figure, value) rows and each row's number format ('' for none)."""
    summary = dict(tables.summary)
    cov = tables.coverage
    open_ = partial(unproven_note, summary)  # beside a figure a stage not proven decides
    rows: list[tuple[str, Any, str]] = [
        ("status", summary.get("status"), ""),
        ("why", summary.get("message"), ""),
        *unexplained_rows(tables),
        ("MIP gap (the largest stage's)", summary.get("mip_gap"), "0.00%"),
        ("scenario", summary.get("scenario"), ""),
        ("input", summary.get("input_file"), ""),
        *replan_rows(tables),
        (
            "coverage, all priorities" + open_("shortfall"),
            _share(cov["allocated"].sum(), cov["required"].sum()),
            PCT,
        ),
    ]
    priorities = sorted(int(p) for p in cov["priority"].unique())
    for p in priorities:
        sel = cov[cov["priority"] == p]
        share = _share(sel["allocated"].sum(), sel["required"].sum())
        rows.append((f"coverage p{p}" + open_(shortfall_stage(p)), share, PCT))
    rows += [
        ("units required", int(cov["required"].sum()), INT),
        ("units allocated" + open_("shortfall"), int(cov["allocated"].sum()), INT),
        ("units unmet" + open_("shortfall"), int(cov["shortfall"].sum()), INT),
    ]
    for p in priorities:
        unmet = int(cov.loc[cov["priority"] == p, "shortfall"].sum())
        rows.append((f"units unmet p{p}" + open_(shortfall_stage(p)), unmet, INT))
    hard_short = int(((cov["hard"] == "yes") & (cov["shortfall"] > 0)).sum())
    con = tables.contributors
    rows += [
        ("hard lines short", hard_short, INT),  # met by any solved plan: no mark
        ("personnel deployed", int(con["deployed_personnel"].sum()), INT),
        ("contributors engaged", int((con["deployed_units"] > 0).sum()), INT),
        ("contributors available", int((con["status"] == "available").sum()), INT),
        ("cost (the cost stage)" + open_("cost"), summary.get("objective.cost"), "#,##0.00"),
        ("cost unit", summary.get("cost.unit"), ""),
    ]
    return [(k, v) for k, v, _ in rows], [f for _, _, f in rows]


def site_frame(coverage: pd.DataFrame) -> pd.DataFrame:
    """Allocated and short units per site, sites in the order they first appear."""
    grouped = coverage.groupby("site", sort=False)[["allocated", "shortfall", "required"]].sum()
    out = grouped.reset_index()
    out["coverage"] = [_share(a, r) for a, r in zip(out["allocated"], out["required"], strict=True)]
    return out[SITE_HEADER]


def contributor_frame(contributors: pd.DataFrame) -> pd.DataFrame:
    """Available contributors by deployed personnel (most first): personnel and gdp shares.

    The gdp share is taken over the available contributors whose gdp is given."""
    con = contributors[contributors["status"] == "available"].copy()
    con = con.sort_values(["deployed_personnel", "contributor"], ascending=[False, True])
    total = float(con["deployed_personnel"].sum())
    gdp = pd.to_numeric(con.get("gdp", pd.Series(dtype=float)), errors="coerce")
    gdp = gdp.reindex(con.index)
    gdp_total = float(gdp.sum(skipna=True))
    return pd.DataFrame(
        {
            "contributor": con["contributor"].astype(str),
            "deployed personnel": con["deployed_personnel"].astype(int),
            "personnel share": con["deployed_personnel"] / total if total else 0.0,
            "gdp share": gdp / gdp_total if gdp_total else None,
        }
    ).reset_index(drop=True)[CONTRIBUTOR_HEADER]


def _share(part: float, whole: float) -> float:
    return round(float(part) / float(whole), 6) if whole else 1.0


def _table(ws: Worksheet, row: int, title: str, frame: pd.DataFrame, fmts: dict[str, str]) -> int:
    """Write a titled table at column A from `row`; returns its header row."""
    ws.cell(row=row, column=1, value=title).font = Font(bold=True)
    header = row + 1
    for j, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=header, column=j, value=name)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=header + 1):
        for j, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            if isinstance(value, float) and value != value:
                value = None  # NaN: an empty cell
            cell = ws.cell(row=i, column=j, value=value.item() if hasattr(value, "item") else value)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
            if name in fmts:
                cell.number_format = fmts[name]
    return header


def _site_block(ws: Worksheet, row: int, sites: pd.DataFrame) -> int:
    header = _table(ws, row, "Chart data: units per site", sites, {"coverage": PCT})
    last = header + len(sites)
    if len(sites):
        chart = _bar("Coverage per site (units)", "col", stacked=True)
        chart.add_data(
            Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last), titles_from_data=True
        )
        _categories(chart, Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        _colour(chart, [GREEN, RED])
        chart.width, chart.height = 24, 9
        ws.add_chart(chart, f"{CHART_COL}2")
    return last


def _contributor_block(
    ws: Worksheet,
    row: int,
    con: pd.DataFrame,
    title: str = "Deployed personnel per contributor",
) -> int:
    """The contributors' table (contributor, personnel, personnel share, gdp share, in this
    order; the headers are the frame's) and its two charts, the first titled `title`; the
    first row below the charts."""
    fmts = {con.columns[1]: INT, con.columns[2]: PCT, "gdp share": PCT}
    header = _table(ws, row, "Chart data: available contributors", con, fmts)
    last = header + len(con)
    if not len(con):
        return CONTRIBUTOR_CHART_ROW
    height = max(7.5, 0.5 * len(con) + 2.5)
    cats = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    deployed = _bar(title, "bar")
    deployed.add_data(Reference(ws, min_col=2, min_row=header, max_row=last), titles_from_data=True)
    _categories(deployed, cats)
    deployed.legend = None
    _colour(deployed, [BLUE])
    burden = _bar(f"Burden share: {con.columns[2].removesuffix(' share')} vs gdp", "bar")
    burden.add_data(
        Reference(ws, min_col=3, max_col=4, min_row=header, max_row=last), titles_from_data=True
    )
    _categories(burden, cats)
    burden.y_axis.number_format = "0%"
    _colour(burden, [BLUE, GREY])
    for chart, column in ((deployed, CHART_COL), (burden, "P")):
        chart.width, chart.height = 14, height
        chart.x_axis.scaling.orientation = "maxMin"  # the largest contributor at the top
        ws.add_chart(chart, f"{column}{CONTRIBUTOR_CHART_ROW}")
    return CONTRIBUTOR_CHART_ROW + rows_spanned(height)


def rows_spanned(height_cm: float) -> int:
    """The rows of default height a chart `height_cm` tall covers (so that what follows it is
    placed below it: a scale trial's chart of 40 contributors, 22.5 cm, hid the chart below)."""
    return math.ceil(height_cm / ROW_CM)


def _bar(title: str, kind: str, stacked: bool = False) -> BarChart:
    chart = BarChart()
    chart.type, chart.title, chart.style = kind, title, 10
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    chart.x_axis.delete = False  # openpyxl >= 3.1 hides axes unless told
    chart.y_axis.delete = False
    return chart


def _categories(chart: BarChart, ref: Reference) -> None:
    """Category labels as a text reference (openpyxl's default is a number reference)."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(ref)))


def _colour(chart: BarChart, colours: list[str]) -> None:
    for series, colour in zip(chart.series, colours, strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour


def coverage_rules(frame: pd.DataFrame) -> Callable[[Worksheet], None]:
    """Coverage: rows short of their requirement red, hard requirements bold (live rules)."""

    def apply(ws: Worksheet) -> None:
        if not len(frame):
            return
        col = {name: get_column_letter(j) for j, name in enumerate(frame.columns, start=1)}
        cells = f"A2:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        short = f"${col['allocated']}2<${col['required']}2"
        ws.conditional_formatting.add(
            cells, FormulaRule(formula=[short], fill=RED_FILL, font=RED_FONT)
        )
        ws.conditional_formatting.add(
            cells, FormulaRule(formula=[f'${col["hard"]}2="yes"'], font=HARD_FONT)
        )

    return apply


def matrix_rules(frame: pd.DataFrame, coverage: pd.DataFrame) -> Callable[[Worksheet], None]:
    """Matrix: cells 'allocated/required' short red; hard lines (per Coverage) bold."""

    def apply(ws: Worksheet) -> None:
        if not len(frame) or len(frame.columns) < 2:
            return
        cells = f"B2:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        short = 'IFERROR(VALUE(LEFT(B2,SEARCH("/",B2)-1))<VALUE(MID(B2,SEARCH("/",B2)+1,9)),FALSE)'
        ws.conditional_formatting.add(
            cells, FormulaRule(formula=[short], fill=RED_FILL, font=RED_FONT)
        )
        col = {name: get_column_letter(j) for j, name in enumerate(coverage.columns, start=1)}
        site, cap, hard = (f"Coverage!${col[c]}:${col[c]}" for c in ("site", "capability", "hard"))
        is_hard = f'COUNTIFS({site},$A2,{cap},B$1,{hard},"yes")>0'
        ws.conditional_formatting.add(cells, FormulaRule(formula=[is_hard], font=HARD_FONT))

    return apply
