"""`validate` warns of a commitment (`min_units`) above what its contributor's matching options
could ever hold (solver/io/commitments.py `commitment_reach`): a review's `min_units` 5 on a
pledge of 2 was `valid`, then infeasible. Each expectation is worked by hand."""

from __future__ import annotations

from pathlib import Path

from solver.io.read import read_data

from .time_cases import months, timed_case
from .workbooks import write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]


def commitment_warnings(path: Path) -> list[str]:
    return [str(w) for w in read_data(path).warnings if "can ever count towards it" in str(w)]


def snapshot(tmp_path: Path, value: int, line_units: int = 3) -> Path:
    """A pledges 2 INF; S1 needs `line_units` INF, S2 1; caveat K1: A min_units INF `value`."""
    return write_workbook(
        tmp_path / f"v{value}_{line_units}.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X"}, {"site": "S2", "country": "X"}],
        requirements=[
            {"site": "S1", "capability": "INF", "units": line_units},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {
                "id": "K1",
                "contributor": "A",
                "caveat": "min_units",
                "capability": "INF",
                "value": value,
            }
        ],
    )


def test_a_commitment_above_the_pledge_is_warned_at_its_value(tmp_path: Path) -> None:
    """A pledges 2; S1 and S2 together could take 3 of them, but a pledge's units are counted
    once: at most min(2, 3 + 1) = 2 units can count towards K1. Asked for 3: warned, at the
    caveat's value cell (Caveats!G2 in this layout); asked for 2: met, no warning."""
    (said,) = commitment_warnings(snapshot(tmp_path, 3))
    assert said.endswith(
        "caveat K1 (A min_units capability=INF 3) asks for 3 units, but at most 2 A units can "
        "ever count towards it: the plan is infeasible; lower its value to 2, or widen its "
        "filters"
    )
    assert said.startswith("warning: Caveats!")
    assert commitment_warnings(snapshot(tmp_path, 2)) == []


def test_a_commitment_above_what_the_lines_require_is_warned(tmp_path: Path) -> None:
    """S1 needs 0 INF, S2 1: A's 2 units could place only 1 (ub = min(pledge, required)), so a
    commitment of 2 is above the reach of 1."""
    (said,) = commitment_warnings(snapshot(tmp_path, 2, line_units=0))
    assert "asks for 2 units, but at most 1 A unit can ever count towards it" in said


def test_a_timed_commitment_names_the_periods_it_is_above_the_reach(tmp_path: Path) -> None:
    """The timed world's A pledges 1 INF over P1..P4; S1/INF needs 2. K1 asks A for 2 INF in
    P1..P4: at most 1 A unit can count towards it in every period, named as one run."""
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(4),
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "min_units", "capability": "INF", "value": 2}
        ],
    )
    (said,) = commitment_warnings(path)
    assert "asks for 2 units, but at most 1 A unit can ever count towards it in P1..P4" in said
