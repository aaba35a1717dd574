"""What a solve returns: each stage's result, the overall outcome, and the gap of a stage."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class StageResult:
    name: str
    status: str  # optimal | feasible | skipped | not_solved | infeasible | no_solution | heuristic
    value: float | None = None  # in the planner's units (weighted units, cost, presences)
    gap: float | None = None
    seconds: float = 0.0
    nodes: int = 0
    # why a stage with a plan but no proof stopped: "share" (its share of the time limit,
    # solve/budget.py), "time limit", "work limit", "interrupted" or "memory" (out of memory:
    # the later stages are not solved); "" when it finished
    stopped: str = ""


MEMORY = "memory"  # a stage's `stopped` when it ran out of memory


@dataclass
class SolveOutcome:
    """What came back: the overall status, the solution (column values) and each stage."""

    status: str  # optimal | feasible | infeasible | no_solution | interrupted
    x: np.ndarray | None
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    heuristic: str = ""  # what the construction heuristic did (the MIP start)
    abandoned: bool = False  # HiGHS did not return from a cancel: still running in a thread

    @property
    def out_of_memory(self) -> StageResult | None:
        """The stage that ran out of memory (`endings.out_of_memory`: the plan so far kept, the
        later stages not solved), or None."""
        return next((s for s in self.stages if s.stopped == MEMORY), None)

    @property
    def mip_gap(self) -> float:
        gaps = [s.gap for s in self.stages if s.gap is not None]
        return max(gaps) if gaps else 0.0


def stage_gap(value: float, bound: float) -> float:
    """Relative gap of a stage, (value - bound) / value. Every stage counts something that
    cannot be negative (weighted shortfall, cost, presences), so a bound below 0 is read as 0:
    HiGHS's own mip_gap, stopped before its root LP on a million-column case, reported 11165
    (a bound of -552,000 against a shortfall of 49.5) where the honest figure is 100%; with no
    bound at all it reported none, and the Summary showed a gap of 0."""
    if not np.isfinite(bound):  # HiGHS has no bound at all: 100%, never "0"
        bound = 0.0
    bound = max(bound, 0.0)
    if value <= 1e-9:
        return 0.0
    return float(min(max((value - bound) / abs(value), 0.0), 1.0))


def kept_start(name: str, value: float, seconds: float, scale: float = 1.0) -> StageResult:
    """A stage answered by the start (the construction heuristic's plan): HiGHS gave no plan and
    no bound, so its gap is 100%. `value` in the stage's scaled units (model/objective.py)."""
    value = float(value)
    return StageResult(name, "heuristic", scale * value, stage_gap(value, np.nan), seconds)
