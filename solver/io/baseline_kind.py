"""What a file given as a baseline is, where it holds no plan to start from: an input workbook,
another workbook forcegen writes (a comparison, a verify report), or an output whose solve
found no plan; each refused in words that say what it is (`baseline_input.read_baseline`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError, Issue
from .raw_sheet import RawSheet, RawWorkbook

PLANLESS = ("infeasible", "no_solution")  # an output's Summary status without a plan
# the sheets of the other workbooks forcegen writes, which hold no plan: compare -o's (and a
# sweep's comparison.xlsx: compare/workbook.py, compare/timed_output.py), verify -o's
COMPARISON_SHEETS = frozenset(("changes", "coverage changes", "tour changes"))
VERIFY_SHEETS = frozenset(("violations", "stages"))


def not_a_plan(raw: RawWorkbook) -> str:
    """What a workbook with neither a Tours nor an Allocation sheet is, where forcegen wrote it
    for another purpose (`an input workbook`, `a comparison workbook ...`); '' otherwise. It
    was called a snapshot output (`the baseline is a snapshot output but the workbook is a
    timed workbook`) where a timed workbook was given one."""
    return other_workbook(raw.titles)


def other_workbook(sheet_titles: Iterable[str]) -> str:
    """`not_a_plan` of a workbook with these sheets."""
    titles = {t.strip().lower() for t in sheet_titles}
    if {"requirements", "pledges"} <= titles:
        return "an input workbook"
    if "scenarios" in titles and titles & COMPARISON_SHEETS:
        return (
            "a comparison workbook (written by forcegen compare -o, or a sweep's comparison.xlsx)"
        )
    if "summary" in titles and titles >= VERIFY_SHEETS:
        return "a verify report (written by forcegen verify -o)"
    return ""


def an_input_workbook(raw: RawWorkbook) -> bool:
    """The file has an input's Requirements and Pledges sheets."""
    return {"requirements", "pledges"} <= {t.lower() for t in raw.titles}


def refuse_a_planless_output(summary: RawSheet | None, name: str, planned: bool) -> None:
    """An output whose solve found no plan (Summary status infeasible or no_solution) and
    whose plan sheet is empty (`planned`: it has rows, a planner's own) as a baseline would ask
    every nation for its whole contribution anew."""
    if planned:
        return
    statuses = summary_values(summary, "status")
    if statuses and statuses[0] in PLANLESS:
        raise InputError(
            [
                Issue(
                    name,
                    f"the baseline has no plan (its Summary's status is {statuses[0]}): give the "
                    "output of a solve that found one",
                )
            ]
        )


# the Summary's count of what its plan allocated: a timed output's, a snapshot's
ALLOCATED = ("allocated_unit_months", "allocated_units")


def emptied_plan(summary: RawSheet | None, planned: bool) -> str:
    """A warning for an output whose plan sheet (Tours or Allocation) has no rows
    while its Summary records a plan that allocated units: its rows were deleted (a trial
    emptied the Tours and every nation was asked for all it gives, without a word); '' for
    one with rows, or whose plan allocated nothing."""
    if planned:
        return ""
    for key in ALLOCATED:
        for value in summary_values(summary, key):
            try:
                allocated = float(value)
            except ValueError:
                continue
            if allocated > 0:
                what = "unit-months" if key == ALLOCATED[0] else "units"
                return (
                    f"the sheet has no rows, but the Summary records a plan of "
                    f"{allocated:,.0f} {what} allocated: the baseline is empty, so every unit of "
                    f"the new plan is a change asked of a nation; if the rows were deleted by "
                    f"mistake, give the output as solved"
                )
    return ""


def summary_values(summary: RawSheet | None, key: str) -> list[str]:
    """The values of a Summary's rows of `key`, as text."""
    return [
        str(r.values.get("value")).strip()
        for r in (summary.rows if summary is not None else [])
        if str(r.values.get("key", "")).strip() == key
    ]
