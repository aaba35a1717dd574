"""A time limit beside a work limit is a hard stop (README "Work limit"): a stage it stops says
`stopped by the time limit`, never `by its share of the work limit`, and the stages after it
are not solved. A README trial's `--time-limit 20` on the timed example cut the cost stage, and
the console said `stopped by its share of the work limit` (a work limit's plan is the same on
any machine; this one was not: two runs gave two costs) and presence `stopped by the time
limit`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from solver import api
from solver.generate import generate_workbook
from solver.solve import clock as clock_module
from solver.solve import highs

SIZE = (10, 10, 5)  # contributors, sites, capabilities: all five stages solved in moments


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hard_stop") / "case.xlsx"
    generate_workbook(path, *SIZE, seed=0, density=0.3)
    return path


class _PastTheStop:
    """A clock for solve/clock.py that runs true until `jump`, then reads an hour later."""

    def __init__(self) -> None:
        self.offset = 0.0

    def perf_counter(self) -> float:
        return time.perf_counter() + self.offset

    def jump(self) -> None:
        self.offset = 3600.0


def test_a_later_stage_the_time_limit_cuts_says_so(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100 work units and a time limit of 600 s; the wall clock passes the 600 s as the cost
    stage begins (its end is set): the cost stage keeps its start, stopped by the time limit,
    and presence is not solved. The shortfall stages, before the jump, are proven."""
    clock = _PastTheStop()
    monkeypatch.setattr(clock_module, "time", clock)
    names: list[str] = []

    def end_then_jump(stages, costs, i, *rest):
        names.append(stages[i].name)
        end = real_end(stages, costs, i, *rest)
        if stages[i].name == "cost":
            clock.jump()
        return end

    real_end = highs.stage_end
    monkeypatch.setattr(highs, "stage_end", end_then_jump)
    result = api.solve(case, work_limit=100.0, time_limit=600.0, explain=False)
    assert "cost" in names
    said = {s.name: (s.status, s.stopped) for s in result.outcome.stages}
    assert said["shortfall.p1"] == ("optimal", "")
    assert said["cost"] == ("feasible", "time limit"), said
    assert said["presence"] == ("not_solved", ""), said
    assert result.outcome.x is not None
