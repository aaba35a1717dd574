"""What `verify` found: the violations, the objective stages beside the stored ones, and how to
show them (console lines, report sheets)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import Issue
from ..exit_codes import EXIT_INFEASIBLE, EXIT_OK
from ..results.writer import OutSheet
from ..wording import count
from .plan import Violation

TOLERANCE = 1e-6
ROUNDING = 1e-9  # relative: a difference in the sum's last digits (`shown_difference`)


@dataclass
class StageRow:
    """One objective stage: recomputed for the plan as it stands, and as stored in the file."""

    stage: str
    recomputed: float | None
    stored: float | None

    @property
    def difference(self) -> float | None:
        if self.recomputed is None or self.stored is None:
            return None
        return self.recomputed - self.stored

    @property
    def shown_difference(self) -> float | None:
        """The difference as the Stages sheet shows it: 0 where it is rounding, within
        ROUNDING of the stored value (a cost recomputed as 107,919,711.955 against
        107,919,711.95500001 stored showed -5.6e-09 beside the console's equal values); a
        difference within TOLERANCE but above it (0.5 on a cost of 1e8) is shown."""
        diff = self.difference
        if diff is None:
            return None
        return 0.0 if abs(diff) <= ROUNDING * max(1.0, abs(self.stored or 0.0)) else diff

    @property
    def same(self) -> bool:
        diff = self.difference
        if diff is None:
            return self.recomputed is None and self.stored is None
        return abs(diff) <= TOLERANCE * max(1.0, abs(self.stored or 0.0))


@dataclass
class VerifyReport:
    """The findings of `verify`: empty `violations` means the allocation holds."""

    violations: list[Violation]
    stages: list[StageRow]
    scenario: str = "base"
    units: int = 0
    rows: int = 0
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timed: bool = False  # a timed plan: `rows` are Tours rows, `units` the tours' units
    # why the file holds no plan (its solve found none: `infeasible ...`), '' when it has one or
    # a planner typed one into it: its empty plan is checked as it stands, and said so
    no_plan: str = ""

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_INFEASIBLE

    def stage_values(self) -> dict[str, float | None]:
        return {s.stage: s.recomputed for s in self.stages}

    def violations_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                (v.rule, ", ".join(v.ids), v.message, ", ".join(map(str, v.rows)))
                for v in self.violations
            ],
            columns=["rule", "ids", "message", "tours_rows" if self.timed else "allocation_rows"],
        )

    def stages_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(s.stage, s.recomputed, s.stored, s.shown_difference) for s in self.stages],
            columns=["stage", "recomputed", "stored", "difference"],
        )


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def unread_stages(stored: dict[str, Any]) -> list[Issue]:
    """A warning for each stored stage (`objective.*` of the Summary) that is filled but no
    number: it is left out of the comparison, said so (a mutation trial's `objective.cost`
    `lots` showed as `-` without a word)."""
    return [
        Issue(
            "Summary",
            f"{key} '{value}' is no number: the stored stage is left out of the comparison",
            "warning",
        )
        for key, value in stored.items()
        if key.startswith("objective.")
        and value is not None
        and str(value).strip()
        and _number(value) is None
    ]


def compare_stages(recomputed: dict[str, float], stored: dict[str, Any]) -> list[StageRow]:
    """Recomputed stages beside the stored `objective.*` values, in lexicographic order: a
    stage only stored (a re-plan's `changes`, verified without its baseline) in its place
    among them, after the stored stages before it (it came last, after presence: a trial)."""
    keys = list(recomputed)
    stored_keys = [k for k in stored if k.startswith("objective.")]
    for n, key in enumerate(stored_keys):
        if key in keys:
            continue
        anchor = max((keys.index(k) for k in stored_keys[:n] if k in keys), default=-1)
        keys.insert(anchor + 1, key)
    return [StageRow(k, recomputed.get(k), _number(stored.get(k))) for k in keys]


def against_stored(stages: list[StageRow]) -> tuple[str, StageRow] | None:
    """How the plan as it stands compares with the stored (solved) one, lexicographically:
    `("worse", s)` or `("better", s)` with s the first stage where they differ; None when they
    agree in every stage, or when that first stage cannot be compared (a value missing)."""
    for s in stages:
        if s.same:
            continue
        diff = s.difference
        if diff is None:
            return None
        return ("worse" if diff > 0 else "better"), s
    return None


def lexicographic_note(stages: list[StageRow]) -> str | None:
    """A note when the plan beats the stored solution at the first stage where they differ."""
    found = against_stored(stages)
    if found is None or found[0] != "better":
        return None
    s = found[1]
    return (
        f"the plan is lexicographically better than the stored solution (first at "
        f"{s.stage}: {s.recomputed:,.6g} < {s.stored:,.6g}); the stored solve was not "
        "optimal within its gap, or the input changed since"
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}"


def text_lines(report: VerifyReport, title: str) -> list[str]:
    """What `forcegen verify` prints."""
    if report.timed:  # a unit serving two tours is in both: say so, it is not the force's size
        held = (
            f"{count(report.rows, 'tour')}, {count(report.units, 'unit-tour')} (a unit deployed "
            "twice counts in each)"
        )
    else:
        held = f"{count(report.units, 'unit')} in {count(report.rows, 'allocation row')}"
    lines = [f"{title} (scenario {report.scenario}): {held}"]
    if report.no_plan:
        lines.append(f"note: {report.no_plan}")
    if report.violations:
        lines.append(f"violations ({len(report.violations)}):")
        lines += [f"  {v.message}{f' ({v.where})' if v.where else ''}" for v in report.violations]
    else:
        what = (
            "plan respects every rule and caveat in every period"
            if report.timed
            else ("allocation respects every rule and caveat")
        )
        lines.append(f"no violations: the {what}")
    # a column as wide as its widest number, with two spaces before it (a cost of 10^18 ran
    # into the next column at a fixed 18); none for no plan (its figures against `-`: a review)
    stages = [] if report.no_plan else report.stages
    cells = [(_fmt(s.recomputed), _fmt(s.stored)) for s in stages]
    width = max([16, *(len(c) for pair in cells for c in pair)]) + 2
    if stages:
        lines.append(f"  {'objective stage':<24}{'recomputed':>{width}}{'stored':>{width}}")
    for s, (recomputed, stored) in zip(stages, cells, strict=True):
        mark = "  (differs)" if s.difference is not None and not s.same else ""
        name = s.stage.removeprefix("objective.")
        lines.append(f"  {name:<24}{recomputed:>{width}}{stored:>{width}}{mark}")
    lines += [f"note: {n}" for n in report.notes]
    lines.append(result_line(report))
    return lines


def result_line(report: VerifyReport) -> str:
    """`result: the plan holds`, `... violates 2 rules`; a plan that holds but whose stages
    differ from the stored (solved) ones says which way, at the first stage that differs: it
    is still valid (exit 0), only worse (or better) than the solved plan:
    `result: the plan holds (valid), but it is worse than the solved plan: shortfall.p1 7
    against 3`."""
    what = "plan" if report.timed else "allocation"
    if report.no_plan:
        broken = count(len(report.violations), "rule") if report.violations else "no rule"
        return f"result: no plan to verify; the empty {what} violates {broken}"
    if not report.ok:
        return f"result: the {what} violates {count(len(report.violations), 'rule')}"
    versus = against_stored(report.stages)
    if versus is None:
        return f"result: the {what} holds"
    word, s = versus
    how = "but it is worse" if word == "worse" else "and it is better"
    return (
        f"result: the {what} holds (valid), {how} than the solved {what}: "
        f"{s.stage.removeprefix('objective.')} {_fmt(s.recomputed)} against {_fmt(s.stored)}"
    )


def against_solved_word(report: VerifyReport) -> str:
    """`same`, `worse` or `better` than the stored (solved) stages, at the first that differs;
    `not compared` where a value is missing there. A plan that violates a rule is still
    compared: its stages are what it would score."""
    if not any(not s.same for s in report.stages):
        return "same"
    found = against_stored(report.stages)
    return "not compared" if found is None else found[0]


def report_sheets(report: VerifyReport, facts: list[tuple[str, Any]]) -> list[OutSheet]:
    """`Violations` (rule, ids, message), `Stages` (stage, recomputed, stored) and a Summary."""
    summary = pd.DataFrame(
        [
            *facts,
            ("scenario", report.scenario),
            ("result", "holds" if report.ok else "violated"),
            ("against_solved", against_solved_word(report)),
            ("verdict", result_line(report).removeprefix("result: ")),
            ("violations", len(report.violations)),
            # in time the Tours' units (a unit per tour: unit-tours), named so
            ("allocated_unit_tours" if report.timed else "allocated_units", report.units),
            *((f"warning.{i}", str(w)) for i, w in enumerate(report.warnings, start=1)),
            *((f"note.{i}", n) for i, n in enumerate(report.notes, start=1)),
            *([("no_plan", report.no_plan)] if report.no_plan else []),
        ],
        columns=["key", "value"],
    )
    return [
        OutSheet("Summary", summary, widths={"key": 24, "value": 70}),
        OutSheet("Violations", report.violations_frame(), widths={"message": 100}),
        OutSheet("Stages", report.stages_frame()),
    ]
