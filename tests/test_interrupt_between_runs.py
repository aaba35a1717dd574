"""A Ctrl-C in forcegen's own code just after a HiGHS run (taking its plan, holding the stage,
adopting a plan in hand) is taken as one during the run: the solve stops with the plan so far.
It escaped the solve as KeyboardInterrupt, and `forcegen solve` said "nothing was written"
with a plan in hand."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from solver import api
from solver.signals import StopSignals
from solver.solve import endings, highs

from .workbooks import simple_case


def _raise_at_second_stage(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ctrl-C as the second stage's plan is taken from HiGHS (after its run)."""
    taken: list[int] = []
    real = endings.take_solution

    def take(solver, run, i, status, seconds):
        taken.append(i)
        if len(taken) == 2:
            raise KeyboardInterrupt
        return real(solver, run, i, status, seconds)

    monkeypatch.setattr(highs.endings, "take_solution", take)
    return taken


def test_a_ctrl_c_as_a_stage_s_plan_is_taken_keeps_the_plan_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 3, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 3, "priority": 2},
        ],
    )
    expected = api.solve(case)
    assert expected.status == "optimal"
    taken = _raise_at_second_stage(monkeypatch)
    try:
        result = api.solve(case, heuristic=False)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C escaped the solve: the plan so far was lost")
    assert len(taken) == 2
    assert result.status == "interrupted" and result.outcome.x is not None
    first = result.outcome.stages[0]
    assert first.status == "optimal"
    assert first.value == expected.outcome.stages[0].value
    later = result.outcome.stages[2:]
    assert later and all(s.status == "not_solved" for s in later)


def test_a_ctrl_c_after_the_solve_ended_leaves_its_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Infeasible at its first stage, a Ctrl-C as a later stage returns `not_solved` keeps the
    status infeasible (exit 3, explained), not interrupted."""
    case = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 9, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 2},
        ],
    )
    real = highs.LexicographicSolver._stage

    def stage(self, run, i):
        if i == 1:
            assert run.status == "infeasible"
            raise KeyboardInterrupt
        return real(self, run, i)

    monkeypatch.setattr(highs.LexicographicSolver, "_stage", stage)
    try:
        result = api.solve(case, explain=False)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C escaped the solve")
    assert result.status == "infeasible"
    assert [s.status for s in result.outcome.stages[1:]] == ["not_solved"] * (
        len(result.outcome.stages) - 1
    )


def test_a_ctrl_c_as_the_solve_begins_keeps_the_heuristic_s_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C while the solve checks its start (after the construction heuristic, before the
    first stage): the heuristic's plan is the plan so far, written as interrupted, every stage
    after the first not solved. It escaped as KeyboardInterrupt: nothing was written."""
    case = simple_case(tmp_path / "c.xlsx")
    real = highs.LexicographicSolver.valid_full_start
    calls: list[int] = []

    def check_start(self, start):
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(self, start)

    monkeypatch.setattr(highs.LexicographicSolver, "valid_full_start", check_start)
    try:
        result = api.solve(case)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C escaped the solve: the heuristic's plan was lost")
    assert len(calls) == 2  # looked at again once the stop was taken
    assert result.status == "interrupted" and result.outcome.x is not None
    first, *later = result.outcome.stages
    assert first.stopped == "interrupted" and first.value is not None
    assert later and all(s.status == "not_solved" for s in later)


def _lost_stop_after(calls_before_raising: int) -> tuple[list[int], Callable[[], None]]:
    """A checkpoint that raises a Ctrl-C Python lost, at its n-th call (api.solve calls it
    after reading, after building and after the construction heuristic)."""
    calls: list[int] = []

    def checkpoint() -> None:
        calls.append(1)
        if len(calls) == calls_before_raising:
            raise KeyboardInterrupt

    return calls, checkpoint


def test_a_stop_lost_during_the_heuristic_keeps_the_heuristic_s_plan(tmp_path: Path) -> None:
    """A Ctrl-C or SIGTERM whose exception was lost during the construction heuristic is raised
    by the checkpoint after it: the heuristic's plan is the plan so far (interrupted, every
    stage after the first not solved). It escaped as KeyboardInterrupt: nothing was written."""
    case = simple_case(tmp_path / "c.xlsx")
    calls, checkpoint = _lost_stop_after(3)
    try:
        result = api.solve(case, checkpoint=checkpoint)
    except KeyboardInterrupt:
        pytest.fail("the stop escaped the solve: the heuristic's plan was lost")
    assert len(calls) == 3
    assert result.status == "interrupted" and result.outcome.x is not None
    first, *later = result.outcome.stages
    assert first.stopped == "interrupted" and first.value is not None
    assert later and all(s.status == "not_solved" for s in later)


def test_a_stop_lost_before_any_plan_is_raised(tmp_path: Path) -> None:
    """Without the heuristic there is no plan to keep after it (nor with a caller's partial
    start): the stop is raised, as one while reading or building is."""
    case = simple_case(tmp_path / "c.xlsx")
    for at, heuristic in ((1, True), (2, True), (3, False)):
        _, checkpoint = _lost_stop_after(at)
        with pytest.raises(KeyboardInterrupt):
            api.solve(case, checkpoint=checkpoint, heuristic=heuristic)
    # a caller's partial start is no plan to keep either
    _, checkpoint = _lost_stop_after(3)
    with pytest.raises(KeyboardInterrupt):
        api.solve(case, checkpoint=checkpoint, start={("A", "S1", "INF"): 1})


def test_a_stop_as_the_solve_returns_keeps_its_plan_for_a_caller_that_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C just after the solve returned, before the caller's `hold` (the CLI's: signals
    only remembered) is entered: the plan is tabulated, not lost. A caller with no hold gets
    the same: the API holds its signals itself (an API trial lost its plan to a Ctrl-C raised
    from inside pandas), and its Result says it was stopped."""
    case = simple_case(tmp_path / "c.xlsx")
    real = highs.LexicographicSolver.solve

    def solve_then_stop(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(highs.LexicographicSolver, "solve", solve_then_stop)
    held: list[int] = []

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        held.append(1)
        yield

    try:
        result = api.solve(case, hold=hold, alternatives=2)
    except KeyboardInterrupt:
        pytest.fail("the stop escaped the solve: its plan was lost")
    assert held and result.status == "optimal" and result.outcome.x is not None
    assert result.tables.allocation["units"].sum() > 0
    # the caller stops: no alternatives searched (the plan is explained, as after any stop
    # that came once HiGHS had returned: test_interrupts.py)
    summary = dict(result.tables.summary)
    assert summary["alternatives.status"] == "interrupted"
    assert "explanation" not in summary
    alone = api.solve(case)
    assert alone.status == "optimal" and alone.outcome.x is not None and alone.stopped


def test_a_stop_while_the_plan_is_tabulated_skips_what_comes_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real SIGINT while the plan is tabulated, inside the CLI's hold (`StopSignals.held`:
    only remembered): the plan is kept (optimal, as solved) and explained, but the alternatives
    are not searched, as the caller is stopping (it searched them in full, up to the time limit
    again). A solve with no stop searches them."""
    case = simple_case(tmp_path / "c.xlsx")
    real = api.tabulate

    def tabulate_and_stop(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    unstopped = api.solve(case, alternatives=2)
    assert dict(unstopped.tables.summary)["alternatives.status"] != "interrupted"
    monkeypatch.setattr(api, "tabulate", tabulate_and_stop)
    with StopSignals() as stops:
        result = api.solve(case, hold=stops.held, checkpoint=stops.check, alternatives=2)
    assert stops.stopped
    assert result.status == "optimal" and result.outcome.x is not None
    summary = dict(result.tables.summary)
    assert summary["alternatives.status"] == "interrupted"
    assert summary["alternatives.requested"] == 2 and summary["alternatives.found"] == 0
    assert "explanation" not in summary  # explained, as after any stop once HiGHS returned
