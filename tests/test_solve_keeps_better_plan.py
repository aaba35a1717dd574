"""A solve that ends worse than the plan already in its output file (no plan, a shorter run's
worse plan, an interrupted run) keeps that plan or says what it replaced: `forcegen solve`
end to end (solver/results/earlier_plan.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver.cli import main

from .workbooks import simple_case


def test_a_run_finding_no_plan_keeps_the_plan_it_would_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A planner solves into out.xlsx, then again with too short a limit (no plan: exit 4):
    out.xlsx keeps the plan, byte for byte, and the console says why nothing was written. An
    output of another workbook is replaced by the failure's record as before (that plan answers
    another question; so does one of another scenario)."""
    import highspy

    import solver.api
    from solver.solve import highs as driver
    from solver.solve.greedy import GreedyResult

    src = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    other = simple_case(
        tmp_path / "other.xlsx", requirements=[{"site": "S1", "capability": "INF", "units": 1}]
    )
    elsewhere = tmp_path / "elsewhere.xlsx"
    assert CliRunner().invoke(main, ["solve", str(other), "-o", str(elsewhere)]).exit_code == 0
    before = out.read_bytes()

    def no_time(self, limit):  # the stage stops at its limit with no incumbent
        return highspy.HighsModelStatus.kTimeLimit

    monkeypatch.setattr(driver.LexicographicSolver, "run_highs", no_time)
    monkeypatch.setattr(
        solver.solve.start, "greedy_start", lambda *a, **k: GreedyResult(None, 0.0, "no start")
    )
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--time-limit", "1"])
    assert result.exit_code == 4, result.output
    assert out.read_bytes() == before
    assert f"not written: {out} holds a plan of this workbook and scenario (solved optimal)" in (
        result.output
    )
    assert "written: " not in result.output.replace("not written: ", "")
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(elsewhere)])
    assert result.exit_code == 4, result.output
    summary = dict(
        pd.read_excel(elsewhere, sheet_name="Summary", keep_default_na=False)[
            ["key", "value"]
        ].itertuples(index=False)
    )
    assert summary["status"] == "no_solution"
    # an infeasible run is an answer, not a failure: always written (its Infeasibility sheet)
    real_solve = solver.api.solve

    def infeasible(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_solve(*args, **kwargs)
        result.outcome.status = "infeasible"
        return result

    monkeypatch.setattr(solver.api, "solve", infeasible)
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--time-limit", "1"])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() != before and f"written: {out}" in result.output
    assert "not written" not in result.output


def test_a_shorter_run_replacing_a_better_plan_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """out.xlsx holds the optimal plan (p1 0); a run whose plan scores worse (p1 2, as a short
    limit's can) replaces it as asked, but says first that the plan it replaces was better,
    and at which stage. The same plan again replaces it without a word."""
    src = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    again = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert again.exit_code == 0 and "held a better plan" not in again.output
    import solver.api

    real_solve = solver.api.solve

    def worse(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_solve(*args, **kwargs)  # scored as a short run's plan: 2 short at p1
        summary = result.tables.summary
        result.tables.summary = [
            (k, 2.0 if k == "objective.shortfall.p1" else v) for k, v in summary
        ]
        return result

    monkeypatch.setattr(solver.api, "solve", worse)
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    said = f"warning: {out} held a better plan of this workbook and scenario (shortfall.p1 0"
    assert said in result.output, result.output
    assert f"written: {out}" in result.output


def test_an_interrupted_run_does_not_replace_a_better_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OUT holds the optimal plan (0 short at priority 1); a re-run is interrupted with a plan
    2 short: its plan is not written over the better one (a trial's Ctrl-C replaced a 60 s
    plan with a 12 s one, "as asked"); the console says why, and the exit code is the
    interruption's. Interrupted with a plan as good, it is written as usual."""
    src = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    assert CliRunner().invoke(main, ["solve", str(src), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    import solver.api

    real_solve = solver.api.solve

    def interrupted(short: float):  # type: ignore[no-untyped-def]
        def solve(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = real_solve(*args, **kwargs)
            result.outcome.status = "interrupted"
            result.tables.summary = [
                (k, short if k == "objective.shortfall.p1" else v) for k, v in result.tables.summary
            ]
            return result

        return solve

    monkeypatch.setattr(solver.api, "solve", interrupted(2.0))
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert (
        f"not written: {out} holds a better plan of this workbook and scenario (solved "
        "optimal; shortfall.p1 0 against 2 in this interrupted run's plan); it is kept"
    ) in result.output
    assert out.read_bytes() == before
    monkeypatch.setattr(solver.api, "solve", interrupted(0.0))
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 130 and f"written: {out}" in result.output, result.output


def test_a_run_stopped_in_its_prices_or_alternatives_keeps_a_plan_as_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault trial: a Ctrl-C in `--price-caveats` wrote a file with 1 rule priced of 22 over
    one with the same plan and all 22, and one in `--alternatives` wrote a worse plan over a
    better one, `replaced as asked`. A run stopped after its plan (`stopped_after`) is an
    interrupted run: a plan there as good as its own is kept, as a better one is; a finished
    run's plan as good is written as before."""
    from solver import api
    from solver.results.earlier_plan import earlier_plan_kept

    src = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    api.write(api.solve(src), out, [src])
    again = api.solve(src)
    assert earlier_plan_kept(again, out) == ""
    assert earlier_plan_kept(again, out, stopped_after=True) == (
        f"not written: {out} holds a plan of this workbook and scenario as good as this "
        "interrupted run's (solved optimal); it is kept (give another -o to keep this run's "
        "plan too)"
    )
    # a plan as good there, but not proven: this run proved it, and is written (a review)
    from openpyxl import load_workbook

    book = load_workbook(out)
    for key, value in book["Summary"].iter_rows(min_row=2, max_col=2):
        if key.value == "status":
            value.value = "feasible"
    book.save(out)
    assert earlier_plan_kept(again, out, stopped_after=True) == ""
    values = {**again.stage_values}
    first = next(iter(values))
    worse = {**values, first: float(values[first] or 0) + 1}
    better = {**values, first: float(values[first] or 0) - 1}
    monkeypatch.setattr(type(again), "stage_values", property(lambda self: worse))
    assert "holds a better plan" in earlier_plan_kept(again, out, stopped_after=True)
    monkeypatch.setattr(type(again), "stage_values", property(lambda self: better))
    assert earlier_plan_kept(again, out, stopped_after=True) == ""
