"""How a stage of the lexicographic solve ends, once HiGHS has run (or could not): its result,
and what the solve carries on with (`run.x`, the plan; `run.status`).

- HiGHS's plan is taken and the stage held at its value (`take_solution`), unless it gives up
  an earlier stage held on its face (`keep_face`) or is worse than the plan the stage started
  from (a stopped MIP that set its start aside).
- The plan found before the MIP (a relaxation's neighbourhood, fix-and-optimise) reaches the
  stage's relaxation bound (`proven`): optimal, and the MIP is not run.
- A limit, the watchdog or Ctrl-C stopped HiGHS (`stopped`): its plan if it has one, else the
  start's (`keep_start`: the construction heuristic's, before any stage has a plan), else the
  plan carried into the stage (`carried`), unproven.
- No time was left for the stage's MIP (`out_of_time`), or HiGHS was abandoned after a cancel
  (`abandoned`): the same fallbacks, without reading HiGHS.
- Any other status (`failed`): an error without a plan, else the earlier stages' plan.

A stopped stage's gap is against the tighter of HiGHS's bound and the relaxation's
(`with_bound`). A stage out of memory keeps the plan so far (`out_of_memory`), and a model
without a column ends the solve at once (`empty`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import SolverFailure
from ..model.portable import dot
from . import face as faces
from .instance import rounded
from .outcome import MEMORY, SolveOutcome, StageResult, kept_start, stage_gap
from .tidy import lowered

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel
    from .highs import LexicographicSolver
    from .progress import Progress

log = logging.getLogger("forcegen.solve")


def take_solution(
    solver: LexicographicSolver, run: Progress, i: int, status: str, seconds: float
) -> StageResult:
    """HiGHS's plan becomes the plan; the stage is held at its value for the next ones."""
    mm, info = solver.mm, solver.h.getInfo()
    stage, cost, offset = mm.stages[i], mm.costs[i], mm.offsets[i]
    found = rounded(np.asarray(solver.h.getSolution().col_value), mm.integrality)
    # what the stage left at no cost to it (presence flags of pairs without units), lowered:
    # else its value and gap were HiGHS's (a trial: presence 1,202 flags, gap 87.1%, against
    # 236 pairs with units, gap 34%), and the next stage started from them
    found = lowered(solver, found, i)
    if run.x is not None and solver.gives_up_a_face(found):
        return keep_face(solver, run, i, seconds)
    if status != "optimal" and run.x is not None and dot(cost, found) > dot(cost, run.x) + 1e-9:
        # stopped with a plan worse than the one the stage started from (HiGHS set the
        # start aside: measured on the timed example's presence stage, 125 against 89)
        found = run.x
    run.x = found
    value = dot(cost, found) + offset
    if i + 1 < len(mm.stages):
        solver.hold(cost, value - offset, stage.hold_abs, stage.hold_rel)
    gap = stage_gap(value, float(info.mip_dual_bound))
    nodes = int(info.mip_node_count)
    return StageResult(stage.name, status, stage.scale * value, gap, seconds, nodes)


def proven(solver: LexicographicSolver, run: Progress, i: int, seconds: float) -> StageResult:
    """The plan so far reaches stage i's relaxation bound (or 0), so it is optimal (gap 0)
    however the search ended, and the stage's MIP need not run. It is held on the
    relaxation's optimal face when it can be (`face.hold_proven`), else by a row."""
    mm = solver.mm
    stage, cost, offset = mm.stages[i], mm.costs[i], mm.offsets[i]
    assert run.x is not None
    value = dot(cost, run.x)
    if i + 1 < len(mm.stages):
        if solver.unheld_face is not None:
            faces.hold_proven(solver, i, run.x, *solver.unheld_face)
        else:
            solver.hold(cost, value, stage.hold_abs, stage.hold_rel)
    log.info("stage %-14s optimal: the plan reaches the relaxation's bound (or 0)", stage.name)
    return StageResult(stage.name, "optimal", stage.scale * (value + offset), 0.0, seconds)


def keep_face(solver: LexicographicSolver, run: Progress, i: int, seconds: float) -> StageResult:
    """HiGHS's plan for stage i gave up an earlier stage held on its face: keep the plan
    carried into stage i, hold it there and go on (the solve is then `feasible`)."""
    stage, cost, offset = solver.mm.stages[i], solver.mm.costs[i], solver.mm.offsets[i]
    assert run.x is not None
    log.warning(
        "stage %s: HiGHS's plan gives up an earlier stage; kept the plan before it", stage.name
    )
    if i + 1 < len(solver.mm.stages):
        solver.hold(cost, dot(cost, run.x), stage.hold_abs, stage.hold_rel)
    if run.status == "optimal":  # a limit or Ctrl-C keeps its own status
        run.status = "cut"
    return StageResult(
        stage.name, "feasible", stage.scale * (dot(cost, run.x) + offset), None, seconds
    )


def keep_start(
    solver: LexicographicSolver, run: Progress, i: int, seconds: float
) -> StageResult | None:
    """No plan from HiGHS: the start (the construction heuristic's plan) answers the stage,
    when there is no plan yet and the start is a valid one; else None."""
    if run.x is not None or run.fallback is None:
        return None
    run.x = run.fallback
    stage, cost, offset = solver.mm.stages[i], solver.mm.costs[i], solver.mm.offsets[i]
    return kept_start(stage.name, dot(cost, run.x) + offset, seconds, stage.scale)


def out_of_time(
    solver: LexicographicSolver, run: Progress, i: int, seconds: float, bound: float | None
) -> StageResult:
    """The time limit (or the stage's share) was spent before stage i's MIP could start
    (`seconds`: what its relaxation and neighbourhoods took); its gap against the relaxation's
    `bound` (None: none), and optimal within the MIP gap of it (`settled`)."""
    before = run.status
    kept = keep_start(solver, run, i, seconds) or carried(solver, run, i, seconds)
    run.status = "feasible" if run.x is not None else "no_solution"
    return settled(
        solver, run, i, kept or StageResult(solver.mm.stages[i].name, "not_solved"), bound, before
    )


def interrupted(solver: LexicographicSolver, run: Progress, i: int, seconds: float) -> StageResult:
    """Ctrl-C or SIGTERM came while stage i searched before its MIP: the MIP is not started
    (it would only be cancelled), and the plan so far answers the stage, unproven. A solve
    that had already ended (infeasible, no plan, interrupted) stays as it ended."""
    if run.status not in ("optimal", "cut"):
        return StageResult(solver.mm.stages[i].name, "not_solved")
    kept = keep_start(solver, run, i, seconds) or carried(solver, run, i, seconds)
    run.status = "interrupted"
    result = kept or StageResult(solver.mm.stages[i].name, "not_solved")
    result.stopped = "interrupted" if kept else ""
    return result


def out_of_memory(solver: LexicographicSolver, run: Progress, i: int) -> StageResult:
    """Stage i ran out of memory (HiGHS's memory limit, or an allocation failing in it or
    around it): the plan so far answers it, unproven, `stopped` "memory", and the later stages
    are not solved (they would need as much); without a plan the MemoryError goes on (nothing
    to keep: the command says out of memory)."""
    kept = keep_start(solver, run, i, 0.0) or carried(solver, run, i, 0.0)
    if kept is None:
        raise MemoryError(f"out of memory in stage {solver.mm.stages[i].name}")
    log.warning("stage %s: out of memory; the plan so far is kept", kept.name)
    if run.status in ("optimal", "cut"):  # a stop already said (interrupted) stays as it is
        run.status = "feasible"
    kept.stopped = MEMORY
    return kept


def abandoned(solver: LexicographicSolver, run: Progress, i: int, seconds: float) -> StageResult:
    """Stage i ignored its cancel (the watchdog's, or Ctrl-C's) and was left running: keep
    what there is (the start, or the plan carried into the stage and improved on the way)."""
    kept = keep_start(solver, run, i, seconds) or carried(solver, run, i, seconds)
    if solver.cancelled.is_set():
        run.status = "interrupted"
        if kept is not None:
            kept.stopped = "interrupted"
    else:
        run.status = "feasible" if run.x is not None else "no_solution"
    return kept or StageResult(solver.mm.stages[i].name, "no_solution", seconds=seconds)


def stopped(
    solver: LexicographicSolver, run: Progress, i: int, seconds: float, bound: float | None
) -> StageResult:
    """A limit, the watchdog or the user (Ctrl-C) stopped stage i: HiGHS's plan if it has
    one, else the start's, else none; its gap against the tighter of HiGHS's bound and the
    relaxation's (`bound`, None for none). A plan within the MIP gap of its bound is proven as
    HiGHS proves one (relative gap <= mip_gap): the stage is optimal and the solve goes on as
    before it (a briefing trial read `not proven optimal, gap 0%` of a presence stage a work
    limit stopped at a bound of 17.9999 against 18)."""
    before = run.status
    return settled(solver, run, i, _stopped(solver, run, i, seconds), bound, before)


def settled(
    solver: LexicographicSolver,
    run: Progress,
    i: int,
    result: StageResult,
    bound: float | None,
    before: str,
) -> StageResult:
    """Stage i's `result` when its search ended short of a proof: its gap against the tighter
    of its own and the relaxation's `bound`; `optimal`, held at its plan, and the solve going
    on as it was before the stage (`before`), where the plan is within the MIP gap of that
    bound (see `stopped`)."""
    stage, offset = solver.mm.stages[i], solver.mm.offsets[i]
    if bound is not None:
        result = with_bound(result, bound, stage.scale, offset)
    within = result.gap is not None and result.gap <= solver.options.mip_gap
    # a stop by the user, or by a work limit's hard time limit (its plan is the machine's: it
    # says so, `stage.<name>.stopped: time limit`), is never read as a proof
    by_the_clock = not (solver.cancelled.is_set() or solver.clock.past_hard_stop())
    if result.status == "feasible" and within and by_the_clock and run.x is not None:
        log.info("stage %-14s optimal: the plan is within the MIP gap of its bound", stage.name)
        result.status, run.status = "optimal", before
        if i + 1 < len(solver.mm.stages):  # the plan carried in, or the start's: held too
            solver.hold_plan(i, run.x)
    return result


def _stopped(solver: LexicographicSolver, run: Progress, i: int, seconds: float) -> StageResult:
    """`stopped`, before its bound and gap: HiGHS's plan, else the start's, else none."""
    by_user = solver.cancelled.is_set()
    if solver.h.getInfo().primal_solution_status == 2:
        run.status = "interrupted" if by_user else "feasible"
        return take_solution(solver, run, i, "feasible", seconds)
    kept = keep_start(solver, run, i, seconds)
    if kept is not None:
        log.info("stage %s: no plan from HiGHS in time; keeping the start", kept.name)
        run.status = "interrupted" if by_user else "feasible"
        return kept
    if by_user:
        run.status = "interrupted"
    else:
        run.status = "feasible" if run.x is not None else "no_solution"
    return carried(solver, run, i, seconds) or StageResult(
        solver.mm.stages[i].name, "no_solution", seconds=seconds
    )


def carried(
    solver: LexicographicSolver, run: Progress, i: int, seconds: float
) -> StageResult | None:
    """A stage without a plan of its own: the plan carried into it (maybe improved on the
    way) is its answer, unproven; None without a plan."""
    if run.x is None:
        return None
    stage, cost, offset = solver.mm.stages[i], solver.mm.costs[i], solver.mm.offsets[i]
    value = stage.scale * (dot(cost, run.x) + offset)
    return StageResult(stage.name, "feasible", value, None, seconds)


def failed(
    solver: LexicographicSolver, run: Progress, i: int, model_status: Any, seconds: float
) -> StageResult:
    """Any other status: an error without a plan, else the plan of the earlier stages."""
    name = solver.mm.stages[i].name
    if run.x is None:
        raise SolverFailure(
            f"HiGHS stopped with status '{solver.h.modelStatusToString(model_status)}' "
            f"in stage {name}"
        )
    run.status = "feasible"
    return StageResult(name, "not_solved", seconds=seconds)


def without_search(mm: MatrixModel, infeasible: bool) -> SolveOutcome:
    """A model decided before any search: `infeasible` (a row no plan can meet,
    solve/reach.py, which a model without columns has where a constant row does not admit 0),
    else one without columns (no allocation option at all: HiGHS calls such a model 'empty'
    rather than solving it), whose plan is empty."""
    if infeasible:
        log.info("a row no plan can meet: the model is infeasible")
        first = mm.stages[:1]
        return SolveOutcome("infeasible", None, [StageResult(s.name, "infeasible") for s in first])
    stages = [
        StageResult(s.name, "optimal", s.scale * float(o))
        for s, o in zip(mm.stages, mm.offsets, strict=True)
    ]
    return SolveOutcome("optimal", np.zeros(0), stages)


def with_bound(result: StageResult, bound: float, scale: float, offset: float) -> StageResult:
    """A stopped stage's gap against a relaxation bound, where that is the tighter one."""
    if result.value is None:
        return result
    gap = stage_gap(result.value / scale, bound + offset)
    if result.gap is None or gap < result.gap:
        result.gap = gap
    return result
