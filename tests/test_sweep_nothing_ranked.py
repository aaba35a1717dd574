"""A sweep whose withdrawals rank nothing says why: each changes nothing, or none gave an answer.

The world (tests/time_cases.py) over P1..P4 of one month each: line S1/INF of 1 unit, priority 1;
A pledges 1 INF from P1 to P1 (its mandate ends with P1), B 1 INF over the whole horizon. A
leaving after P2 or after P3 changes nothing (none of A's pledges runs past them): both are
solved, neither is ranked. A trial printed "nothing to rank: no withdrawal gave an answer" for
such a sweep, though every withdrawal had solved.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from click.testing import CliRunner

from solver.cli import main
from solver.compare.console_ranking import robustness_lines

from .time_cases import months, timed_case

PLEDGES = [
    {"contributor": "A", "capability": "INF", "units": 1, "to": "P1", "cost_per_unit": 2},
    {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
]


def test_withdrawals_that_change_nothing_are_not_said_to_give_no_answer(tmp_path: Path) -> None:
    world = timed_case(tmp_path / "world.xlsx", periods=months(4), pledges=PLEDGES)
    out = tmp_path / "out"
    args = ["sweep", str(world), "-o", str(out), "--withdraw", "A@P2", "--withdraw", "A@P3"]
    result = CliRunner().invoke(main, [*args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "nothing to rank: no withdrawal changes the plan" in said
    assert "no withdrawal gave an answer" not in said
    assert "not ranked, changes nothing (2 withdrawals): A_after_P2, A_after_P3" in said


class _Cmp:
    """What robustness_lines reads of a comparison: its Robustness frame, no views."""

    def __init__(self, robustness: pd.DataFrame) -> None:
        self.robustness = robustness
        self.timed = True
        self.priorities = [1]
        self.views: list[object] = []
        self.base = SimpleNamespace(name="base")


def _robustness(statuses: list[str], unchanged: list[str]) -> pd.DataFrame:
    names = [f"s{i}" for i in range(len(statuses))]
    frame = pd.DataFrame(
        {"rank": [None] * len(names), "scenario": names, "withdrawn": names, "status": statuses}
    )
    frame.attrs["unchanged"] = unchanged
    return frame


def test_none_ranked_says_which_of_the_two_reasons() -> None:
    def first_line(statuses: list[str], unchanged: list[str]) -> str:
        lines = robustness_lines(_Cmp(_robustness(statuses, unchanged)))  # type: ignore[arg-type]
        return lines[1].strip()

    assert first_line(["failed", "not_run"], []) == "nothing to rank: no withdrawal gave an answer"
    assert first_line(["optimal", "failed"], ["s0"]) == (
        "nothing to rank: each withdrawal changes nothing or gave no answer"
    )
    assert first_line(["optimal"], ["s0"]) == "nothing to rank: no withdrawal changes the plan"
