"""HiGHS asked again where the plan in hand shows its verdict wrong (solve/second_opinion.py).

A prices trial's tiny timed workbook (four uneven periods, nine caveats with windows): with
caveat V9 lifted, HiGHS 1.16's presolve called the cost stage infeasible against the plan of
135 that fix-and-optimise held, and the re-solve was said `cut short (feasible)`, though no
limit stopped it. An independent model proves 8 / 0 / 135 / 8 optimal without V9."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from solver import api
from solver.solve import highs
from solver.solve.instance import MS

from .workbooks import write_workbook


def _window(first: str, last: str) -> dict[str, str]:
    return {"from": first, "to": last}


def trial_case(path: Path) -> Path:
    """The trial's workbook, as it built it."""
    return write_workbook(
        path,
        periods=[
            {"period": "P1", "months": 1},
            {"period": "P2", "months": 1},
            {"period": "P3", "months": 2},
            {"period": "P4", "months": 2},
        ],
        contributors=[{"contributor": c} for c in "ABCDE"],
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "AD", "category": "air", "personnel_per_unit": 50},
        ],
        sites=[
            {"site": "S1", "country": "UKR", "zone": "fwd"},
            {"site": "S2", "country": "UKR", "zone": "rear"},
            {"site": "H", "country": "A", "zone": "home"},
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2, "hard": "yes"},
            {"site": "S1", "capability": "AD", "units": 1, "priority": 1, "weight": 2},
            {"site": "H", "capability": "INF", "units": 1, "priority": 1, "from": "P2"},
        ],
        profile=[{"site": "S1", "capability": "INF", **_window("P3", "P4"), "units": 3}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3, "cost_per_unit": 10}
            | {"tour_months": 2, "dwell_months": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 20},
            {"contributor": "C", "capability": "AD", "units": 1, "cost_per_unit": 10, "from": "P2"},
            {"contributor": "D", "capability": "AD", "units": 1, "cost_per_unit": 30},
            {"contributor": "E", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
        caveats=[
            {"id": "V1", "contributor": "B", "caveat": "exclude", "country": "UKR"}
            | _window("P1", "P2"),
            {"id": "V2", "contributor": "A", "caveat": "max_units", "value": 2}
            | _window("P3", "P4"),
            {"id": "V3", "contributor": "D", "caveat": "requires", "other": "C"}
            | _window("P1", "P2"),
            {"id": "V4", "contributor": "E", "caveat": "not_with", "other": "B"},
            {"id": "V5", "contributor": "A", "caveat": "no_weakening"} | _window("P2", "P3"),
            {"id": "V6", "contributor": "B", "caveat": "only", "zone": "rear"}
            | _window("P3", "P4"),
            {"id": "V7", "contributor": "D", "caveat": "min_units", "value": 1}
            | _window("P3", "P4"),
            {"id": "V8", "contributor": "C", "caveat": "max_sites", "value": 1},
            {"id": "V9", "contributor": "E", "caveat": "min_contingent", "value": 2}
            | _window("P1", "P2"),
        ],
    )


def test_a_re_solve_that_highs_calls_infeasible_against_a_plan_is_solved_again(
    tmp_path: Path,
) -> None:
    """The V9 row: every stage of the re-solve proven (it said `feasible`, cut short), and its
    price the independent model's: cost 135 without V9."""
    prices = api.price_caveats(api.solve(trial_case(tmp_path / "t.xlsx"))).set_index("rule")
    row = prices.loc["caveat V9"]
    assert row["status"] == "optimal", row.to_dict()
    assert "cut short" not in str(row["summary"])


def test_an_infeasible_verdict_against_a_plan_in_hand_runs_without_presolve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A HiGHS whose presolve calls every later stage infeasible: each is solved again without
    presolve, and the solve ends optimal at the values of a plain solve; presolve is on again
    after each second run."""
    path = trial_case(tmp_path / "t.xlsx")
    plain = {s.name: s.value for s in api.solve(path).outcome.stages}
    real = highs.LexicographicSolver.run_highs
    presolve: list[str] = []  # the option at each run of the solve's instance

    def wrong(solver: highs.LexicographicSolver, limit: float) -> Any:
        status = real(solver, limit)
        presolve.append(solver.h.getOptionValue("presolve")[1])
        if presolve[-1] != "off" and solver.progress is not None and solver.progress.x is not None:
            return MS.kInfeasible
        return status

    monkeypatch.setattr(highs.LexicographicSolver, "run_highs", wrong)
    result = api.solve(path)
    assert result.status == "optimal"
    assert {s.name: s.value for s in result.outcome.stages} == pytest.approx(plain)
    first_off = presolve.index("off")  # the wrong verdict was met and overruled
    assert any(value != "off" for value in presolve[first_off + 1 :]), presolve  # on again


def test_a_valid_start_is_kept_when_highs_calls_the_first_stage_infeasible_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A HiGHS that calls every run infeasible, with presolve and without: the heuristic's
    valid start is the plan (the first stage `heuristic`, the solve feasible), never an
    infeasible workbook (a review: the start was dropped and the solve said infeasible)."""
    path = trial_case(tmp_path / "t.xlsx")

    def always_infeasible(solver: highs.LexicographicSolver, limit: float) -> Any:
        return MS.kInfeasible

    monkeypatch.setattr(highs.LexicographicSolver, "run_highs", always_infeasible)
    monkeypatch.setattr(highs, "tries_face", lambda *args: False)  # the MIP itself, first
    result = api.solve(path)
    assert result.status != "infeasible" and result.outcome.x is not None
    assert result.outcome.stages[0].status == "heuristic"
