"""A Ctrl-C or SIGTERM once the construction heuristic has a plan keeps that plan as the plan so
far (written as interrupted). A fault trial lost it twice, and `solve` said "stopped before any
plan was found: nothing was written": a stop as the solve checked whether any row is beyond
reach (the first milliseconds after the heuristic), and a re-plan's stop during the plain
heuristic that follows its start from the baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.solve import highs, start

from .workbooks import simple_case


def test_a_stop_as_the_solve_checks_its_rows_keeps_the_heuristic_s_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop raised in `beyond_reach` (the first call): the heuristic's plan is the plan so
    far, interrupted, every stage after the first not solved; the rows are checked again."""
    case = simple_case(tmp_path / "c.xlsx")
    real = highs.LexicographicSolver.beyond_reach
    calls: list[int] = []

    def checked(self: highs.LexicographicSolver) -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(self)

    monkeypatch.setattr(highs.LexicographicSolver, "beyond_reach", checked)
    try:
        result = api.solve(case)
    except KeyboardInterrupt:
        pytest.fail("the stop escaped the solve: the heuristic's plan was lost")
    assert result.status == "interrupted" and result.outcome.x is not None
    first, *later = result.outcome.stages
    assert first.stopped == "interrupted" and first.value is not None
    assert later and all(s.status == "not_solved" for s in later)
    calls.clear()  # without a plan (no heuristic) the stop is raised, as before any plan
    with pytest.raises(KeyboardInterrupt):
        api.solve(case, heuristic=False)


def test_a_stop_in_the_heuristic_after_the_baseline_s_start_keeps_that_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-plan (the plan of the same case as its baseline): the plain heuristic after the
    start from the baseline is stopped; the baseline's start is the plan so far, and it is
    the baseline's plan (no unit changed)."""
    case = simple_case(tmp_path / "c.xlsx")
    base = api.solve(case)
    plan = api.write(base, tmp_path / "plan.xlsx", [case])
    real = start._heuristic

    def stopped_unless_from_baseline(ctx, solver, tries, from_baseline=False):  # type: ignore[no-untyped-def]
        if not from_baseline:
            raise KeyboardInterrupt
        return real(ctx, solver, tries, from_baseline)

    monkeypatch.setattr(start, "_heuristic", stopped_unless_from_baseline)
    try:
        result = api.solve(case, baseline=plan)
    except KeyboardInterrupt:
        pytest.fail("the stop escaped the re-plan: the baseline's start was lost")
    assert result.status == "interrupted" and result.outcome.x is not None
    units = result.tables.allocation.set_index(["contributor", "capability", "site"])["units"]
    before = base.tables.allocation.set_index(["contributor", "capability", "site"])["units"]
    assert units.sort_index().to_dict() == before.sort_index().to_dict()


def test_a_stop_in_the_heuristic_without_a_baseline_start_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No start from a baseline: no plan to keep, the stop is raised."""
    case = simple_case(tmp_path / "c.xlsx")

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(start, "_heuristic", stopped)
    with pytest.raises(KeyboardInterrupt):
        api.solve(case)


def test_a_stop_as_the_heuristic_s_line_is_logged_keeps_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial's window: the signal came as `-v` printed `construction heuristic: a valid
    start ...` (the stop raised inside the logging call): the heuristic's plan is kept."""
    case = simple_case(tmp_path / "c.xlsx")
    real, lines = start.log.info, []

    def said(message: str, *args: object) -> None:
        line = message % args
        if "construction heuristic" in line and not lines:
            lines.append(line)
            raise KeyboardInterrupt
        real(message, *args)

    monkeypatch.setattr(start.log, "info", said)
    try:
        result = api.solve(case)
    except KeyboardInterrupt:
        pytest.fail("the stop escaped the solve: the heuristic's plan was lost")
    assert "construction heuristic" in lines[0]
    assert result.status == "interrupted" and result.outcome.x is not None


def test_a_stop_a_heuristic_s_highs_run_took_as_a_cancel_keeps_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop during a HiGHS run inside the construction start (a feasibility run, a baseline's
    repair) cancels the solver instead of raising; where the caller's checkpoint raises
    nothing more (a sweep job's stop, already raised), the solve began cancelled and dropped
    the valid start (a review: every stage `not_solved`, no plan). It is the plan so far."""
    from solver.worker_signals import JobStop

    case = simple_case(tmp_path / "c.xlsx")
    from solver import solve_steps

    real = solve_steps.construction_start

    def cancelled_in_it(ctx, solver, options, timings):  # type: ignore[no-untyped-def]
        made = real(ctx, solver, options, timings)
        solver.cancel()  # what watchdog.run_watched does with a stop in a HiGHS run
        return made

    monkeypatch.setattr(solve_steps, "construction_start", cancelled_in_it)
    stop = JobStop()
    stop.received = stop.raised = True
    result = api.solve(case, hold=stop.held, checkpoint=stop.check)
    assert result.status == "interrupted" and result.outcome.x is not None
