"""A pledge that a cap lets send no unit (a `max_personnel` below one unit's people) is kept
out, in an infeasibility's words as a caveat that forbids it is (solver/explain/rules.py
`_keeping_out`): it was counted among the usable pledges, or said to be held back by the other
rules of the conflict. Worked by hand: INF units of 100 people."""

from __future__ import annotations

from pathlib import Path

from solver import api

from .workbooks import write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]


def conflict_texts(tmp_path: Path, line_units: int, b_units: int) -> list[str]:
    """S1 needs `line_units` INF, hard; A pledges 2, B `b_units`; K1: B max_personnel 50."""
    path = write_workbook(
        tmp_path / f"c{line_units}{b_units}.xlsx",
        contributors=[{"contributor": c} for c in "AB"],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X"}],
        requirements=[{"site": "S1", "capability": "INF", "units": line_units, "hard": "yes"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": b_units},
        ],
        caveats=[{"id": "K1", "contributor": "B", "caveat": "max_personnel", "value": 50}],
    )
    result = api.solve(path, time_limit=30)
    assert result.status == "infeasible" and result.conflict is not None
    return [text for _, text in result.conflict.rules]


def test_a_cap_below_one_unit_in_the_conflict_keeps_the_pledge_out(tmp_path: Path) -> None:
    """S1 needs 3; A 2 and B 2 could give 4, but K1 (50 people) lets B send none: the conflict
    is the line, A's pledge and K1, and B's pledge is kept out by K1 (it was `held back by the
    other rules of this conflict`)."""
    texts = conflict_texts(tmp_path, 3, 2)
    assert "the INF pledges usable here are limited to: A 2 (B 2 is kept out by K1)" in texts


def test_a_cap_below_one_unit_outside_the_conflict_is_said_of_a_usable_pledge(
    tmp_path: Path,
) -> None:
    """S1 needs 4; A 2 and B 1 give at most 3 with K1 lifted too, so the conflict is the line
    and both pledges, without K1; B is usable in it, though K1 lets it send none."""
    texts = conflict_texts(tmp_path, 4, 1)
    assert "the INF pledges usable here are limited to: A 2, B 1 (though K1 keeps it out)" in texts
