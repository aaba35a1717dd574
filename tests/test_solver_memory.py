"""Out of memory, at every step of a solve: HiGHS without a plan, a later stage, a stage's face,
a price's re-solve, the alternatives, check: the plan so far kept, or the failure said as such,
never as a result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.results import output_file
from solver.solve.highs import LexicographicSolver

from .workbooks import simple_case


def test_highs_out_of_memory_without_a_plan_is_out_of_memory(tmp_path: Path, monkeypatch) -> None:
    """HiGHS stopped by its memory limit before any plan (no construction heuristic): not "no
    plan in time" (exit 4) but out of memory: the API raises MemoryError, and the command says
    the planner's out-of-memory sentence, exit 1, nothing written."""
    from click.testing import CliRunner

    import solver.solve_steps
    from solver.cli import main
    from solver.solve.instance import MS

    monkeypatch.setattr(LexicographicSolver, "run_highs", lambda self, remaining: MS.kMemoryLimit)
    src = simple_case(tmp_path / "c.xlsx")
    with pytest.raises(MemoryError):
        api.solve(src, heuristic=False)
    # no construction heuristic's plan either
    monkeypatch.setattr(
        solver.solve_steps, "construction_start", lambda *args: (None, "", [], False)
    )
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert "out of memory: the model needs more memory than this process may use" in result.output
    assert "no feasible allocation" not in result.output and not out.exists()
    assert "--backend highs" not in result.output
    # the Pyomo route holds the model twice: the lighter route is named (a trial)
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--backend", "pyomo"])
    assert result.exit_code == 1
    assert "reduce the workbook, use --backend highs, or run where more" in result.output


def test_out_of_memory_in_a_later_stage_keeps_the_plan_so_far(tmp_path: Path, monkeypatch) -> None:
    """The first stage solved, HiGHS out of memory in the second: the plan of the first is
    kept and written (it is valid and proven at priority 1), the solve `feasible`, the stage
    that ran out `stopped: memory` with the plan so far as its value, the last one not solved;
    the Summary's message and the console say out of memory, not a limit."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.solve.instance import MS

    real = LexicographicSolver.run_highs
    calls: list[int] = []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    src = simple_case(tmp_path / "c.xlsx")
    optimum = api.solve(src)
    monkeypatch.setattr(LexicographicSolver, "run_highs", second_run_exhausted)
    result = api.solve(src)
    # the plan so far is kept, but the run failed: exit 1, not a result (a fault trial: exit 0)
    assert result.status == "feasible" and result.exit_code == 1
    stages = {s.name: s for s in result.outcome.stages}
    assert stages["shortfall.p1"].status == "optimal"
    assert (stages["cost"].status, stages["cost"].stopped) == ("feasible", "memory")
    assert stages["presence"].status == "not_solved"
    assert (
        result.stage_values["objective.shortfall.p1"]
        == (optimum.stage_values["objective.shortfall.p1"])
    )
    summary = dict(result.tables.summary)
    assert summary["message"].startswith("out of memory in stage cost: the plan of the stages")
    assert summary["stage.cost.stopped"] == "memory"

    calls.clear()
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert run.exit_code == 1 and out.exists()
    assert "stopped by running out of memory" in run.output


def test_out_of_memory_in_a_price_s_re_solve_is_no_price(tmp_path: Path, monkeypatch) -> None:
    """The plan solved, a re-solve of --price-caveats runs out of memory: its partial plan is
    no "optimum without the rule" (it was written as prices: C3's 218,456 as nothing), so the
    pricing ends there, the rules left `not priced: a re-solve ran out of memory`, and the
    plan solved is written (before, nothing was)."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.explain.pricing import NOT_PRICED_MEMORY
    from solver.solve.instance import MS

    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    result = api.solve(src)
    assert result.status == "optimal"
    real, calls = LexicographicSolver.run_highs, []

    def first_stage_only(self, remaining):  # each re-solve's first stage solves, then none
        calls.append(1)
        return real(self, remaining) if len(calls) % 2 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", first_stage_only)
    prices = api.price_caveats(result)
    assert len(calls) == 2  # the first re-solve's second stage ended the pricing
    assert set(prices["status"]) == {NOT_PRICED_MEMORY}
    from solver.explain.pricing import pricing_note

    # the Summary's line says why (a fault trial: `a re-solve overran its limit`)
    assert pricing_note(prices).startswith("a re-solve ran out of memory: 0 of 1 rule priced")
    monkeypatch.setattr(LexicographicSolver, "run_highs", real)  # the command's solve: as it is

    def exhausted(self, lift, start):  # every price's re-solve runs out
        raise MemoryError("std::bad_alloc")

    from solver.explain import pricing_inplace

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "reprice", exhausted)
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert run.exit_code == 0, run.output
    assert out.exists()
    assert "its re-solve ran out of memory; the rules from it on are not priced" in run.output


def test_out_of_memory_with_the_heuristics_plan_alone_says_so(tmp_path: Path, monkeypatch) -> None:
    """Out of memory in the first stage: the construction heuristic's plan is kept, and said
    so, not "the plan of the stages before it" (there are none) nor "no plan in time"."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.solve.instance import MS

    monkeypatch.setattr(LexicographicSolver, "run_highs", lambda self, remaining: MS.kMemoryLimit)
    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src)
    assert result.status == "feasible"
    assert dict(result.tables.summary)["message"].startswith(
        "out of memory in stage shortfall.p1: the construction heuristic's plan is kept"
    )
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(tmp_path / "o.xlsx")])
    assert run.exit_code == 1
    p1 = next(line for line in run.output.splitlines() if line.lstrip().startswith("shortfall.p1"))
    assert "(the construction heuristic's plan, not optimised" in p1
    assert p1.endswith("; stopped by running out of memory)") and "in time" not in p1


def test_memory_error_inside_the_highs_thread_reaches_the_caller(
    tmp_path: Path, monkeypatch
) -> None:
    """std::bad_alloc inside HiGHS arrives as MemoryError in its worker thread: raised in the
    caller's thread, not lost (the stage read a stale status before)."""
    from solver.solve import watchdog

    def exhausted(h, done) -> None:
        try:
            raise MemoryError("std::bad_alloc")
        finally:
            done.set()

    monkeypatch.setattr(watchdog, "run_masked", exhausted)
    with pytest.raises(MemoryError):
        api.solve(simple_case(tmp_path / "c.xlsx"), heuristic=False)


def test_out_of_memory_on_a_stages_face_leaves_the_model_as_it_was(monkeypatch) -> None:
    """The timed example's first stage searches its relaxation's face (its columns' bounds
    narrowed in HiGHS) and runs out of memory there: the plan so far is kept and the face's
    bounds are undone (only Ctrl-C undid them: 440 columns and 537 rows stayed narrowed, and a
    price's or an alternative's re-solve on the same instance ran on them)."""

    import solver.solve.face as face
    from solver.solve.highs import LexicographicSolver

    from .conftest import ROOT

    searched: list[int] = []

    def exhausted(solver, run, limit):
        searched.append(1)
        raise MemoryError("std::bad_alloc")

    made: list[LexicographicSolver] = []
    real_init = LexicographicSolver.__init__

    def kept(self, *args, **kwargs) -> None:
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(face, "_whole_point", exhausted)
    monkeypatch.setattr(face, "_near_vertex", lambda *args, **kwargs: False)
    monkeypatch.setattr(LexicographicSolver, "__init__", kept)
    result = api.solve(ROOT / "inputs" / "coalition_timed.xlsx", time_limit=60, threads=1)
    assert searched and result.status == "feasible"
    assert result.outcome.stages[0].stopped == "memory"
    mm, lp = made[0].mm, made[0].h.getLp()
    assert np.array_equal(np.asarray(lp.col_lower_), mm.col_lower)
    assert np.array_equal(np.asarray(lp.col_upper_), mm.col_upper)


def test_check_does_not_compare_a_plan_kept_out_of_memory(tmp_path: Path, monkeypatch) -> None:
    """`check` of a case whose cost stage runs out of memory: the plan so far, kept for a
    planner, is no answer to compare with the pins (it was compared, and a failure read as a
    regression); the case fails saying out of memory."""
    from solver.check.run import solve_scenario
    from solver.solve.instance import MS

    real, calls = LexicographicSolver.run_highs, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", second_run_exhausted)
    run = solve_scenario(str(simple_case(tmp_path / "c.xlsx")), "base")
    assert run.answer is None
    assert run.errors == ["out of memory in stage cost"]


def test_out_of_memory_searches_no_alternatives(tmp_path: Path, monkeypatch) -> None:
    """The cost stage out of memory with --alternatives 2: the plan so far is kept and no
    alternative is searched on a machine lacking the memory (their re-solves raise, and the
    whole command failed with nothing written); the Summary says why."""
    from solver.solve.instance import MS

    real, calls = LexicographicSolver.run_highs, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", second_run_exhausted)
    result = api.solve(simple_case(tmp_path / "c.xlsx"), alternatives=2)
    assert result.status == "feasible"
    summary = dict(result.tables.summary)
    assert summary["alternatives.status"] == "out of memory"
    assert summary["alternatives.message"] == "alternatives not searched: out of memory"


def test_out_of_memory_prices_no_caveat_and_writes_the_plan(tmp_path: Path, monkeypatch) -> None:
    """`solve --price-caveats` whose cost stage ran out of memory: the plan so far is written
    and the prices are skipped, said so (their re-solves raised, and nothing was written)."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.solve.instance import MS

    real, calls = LexicographicSolver.run_highs, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "run_highs", second_run_exhausted)
    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert run.exit_code == 1, run.output
    assert out.exists() and "caveat prices skipped: the solve ran out of memory" in run.output


def test_out_of_memory_in_the_alternatives_search_keeps_the_plan(
    tmp_path: Path, monkeypatch
) -> None:
    """The plan solved, the search for alternatives runs out of memory: the plan is kept with
    what was found (none), said so (the whole solve failed with it)."""
    from solver.solve.instance import MS

    real = LexicographicSolver.run_highs
    solving = [True]
    real_solve = LexicographicSolver.solve

    def solve_then_exhaust(self, *args, **kwargs):
        try:
            return real_solve(self, *args, **kwargs)
        finally:
            solving[0] = False

    def run(self, remaining):
        return real(self, remaining) if solving[0] else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "solve", solve_then_exhaust)
    monkeypatch.setattr(LexicographicSolver, "run_highs", run)
    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src, alternatives=2)
    assert result.status == "optimal"
    assert dict(result.tables.summary)["alternatives.message"] == (
        "out of memory: 0 alternative plans found before the search ran out of memory (asked for 2)"
    )


def test_out_of_memory_in_the_gaps_explanation_keeps_the_plan(tmp_path: Path, monkeypatch) -> None:
    """HiGHS out of memory in a stage kept the plan so far, then the Gaps explanation ran out
    too and the plan was lost: exit 1, nothing written (a trial under `ulimit -v`). The
    explanation is optional: left out, and the Summary says why; the plan is written."""
    from click.testing import CliRunner

    import solver.solve_steps
    from solver.cli import main

    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(solver.solve_steps, "explain_gaps", exhausted)
    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src)
    assert result.status == "optimal" and result.outcome.x is not None
    assert dict(result.tables.summary)["explanation"] == "not given: out of memory"
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert out.exists()
    # with a gap to explain, said as what it was (a fault trial: `Ctrl-C came while ...`)
    short = simple_case(
        tmp_path / "short.xlsx", requirements=[{"site": "S1", "capability": "INF", "units": 9}]
    )
    run = CliRunner().invoke(main, ["solve", str(short), "-o", str(tmp_path / "s.xlsx")])
    assert "no Gaps sheet: memory ran out while the gaps' reasons were worked out" in run.output
    assert "Ctrl-C" not in run.output


def test_out_of_memory_while_writing_says_so_where_the_status_is(
    tmp_path: Path, monkeypatch
) -> None:
    """The plan solved, memory ran out building its workbook: the console said 'the model is
    too large for this machine' (it had been solved) and never that the plan was not written.
    Now `not written: ...` follows the status, the error says it was the writing, exit 1."""
    from click.testing import CliRunner

    from solver.cli import main

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(output_file, "write_output", exhausted)
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert run.exit_code == 1
    assert f"not written: {out} (the plan above is in no file; see the error)" in run.stdout
    assert "out of memory while writing o.xlsx" in run.output
    assert "the model is too large" not in run.output and not out.exists()


def test_out_of_memory_in_a_neighbourhood_is_out_of_memory_not_no_better_plan(
    monkeypatch,
) -> None:
    """A neighbourhood of fix-and-optimise whose HiGHS ran out of memory (its own instance,
    solve/submodel.py) read as 'no better plan there', so the search went on without it: a
    work-limited solve under `ulimit -v` gave another plan, said to be stopped by the work
    limit. Now it raises MemoryError, which ends the stage as the stage's own run does
    (`stopped: memory`, the plan kept: test_out_of_memory_in_a_later_stage_keeps_the_plan_so_far)."""
    from types import SimpleNamespace

    import scipy.sparse as sp

    from solver.solve import submodel
    from solver.solve.clock import WallClock
    from solver.solve.instance import MS
    from solver.solve.options import SolveOptions

    # the clock run_model reads for a second run's time (after a start HiGHS misread)
    solver = SimpleNamespace(options=SolveOptions(), abandoned=False, clock=WallClock())
    matrix = sp.csr_matrix(np.ones((1, 2)))
    columns = (np.zeros(2), np.ones(2), np.ones(2, dtype=np.uint8))
    rows = (np.array([-np.inf]), np.array([1.0]))

    def run(status: object) -> object:
        monkeypatch.setattr(submodel, "run_watched", lambda *args: status)
        return submodel.run_model(
            solver, matrix, np.array([-1.0, -2.0]), columns, rows, np.zeros(2), 1.0
        )  # type: ignore[arg-type]

    with pytest.raises(MemoryError, match="neighbourhood"):
        run(MS.kMemoryLimit)
    assert run(MS.kTimeLimit) is None  # no solution read: no plan, as before
