"""Out of memory in a stage's own searches (the relaxation's neighbourhood, fix-and-optimise, a
face), each run on the stage's HiGHS instance: the stage ends as out of memory with the plan so
far (`stopped: memory`), never as stopped by its budget (a fault trial under `ulimit -v`:
`bad_alloc` in the relaxation's neighbourhood was said `stopped by its share of the work limit
... the same plan on any machine`, and three runs gave three plans)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from solver import api
from solver.solve import highs, polish
from solver.solve.highs import LexicographicSolver
from solver.solve.instance import MS

from .time_cases import months, timed_case


def test_a_neighbourhood_out_of_memory_ends_its_stage_as_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tiny timed world searched as a large one (no faces, neighbourhoods from 0 columns,
    as tests/test_baseline_time.py does); every HiGHS run made from the relaxation's
    neighbourhood (rins.improve_near_relaxation) ends at HiGHS's memory limit. The first stage
    it runs in ends `feasible`, `stopped: memory`, with the plan it had; the solve is
    `feasible` and the Summary says out of memory."""
    real = LexicographicSolver.run_highs
    hit: list[str] = []

    def out_of_memory_near_the_relaxation(self: Any, remaining: float) -> Any:
        callers = {frame.function for frame in inspect.stack()[1:6]}
        if "improve_near_relaxation" in callers:
            hit.append("near the relaxation")
            return MS.kMemoryLimit
        return real(self, remaining)

    monkeypatch.setattr(highs, "tries_face", lambda solver, i: False)
    monkeypatch.setattr(polish, "LNS_MIN_COLUMNS", 0)
    monkeypatch.setattr(LexicographicSolver, "run_highs", out_of_memory_near_the_relaxation)
    sheets = {
        "periods": months(3, [1, 2, 3]),
        "pledges": [
            {"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 5},
        ],
    }
    result = api.solve(timed_case(tmp_path / "w.xlsx", **sheets))
    assert hit, "the relaxation's neighbourhood did not run"
    stopped = [s for s in result.outcome.stages if s.stopped == "memory"]
    assert len(stopped) == 1 and stopped[0].status == "feasible"
    assert result.status == "feasible"
    summary = dict(result.tables.summary)
    assert summary["message"].startswith(f"out of memory in stage {stopped[0].name}")


def test_a_search_highs_ends_without_a_status_is_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS catches a failed allocation in its simplex (`okResize fails with std::bad_alloc`)
    and returns with no model status at all: a fault trial's face relaxation was then said
    `not solved in time` 0.5 s into its stage and the Summary blamed a limit. Every face
    relaxation of the tiny timed world returns so here: the first stage ends `stopped:
    memory`, with the plan it had (the construction heuristic's), said out of memory."""
    real = LexicographicSolver.run_highs
    hit: list[str] = []

    def no_status_in_the_relaxation(self: Any, remaining: float) -> Any:
        callers = {frame.function for frame in inspect.stack()[1:6]}
        if "_relaxation" in callers:
            hit.append("relaxation")
            return MS.kNotset
        return real(self, remaining)

    monkeypatch.setattr(LexicographicSolver, "run_highs", no_status_in_the_relaxation)
    result = api.solve(timed_case(tmp_path / "w.xlsx", periods=months(3, [1, 2, 3])))
    assert hit, "no face relaxation ran"
    stopped = [s for s in result.outcome.stages if s.stopped == "memory"]
    assert [s.name for s in stopped] == ["shortfall.p1"]
    assert dict(result.tables.summary)["message"].startswith("out of memory in stage shortfall.p1")
