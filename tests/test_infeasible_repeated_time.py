"""The note of a timed conflict that repeats when shifted in time names the periods: those it
was found in and those the shifts added. It said "in the other periods named" where the rules
named only the periods of one run (`2027-03..2027-04`), so the planner looked for periods
nobody had named."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .baseline_infeasible_case import locked
from .time_cases import months, timed_case


def _note(result: api.Result) -> list[str]:
    sheet = result.tables.extra["Infeasibility"]
    return sheet.loc[sheet["part"] == "note", "explanation"].tolist()


def test_a_conflict_shifted_in_time_names_where_it_was_found_and_repeats(
    tmp_path: Path,
) -> None:
    """S1/INF is hard in P1..P6, A's only unit is ready from P4: P1 is impossible alone (found
    first), the shifts by 1 and 2 add P2 and P3."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1, "hard": "yes"}
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P4"}],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "infeasible" and result.conflict is not None
    said = "the conflict found in P1 also arises, shifted in time, in P2..P3 (each shift checked)"
    assert said in _note(result)
    assert f"  ({said})" in result.conflict.lines()


def test_locked_tours_that_break_the_rotation_name_both_periods(tmp_path: Path) -> None:
    """The tester's lk3: A pledges 2 INF (tours of at most 2 months, 2 months of dwell); locked
    are A's 2 at S1 in P1..P2 and 1 at S2 in P3..P4. In P3 and in P4 alike, 2 units in dwell
    and 1 deployed make 3 of 2 pledged: the conflict is found in one of them and the shift
    adds the other; the note names both, and no period beyond P3..P4."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(6),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
        pledges=[
            {
                "contributor": "A",
                "capability": "INF",
                "units": 2,
                "tour_months": 2,
                "dwell_months": 2,
            }
        ],
        baseline=[
            locked(2, **{"from": "P1", "to": "P2"}),
            locked(1, site="S2", **{"from": "P3", "to": "P4"}),
        ],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "infeasible" and result.conflict is not None
    notes = [n for n in _note(result) if "shifted in time" in n]
    assert notes in (
        ["the conflict found in P3 also arises, shifted in time, in P4 (each shift checked)"],
        ["the conflict found in P4 also arises, shifted in time, in P3 (each shift checked)"],
    )


def test_a_conflict_that_does_not_repeat_has_no_note(tmp_path: Path) -> None:
    """S1/INF is hard in P1 only (the line runs P1..P1) and A's unit is ready from P2: the
    conflict is P1's alone, no shift repeats it, and no note says one does."""
    path = timed_case(
        tmp_path / "case.xlsx",
        periods=months(3),
        requirements=[
            {
                "site": "S1",
                "capability": "INF",
                "units": 1,
                "priority": 1,
                "hard": "yes",
                "to": "P1",
            }
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "from": "P2"}],
    )
    result = api.solve(path, time_limit=60)
    assert result.status == "infeasible" and result.conflict is not None
    assert not result.conflict.repeated
    assert not [n for n in _note(result) if "shifted in time" in n]
