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

CUT_SHORT = (
    "the search was cut short (its time budget, or a check HiGHS could not decide): the set "
    "may not be minimal"
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
    undecided: str = ""  # why no conflict could be searched for at all (HiGHS's words), else ''

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
            return [f"No conflict could be found: {self.undecided}."]
        out = ["These rules cannot all hold together:"]
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
        if self.give_way:
            within = f" in {self.give_way_in}" if self.give_way_in else ""
            out.append(f"The smallest change that gives a plan{within} relaxes:")
            out += [f"  - {g.said()}" for g in self.give_way]
        return out


def conflict_table(conflict: Conflict) -> pd.DataFrame:
    """The Infeasibility sheet: the conflicting rules, then what would have to give way."""
    rows: list[dict[str, Any]] = [
        {"part": "conflict", "rule": rid, "explanation": text, "relax_by": None, "relax_unit": ""}
        for rid, text in conflict.rules
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
        notes.append(CUT_SHORT)
    if conflict.integrality_only:
        notes.append(
            "the conflict lies in whole units or either/or choices: with fractions a plan "
            "would exist"
        )
    if conflict.repeated:
        notes.append(conflict.repeated_note())
    if conflict.give_way_in and conflict.give_way:
        notes.append(f"the relaxations give a plan in {conflict.give_way_in}")
    rows += [
        {"part": "note", "rule": "", "explanation": n, "relax_by": None, "relax_unit": ""}
        for n in notes
    ]
    return pd.DataFrame(rows, columns=["part", "rule", "explanation", "relax_by", "relax_unit"])
