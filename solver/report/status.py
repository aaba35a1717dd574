"""The HTML briefing's status banner (html.py): the status in a sentence, the stages a limit
or a stop left unproven and why, an edited plan's verdict, an infeasible plan's conflict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..model.stage_names import stage_records
from ..outputs.load import Output
from ..results.console import unexplained_lines
from ..results.earlier_plan import memory_stage
from ..wording import cannot_all_hold, count, gap_headline, percent, stopped_words
from .view import Cell, Row, Table, is_number, scalar, text

STATUS = {"optimal": "ok", "feasible": "warn", "interrupted": "warn"}
PARTS = {"conflict": "in conflict", "relax": "smallest change that gives a plan", "note": "note"}


@dataclass(frozen=True)
class Status:
    """The status banner: its colour class, its sentence, the solver's message, for an
    infeasible plan the conflict in the planner's words, for an edited plan what to know of the
    edit and the rules it breaks."""

    css: str
    text: str
    message: str
    why: Table | None
    notes: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


STOPPED_BY = {
    "share": "stopped by its share of the {limit}",
    "time limit": "stopped by the time limit",
    "work limit": "stopped by the work limit",
    "interrupted": "interrupted",
    "memory": "stopped: out of memory",
}


def unproven_stages(summary: dict[str, Any]) -> list[str]:
    """Each stage with a plan but no proof, as the Summary records it: `cost (gap 5.90%,
    stopped by its share of the time limit)`."""
    out = []
    for stage in stage_records(summary):
        if stage.proven:
            continue
        words = [] if stage.gap is None else [f"gap {percent(stage.gap)}"]
        if stage.stopped in STOPPED_BY:
            words.append(stopped_words(stage.stopped, summary, STOPPED_BY))
        if stage.status == "not_solved":
            words = ["not solved"]
        out.append(f"{stage.name} ({', '.join(words)})" if words else stage.name)
    return out


def status_view(out: Output) -> Status:
    status, s = out.status, out.summary
    css = STATUS.get(status, "bad")
    if status == "optimal":
        sentence = "Optimal: the best plan at every stage"
    elif status == "feasible" and (stage := memory_stage(s)):  # a failure, not a result
        sentence = _unproven_sentence(
            s,
            "Out of memory",
            f"the run ran out of memory in stage {stage}: a valid plan, the one found before, "
            "not a whole run's answer",
        )
    elif status == "feasible":
        sentence = _unproven_sentence(
            s, "Feasible", "a valid plan, not proven optimal at every stage"
        )
    elif status == "interrupted" and out.has_plan:
        sentence = _unproven_sentence(s, "Interrupted", "the best plan found before the stop")
    elif status == "infeasible":
        rows = s.get("baseline_locked_rows", 0)
        locked = is_number(rows) and scalar(rows) > 0
        sentence = f"Infeasible: {cannot_all_hold(locked)}. There is no plan."
    elif status == "no_solution" and not out.has_plan:  # a scale trial read it as infeasible
        sentence = (
            "No plan found: the search found none within its limit, though one may exist "
            "(raise the time or work limit)"
        )
    elif out.edited:
        sentence, css = _edited_sentence(out)
        message = text(s.get("message", ""))
        return Status(
            css,
            sentence,
            f"the solver's message on the plan as solved, before the edit: {message}",
            None,
            [*out.audit_notes, *warned(out), *_unexplained(out)],
            list(out.violations or []),
        )
    else:
        sentence = f"Status {text(status)}" + ("" if out.has_plan else ": there is no plan.")
    return Status(
        css,
        sentence,
        text(s.get("message", "")),
        conflict_table(out.table("Infeasibility")),
        [*out.audit_notes, *warned(out), *_unexplained(out)],
        list(out.violations or []),
    )


def warned(out: Output) -> list[str]:
    """What reading the output warned about (its damaged document properties, a `lock` cell a
    re-plan against it refuses), in the console's words: the page says it too, for the
    planner who reads the page and not the console."""
    from ..compare.views import note_in_file

    return [f"warning: {note_in_file(w, out.path.name)}" for w in out.warnings]


def _unexplained(out: Output) -> list[str]:
    """`no gap reasons in this plan: Ctrl-C came while the gaps' reasons were worked out`
    where a stop skipped them (the Summary's `explanation`): the page's gaps then read `not
    worked out`, or had no reason at all in an older output, with no word why (a trial)."""
    return unexplained_lines(out.summary, "no gap reasons in this plan") if out.has_plan else []


def _unproven_sentence(summary: dict[str, Any], word: str, what: str) -> str:
    """`Feasible (gap ...): a valid plan, .... Stages not proven: ...` of a plan some stage of
    which a limit or a stop left unproven."""
    gap = summary.get("mip_gap")
    gap_text = gap_headline(summary) if isinstance(gap, int | float) else f"gap {text(gap)}"
    unproven = unproven_stages(summary)
    said = f". Stages not proven: {'; '.join(unproven)}" if unproven else ""
    return f"{word} ({gap_text}): {what}{said}"


def _edited_sentence(out: Output) -> tuple[str, str]:
    """The banner of a plan edited after solving (the Tours sheet of a timed output, whose plan
    it is), and its colour class."""
    solved = text(out.summary.get("solved_status"))
    sheet = "Tours" if out.timed else "Allocation"
    head = f"Edited: the {sheet} sheet was changed after solving (solved as {solved})"
    if out.violations is None:
        # the note below says why: no input found, or one that does not fit the plan
        return f"{head}; the rules were not checked (see the note below)", "bad"
    if out.violations:
        return f"{head}; it breaks {count(len(out.violations), 'rule')}", "bad"
    verdict = str(out.summary.get("against_solved") or "")
    if verdict.startswith("worse"):
        return f"{head}; it keeps every rule, but it is {verdict}", "warn"
    if verdict:
        return f"{head}; it keeps every rule, and it is {verdict}", "warn"
    return f"{head}; it keeps every rule, but is no longer proven the best plan", "warn"


def conflict_table(why: pd.DataFrame | None) -> Table | None:
    """The Infeasibility sheet in the planner's words: its `explanation` text, each row said as
    a rule in conflict, the smallest relaxation (with its amount) or a note."""
    if why is None or not len(why) or "explanation" not in why.columns:
        return None
    rows = []
    blank = [None] * len(why)  # an output written before the column existed
    numbered = "conflict" in why.columns and any(is_number(n) and n > 1 for n in why["conflict"])
    for part, explanation, by, unit, n in zip(
        why["part"].astype(str),
        why["explanation"],
        why["relax_by"] if "relax_by" in why.columns else blank,
        why["relax_unit"] if "relax_unit" in why.columns else blank,
        why["conflict"] if "conflict" in why.columns else blank,
        strict=True,
    ):
        said = text(explanation)
        label = PARTS.get(part, text(part))
        if numbered and part == "conflict" and is_number(n) and n == n:  # NaN: a blank cell
            label = f"in conflict {int(n)}"  # several conflicts: each rule's own
        if part == "relax" and is_number(by) and by == by:
            named = isinstance(unit, str) and unit.strip() != ""
            amount = count(float(by), unit.strip()) if named else text(by)
            said = f"{said}: relax by {amount}"
        rows.append(Row([Cell(label), Cell(said)]))
    return Table(["", "what"], rows)
