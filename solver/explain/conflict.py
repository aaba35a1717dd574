"""The outcome of an infeasibility diagnosis (`infeasibility.explain_infeasibility`): the
conflicting rules, what must give way and by how much, and the notes on how far the search got
(cut short, only in whole units, repeated in other periods); said as the console's lines and as
the output's Infeasibility sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .give_way import GiveWay

# what is known once what every conflict named asks for (its hard lines and locks; the whole
# conflict where it has neither) is lifted (infeasibility.py `_demands`)
LIFTED_GIVES_A_PLAN = "with what the conflicts above ask for lifted, the other rules can all hold"
MORE_REMAIN = "with what the conflicts above ask for lifted, others still conflict: not named"
MORE_CUT_SHORT = (
    "other conflicts were not searched for (the search's budget: 30 s under a time limit, "
    "feasibility checks under a work limit, which a larger work limit raises; or a check HiGHS "
    "could not decide): with what the conflicts above ask for lifted, others may still conflict"
)
MORE_UNDECIDED = (
    "whether other rules conflict once what those above ask for is lifted could not be decided"
    " in time"
)
NEXT = (
    "With what that asks for lifted (its hard lines, locks, commitments), these cannot all "
    "hold either"
)
CUT_SHORT = (
    "the search was cut short (its budget: 30 s under a time limit, feasibility checks under a "
    "work limit, which a larger work limit raises; or a check HiGHS could not decide): the set "
    "may not be minimal"
)
# the feasibility relaxation stopped by its budget (relaxation.py): with a change not proven the
# least, or with none (a large timed case found none in 30 s: the section was left out unsaid)
RELAX_BUDGET = (
    "its budget: 30 s under a time limit, a count of HiGHS's search steps under a work limit, "
    "which a larger work limit raises"
)
NOT_PROVEN_SMALLEST = (
    f"not proven the smallest: the search for it stopped at its budget ({RELAX_BUDGET}); a "
    "smaller change may exist"
)
NO_CHANGE_FOUND = (
    f"no change that gives a plan was found within the search's budget ({RELAX_BUDGET})"
)
# the relaxation proven infeasible: no change of the rules named gives a plan
NO_CHANGE_OF_THESE = (
    "no change of the rules above alone gives a plan: what makes it impossible lies in the "
    "model's links and bounds (please report it)"
)
# a search under a work limit that reached its wall-clock safety stop (search_budget.py): where
# it stopped depends on the machine, so the same workbook may name another set elsewhere
SAFETY_STOPPED = (
    "the search reached its wall-clock safety stop (600 s, or the solve's time limit) before its "
    "checks were spent: what it found depends on this machine's speed, and another machine may "
    "name another set"
)
# under a relaxation of some periods only: made, the change may meet a conflict in the others
# (a trial relaxed the one period the change named and met the rotation's next months)
PARTIAL = (
    "in those periods only: the rest of the horizon is not looked at, and may still conflict "
    "once the change is made"
)


@dataclass
class Conflict:
    """The outcome of a diagnosis."""

    rules: list[tuple[str, str]] = field(default_factory=list)  # (rule id, planner text)
    give_way: list[GiveWay] = field(default_factory=list)  # what must give way, by how much
    integrality_only: bool = False
    complete: bool = True  # False when the time budget ran out (the set may not be minimal)
    seconds: float = 0.0
    # timed: the periods of the conflict found (its per-period rules'), and those it also
    # arises in when shifted in time (each shift checked); '' when it does not repeat
    found_in: str = ""
    repeated_in: str = ""
    give_way_in: str = ""  # the periods the relaxation is for (timed: the conflict's), else ''
    give_way_partial: bool = False  # those periods are not the whole horizon (PARTIAL)
    # '' when the change is proven the least; else NOT_PROVEN_SMALLEST, or NO_CHANGE_FOUND
    give_way_note: str = ""
    # the relaxation's least total excess (what every rule gives way by, each in its own unit,
    # added up) where HiGHS proved it, else None: `check` pins it
    give_way_least: float | None = None
    safety_stopped: bool = False  # SAFETY_STOPPED
    undecided: str = ""  # why no conflict could be searched for at all (HiGHS's words), else ''
    # the conflicts found with the rules of those before lifted (conflict 2, 3, ...: their
    # `rules` and `complete`); and what is known once all are lifted (LIFTED_GIVES_A_PLAN, ...)
    more: list[Conflict] = field(default_factory=list)
    more_note: str = ""

    @property
    def repeated(self) -> bool:
        """Whether the conflict found also arises, shifted in time, in other periods."""
        return bool(self.repeated_in)

    def repeated_note(self) -> str:
        """`the conflict found in P1 also arises, shifted in time, in P2..P3 (each shift
        checked)`: the periods the shifts added, beside those it was found in (the rules
        above name them all together)."""
        return (
            f"the conflict found in {self.found_in} also arises, shifted in time, in "
            f"{self.repeated_in} (each shift checked)"
        )

    def lines(self) -> list[str]:
        if self.undecided:
            stopped = [f"  ({SAFETY_STOPPED})"] if self.safety_stopped else []
            return [f"No conflict could be found: {self.undecided}.", *stopped]
        several = " (conflict 1)" if self.more else ""
        out = [f"These rules cannot all hold together{several}:"]
        out += [f"  - {text}" for _, text in self.rules]
        if self.integrality_only:
            out.append(
                "  (the conflict lies in whole units or either/or choices such as single-source "
                "lines: with fractions a plan would exist)"
            )
        if not self.complete:
            out.append(f"  ({CUT_SHORT})")
        if self.repeated:
            out.append(f"  ({self.repeated_note()})")
        for n, part in enumerate(self.more, start=2):
            out.append(f"{NEXT} (conflict {n}):")
            out += [f"  - {text}" for _, text in part.rules]
            if not part.complete:
                out.append(f"  ({CUT_SHORT})")
        if self.more_note:  # one conflict too: whether the rest can hold is worth a line
            out.append(f"  ({self.more_note})")
        if self.safety_stopped:
            out.append(f"  ({SAFETY_STOPPED})")
        within = f" in {self.give_way_in}" if self.give_way_in else ""
        if self.give_way:
            smallest = "A change" if self.give_way_note else "The smallest change"
            out.append(f"{smallest} that gives a plan{within} relaxes:")
            out += [f"  - {g.said()}" for g in self.give_way]
            if self.give_way_partial:
                out.append(f"  ({PARTIAL})")
        if self.give_way_note:
            out.append(f"  ({self.give_way_note})")
        return out


def conflict_table(conflict: Conflict) -> pd.DataFrame:
    """The Infeasibility sheet: the conflicting rules, then what would have to give way."""
    rows: list[dict[str, Any]] = [
        {
            "part": "conflict",
            "rule": rid,
            "explanation": text,
            "relax_by": None,
            "relax_unit": "",
            "conflict": n,
        }
        for n, rules in enumerate([conflict.rules, *(c.rules for c in conflict.more)], start=1)
        for rid, text in rules
    ]
    rows += [
        {
            "part": "relax",
            "rule": "",
            "explanation": g.text,
            "relax_by": g.amount,
            "relax_unit": g.unit,
        }
        for g in conflict.give_way
    ]
    notes = [conflict.undecided] if conflict.undecided else []
    if not conflict.complete and not conflict.undecided:
        notes.append(CUT_SHORT if not conflict.more else f"conflict 1: {CUT_SHORT}")
    notes += [
        f"conflict {n}: {CUT_SHORT}"
        for n, part in enumerate(conflict.more, start=2)
        if not part.complete
    ]
    if conflict.integrality_only:
        notes.append(
            "the conflict lies in whole units or either/or choices: with fractions a plan "
            "would exist"
        )
    if conflict.repeated:
        notes.append(conflict.repeated_note())
    if conflict.more_note:
        notes.append(conflict.more_note)
    if conflict.safety_stopped:
        notes.append(SAFETY_STOPPED)
    if conflict.give_way_in and conflict.give_way:
        partial = f": {PARTIAL}" if conflict.give_way_partial else ""
        notes.append(f"the relaxations give a plan in {conflict.give_way_in}{partial}")
    if conflict.give_way_note:
        notes.append(conflict.give_way_note)
    rows += [
        {"part": "note", "rule": "", "explanation": n, "relax_by": None, "relax_unit": ""}
        for n in notes
    ]
    columns = ["part", "rule", "explanation", "relax_by", "relax_unit", "conflict"]
    table = pd.DataFrame(rows, columns=columns)
    # a whole number where given (1, not 1.0), blank on the relax and note rows
    table["conflict"] = pd.Series([r.get("conflict") for r in rows], dtype=object)
    return table
