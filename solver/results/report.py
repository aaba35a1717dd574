"""Assemble the output tables and the Summary from a solved model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..data import Data
from ..io.output_schema import check_written
from ..io.settings_sheet import LARGE_GAP, gap_extent
from ..model.candidates import cost_unit
from ..model.context import BuildContext
from ..model.stage_names import SETTLED, shortfall_stage, stage_key
from ..solve.options import SolveOptions
from ..solve.outcome import SolveOutcome, StageResult
from ..time_plan import TimedPlan
from ..wording import cannot_all_hold, percent
from .baseline_cost import baseline_cost
from .digest import allocation_digest
from .replan import SHEETS as REPLAN_SHEETS
from .replan import add_replan_sheets
from .stages import as_stored, stage_values
from .tables import (
    Tables,
    allocation_table,
    caveats_table,
    contributors_table,
    coverage_table,
    hard_reasons,
    matrix_table,
    stage_gaps,
    summary_gap,
)
from .time_output import timed_output
from .time_stages import timed_stage_values
from .time_summary import timed_figures
from .writer import OutSheet


def make_tables(
    data: Data,
    ctx: BuildContext,
    outcome: SolveOutcome,
    options: SolveOptions,
    *,
    backend: str,
    highs_version: str,
    timings: dict[str, float],
    plan: TimedPlan | None = None,
    hard_t: np.ndarray | None = None,
    hard_t_because: np.ndarray | None = None,
    reasons: dict[tuple[str, str], str] | None = None,
) -> Tables:
    """The output tables of a solve. A timed workbook (or a `plan`) gives the timed tables
    (`timed_output`); `hard_t`/`hard_t_because` are lines x periods (default: the workbook's
    `hard` in every active period); `reasons`: (site, capability) -> why the line is short,
    for Sustainability (default: what the data alone says)."""
    if plan is not None or data.periods is not None:
        tables, plan = timed_output(data, ctx, outcome, plan, hard_t, hard_t_because, reasons)
        tables.contributors = _with_gdp(tables.contributors, data)
        values = timed_stage_values(plan) if outcome.x is not None else {}
        tables.summary = summary_rows(
            data,
            ctx,
            outcome,
            options,
            tables,
            backend=backend,
            highs_version=highs_version,
            timings=timings,
            values=values,
        )
        if outcome.x is not None:
            add_replan_sheets(data, ctx, tables, plan)
        return tables
    xval = None
    if outcome.x is not None and ctx.x is not None:
        xval = outcome.x[ctx.x["col"].to_numpy()]
    alloc = allocation_table(ctx, xval)
    hard, hard_because = hard_reasons(ctx)
    coverage = coverage_table(data, alloc, hard, hard_because)
    tables = Tables(
        summary=[],
        allocation=alloc,
        coverage=coverage,
        contributors=_with_gdp(contributors_table(data, alloc), data),
        caveats=caveats_table(ctx, xval),
        matrix=matrix_table(coverage, data),
    )
    tables.summary = summary_rows(
        data,
        ctx,
        outcome,
        options,
        tables,
        backend=backend,
        highs_version=highs_version,
        timings=timings,
    )
    if outcome.x is not None:
        add_replan_sheets(data, ctx, tables)
    return tables


def _with_gdp(contributors: pd.DataFrame, data: Data) -> pd.DataFrame:
    """The Contributors table with each contributor's `gdp` (blank where not given)."""
    gdp = data.contributors.set_index("contributor")["gdp"] if "gdp" in data.contributors else {}
    return contributors.assign(gdp=[_plain(gdp.get(c)) for c in contributors["contributor"]])


def summary_rows(
    data: Data,
    ctx: BuildContext,
    outcome: SolveOutcome,
    options: SolveOptions,
    tables: Tables,
    *,
    backend: str,
    highs_version: str,
    timings: dict[str, float],
    values: dict[str, float] | None = None,
) -> list[tuple[str, Any]]:
    has_plan = outcome.x is not None
    if values is None:
        values = stage_values(data, tables.allocation) if has_plan else {}
    values = {k: as_stored(v) for k, v in values.items() if v is not None}
    rows: list[tuple[str, Any]] = [
        ("scenario", data.scenario),
        ("status", outcome.status),
    ]
    for p in data.priorities:
        rows.append(
            (f"objective.{shortfall_stage(p)}", values.get(f"objective.{shortfall_stage(p)}"))
        )
    if data.baseline is not None:  # the stage between shortfall and cost (replanning.md)
        rows.append(("objective.changes", values.get("objective.changes")))
    rows += [
        ("objective.cost", values.get("objective.cost")),
        ("cost.unit", cost_unit(data)),  # what objective.cost counts
        ("objective.presence", values.get("objective.presence")),
        ("mip_gap", summary_gap(outcome, values) if has_plan else None),
        # the whole solve, as the limit counts it: the start (the construction heuristic and
        # its fallback) and the stages (a trial's no-plan solve of 9 s said 0.002 s)
        ("solve_seconds", round(timings.get("heuristic", 0.0) + timings.get("solve", 0.0), 3)),
        ("input_file", data.source_name),
        ("input_sha256", data.source_sha256),
        *baseline_rows(data),
        ("forcegen_version", __version__),
        ("highs_version", highs_version),
        ("backend", backend),
        *options.as_rows(),
        ("message", outcome.message or _message(outcome, options, values, _locked(data))),
        ("heuristic", outcome.heuristic),
    ]
    rows += unit_figures(data, tables) if tables.periods is None else timed_figures(data, tables)
    gaps = stage_gaps(outcome, values) if has_plan else {}
    for stage in outcome.stages:
        rows.append((stage_key(stage.name, "status"), stage.status))
        if stage.stopped:  # what stopped a stage with a plan but no proof (solve/budget.py)
            rows.append((stage_key(stage.name, "stopped"), stage.stopped))
        gap = gaps.get(stage.name)
        if gap is not None and (stage.gap is not None or stage.status not in SETTLED):
            rows.append((stage_key(stage.name, "gap"), round(gap, 9)))
    for key, value in ctx.lm.size().items():
        rows.append((f"model.{key}", value))
    for key in ("read", "build", "handoff", "heuristic", "solve"):
        if key in timings:
            rows.append((f"seconds.{key}", round(timings[key], 3)))
    for i, note in enumerate(data.notes, start=1):
        rows.append((f"note.{i}", note))
    return [(k, _plain(v)) for k, v in rows]


def baseline_rows(data: Data) -> list[tuple[str, Any]]:
    """`baseline_file` and `baseline_sha256` of a `--baseline` output (blank for the sheet),
    with `baseline_file_sha256` (the file's bytes' SHA-256, which `sha256sum` gives: the
    content digest `baseline_sha256` is not), and how many rows the baseline has and how many
    of them are locked (a planner's locks, acknowledged); none without a baseline."""
    if data.baseline is None:
        return []
    rows = data.baseline.rows
    priced = baseline_cost(data)
    return [
        ("baseline_file", data.baseline.file),
        ("baseline_sha256", data.baseline.sha256),
        ("baseline_file_sha256", data.baseline.file_sha256),
        ("baseline_rows", len(rows)),
        ("baseline_locked_rows", int(rows["lock"].sum())),
        ("baseline_cost", round(priced.cost, 6) if priced else None),
        ("baseline_unpriced_rows", priced.unpriced if priced else None),
    ]


def unit_figures(data: Data, tables: Tables) -> list[tuple[str, Any]]:
    """The snapshot's unit counts of the Summary (a timed output has `timed_figures`)."""
    cov = tables.coverage
    required = int(cov["required"].sum())
    allocated = int(cov["allocated"].sum())
    alloc = tables.allocation
    rows: list[tuple[str, Any]] = [
        ("required_units", required),
        ("allocated_units", allocated),
        ("shortfall_units", int(cov["shortfall"].sum())),
        ("coverage_pct", round(100.0 * allocated / required, 2) if required else 100.0),
        ("deployed_personnel", int(alloc["personnel"].sum()) if len(alloc) else 0),
        ("contributors_engaged", int(alloc["contributor"].nunique()) if len(alloc) else 0),
        ("allocation_sha256", allocation_digest(alloc)),
    ]
    for p in data.priorities:
        sel = cov["priority"] == p
        rows.append((f"shortfall_units.p{p}", int(cov.loc[sel, "shortfall"].sum())))
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _reproducibility(options: SolveOptions, outcome: SolveOutcome) -> str:
    """Whether a plan stopped by a limit is the same on another run: only a work limit's on
    one thread is (solve/clock.py), and not when the time limit beside it stopped a stage."""
    if options.work_limit <= 0:
        return "runs stopped by a time limit are not reproducible"
    if options.threads != 1:
        return "runs stopped by a work limit on more than one thread are not reproducible"
    timed_out = [s.name for s in outcome.stages if s.stopped == "time limit"]
    if timed_out:
        return (
            f"the time limit stopped {', '.join(timed_out)} before the work limit did, so this "
            "plan is not reproducible"
        )
    return "the work limit gives the same plan on any machine"


def _large_gap(options: SolveOptions) -> str:
    """` of 10%: a plan up to 11.1% above its bound may be said optimal` for a mip_gap of 0.1 or
    more (a planner's 1 for 1%: a plan 16.5% dearer was said optimal); '' below."""
    if options.mip_gap < LARGE_GAP:
        return ""
    return f" of {100 * options.mip_gap:g}%: {gap_extent(options.mip_gap)} may be said optimal"


def _locked(data: Data) -> bool:
    return data.baseline is not None and bool(data.baseline.rows["lock"].any())


def _message(
    outcome: SolveOutcome, options: SolveOptions, values: dict[str, float], locked: bool
) -> str:
    stopped = _reproducibility(options, outcome)
    memory = outcome.out_of_memory
    if memory is not None:  # a fault, not a limit: the stages after it are not solved
        kept = (
            "the construction heuristic's plan is kept"
            if memory.status == "heuristic"
            else "the plan of the stages before it is kept"
        )
        return (
            f"out of memory in stage {memory.name}: {kept}, "
            f"{_which_stages(outcome, values)}; run on a machine with more memory to finish"
        )
    return {
        "optimal": "optimal at every stage (within the MIP gap)" + _large_gap(options),
        "feasible": f"a limit stopped the search: {_which_stages(outcome, values)}; {stopped}",
        "infeasible": f"{cannot_all_hold(locked)}: no allocation exists",
        "no_solution": "no feasible allocation found within the limit; raise --time-limit "
        "(or --work-limit)",
        "interrupted": "interrupted: the best allocation found before the stop",
    }.get(outcome.status, "")


def _which_stages(outcome: SolveOutcome, values: dict[str, float]) -> str:
    """`the allocation is valid; proven optimal (within the MIP gap): a, b; not proven optimal:
    c (gap 3.6%), d (gap 100%)`, so that mip_gap, the largest stage's gap, is not read as the
    whole plan's (a shortfall proven optimal beside a presence stage with no bound)."""
    gaps = stage_gaps(outcome, values)
    proven = [s.name for s in outcome.stages if s.status in SETTLED]
    open_ = [
        s.name + _open_said(s, gaps.get(s.name)) for s in outcome.stages if s.status not in SETTLED
    ]
    if not proven:  # each stage with its gap (`see mip_gap` named a Summary key, not shown)
        return f"the allocation is valid; no stage proven optimal: {', '.join(open_)}"
    return (
        f"the allocation is valid; proven optimal (within the MIP gap): {', '.join(proven)}; "
        f"not proven optimal: {', '.join(open_)}"
    )


def _open_said(stage: StageResult, gap: float | None) -> str:
    """` (gap 3.6%)` beside a stage not proven; ` (not solved)` beside one the search stopped
    before (an analyst trial read `changes (gap 100%)` as a stage searched)."""
    if stage.status == "not_solved":
        return " (not solved)"
    return "" if gap is None else f" (gap {percent(gap)})"


def output_sheets(tables: Tables) -> list[OutSheet]:
    """The sheets in reading order: Dashboard, Summary, Coverage, Gaps (or Infeasibility),
    Allocation, then the rest; a timed output: Dashboard, Summary, Tours, Allocation,
    Coverage, Sustainability, Burden, Timeline, Gaps (or Infeasibility), then the rest. A
    re-plan's Asks and Changes come right after the plan (before Contributors)."""
    import pandas as pd

    from .dashboard import coverage_rules, dashboard_sheet, matrix_rules

    summary = pd.DataFrame(tables.summary, columns=["key", "value"])
    cov = tables.coverage
    explain = {"reason": 90, "explanation": 110, "summary": 90, "description": 60}
    why = [
        OutSheet(t, tables.extra[t], widths=explain)
        for t in ("Infeasibility", "Gaps")
        if t in tables.extra
    ]
    coverage = OutSheet("Coverage", cov, decorate=coverage_rules(cov))
    allocation = OutSheet("Allocation", tables.allocation)
    if tables.periods is None:
        head = [dashboard_sheet(tables), summary_sheet(summary), coverage, *why, allocation]
    else:
        from .time_sheets import timed_sheets

        head = [*timed_sheets(tables, summary_sheet(summary), allocation, coverage), *why]
    replan = [
        OutSheet(t, tables.extra[t], widths={"ask": 100, "why": 80})
        for t in REPLAN_SHEETS
        if t in tables.extra
    ]
    sheets = [
        *head,
        *replan,
        OutSheet("Contributors", tables.contributors),
        OutSheet(
            "Caveats",
            tables.caveats,
            highlight=(tables.caveats["binding"] == "yes").to_numpy()
            if len(tables.caveats)
            else None,
        ),
    ]
    if "CaveatPrices" in tables.extra:
        sheets.append(OutSheet("CaveatPrices", tables.extra["CaveatPrices"], widths=explain))
    sheets.append(
        OutSheet("Matrix", tables.matrix, decorate=matrix_rules(tables.matrix, cov), freeze="B2")
    )
    for title, frame in tables.extra.items():
        if title.startswith("Tours."):  # an alternative's tours, with dates as Tours has them
            from .time_sheets import date_format

            sheets.append(OutSheet(title, frame, cells=True, decorate=date_format))
        elif title not in ("Infeasibility", "Gaps", "CaveatPrices", *REPLAN_SHEETS):
            sheets.append(OutSheet(title, frame, widths={"differs_by": 80}))
    for sheet in sheets:  # as declared (io/output_schema.py): a writer's drift is a fault
        check_written(sheet.title, list(sheet.frame.columns), tables.periods is not None)
    _record_layout(sheets)
    return sheets


def _record_layout(sheets: list[OutSheet]) -> None:
    """The Summary records the sheets written and the plan sheets' columns (`output_sheets`,
    `columns.Tours`, `columns.Allocation`), so that a sheet or column a planner adds later is
    known as theirs and not lost by a solve into the file (results/hand_edit.py
    `additions`)."""
    import pandas as pd

    from ..io.summary_keys import undeclared
    from .hand_edit import SEP

    by_title = {s.title: s for s in sheets}
    rows = [("output_sheets", SEP.join(s.title[:31] for s in sheets))]
    rows += [
        (f"columns.{title}", SEP.join(str(c) for c in sheet.frame.columns))
        for title, sheet in by_title.items()
        if title.split(".", 1)[0] in ("Tours", "Allocation")  # the plans (alternatives' too)
    ]
    layout = pd.DataFrame(rows, columns=["key", "value"])
    summary = by_title["Summary"]
    summary.frame = pd.concat([summary.frame, layout], ignore_index=True)
    stray = undeclared(summary.frame["key"])  # as declared (io/summary_keys.py): drift is a fault
    if stray:
        raise ValueError(f"the Summary would be written with undeclared keys {stray}")


def summary_sheet(summary: list[tuple[str, Any]]) -> OutSheet:
    return OutSheet("Summary", summary, widths={"key": 34, "value": 70})
