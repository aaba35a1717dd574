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
from solver.solve import instance
from solver.solve.clock import WallClock, WorkClock, make_clock
from solver.solve.options import SolveOptions
from solver.wording import stopped_words

# a generated snapshot whose three shortfall stages are all stopped by their shares at 0.3 units
# (measured: p1 4.5 against its optimum 4, p2 71 against 64), solved in about 2 s
SIZE, LIMIT = (30, 60, 8), 0.3


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
    delays = _slowed(monkeypatch, 0.05)
    loaded = api.solve(case, work_limit=LIMIT, explain=False)
    assert [s.stopped for s in quiet.outcome.stages][:3] == ["share"] * 3, "the limit must bite"
    # 39 delays of 0.05 s (a count, the same on every run): 2 s later by the wall clock,
    # against about 1 s for the whole solve on an idle machine
    assert delays["delays"] >= 30, delays
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


def test_the_work_clock_moves_only_with_highs_counts() -> None:
    """A work clock does not move while time passes; a run is charged BASE * nnz at least and
    more for its iterations, and is armed with count limits, no time limit."""
    clock = WorkClock()
    before = clock.now()
    time.sleep(0.02)
    assert clock.now() == before
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    stop = instance.StopFlag(h)
    inf = highspy.kHighsInf
    # min x + y with x + y >= 1, x - y <= 0.5 (two rows, four nonzeros)
    h.addVars(2, np.zeros(2), np.full(2, inf))
    h.changeColsCost(2, np.arange(2, dtype=np.int32), np.ones(2))
    h.addRows(
        2,
        np.array([1.0, -inf]),
        np.array([inf, 0.5]),
        4,
        np.array([0, 2], dtype=np.int32),
        np.array([0, 1, 0, 1], dtype=np.int32),
        np.array([1.0, 1.0, 1.0, -1.0]),
    )
    clock.arm(h, stop, 0.001)
    assert h.getOptionValue("time_limit")[1] == math.inf
    assert h.getOptionValue("simplex_iteration_limit")[1] >= 1
    assert stop.tick_budget is not None and stop.tick_budget >= 1
    h.run()
    clock.charge(h, stop)
    assert clock.now() >= 2e-6 * 4
    assert stop.tick_budget is None


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
    words = {"share": "its share of the time limit", "time limit": "the time limit"}
    assert stopped_words("share", {}, words) == "its share of the time limit"
    work = {"option.work_limit": 2.0}
    assert stopped_words("share", work, words) == "its share of the work limit"
    assert stopped_words("time limit", work, words) == "the time limit"


def test_a_time_limit_beside_a_work_limit_is_a_hard_stop(case: Path) -> None:
    """A time limit of a millisecond beside 100 work units: the solve ends at once as at a time
    limit (the stages it stopped say `time limit`, never `work limit`), keeping a valid plan."""
    result = api.solve(case, work_limit=100.0, time_limit=1e-3, explain=False)
    stopped = [s.stopped for s in result.outcome.stages]
    assert "time limit" in stopped and "work limit" not in stopped, result.outcome.stages
    assert result.outcome.x is not None
