"""A stage's HiGHS verdict that forcegen can see is wrong, and HiGHS asked again.

HiGHS 1.16 errs in two ways that the plan in hand exposes:

- it values a MIP start in its presolved space and returns the start as "optimal" at a value
  the start does not have (`instance.start_misread`): the stage runs again without the start;
- its presolve calls a stage infeasible that a plan in hand satisfies, row for row (a prices
  trial: the cost stage of a caveat's re-solve, `Infeasible` against a plan of 135; without
  presolve, optimal at 135): the plan is the proof, so the stage runs again without presolve.

Each second run has the time left to the solve's deadline.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .instance import MS, start_misread

if TYPE_CHECKING:
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")

INFEASIBLE = (MS.kInfeasible, MS.kUnboundedOrInfeasible)


def second_opinion(solver: LexicographicSolver, run: Progress, i: int, model_status: Any) -> Any:
    """Stage i's model status after HiGHS's run, asked again where the plan in hand shows it
    wrong (see the module's docstring); as it was otherwise, or after a stop."""
    if solver.abandoned or solver.cancelled.is_set():
        return model_status
    stage, cost, offset = solver.mm.stages[i], solver.mm.costs[i], solver.mm.offsets[i]
    if model_status == MS.kOptimal and start_misread(solver.h, cost, offset):
        log.info("stage %s: HiGHS misjudged the warm start; solving again without it", stage.name)
        model_status = _again(solver, run, {})
    witness = run.x if run.x is not None else run.fallback
    doubted = model_status in INFEASIBLE and not (solver.abandoned or solver.cancelled.is_set())
    if doubted and witness is not None and solver.keeps_rows(witness):
        log.warning("stage %s: HiGHS called it infeasible against a plan in hand", stage.name)
        model_status = _again(solver, run, {"presolve": "off"})
    return model_status


def _again(solver: LexicographicSolver, run: Progress, options: dict[str, str]) -> Any:
    """HiGHS run again from scratch, with `options` for this run only, until the deadline."""
    h = solver.h
    before = {name: h.getOptionValue(name)[1] for name in options}
    h.clearSolver()
    limit = max(run.deadline - solver.clock.now(), 0.01)
    h.setOptionValue("time_limit", float(limit))
    for name, wanted in options.items():
        h.setOptionValue(name, wanted)
    try:
        return solver.run_highs(limit)
    finally:
        if not solver.abandoned:
            for name, value in before.items():
                h.setOptionValue(name, value)
