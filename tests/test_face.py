"""A timed shortfall stage solved on the optimal face of its relaxation (solver/solve/face.py).

World: 2 months; A pledges 1 INF (cost 1 per tour); S1 needs 1 INF at priority 1 and S2 1 INF
at priority 2; no other pledge. Priority 1: A's unit at S1 in both months, 0 short; the LP
agrees (bound 0), and its pledge row is binding with a positive dual, so every column of A at S2
or A's unit at S1 (whichever carries the dual) is fixed on the face. Priority 2: S2 can then have nothing:
1 unit short in each of 2 months = 2. Cost: one tour of A (P1-P2) = 1. Presence: A at S1 = 1."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve import face, highs
from solver.solve.groups import set_polish_groups
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions

from .time_cases import months, timed_case

EXPECTED = {"shortfall.p1": 0.0, "shortfall.p2": 2.0, "cost": 1.0, "presence": 1.0}


def case(tmp_path: Path) -> Path:
    return timed_case(
        tmp_path / "face.xlsx",
        periods=months(2),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
    )


def solver_for(path: Path) -> LexicographicSolver:
    """The model loaded into a solver."""
    ctx = build_model(api.read(path))
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    return LexicographicSolver(mm, SolveOptions(time_limit=60))


def solved_then_counted_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[LexicographicSolver, np.ndarray]:
    """The solver after one solve (reset for the next) and that solve's optimal plan; from
    now on every stage is polished (LNS_MIN_COLUMNS 0), as on a large model."""
    from solver.solve import polish

    solver = solver_for(case(tmp_path))
    plan = solver.solve().x
    assert plan is not None
    solver.reset()
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    return solver, plan


def values(outcome) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {s.name: round(float(s.value), 6) for s in outcome.stages}


def test_shortfall_stages_are_solved_on_their_face_and_the_face_holds_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    solver = solver_for(case(tmp_path))
    with caplog.at_level(logging.INFO, logger="forcegen.solve"):
        outcome = solver.solve()
    assert outcome.status == "optimal"
    assert values(outcome) == EXPECTED
    # each proven by the relaxation's bound: by the relaxation's neighbourhood, or else by a
    # whole point on the face
    proven = ("on the relaxation's face", "the plan reaches the relaxation's bound")
    on_face = [
        r.getMessage().split()[1]
        for r in caplog.records
        if any(p in r.getMessage() for p in proven)
    ]
    assert on_face[:2] == ["shortfall.p1", "shortfall.p2"]  # (cost and presence as well)
    # priority 1 is held by the face's bounds, not by a row: had it not been held, priority 2
    # would have moved A's unit to S2 (p1 2, p2 0)
    narrowed = (solver.col_lower != solver.mm.col_lower) | (solver.col_upper != solver.mm.col_upper)
    assert narrowed.any()
    assert [row for row, _ in solver.holds[:2]] == [-1, -1]
    assert solver.h.getNumRow() == solver.mm.n_rows + 1  # only the cost stage's holding row


def test_reset_restores_the_bounds_the_faces_narrowed(tmp_path: Path) -> None:
    solver = solver_for(case(tmp_path))
    solver.solve()
    solver.reset()
    lp = solver.h.getLp()
    mm = solver.mm
    assert np.array_equal(np.asarray(lp.col_upper_), mm.col_upper)
    assert np.array_equal(np.asarray(lp.col_lower_), mm.col_lower)
    assert np.array_equal(np.asarray(lp.row_lower_), mm.row_lower)
    assert np.array_equal(np.asarray(lp.row_upper_), mm.row_upper)
    assert np.array_equal(solver.col_upper, mm.col_upper)
    assert values(solver.solve()) == EXPECTED  # and the same model solves again alike


def test_without_a_whole_point_found_in_time_the_stage_is_solved_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No whole point found on the face in time (no proof that there is none): the bounds are
    restored and each stage is solved by the MIP with a holding row, to the same values; the
    next stage still tries its face (on a loaded machine priority 1 of the timed example ran
    out of time on its face, and the later faces take 2 s each)."""
    tried: list[float] = []
    monkeypatch.setattr(face, "_whole_point", lambda solver, run, limit: tried.append(limit))
    monkeypatch.setattr(face, "_near_vertex", lambda solver, run, i, relaxed, end: False)
    searched: list[int] = []
    monkeypatch.setattr(
        highs.rins, "improve_near_relaxation", lambda solver, run, i, x, end: searched.append(i)
    )
    solver = solver_for(case(tmp_path))
    outcome = solver.solve()
    assert values(outcome) == EXPECTED
    assert all(row >= 0 for row, _ in solver.holds)
    assert np.array_equal(solver.col_upper, solver.mm.col_upper)
    assert len(tried) == 2 and not solver.faces_off
    # a small model's shortfall stages do not search the face's relaxation's neighbourhood
    shortfall = [i for i, s in enumerate(solver.mm.stages) if s.name.startswith("shortfall.")]
    assert not set(searched) & set(shortfall)


def test_a_face_proven_to_hold_no_whole_point_turns_faces_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS proves priority 1's face has no whole point (here: a column's bounds crossed, so
    the face is infeasible): no later stage tries a face, and the stages are solved by the MIP
    to the same values."""
    tried: list[str] = []

    def none_there(solver, run, limit):  # type: ignore[no-untyped-def]
        solver.h.changeColBounds(0, 1.0, 0.0)  # restored with the face's bounds
        solver.run_highs(limit)
        tried.append(solver.h.modelStatusToString(solver.h.getModelStatus()))
        return None

    monkeypatch.setattr(face, "_whole_point", none_there)
    solver = solver_for(case(tmp_path))
    assert values(solver.solve()) == EXPECTED
    assert tried == ["Infeasible"] and solver.faces_off
    assert all(row >= 0 for row, _ in solver.holds)


@pytest.mark.parametrize("near_first", [True, False])
def test_a_search_that_reaches_the_relaxation_bound_ends_the_stage_as_optimal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, near_first: bool
) -> None:
    """From the start given (an optimal plan of an earlier solve), the relaxation's
    neighbourhood reaches the bound before any whole point is sought on the face
    (`near_first`); or, that left out and the face's search finding nothing in time, the
    stage's own search does (every stage polished here: LNS_MIN_COLUMNS 0). Either way the
    stage is optimal with gap 0 without its MIP, and held on the face, since the plan lies in
    it. Priority 1's bound is 0 and its optimum 0."""
    solver, plan = solved_then_counted_large(tmp_path, monkeypatch)
    sought: list[float] = []
    monkeypatch.setattr(face, "_whole_point", lambda solver, run, limit: sought.append(limit))
    if not near_first:
        monkeypatch.setattr(face, "_near_vertex", lambda solver, run, i, relaxed, end: False)
    mips: list[str] = []
    real = LexicographicSolver._run_stage

    def run_stage(self, run, i, remaining):  # type: ignore[no-untyped-def]
        mips.append(self.mm.stages[i].name)
        return real(self, run, i, remaining)

    monkeypatch.setattr(LexicographicSolver, "_run_stage", run_stage)
    outcome = solver.solve((np.arange(solver.mm.n_cols), plan))
    assert values(outcome) == EXPECTED
    first = outcome.stages[0]
    assert (first.name, first.status, first.gap) == ("shortfall.p1", "optimal", 0.0)
    assert "shortfall.p1" not in mips
    assert solver.holds[0][0] == -1  # on the face: no holding row
    assert outcome.status == "optimal"
    assert (sought == []) if near_first else len(sought) >= 1


def test_a_small_snapshot_is_never_solved_on_a_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small snapshot plans stay exactly as before (their reference pins): no face is tried.
    The same model counted as large (LNS_MIN_COLUMNS 0) tries its shortfall stages on a face,
    never cost or presence."""
    from solver.solve import polish

    from .workbooks import simple_case

    data = api.read(simple_case(tmp_path / "snap.xlsx"))
    ctx = build_model(data)
    mm = MatrixModel.from_linear(ctx.lm)
    set_polish_groups(ctx, mm)
    solver = LexicographicSolver(mm, SolveOptions(time_limit=60))
    assert not any(face.tries_face(solver, i) for i in range(len(mm.stages)))
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    tried = [mm.stages[i].name for i in range(len(mm.stages)) if face.tries_face(solver, i)]
    assert tried == [s.name for s in mm.stages if s.name.startswith("shortfall.")]
    assert tried


def test_a_later_plan_that_gives_up_a_face_held_stage_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The face's bounds hold a stage exactly only up to the dual tolerance, so a later stage's
    plan is checked against the face-held values before it is taken. Here HiGHS's plan for
    the cost stage is replaced by one with nothing deployed (priority 1 short 2 unit-months
    instead of 0): the plan carried into the cost stage is kept, held, and the presence
    stage still runs; the solve is feasible, not optimal, and priority 1 stays 0. (The cost
    stage's relaxation is left out, so that its MIP runs: the carried plan is at its bound.)"""
    monkeypatch.setattr(highs, "relaxation_bound", lambda solver, run, i, end: None)
    solver = solver_for(case(tmp_path))
    real = solver.h.getSolution

    class Empty:
        def __init__(self, n: int) -> None:
            self.col_value = np.zeros(n)

    def empty_in_cost_stage():  # type: ignore[no-untyped-def]
        if len(solver.holds) == 2:  # both shortfall stages held: this is the cost stage
            return Empty(solver.mm.n_cols)
        return real()

    monkeypatch.setattr(solver.h, "getSolution", empty_in_cost_stage)
    outcome = solver.solve()
    stages = {s.name: (s.status, round(float(s.value), 6)) for s in outcome.stages}
    assert stages["shortfall.p1"] == ("optimal", 0.0)
    assert stages["cost"][0] == "feasible"
    assert stages["presence"][0] == "optimal"
    assert outcome.status == "feasible"
    assert outcome.x is not None
    assert float(solver.mm.costs[0] @ outcome.x) <= 1e-6  # priority 1 still fully covered


def test_a_relaxation_not_solved_in_time_turns_faces_off_for_the_solve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Priority 1's relaxation does not finish (as at 202k columns): no face is tried for
    priority 2 either (its relaxation is no smaller), both stages are solved by the MIP with
    holding rows, to the same values; a reset (a re-solve) tries faces again."""
    tried: list[int] = []

    def unsolved(solver, cost, limit):  # type: ignore[no-untyped-def]
        tried.append(len(solver.holds))
        return None

    monkeypatch.setattr(face, "_relaxation", unsolved)
    solver = solver_for(case(tmp_path))
    assert values(solver.solve()) == EXPECTED
    assert tried == [0]
    assert all(row >= 0 for row, _ in solver.holds)
    solver.reset()
    assert not solver.faces_off


def test_no_face_above_the_column_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face, "FACE_MAX_COLUMNS", 0)
    solver = solver_for(case(tmp_path))
    assert not any(face.tries_face(solver, i) for i in range(len(solver.mm.stages)))
    assert values(solver.solve()) == EXPECTED


def test_a_neighbourhood_abandoned_before_the_face_runs_nothing_more_on_highs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relaxation's neighbourhood does not return after its cancel (abandoned: HiGHS still
    runs it in its thread): no whole point is sought and no bound set on that busy instance;
    the stage ends as abandoned, and no later stage runs."""
    solver, _ = solved_then_counted_large(tmp_path, monkeypatch)
    after: list[str] = []

    def abandoned(solver, run, i, relaxed, end):  # type: ignore[no-untyped-def]
        solver.abandoned = True

    monkeypatch.setattr(face, "improve_near_relaxation", abandoned)
    monkeypatch.setattr(face, "_whole_point", lambda solver, run, limit: after.append("sought"))
    monkeypatch.setattr(face, "apply_bounds", lambda solver, bounds: after.append("bounds"))
    start = np.zeros(solver.mm.n_cols)  # not at the bound: the neighbourhood is searched
    outcome = solver.solve((np.arange(solver.mm.n_cols), start))
    assert after == []
    assert outcome.abandoned
    assert [s.status for s in outcome.stages[1:]] == ["not_solved"] * (len(outcome.stages) - 1)


def test_a_face_that_narrows_an_earlier_holding_row_is_not_held_on(tmp_path: Path) -> None:
    """Rows from the model's count on hold earlier stages: a face that narrows one (fixes it
    at its value plus slack, which no whole plan meets exactly) is not used to hold a stage;
    one that narrows only the model's rows is."""
    solver = solver_for(case(tmp_path))
    n = solver.mm.n_rows
    lower = np.zeros(n + 1)
    upper = np.concatenate([np.full(n, 5.0), [2.0 + 1e-6]])
    before = face.Face(np.zeros(3), np.ones(3), lower, upper)
    model_only = face.Face(np.zeros(3), np.ones(3), lower.copy(), upper.copy())
    model_only.row_upper[0] = 0.0
    hold_row = face.Face(np.zeros(3), np.ones(3), lower.copy(), upper.copy())
    hold_row.row_lower[n] = hold_row.row_upper[n]
    assert not face.narrows_holds(solver, before, model_only)
    assert face.narrows_holds(solver, before, hold_row)


def test_each_relaxation_starts_from_nothing_not_from_an_earlier_stages_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From an optimal plan as the start, priority 1's plan reaches its bound at once (A's unit
    at S1), so no search runs between its relaxation and priority 2's and HiGHS still holds
    priority 1's basis. Priority 2's relaxation must not start from it: HiGHS then skips its
    presolve, and on a re-plan of the bundled timed example that run did not finish in 290 s
    where a presolved one took 0.7 s. Every relaxation of the face finds HiGHS without a
    basis."""
    from solver.solve import watchdog

    basis_valid: list[bool] = []
    in_relaxation = [False]
    relaxation, run = face._relaxation, watchdog.run_watched

    def relax(solver, cost, limit):  # type: ignore[no-untyped-def]
        in_relaxation[0] = True
        try:
            return relaxation(solver, cost, limit)
        finally:
            in_relaxation[0] = False

    def recorded(solver, limit):  # type: ignore[no-untyped-def]
        if in_relaxation[0]:
            basis_valid.append(bool(solver.h.getBasis().valid))
        return run(solver, limit)

    solver, plan = solved_then_counted_large(tmp_path, monkeypatch)
    monkeypatch.setattr(face, "_relaxation", relax)
    monkeypatch.setattr(highs, "run_watched", recorded)
    assert values(solver.solve((np.arange(solver.mm.n_cols), plan))) == EXPECTED
    assert len(basis_valid) >= 2 and not any(basis_valid)
