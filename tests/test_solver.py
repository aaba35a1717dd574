"""The model hand-over and the HiGHS driver: backends agree, options reach HiGHS, runs repeat."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.errors import UsageError
from solver.model.build import build_model
from solver.model.matrix import MatrixModel
from solver.solve.highs import LexicographicSolver
from solver.solve.options import SolveOptions

from .conftest import EXAMPLE, allocation_dict
from .workbooks import simple_case


def assert_same_matrix(a: MatrixModel, b: MatrixModel) -> None:
    assert a.a.shape == b.a.shape
    assert (a.a != b.a).nnz == 0
    for field in ("row_lower", "row_upper", "col_lower", "col_upper", "integrality"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    assert len(a.costs) == len(b.costs)
    for ca, cb in zip(a.costs, b.costs, strict=True):
        np.testing.assert_array_equal(ca, cb)
    np.testing.assert_allclose(a.offsets, b.offsets)


@pytest.mark.parametrize("scenario", ["base", "us_backstop", "italy_out"])
def test_pyomo_and_direct_backends_build_identical_models(scenario: str) -> None:
    ctx = build_model(api.read(EXAMPLE, scenario))
    direct, _ = api.to_matrix(ctx, "highs")
    via_pyomo, model = api.to_matrix(ctx, "pyomo")
    assert_same_matrix(direct, via_pyomo)
    assert model.x["FRA", "INF_BN", "Kyiv"].ub >= 1  # readable Pyomo index


@pytest.mark.parametrize("scenario", ["base", "gbr_late"])
def test_both_backends_build_a_timed_model_with_per_period_blocks_alike(scenario: str) -> None:
    """The timed reference case: `requires` adds `deploys.USA` once per period, so blocks share
    a name; the Pyomo route gives each its own component (Pyomo refused the second) and the
    same matrix, and the same plan."""
    path = EXAMPLE.parent / "reference" / "rotation.xlsx"
    ctx = build_model(api.read(path, scenario))
    names = [b.name for b in ctx.lm.var_blocks]
    assert len(names) > len(set(names))  # what the test is about: a name given twice
    direct, _ = api.to_matrix(ctx, "highs")
    via_pyomo, model = api.to_matrix(ctx, "pyomo")
    assert_same_matrix(direct, via_pyomo)
    assert model.find_component("deploys_USA_2") is not None
    a = api.solve(path, scenario=scenario, backend="pyomo")
    b = api.solve(path, scenario=scenario, backend="highs")
    assert a.status == b.status == "optimal"
    assert a.stage_values == b.stage_values


def test_ids_alike_but_for_punctuation_are_two_pyomo_components(tmp_path: Path) -> None:
    """Caveats `C-1` and `C_1` both read as `C_1` in a Pyomo name: each keeps its own rows."""
    caveat = {"contributor": "A", "caveat": "max_units", "value": 1}
    path = simple_case(
        tmp_path / "c.xlsx", caveats=[{**caveat, "id": "C-1"}, {**caveat, "id": "C_1"}]
    )
    ctx = build_model(api.read(path))
    direct, _ = api.to_matrix(ctx, "highs")
    via_pyomo, model = api.to_matrix(ctx, "pyomo")
    assert_same_matrix(direct, via_pyomo)
    assert {"rule_caveat_C_1", "rule_caveat_C_1_2"} <= {c.name for c in model.component_objects()}


def test_pyomo_model_keeps_constant_rows(tmp_path: Path) -> None:
    """A hard requirement nobody can serve is a row without variables: both routes keep it."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1},
            {"site": "S2", "capability": "MED", "units": 1, "hard": "yes"},
        ],
        capabilities=[{"capability": "INF"}, {"capability": "MED"}],
    )
    ctx = build_model(api.read(path))
    direct, _ = api.to_matrix(ctx, "highs")
    via_pyomo, _ = api.to_matrix(ctx, "pyomo")
    assert_same_matrix(direct, via_pyomo)
    assert api.solve(path).status == "infeasible"


def test_example_same_result_on_both_backends() -> None:
    a = api.solve(EXAMPLE, backend="pyomo")
    b = api.solve(EXAMPLE, backend="highs")
    assert a.status == b.status == "optimal"
    assert a.stage_values == b.stage_values
    assert allocation_dict(a) == allocation_dict(b)
    # the solution is loaded back into the Pyomo model for users who inspect it
    model = a.pyomo_model
    units = {k: round(v.value) for k, v in model.x.items() if v.value and v.value > 0.5}
    assert units == allocation_dict(a)


def test_options_really_reach_highs() -> None:
    ctx = build_model(api.read(EXAMPLE))
    mm, _ = api.to_matrix(ctx, "highs")
    opts = SolveOptions(
        time_limit=3000, mip_gap=0.02, threads=1, seed=42, highs={"mip_heuristic_effort": 0.1}
    )
    solver = LexicographicSolver(mm, opts)

    def option(name: str):
        value = solver.h.getOptionValue(name)
        return value[1] if isinstance(value, tuple) else value  # highspy versions differ

    assert option("mip_rel_gap") == pytest.approx(0.02)
    assert option("random_seed") == 42
    assert option("threads") == 1
    assert option("mip_heuristic_effort") == pytest.approx(0.1)
    assert solver.solve().status == "optimal"
    # limits no machine reaches, so the status never depends on its speed
    assert 0 < option("time_limit") <= 3000  # set per stage from what is left
    assert solver.solve(spent=2000.0).status == "optimal"
    assert 0 < option("time_limit") <= 1000  # what the heuristic spent comes off the limit


@pytest.mark.parametrize("bad", [{"mip_rel_gapp": 0.1}, {"time_limit": "soon"}])
def test_rejected_highs_option_is_an_error(bad: dict) -> None:
    ctx = build_model(api.read(EXAMPLE))
    mm, _ = api.to_matrix(ctx, "highs")
    with pytest.raises(UsageError, match="HiGHS rejected option"):
        LexicographicSolver(mm, SolveOptions(highs=bad))


def test_settings_sheet_feeds_options(tmp_path: Path) -> None:
    from .workbooks import write_workbook

    path = write_workbook(
        tmp_path / "s.xlsx", settings={"time_limit": 5, "mip_gap": 0.5, "threads": 1, "seed": 3}
    )
    result = api.solve(path)
    assert result.options == SolveOptions(time_limit=5.0, mip_gap=0.5, threads=1, seed=3)
    result = api.solve(path, time_limit=9, seed=4)
    assert (result.options.time_limit, result.options.seed) == (9, 4)


def test_repeated_runs_give_identical_tables() -> None:
    runs = [api.solve(EXAMPLE) for _ in range(3)]
    first = runs[0].tables
    timing = lambda k: k.startswith("seconds.") or k == "solve_seconds"  # noqa: E731
    for other in runs[1:]:
        for name in ("allocation", "coverage", "contributors", "caveats", "matrix"):
            assert getattr(first, name).equals(getattr(other.tables, name)), name
        assert [r for r in first.summary if not timing(r[0])] == [
            r for r in other.tables.summary if not timing(r[0])
        ]


def test_output_bytes_identical_when_timings_equal(tmp_path: Path) -> None:
    """The file container is deterministic: only the timing cells differ between runs."""
    result = api.solve(EXAMPLE)
    a = api.write(result, tmp_path / "a.xlsx")
    b = api.write(result, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_misjudged_warm_start_is_solved_again() -> None:
    """HiGHS 1.16 can value a stage's MIP start wrongly after presolve and return it as optimal;
    this reference scenario hit it (p2 stayed at 5 although 0 is reachable)."""
    from .conftest import ROOT

    result = api.solve(ROOT / "inputs" / "reference" / "scenarios.xlsx", scenario="canada_in")
    values = result.stage_values
    assert values["objective.shortfall.p2"] == 0
    assert values["objective.shortfall.p3"] == 0


def test_outputs_readable_by_others(tmp_path: Path) -> None:
    """Temp-then-rename must not leave outputs private (mkstemp creates 0600)."""
    import os
    import stat

    out = api.write(api.solve(EXAMPLE), tmp_path / "o.xlsx")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_textbook_formulation_gives_the_same_optimum() -> None:
    """The per-allocation link (the default) and the aggregated link (one row per contributor and
    site) are both valid: same stage values, fewer rows for the second."""
    agg = api.solve(EXAMPLE, backend="highs", formulation="aggregated")
    book = api.solve(EXAMPLE, backend="highs")
    assert agg.stage_values == book.stage_values
    assert agg.ctx.lm.size()["constraints"] < book.ctx.lm.size()["constraints"]


def test_stage_gap_reads_a_negative_bound_as_zero() -> None:
    """Every stage counts something non-negative: a bound below 0 says nothing more than 0."""
    from solver.solve.outcome import stage_gap

    assert stage_gap(49.5, -552_650.0) == 1.0  # HiGHS's own figure here was 11165
    assert stage_gap(4.0, 0.0) == 1.0
    assert stage_gap(100.0, 97.0) == pytest.approx(0.03)
    assert stage_gap(0.0, -5.0) == 0.0  # nothing short: proven by the value itself
    assert stage_gap(10.0, 10.000001) == 0.0
    assert stage_gap(10.0, float("-inf")) == 1.0  # no bound yet: 100%, never 0
    assert stage_gap(10.0, float("nan")) == stage_gap(10.0, float("inf")) == 1.0


def test_highs_out_of_memory_without_a_plan_is_out_of_memory(tmp_path: Path, monkeypatch) -> None:
    """HiGHS stopped by its memory limit before any plan (no construction heuristic): not "no
    plan in time" (exit 4) but out of memory: the API raises MemoryError, and the command says
    the planner's out-of-memory sentence, exit 1, nothing written."""
    from click.testing import CliRunner

    import solver.api
    from solver.cli import main
    from solver.solve.instance import MS

    monkeypatch.setattr(LexicographicSolver, "_run", lambda self, remaining: MS.kMemoryLimit)
    src = simple_case(tmp_path / "c.xlsx")
    with pytest.raises(MemoryError):
        api.solve(src, heuristic=False)
    # no construction heuristic's plan either
    monkeypatch.setattr(solver.api, "construction_start", lambda *args: (None, "", []))
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert "out of memory: the model is too large for this machine" in result.output
    assert "no feasible allocation" not in result.output and not out.exists()


def test_out_of_memory_in_a_later_stage_keeps_the_plan_so_far(tmp_path: Path, monkeypatch) -> None:
    """The first stage solved, HiGHS out of memory in the second: the plan of the first is
    kept and written (it is valid and proven at priority 1), the solve `feasible`, the stage
    that ran out `stopped: memory` with the plan so far as its value, the last one not solved;
    the Summary's message and the console say out of memory, not a limit."""
    from click.testing import CliRunner

    from solver.cli import main
    from solver.solve.instance import MS

    real = LexicographicSolver._run
    calls: list[int] = []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    src = simple_case(tmp_path / "c.xlsx")
    optimum = api.solve(src)
    monkeypatch.setattr(LexicographicSolver, "_run", second_run_exhausted)
    result = api.solve(src)
    assert result.status == "feasible" and result.exit_code == 0
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
    assert run.exit_code == 0 and out.exists()
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
    real, calls = LexicographicSolver._run, []

    def first_stage_only(self, remaining):  # each re-solve's first stage solves, then none
        calls.append(1)
        return real(self, remaining) if len(calls) % 2 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "_run", first_stage_only)
    prices = api.price_caveats(result)
    assert len(calls) == 2  # the first re-solve's second stage ended the pricing
    assert set(prices["status"]) == {NOT_PRICED_MEMORY}
    monkeypatch.setattr(LexicographicSolver, "_run", real)  # the command's solve: as it is

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

    monkeypatch.setattr(LexicographicSolver, "_run", lambda self, remaining: MS.kMemoryLimit)
    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src)
    assert result.status == "feasible"
    assert dict(result.tables.summary)["message"].startswith(
        "out of memory in stage shortfall.p1: the construction heuristic's plan is kept"
    )
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(tmp_path / "o.xlsx")])
    assert run.exit_code == 0
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


def test_threads_are_capped_like_the_settings_sheet(tmp_path: Path) -> None:
    """--threads 100000 started ~3,700 threads and returned a junk plan: the command line and
    the API refuse what the Settings sheet refuses (more than 1,024)."""
    from click.testing import CliRunner

    from solver.cli import main

    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--threads", "100000"])
    assert result.exit_code == 2 and "0<=x<=1024" in result.output and not out.exists()
    with pytest.raises(UsageError, match="threads must be between 0 and 1024, got 1025"):
        api.solve(src, threads=1025)
    SolveOptions(threads=1024).check()  # the cap itself is allowed


def test_a_default_thread_count_after_an_explicit_one_rebuilds_the_scheduler(
    monkeypatch,
) -> None:
    """HiGHS keeps one scheduler per process and quietly reuses an explicit count for a later
    run asking for its default (threads 0): after a one-thread solve (a work limit, the
    infeasibility explanation) every later default solve in the process ran on one thread.
    The scheduler is rebuilt whenever the count asked for changes, and only then; never while
    an abandoned HiGHS run may still be using it."""
    import threading

    import highspy

    from solver.solve import instance

    resets: list[bool] = []
    monkeypatch.setattr(highspy.Highs, "resetGlobalScheduler", lambda blocking: resets.append(1))
    monkeypatch.setattr(instance, "_scheduler_threads", None)  # restored after the test
    h = instance.new_highs()
    for threads, rebuilt in ((0, 0), (1, 1), (1, 1), (0, 2), (0, 2), (2, 3), (1, 4)):
        instance.apply_options(h, {"threads": threads})
        assert len(resets) == rebuilt, threads
    instance.apply_options(h, {"time_limit": 5.0})  # no count given: HiGHS's default
    assert len(resets) == 5

    release = threading.Event()
    abandoned = threading.Thread(target=release.wait, name="highs", daemon=True)
    abandoned.start()
    try:
        instance.apply_options(h, {"threads": 1})
        assert len(resets) == 5
    finally:
        release.set()
        abandoned.join()
    instance.apply_options(h, {"threads": 1})
    assert len(resets) == 6


def test_out_of_memory_on_a_stages_face_leaves_the_model_as_it_was(monkeypatch) -> None:
    """The timed example's first stage searches its relaxation's face (its columns' bounds
    narrowed in HiGHS) and runs out of memory there: the plan so far is kept and the face's
    bounds are undone (only Ctrl-C undid them: 440 columns and 537 rows stayed narrowed, and a
    price's or an alternative's re-solve on the same instance ran on them)."""
    import numpy as np

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

    real, calls = LexicographicSolver._run, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "_run", second_run_exhausted)
    run = solve_scenario(str(simple_case(tmp_path / "c.xlsx")), "base")
    assert run.answer is None
    assert run.errors == ["out of memory in stage cost"]


def test_out_of_memory_searches_no_alternatives(tmp_path: Path, monkeypatch) -> None:
    """The cost stage out of memory with --alternatives 2: the plan so far is kept and no
    alternative is searched on a machine lacking the memory (their re-solves raise, and the
    whole command failed with nothing written); the Summary says why."""
    from solver.solve.instance import MS

    real, calls = LexicographicSolver._run, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "_run", second_run_exhausted)
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

    real, calls = LexicographicSolver._run, []

    def second_run_exhausted(self, remaining):
        calls.append(1)
        return real(self, remaining) if len(calls) == 1 else MS.kMemoryLimit

    monkeypatch.setattr(LexicographicSolver, "_run", second_run_exhausted)
    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    out = tmp_path / "o.xlsx"
    run = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert run.exit_code == 0, run.output
    assert out.exists() and "caveat prices skipped: the solve ran out of memory" in run.output


def test_out_of_memory_in_the_alternatives_search_keeps_the_plan(
    tmp_path: Path, monkeypatch
) -> None:
    """The plan solved, the search for alternatives runs out of memory: the plan is kept with
    what was found (none), said so (the whole solve failed with it)."""
    from solver.solve.instance import MS

    real = LexicographicSolver._run
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
    monkeypatch.setattr(LexicographicSolver, "_run", run)
    src = simple_case(tmp_path / "c.xlsx")
    result = api.solve(src, alternatives=2)
    assert result.status == "optimal"
    assert dict(result.tables.summary)["alternatives.message"] == (
        "out of memory: 0 alternative plans found before the search ran out of memory (asked for 2)"
    )
