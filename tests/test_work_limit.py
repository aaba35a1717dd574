"""A work limit (solve/clock.py): budgets in HiGHS's counts, not seconds, so that a plan stopped
by the limit is the same on a loaded machine as on an idle one (issue #15)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.errors import UsageError
from solver.generate import generate_workbook
from solver.solve import clock as clock_module
from solver.solve import instance
from solver.solve.clock import WallClock, WorkClock, make_clock
from solver.solve.options import SolveOptions
from solver.wording import stopped_words

# a generated snapshot whose three shortfall stages are all stopped by their shares at 0.3 units
# (measured: p1 4.5 against its optimum 4, p2 71 against 64), solved in about 2 s
SIZE, LIMIT = (30, 60, 8), 0.3
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_TIMED = ROOT / "inputs" / "coalition_timed.xlsx"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("work") / "case.xlsx"
    generate_workbook(path, *SIZE, seed=0, density=0.3)
    return path


def _slowed(monkeypatch: pytest.MonkeyPatch, seconds: float) -> dict[str, int]:
    """Every call of HiGHS's MIP interrupt callback, and every 50th of the simplex's, takes
    `seconds` longer: a loaded machine, as far as the wall clock can tell. Returns the count
    of the delays, as they happen."""
    mip, lp = instance.StopFlag._answer_mip, instance.StopFlag._answer
    calls = {"lp": 0, "delays": 0}

    def slow_mip(self: instance.StopFlag, event: Any) -> None:
        time.sleep(seconds)
        calls["delays"] += 1
        mip(self, event)

    def slow_lp(self: instance.StopFlag, event: Any) -> None:
        calls["lp"] += 1
        if calls["lp"] % 50 == 0:
            time.sleep(seconds)
            calls["delays"] += 1
        lp(self, event)

    monkeypatch.setattr(instance.StopFlag, "_answer_mip", slow_mip)
    monkeypatch.setattr(instance.StopFlag, "_answer", slow_lp)
    return calls


def test_the_same_plan_when_the_machine_is_slower(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Solved once as it is and once with HiGHS slowed down (seconds longer by the wall
    clock): the same plan, the same stage values, and the same stages stopped by their share.
    With seconds the slowed run would stop its stages elsewhere."""
    quiet = api.solve(case, work_limit=LIMIT, explain=False)
    delays = _slowed(monkeypatch, 0.1)
    loaded = api.solve(case, work_limit=LIMIT, explain=False)
    assert [s.stopped for s in quiet.outcome.stages][:3] == ["share"] * 3, "the limit must bite"
    # 17 delays of 0.1 s (a count, the same on every run): 1.7 s later by the wall clock,
    # against about 1 s for the whole solve on an idle machine
    assert delays["delays"] >= 15, delays
    assert quiet.outcome.x is not None and loaded.outcome.x is not None
    assert np.array_equal(quiet.outcome.x, loaded.outcome.x)
    for a, b in zip(quiet.outcome.stages, loaded.outcome.stages, strict=True):
        assert (a.name, a.status, a.value, a.stopped) == (b.name, b.status, b.value, b.stopped)


def test_more_work_gives_a_plan_at_least_as_good(case: Path) -> None:
    """4 units prove every stage of the case (p1 4, p2 64); 0.3 units stop the shortfall stages
    short of that: the limit is a budget, not a label."""
    short = api.solve(case, work_limit=LIMIT, explain=False).outcome.stages
    full = api.solve(case, work_limit=4.0, explain=False).outcome.stages
    assert [s.status for s in full] == ["optimal"] * 5
    assert (short[0].value, short[1].value) >= (full[0].value, full[1].value)
    assert (short[0].value, short[1].value) != (full[0].value, full[1].value)


def _lp(h: highspy.Highs, n: int) -> None:
    """An assignment LP of n x n columns: min sum c_ij x_ij, each row and column sums to 1."""
    rng = np.random.default_rng(0)
    h.addVars(n * n, np.zeros(n * n), np.ones(n * n))
    h.changeColsCost(n * n, np.arange(n * n, dtype=np.int32), rng.random(n * n))
    for i in range(n):
        row = np.arange(i * n, (i + 1) * n, dtype=np.int32)
        col = np.arange(i, n * n, n, dtype=np.int32)
        h.addRow(1.0, 1.0, n, row, np.ones(n))
        h.addRow(1.0, 1.0, n, col, np.ones(n))


def test_the_work_clock_moves_only_with_highs_counts() -> None:
    """A work clock does not move while time passes. A run is armed with count limits and no
    time limit, and charged RUN + BASE * nnz + SIMPLEX * rows * iterations, worked out here
    from what HiGHS reports; a budget of one iteration stops the LP at its iteration limit."""
    clock = WorkClock()
    time.sleep(0.02)
    assert clock.now() == 0.0
    h = instance.new_highs()
    # through forcegen's options, which keep HiGHS's one scheduler per process as the solves
    # in this process built it (a bare run asking another thread count breaks their next runs)
    instance.apply_options(h, {"threads": 1})
    stop = instance.StopFlag(h)
    _lp(h, 30)  # 900 columns, 60 rows, 1,800 nonzeros
    clock.arm(h, stop, 1.0)
    assert h.getOptionValue("time_limit")[1] == math.inf
    assert h.getOptionValue("simplex_iteration_limit")[1] == int(
        (1.0 - 0.01 - 2e-6 * 1800) / (2e-9 * 60)
    )
    h.run()
    clock.charge(h, stop)
    iterations = h.getInfo().simplex_iteration_count
    assert iterations > 1
    assert clock.now() == pytest.approx(0.01 + 2e-6 * 1800 + 2e-9 * 60 * iterations)
    assert stop.tick_budget is None
    h.clearSolver()
    clock.arm(h, stop, 0.01 + 2e-6 * 1800)  # nothing left for iterations: one at most
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kIterationLimit


def _gap_mip(h: highspy.Highs, items: int, bins: int) -> None:
    """A generalised assignment MIP: each item in one bin (a row per item), bins of limited
    capacity (a row per bin), random costs and sizes; the first half of the items fixed by their
    bounds (item i in bin i mod bins), so that their rows are constant and HiGHS's presolve
    drops them."""
    rng = np.random.default_rng(1)
    n = items * bins  # column i * bins + b: item i in bin b
    lower, upper = np.zeros(n), np.ones(n)
    fixed = np.arange(n) // bins < items // 2
    chosen = np.arange(n) % bins == (np.arange(n) // bins) % bins
    lower[fixed & chosen] = 1.0
    upper[fixed & ~chosen] = 0.0
    h.addVars(n, lower, upper)
    columns = np.arange(n, dtype=np.int32)
    h.changeColsIntegrality(n, columns, np.ones(n, dtype=np.uint8))
    h.changeColsCost(n, columns, rng.integers(1, 100, n).astype(float))
    for i in range(items):
        h.addRow(1.0, 1.0, bins, columns[i * bins : (i + 1) * bins], np.ones(bins))
    sizes = rng.integers(5, 25, n).astype(float)
    for b in range(bins):
        in_bin = columns[b::bins]
        h.addRow(
            -highspy.kHighsInf, 1.6 * sizes.mean() * items / bins, items, in_bin, sizes[b::bins]
        )


def test_a_mip_is_counted_on_the_rows_its_presolve_leaves() -> None:
    """A MIP's stop and charge count the rows HiGHS searches, not the model's: here half of
    the assignment rows are constant (their items fixed by bounds) and presolve drops them.
    The rows it leaves are found independently by HiGHS's own presolve of the same model; the
    first callback call sizes the budget from them, and the run is charged
    RUN + BASE * nnz + searched * max(TICK * calls, SIMPLEX_MIP * iterations)."""
    items, bins = 60, 6
    alone = instance.new_highs()
    instance.apply_options(alone, {"threads": 1})
    _gap_mip(alone, items, bins)
    alone.presolve()
    searched = alone.getPresolvedLp().num_row_
    assert 0 < searched < items + bins - items // 4  # presolve dropped the constant rows

    clock = WorkClock()
    h = instance.new_highs()
    instance.apply_options(h, {"threads": 1})
    stop = instance.StopFlag(h)
    _gap_mip(h, items, bins)
    budget = 0.5
    clock.arm(h, stop, budget)
    h.run()
    budget_ticks = stop.tick_budget
    assert stop.ticks > 0 and stop.presolved_rows == searched
    left = budget - 0.01 - 2e-6 * h.getNumNz()
    assert budget_ticks == int(left / (6e-5 * searched))  # not from the model's 66 rows
    clock.charge(h, stop)
    iterations = h.getInfo().simplex_iteration_count
    assert clock.now() == pytest.approx(
        0.01 + 2e-6 * h.getNumNz() + searched * max(6e-5 * stop.ticks, 5e-8 * iterations)
    )
    assert stop.tick_budget is None and stop.ticks_for is None
    assert not h.getOptionValue("log_to_console")[1]  # the log is heard, never shown


def test_options_with_a_work_limit() -> None:
    """A work limit alone: no time limit, one thread. A time limit given with it (command
    line, API) is kept as a hard stop; the Settings sheet's is not, nor are its threads 0."""
    alone = SolveOptions.from_settings({"time_limit": 60.0, "threads": 0}, work_limit=5.0)
    assert (alone.work_limit, alone.time_limit, alone.threads) == (5.0, math.inf, 1)
    assert alone.budget == 5.0
    capped = SolveOptions.from_settings({}, work_limit=5.0, time_limit=30.0, threads=2)
    assert (capped.time_limit, capped.threads) == (30.0, 2)
    from_sheet = SolveOptions.from_settings({"work_limit": 3.0})
    assert (from_sheet.work_limit, from_sheet.time_limit) == (3.0, math.inf)
    rows = dict(from_sheet.as_rows())
    assert rows["option.work_limit"] == 3.0 and rows["option.time_limit"] == "none"
    plain = SolveOptions.from_settings({"time_limit": 20.0})
    assert plain.budget == 20.0 and "option.work_limit" not in dict(plain.as_rows())
    assert isinstance(make_clock(plain.work_limit, plain.time_limit), WallClock)
    with pytest.raises(UsageError, match="work limit must be a number >= 0"):
        SolveOptions.from_settings({}, work_limit=-1.0)


def test_the_command_line_says_which_limit_stopped_a_stage(case: Path, tmp_path: Path) -> None:
    """`solve --work-limit`: the Summary records it (and no time limit), the console says
    "its share of the work limit", and the message that such a plan is reproducible."""
    out = tmp_path / "o.xlsx"
    done = CliRunner().invoke(main, ["solve", str(case), "-o", str(out), "--work-limit", "0.3"])
    assert done.exit_code == 0, done.output
    assert "stopped by its share of the work limit" in done.output
    summary = pd.read_excel(out, sheet_name="Summary", keep_default_na=False)
    s = dict(summary[["key", "value"]].itertuples(index=False))
    assert s["option.work_limit"] == 0.3 and s["option.time_limit"] == "none"
    assert s["option.threads"] == 1
    assert s["stage.shortfall.p1.stopped"] == "share"
    assert "same plan on any machine" in s["message"]


def test_a_share_is_of_the_limit_the_summary_has() -> None:
    words = {"share": "its share of the {limit}", "time limit": "the time limit"}
    assert stopped_words("share", {}, words) == "its share of the time limit"
    work = {"option.work_limit": 2.0}
    assert stopped_words("share", work, words) == "its share of the work limit"
    assert stopped_words("time limit", work, words) == "the time limit"


class _Jumping:
    """A clock for solve/clock.py that jumps `step` seconds at every reading."""

    def __init__(self, step: float) -> None:
        self.now, self.step = time.perf_counter(), step

    def perf_counter(self) -> float:
        self.now += self.step
        return self.now


def test_a_time_limit_beside_a_work_limit_is_a_hard_stop(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 100 work units and a time limit of 5 s on a clock that jumps 10 s at each reading,
    the hard stop has passed before the stages: they stop as at a time limit (`time limit`,
    never `work limit`) with the heuristic's valid plan; the search for alternatives after it
    gets a fresh hard stop, as with seconds, and is stopped by it too, not told that no
    alternative exists."""
    monkeypatch.setattr(clock_module, "time", _Jumping(10.0))
    result = api.solve(case, work_limit=100.0, time_limit=5.0, explain=False, alternatives=2)
    stopped = [s.stopped for s in result.outcome.stages]
    assert "time limit" in stopped and "work limit" not in stopped, result.outcome.stages
    assert result.outcome.x is not None
    alternatives = result.tables.summary
    said = dict(alternatives)
    assert said.get("alternatives.status") == "time_limit", said
    assert "found before the time limit" in str(said.get("alternatives.message")), said


@pytest.mark.slow  # the timed example twice, about 12 s each
def test_the_same_plan_whatever_the_clock_says(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timed example at 16 units (about 100 HiGHS runs: faces, the relaxation's
    neighbourhood, fix-and-optimise) gives the same plan when every reading of the clock jumps
    an hour: no budget decision reads the time. Priorities 1 and 2 are proven (111, 68) and
    every later stage is stopped by its share or the limit there. (At 8 units priority 1 stops
    at 114 since fix-and-optimise frees 6-month windows first: solve/groups.py.)"""
    quiet = api.solve(EXAMPLE_TIMED, work_limit=16.0, explain=False)
    monkeypatch.setattr(time, "perf_counter", _Jumping(3600.0).perf_counter)
    jumping = api.solve(EXAMPLE_TIMED, work_limit=16.0, explain=False)
    assert [s.stopped for s in quiet.outcome.stages] == ["", ""] + ["share"] * 2 + ["work limit"]
    assert quiet.outcome.x is not None and jumping.outcome.x is not None
    assert np.array_equal(quiet.outcome.x, jumping.outcome.x)
    for a, b in zip(quiet.outcome.stages, jumping.outcome.stages, strict=True):
        assert (a.name, a.status, a.value, a.stopped) == (b.name, b.status, b.value, b.stopped)


def test_a_small_timed_workbook_is_proven_under_a_work_limit() -> None:
    """inputs/reference/rotation.xlsx (168 columns) with 20 units: every stage optimal, as with
    20 s; under 20,000 columns HiGHS's MIP runs on the whole model after the search."""
    result = api.solve(ROOT / "inputs" / "reference" / "rotation.xlsx", work_limit=20.0)
    assert [s.status for s in result.outcome.stages] == ["optimal"] * len(result.outcome.stages)


def test_alternatives_under_a_work_limit_alone_have_a_hard_stop(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100 work units and no time limit, on a clock that jumps 1,000 s at each reading: the
    solve is counted in units (no hard stop: its plan is as without the jumps), but the search
    for alternatives gets a hard stop of twice its budget in seconds (200 s), since counts
    cannot stop its HiGHS runs on the whole model (a trial: 424 s on the timed example for 20
    units), and says which stop it was."""
    from solver.solve.alternatives import safety_stop
    from solver.solve.options import SolveOptions

    assert safety_stop(SolveOptions(time_limit=math.inf, work_limit=20.0)) == 40.0
    assert safety_stop(SolveOptions(time_limit=30.0, work_limit=20.0)) == 30.0
    assert safety_stop(SolveOptions(time_limit=30.0)) == 30.0
    monkeypatch.setattr(clock_module, "time", _Jumping(1000.0))
    result = api.solve(case, work_limit=100.0, explain=False, alternatives=2)
    assert "time limit" not in [s.stopped for s in result.outcome.stages]
    said = dict(result.tables.summary)
    assert said.get("alternatives.status") == "time_limit", said
    assert "time limit of 200 s it has under a work limit" in str(said["alternatives.message"])


def test_a_work_limited_plan_the_time_limit_stopped_is_said_not_reproducible() -> None:
    """`--work-limit 30 --time-limit 3` with the cost stage stopped by the time limit: the
    message said the plan was the same on any machine "unless a stage was stopped by the time
    limit", though one was (a CI trial). It now says which, and that this plan is not."""
    from solver.results.report import _reproducibility
    from solver.solve.outcome import SolveOutcome, StageResult

    options = SolveOptions.from_settings({}, work_limit=30.0, time_limit=3.0)
    stages = [StageResult("shortfall.p1", "optimal"), StageResult("cost", "feasible")]
    outcome = SolveOutcome("feasible", None, stages)
    assert _reproducibility(options, outcome) == "the work limit gives the same plan on any machine"
    stages[1].stopped = "time limit"
    assert _reproducibility(options, outcome) == (
        "the time limit stopped cost before the work limit did, so this plan is not reproducible"
    )
