"""What a file given as a baseline is, where it holds no plan to start from: an input workbook,
another workbook forcegen writes (a comparison, a verify report), or an output whose solve
found no plan; each refused in words that say what it is (`baseline_input.read_baseline`)."""

from __future__ import annotations

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
    titles = {t.strip().lower() for t in raw.titles}
    if an_input_workbook(raw):
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
    statuses = [
        str(r.values.get("value")).strip()
        for r in (summary.rows if summary is not None else [])
        if str(r.values.get("key", "")).strip() == "status"
    ]
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
