"""The keys of an output's Summary sheet, declared once as data: each key, or a family of keys
(`<N>` a priority, `<stage>` a stage's name, `<name>` a HiGHS option or a sheet, `<i>` a
count), with what its value holds and when it is written.

The writer checks every key it writes against these (`undeclared`, called by
`results.report.output_sheets` as the sheet's columns are checked against
io/output_schema.py): a key written in one module and declared nowhere was a developer trial's
finding; docs/workbook.md lists them (`python -m solver.docs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SummaryKey:
    key: str  # `<...>` one dotless part (`<i>`, `<N>`: digits); `<stage>` may hold a dot
    meaning: str
    when: str = "always"  # always, snapshot, timed, re-plan, or what else writes it


SUMMARY_KEYS: tuple[SummaryKey, ...] = (
    SummaryKey("scenario", "the scenario solved: base, or a name of the Scenarios sheet"),
    SummaryKey("status", "optimal, feasible, infeasible, no_solution or interrupted"),
    SummaryKey(
        "objective.shortfall.p<N>",
        "priority N's weighted shortfall (in time, weighted unit-months)",
    ),
    SummaryKey(
        "objective.changes", "units (in time, unit-months) changed from the baseline", "re-plan"
    ),
    SummaryKey("objective.cost", "per-unit cost and person-km of the plan (in time, of its tours)"),
    SummaryKey("cost.unit", "what objective.cost counts: per-unit cost, person-km, or mixed"),
    SummaryKey("objective.presence", "(contributor, site) pairs present"),
    SummaryKey("mip_gap", "the largest stage's relative gap (a fraction)"),
    SummaryKey(
        "solve_seconds",
        "seconds of the solve: the start (the construction heuristic, and HiGHS's repair or "
        "feasibility run where it found none) and the stages, `seconds.heuristic` + "
        "`seconds.solve`",
    ),
    SummaryKey("input_file", "the input workbook's name"),
    SummaryKey("input_sha256", "the SHA-256 of the input's content as read"),
    SummaryKey("baseline_file", "the baseline's file (blank for a Baseline sheet)", "re-plan"),
    SummaryKey("baseline_sha256", "the baseline's content digest", "re-plan"),
    SummaryKey("baseline_file_sha256", "the baseline file's bytes' SHA-256", "re-plan"),
    SummaryKey("baseline_rows", "rows of the baseline", "re-plan"),
    SummaryKey("baseline_locked_rows", "rows of the baseline locked", "re-plan"),
    SummaryKey(
        "baseline_cost",
        "the baseline's rows priced as objective.cost prices the plan, by this workbook",
        "re-plan",
    ),
    SummaryKey(
        "baseline_unpriced_rows",
        "baseline rows left out of baseline_cost: their pledge or site is not in the workbook",
        "re-plan",
    ),
    SummaryKey("forcegen_version", "the forcegen that wrote the output"),
    SummaryKey("highs_version", "the HiGHS that solved it"),
    SummaryKey("backend", "highs or pyomo"),
    SummaryKey("option.time_limit", "seconds (none under a work limit without one)"),
    SummaryKey("option.work_limit", "work units", "a work limit set"),
    SummaryKey("option.mip_gap", "the relative MIP gap each stage stops at"),
    SummaryKey("option.threads", "HiGHS threads"),
    SummaryKey("option.seed", "HiGHS's random seed"),
    SummaryKey(
        "option.highs.<name>",
        "a HiGHS option set by the API's highs_options, or a timed solve's default",
        "set",
    ),
    SummaryKey("message", "the outcome in a sentence"),
    SummaryKey("heuristic", "the start the search began from"),
    SummaryKey("required_units", "units required", "snapshot"),
    SummaryKey("allocated_units", "units allocated, up to each line's need", "snapshot"),
    SummaryKey("shortfall_units", "units short", "snapshot"),
    SummaryKey("shortfall_units.p<N>", "units short at priority N (not weighted)", "snapshot"),
    SummaryKey("coverage_pct", "100 x allocated / required (of unit-months in time)"),
    SummaryKey("deployed_personnel", "personnel deployed (in time, the peak of one period)"),
    SummaryKey("contributors_engaged", "contributors deploying a unit"),
    SummaryKey("allocation_sha256", "the digest of the Allocation rows (edits are told by it)"),
    SummaryKey("periods", "the number of periods", "timed"),
    SummaryKey("horizon_months", "months of the horizon", "timed"),
    SummaryKey("required_unit_months", "unit-months required", "timed"),
    SummaryKey("allocated_unit_months", "unit-months allocated, up to each line's need", "timed"),
    SummaryKey("shortfall_unit_months", "unit-months short", "timed"),
    SummaryKey(
        "shortfall_unit_months.p<N>", "unit-months short at priority N (not weighted)", "timed"
    ),
    SummaryKey("lines", "lines required in some period", "timed"),
    SummaryKey("lines_sustained", "of them, lines never short", "timed"),
    SummaryKey("first_gap", "the earliest gap of the most important priority with one", "timed"),
    SummaryKey("tours_sha256", "the digest of the Tours rows", "timed"),
    SummaryKey(
        "tours_derived_sha256",
        "the digest of the Tours cells derived from from, to, units",
        "timed",
    ),
    SummaryKey("stage.<stage>.status", "the stage's status (optimal, skipped, feasible, ...)"),
    SummaryKey("stage.<stage>.stopped", "what stopped a stage with a plan but no proof", "stopped"),
    SummaryKey("stage.<stage>.gap", "the stage's relative gap", "not proven"),
    SummaryKey(
        "model.<name>",
        "the model's size: variables, binary_variables, integer_variables, constraints, nonzeros",
    ),
    SummaryKey("seconds.<name>", "seconds of a phase: read, build, handoff, heuristic, solve"),
    SummaryKey("note.<i>", "what reading noted (a scenario's drops, ...)", "noted"),
    SummaryKey(
        "explanation",
        "not given: why the Gaps or Infeasibility explanation is missing",
        "stopped, out of memory",
    ),
    SummaryKey("caveat_prices", "what --price-caveats priced, or why not", "--price-caveats"),
    SummaryKey("alternatives.requested", "--alternatives K", "--alternatives"),
    SummaryKey("alternatives.within", "--within's share", "--alternatives"),
    SummaryKey("alternatives.found", "other plans found", "--alternatives"),
    SummaryKey("alternatives.status", "complete, or what stopped the search", "--alternatives"),
    SummaryKey("alternatives.message", "the search's outcome in a sentence", "--alternatives"),
    SummaryKey("output_sheets", "the sheets written, in order"),
    SummaryKey("columns.<name>", "a plan sheet's columns (Allocation, Tours)"),
    SummaryKey("columns.<name>.<i>", "an alternative plan's sheet's columns", "--alternatives"),
)


def _pattern(key: str) -> str:
    """`stage.<stage>.gap` -> `stage\\.[^.]+\\.gap`; `<N>`, `<i>` are digits."""
    parts = re.split(r"(<[^>]+>)", key)
    out = []
    for part in parts:
        if part in ("<N>", "<i>"):
            out.append(r"\d+")
        elif part.startswith("<"):
            out.append(r"[^.]+(?:\.[^.]+)*?" if part == "<stage>" else r"[^.]+")
        else:
            out.append(re.escape(part))
    return "".join(out)


_DECLARED = re.compile("|".join(f"(?:{_pattern(k.key)})" for k in SUMMARY_KEYS))


def undeclared(keys: Iterable[object]) -> list[str]:
    """The keys that match no declaration, in their order."""
    return [str(k) for k in keys if not _DECLARED.fullmatch(str(k))]


def markdown() -> str:
    """The declarations as a table for docs/workbook.md."""
    rows = [f"| `{k.key}` | {k.meaning} | {k.when} |" for k in SUMMARY_KEYS]
    return "\n".join(["| key | value | written |", "|---|---|---|", *rows]) + "\n"
