"""The construction heuristic's near-plan repaired by HiGHS (solve/repair.py), hand-worked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import polish, repair, start
from solver.solve.greedy import GreedyResult
from solver.solve.groups import set_polish_groups
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions

from .time_cases import months, timed_case

CAPABILITIES = [
    {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
    {"capability": "ENG", "category": "ground", "personnel_per_unit": 50},
]


def rotating_case(path: Path, inf_units: int = 2, hard: bool = True) -> Path:
    """24 months; S1 needs `inf_units` INF and 1 ENG in every month, both `hard`. A and B pledge
    3 INF each on six-month tours with twelve months of dwell; A pledges 2 ENG on six-month
    tours with six months of dwell.

    A pool of 3 on 6 + 12 months keeps one unit deployed for good (tours from months 0, 6 and
    12 by its three units, the first back from dwell at month 18) and no more: two units at
    once for six months leave one for the next six and none for the six after. So the two
    INF pools hold 2 in every month and not 3. The ENG pool of 2 on 6 + 6 keeps one (tours
    from months 0 and 6, the first back at 12)."""
    return timed_case(
        path,
        periods=months(24),
        capabilities=CAPABILITIES,
        requirements=[
            {"site": "S1", "capability": "INF", "units": inf_units, "hard": hard},
            {"site": "S1", "capability": "ENG", "units": 1, "hard": hard},
        ],
        pledges=[
            {"contributor": c, "capability": "INF", "units": 3, "tour_months": 6,
             "dwell_months": 12}
            for c in ("A", "B")
        ]
        + [{"contributor": "A", "capability": "ENG", "units": 2, "tour_months": 6,
            "dwell_months": 6}],
    )  # fmt: skip


def solver_of(path: Path) -> LexicographicSolver:
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    return LexicographicSolver(mm, SolveOptions(time_limit=60))


def short_rows(solver: LexicographicSolver, x: np.ndarray) -> int:
    return int(np.sum(solver.mm.a @ x < solver.mm.row_lower - 1e-6))


def test_the_empty_plan_is_repaired_into_a_valid_one(tmp_path: Path) -> None:
    """From no units at all (every row within its upper bound, the 48 hard rows short), one
    elastic run per capability gives a plan keeping every row: 2 INF and 1 ENG in each of the
    24 months, which the docstring's rotations show exists."""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx"))
    empty = np.zeros(solver.mm.n_cols)
    assert short_rows(solver, empty) == 48
    x = repair.repaired(solver, empty, 60.0)
    assert x is not None
    assert solver.keeps_rows(x) and solver.mm.keeps_bounds(x)
    whole = solver.mm.integrality.astype(bool)
    assert np.array_equal(x[whole], np.round(x[whole]))


def test_rows_that_cannot_be_met_give_no_plan(tmp_path: Path) -> None:
    """3 INF in every month is beyond the two pools (2 at most, as the docstring shows): the
    repair lessens what it can and returns no plan."""
    solver = solver_of(rotating_case(tmp_path / "c.xlsx", inf_units=3))
    assert repair.repaired(solver, np.zeros(solver.mm.n_cols), 60.0) is None


def test_a_large_model_starts_from_the_repaired_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timed heuristic fails, leaving its near-plan (here: no units); counted as large
    (LNS_MIN_COLUMNS 0), the solve starts from the repaired plan and says so, and reaches the
    optimum: no shortfall, and 2 x 24 + 24 = 72 unit-months at cost 1."""
    why = "the construction heuristic could not meet X (48 rules unmet)"

    def failing(mm: MatrixModel, ctx: object, tries: int) -> GreedyResult:
        return GreedyResult(None, 0.0, why, partial=np.zeros(mm.n_cols))

    monkeypatch.setattr(start, "greedy_time_start", failing)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    result = api.solve(rotating_case(tmp_path / "c.xlsx"), time_limit=60)
    summary = dict(result.tables.summary)
    assert (
        summary["heuristic"] == f"{why}; HiGHS then met them, re-planning one capability at a time"
    )
    assert result.status == "optimal"
    stages = {s.name: s.value for s in result.outcome.stages}
    assert stages["shortfall.p1"] == 0


def test_a_repair_keeps_the_lines_of_the_stage_solved_next(tmp_path: Path) -> None:
    """Six months; S1 needs 1 INF, hard; S2 needs 1 INF, not hard, priority 1 too; A pledges
    2 INF with no tour limit. From the empty plan the hard rows of S1 are short; any plan
    putting A's unit at S1 in every month meets them, with S2 covered or not. Among those the
    repair takes the one that also holds S2 (priority 1's shortfall 0, where the plan the
    repair found with no other aim left S2 short in all six months): a re-plan's near-plan
    repaired so dropped a whole capability's cover, and its start was the heuristic's,
    far worse (a trial: 40% coverage at a short work limit)."""
    path = timed_case(
        tmp_path / "c.xlsx",
        periods=months(6),
        capabilities=CAPABILITIES[:1],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "hard": True},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    solver = solver_of(path)
    empty = np.zeros(solver.mm.n_cols)
    assert short_rows(solver, empty) == 6
    x = repair.repaired(solver, empty, 60.0)
    assert x is not None and solver.keeps_rows(x)
    mm = solver.mm
    assert mm.stages[0].name == "shortfall.p1"
    assert float(mm.costs[0] @ x) + mm.offsets[0] == pytest.approx(0.0)


def test_a_re_plans_repair_keeps_the_baseline_after_priority_1() -> None:
    """The repair's cost on its free columns: the first stage's, scaled to TIE_BREAK in all,
    then (a re-plan) the changes stage's, scaled to half the first's least step, so that it
    breaks only ties of priority 1. By hand, costs p1 = (1, 0, 2), changes = (1, -2, 0), bounds
    1 each: first = (1, 0, 2) x 0.5 / (3 + 1) = (0.125, 0, 0.25); its least step 0.125, so the
    changes get 0.0625 / (3 + 1): (0.015625, -0.03125, 0). Summed: (0.140625, -0.03125, 0.25);
    the changes part moves no repair by a whole priority-1 step (0.046875 < 0.125)."""
    from types import SimpleNamespace

    mm = SimpleNamespace(
        costs=[np.array([1.0, 0.0, 2.0]), np.array([1.0, -2.0, 0.0])],
        stages=[SimpleNamespace(name="shortfall.p1"), SimpleNamespace(name="changes")],
        col_upper=np.ones(3),
    )
    got = repair._tie_break(mm, np.arange(3))  # type: ignore[arg-type]
    assert got.tolist() == [0.140625, -0.03125, 0.25]
    without = SimpleNamespace(costs=mm.costs[:1], stages=mm.stages[:1], col_upper=mm.col_upper)
    assert repair._tie_break(without, np.arange(3)).tolist() == [0.125, 0.0, 0.25]  # type: ignore[arg-type]
