"""Which override a scenario's error at a base cell is blamed on (io/scenario_blame.py): the
overrides its words name, each applied alone to base, within a budget per scenario and per
read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_scenarios import errors_of, scen
from .workbooks import simple_case


def _profiled(tmp_path: Path, *scenarios: dict[str, Any]) -> Path:
    """simple_case over P1..P3, a Profile asking 2 INF at S1 in P2, and `scenarios`' rows."""
    return simple_case(
        tmp_path / "case.xlsx",
        periods=[{"period": f"P{i}"} for i in (1, 2, 3)],
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P2", "units": 2}],
        scenarios=list(scenarios),
    )


def test_of_several_overrides_the_error_names_the_one_that_makes_it(tmp_path: Path) -> None:
    """s1 changes B's pledge (E2), ends S1/INF at P1 (E3) and raises S2's units (E4): only E3
    puts the Profile row (P2..P2) outside the line's window, so only E3 is named (a trial: all
    three were). s2 ends the line at P2 (E5) and the Profile row at P3 (E6): each alone leaves
    the row inside the window, so both are named."""
    path = _profiled(
        tmp_path,
        scen("s1", "Pledges", "B/INF", "units", 3),
        scen("s1", "Requirements", "S1/INF", "to", "P1"),
        scen("s1", "Requirements", "S2/INF", "units", 2),
        scen("s2", "Requirements", "S1/INF", "to", "P2"),
        scen("s2", "Profile", "S1/INF/P2", "to", "P3"),
    )
    (error,) = errors_of(path, "s1")
    assert error.startswith(
        "Profile!C2: scenario 's1' (not so in base: its override at Scenarios!E3 makes it): "
    ), error
    (error,) = errors_of(path, "s2")
    assert error.startswith(
        "Profile!C2: scenario 's2' (not so in base: its overrides at Scenarios!E5 and E6 "
        "make it): Profile row P2..P3 of S1/INF lies outside"
    ), error


def test_the_override_blamed_is_found_by_the_cell_and_tried_only_where_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s3 changes B's pledge (E2), ends S1/INF at P1 (E3) and widens the Profile row to P3
    (E4): E3 alone errs at Profile!C2 in other words (`P2 of ...`, not `P2..P3`), and is
    named, not all three (a review). Only the overrides whose keys the error names are
    applied alone (each a validation of the whole workbook: 41 took 9.5 minutes): B/INF is
    not tried. Past BLAME_MAX such overrides, all are named without a try."""
    from solver.io import scenario_blame

    path = _profiled(
        tmp_path,
        scen("s3", "Pledges", "B/INF", "units", 3),
        scen("s3", "Requirements", "S1/INF", "to", "P1"),
        scen("s3", "Profile", "S1/INF/P2", "to", "P3"),
    )
    tried: list[str] = []
    real = scenario_blame._cells_alone

    def counted(*args: Any) -> set[str]:
        tried.append(str(args[-1].key))
        return real(*args)

    monkeypatch.setattr(scenario_blame, "_cells_alone", counted)
    (error,) = errors_of(path, "s3")
    assert error.startswith(
        "Profile!C2: scenario 's3' (not so in base: its override at Scenarios!E3 makes it): "
        "Profile row P2..P3 of S1/INF lies outside"
    ), error
    assert sorted(tried) == ["S1/INF", "S1/INF/P2"]
    tried.clear()
    monkeypatch.setattr(scenario_blame, "BLAME_MAX", 1)
    (error,) = errors_of(path, "s3")
    assert "its overrides at Scenarios!E2, E3 and E4 make it" in error and tried == []


def test_the_blame_shares_one_budget_across_the_scenarios_of_a_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three scenarios each end S1/INF at P1 beside an unrelated change: with a budget of 2
    overrides applied alone for the read, the first two are blamed on their window (E3, E5)
    and the third names both of its overrides without a try (a review: 30 failing scenarios
    of the timed example took 38 s to validate). A key typed `s1/inf` is named by the error's
    `S1/INF` too."""
    from solver.io import scenario_blame
    from solver.io.read import read_every_scenario

    path = _profiled(
        tmp_path,
        *(
            row
            for name in ("a", "b", "c")
            for row in (
                scen(name, "Pledges", "B/INF", "units", 3),
                scen(name, "Requirements", "s1/inf" if name == "b" else "S1/INF", "to", "P1"),
            )
        ),
    )
    monkeypatch.setattr(scenario_blame, "BLAME_TOTAL", 2)
    _, errors, _ = read_every_scenario(path)
    said = [str(e) for e in errors if "Profile!C2" in str(e)]
    assert [s.split(" (not so in base: ")[1].split(")")[0] for s in said] == [
        "its override at Scenarios!E3 makes it",
        "its override at Scenarios!E5 makes it",
        "its overrides at Scenarios!E6 and E7 make it",
    ]
