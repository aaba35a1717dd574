"""The steps of a solve between reading and the Result (`api.solve` runs them in this order):
the model built and handed to HiGHS, the solve run with a stop kept where a plan is in hand,
the solution read back as tours and tables, and the explanations of what the plan could not
do (Infeasibility, Gaps)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .baseline import Baseline
from .data import Data
from .errors import Issue, UsageError
from .explain.conflict import Conflict, conflict_table
from .explain.infeasibility import explain_infeasibility
from .explain.search_budget import SearchBudget
from .explain.sustain import (
    fill_reasons,
    gaps_and_reasons,
    mark_unexplained,
    qualify_unproven,
)
from .model.build import build_model
from .model.context import FORMULATIONS, BuildContext
from .model.matrix import MatrixModel
from .model.stage_names import SETTLED, is_shortfall, priority_of
from .model.tour_reading import read_tours
from .results.report import make_tables
from .results.tables import NOT_GIVEN, Tables
from .signals import Terminated
from .solve.groups import set_polish_groups
from .solve.highs import LexicographicSolver
from .solve.instance import highs_version
from .solve.options import SolveOptions, mistyped_arguments
from .solve.outcome import SolveOutcome
from .solve.start import MipStart, construction_start, start_columns, unknown_start_keys
from .time_plan import TimedPlan

log = logging.getLogger("forcegen")
BACKENDS = ("highs", "pyomo")


def to_matrix(ctx: BuildContext, backend: str) -> tuple[MatrixModel, Any]:
    """Hand the model over: straight from the blocks (default) or through Pyomo."""
    if backend == "highs":
        return MatrixModel.from_linear(ctx.lm), None
    if backend == "pyomo":
        from .model.pyomo_render import compile_pyomo, to_pyomo

        model, colvars = to_pyomo(ctx.lm)
        return compile_pyomo(model, colvars, ctx.lm), model
    raise UsageError(f"unknown backend '{backend}' (choose {' or '.join(BACKENDS)})")


def read_plan(ctx: BuildContext, x: np.ndarray | None) -> TimedPlan | None:
    """The tours of a timed model's solution (None without a plan)."""
    if x is None or ctx.x is None:
        return None
    xcols, acols = ctx.x["col"].to_numpy(), ctx.x["arrive"].to_numpy()
    return TimedPlan(ctx.data, read_tours(ctx, x[xcols], x[acols]))


# A timed model's shortfall stages are tight at the root (LP bound = optimum in every stage of the
# bundled example) but HiGHS spends most of their time in cut rounds before its sub-MIP
# heuristics find the plan: more heuristic effort halved them (docs/performance.md).
TIMED_HIGHS = {"mip_heuristic_effort": 0.5}


def timed_defaults(data: Data) -> dict[str, Any]:
    """HiGHS options a timed solve uses unless the caller sets them."""
    return dict(TIMED_HIGHS) if data.timed else {}


def build(
    data: Data, options: SolveOptions, backend: str, formulation: str, timings: dict[str, float]
) -> tuple[BuildContext, LexicographicSolver, Any]:
    """The model's blocks, handed to a HiGHS instance (and the Pyomo model on that route)."""
    t0 = time.perf_counter()
    ctx = build_model(data, formulation=formulation)
    timings["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    mm, pyomo_model = to_matrix(ctx, backend)
    set_polish_groups(ctx, mm)
    solver = LexicographicSolver(mm, options)
    timings["handoff"] = time.perf_counter() - t0
    log.info("handoff (%s) %.3f s", backend, timings["handoff"])
    return ctx, solver, pyomo_model


def tabulate(
    data: Data,
    ctx: BuildContext,
    outcome: SolveOutcome,
    options: SolveOptions,
    backend: str,
    pyomo_model: Any,
    timings: dict[str, float],
    plan: TimedPlan | None = None,
) -> Tables:
    """The solution read back (into the Pyomo model too, on that route) and the tables."""
    t0 = time.perf_counter()
    if pyomo_model is not None and outcome.x is not None:
        from .model.pyomo_render import load_values

        load_values(pyomo_model, outcome.x)
    in_time: dict[str, Any] = {}
    if data.timed:
        in_time = {
            "plan": plan or TimedPlan(data, pd.DataFrame()),
            "hard_t": ctx.hard_matrix(),
            "hard_t_because": ctx.hard_because_matrix(),
        }
    tables = make_tables(
        data,
        ctx,
        outcome,
        options,
        backend=backend,
        highs_version=highs_version(),
        timings=timings,
        **in_time,
    )
    timings["tables"] = time.perf_counter() - t0  # reading the solution back, and the tables
    return tables


def explain_infeasible(data: Data, options: SolveOptions, tables: Tables) -> Conflict:
    """No plan exists: the smallest set of rules that cannot hold together, as a table; under
    a work limit searched within a count of checks (the same conflicts on any machine)."""
    budget = SearchBudget.of(options.time_limit, options.work_limit)
    conflict = explain_infeasibility(data, budget=budget)
    tables.extra["Infeasibility"] = conflict_table(conflict)
    return conflict


def explain_gaps(
    ctx: BuildContext,
    outcome: SolveOutcome,
    tables: Tables,
    timings: dict[str, float],
) -> None:
    """A plan: why each line still short is short, as a table (in time also each line's main
    reason, put in the Sustainability sheet)."""
    assert ctx.x is not None and outcome.x is not None
    x = outcome.x
    t0 = time.perf_counter()
    aval = x[ctx.x["arrive"].to_numpy()] if ctx.timed else None
    proven = proven_priorities(outcome)
    gaps, reasons = gaps_and_reasons(ctx, x[ctx.x["col"].to_numpy()], aval, proven)
    tables.extra["Gaps"], reasons = qualify_unproven(gaps, reasons, proven)
    fill_reasons(tables, reasons)
    timings["gaps"] = time.perf_counter() - t0


def proven_priorities(outcome: SolveOutcome) -> dict[int, bool]:
    """Priority -> whether its shortfall stage is settled (proven optimal, or constant)."""
    return {
        priority_of(s.name): s.status in SETTLED for s in outcome.stages if is_shortfall(s.name)
    }


def has_settled_plan(outcome: SolveOutcome) -> bool:
    """A plan to search alternatives around: not interrupted, HiGHS not left running."""
    return outcome.x is not None and outcome.status != "interrupted" and not outcome.abandoned


@dataclass
class FirstPlan:
    """What the solve starts from: the caller's start or the construction heuristic's plan
    (`start`), the heuristic's note and plans, whether a stop came while it was made, the
    clock when it began (its time comes off HiGHS's share), and warnings of a caller's start
    keys the model does not have."""

    start: tuple[np.ndarray, np.ndarray] | None
    note: str
    plans: list
    stopped: bool
    began: float
    unknown: list[Issue]


def first_plan(
    ctx: BuildContext,
    solver: LexicographicSolver,
    options: SolveOptions,
    timings: dict[str, float],
    given: MipStart | None,
    heuristic: bool,
    checkpoint: Callable[[], None],
) -> FirstPlan:
    """The caller's start `given` as columns, else (with `heuristic`) the construction
    heuristic's plan; a stop lost meanwhile keeps that plan (`stopped_with_a_plan`)."""
    start = start_columns(ctx, given) if given else None
    unknown = unknown_start_keys(ctx, given) if given else []
    plans: list = []
    note, stopped, began = "", False, solver.clock.now()
    if start is None and heuristic:
        start, note, plans, stopped = construction_start(ctx, solver, options, timings)
    stopped = stopped or stopped_with_a_plan(checkpoint, solver, start)
    return FirstPlan(start, note, plans, stopped, began, unknown)


def stopped_with_a_plan(
    checkpoint: Callable[[], None],
    solver: LexicographicSolver,
    start: tuple[np.ndarray, np.ndarray] | None,
) -> bool:
    """True when a Ctrl-C or SIGTERM was lost during the construction heuristic and its plan
    (a valid full start) is in hand: the solve then keeps it as the plan so far (interrupted)
    instead of dropping it. Without such a plan (none, or a caller's partial start) the stop
    is raised, as before any plan exists."""
    try:
        checkpoint()
    except KeyboardInterrupt:
        if solver.valid_full_start(start) is None:
            raise
        return True
    return False


def solved_and_held(
    solver: LexicographicSolver,
    start: tuple[np.ndarray, np.ndarray] | None,
    spent: float,
    plans: list,
    stopped: bool,
    hold: Callable[[], AbstractContextManager[Any]] | None,
    held: ExitStack,
) -> tuple[SolveOutcome, bool]:
    """The solve's outcome, with the caller's `hold` (if any) entered on `held` as soon as it
    returns; True when a stop came between the two: with a hold its plan is still kept (and the
    caller, whose signals remembered the stop, stops after writing it), without one the stop
    is raised as one just after `api.solve` returned would be."""
    try:
        solver.keeps_plan_out_of_memory = True
        try:
            outcome = solver.solve(start, spent=spent, plans=plans, stopped=stopped)
        finally:
            solver.keeps_plan_out_of_memory = False
        if hold is not None:
            held.enter_context(hold())
        return outcome, False
    except KeyboardInterrupt:
        if hold is None or solver.outcome is None:
            raise
        held.enter_context(hold())  # a second stop here is raised, as a second Ctrl-C is
        return solver.outcome, True


def stop_remembered(checkpoint: Callable[[], None]) -> bool:
    """Whether a Ctrl-C or SIGTERM came while the caller's hold only remembered it (its
    `checkpoint` raises it now)."""
    try:
        checkpoint()
    except KeyboardInterrupt:
        return True
    return False


def note_alternatives_not_searched(
    tables: Tables, alternatives: int, within: float, why: str = "interrupted"
) -> None:
    """In the Summary: the alternatives asked for were not searched, the caller stopping (or
    the solve out of memory: `why`)."""
    tables.summary += [
        ("alternatives.requested", alternatives),
        ("alternatives.within", within),
        ("alternatives.found", 0),
        ("alternatives.status", why),
        ("alternatives.message", f"alternatives not searched: {why}"),
    ]


def explained(
    data: Data,
    ctx: BuildContext,
    options: SolveOptions,
    outcome: SolveOutcome,
    tables: Tables,
    timings: dict[str, float],
    explain: bool,
    hold: Callable[[], AbstractContextManager[Any]] | None,
) -> Conflict | None:
    """The infeasibility's explanation (returned) or the gaps' (added to the tables); an
    interrupt skips them, noted in the Summary, where a caller's `hold` keeps the plan. So does
    running out of memory in them: a plan kept after a stage ran out of memory was lost when
    its gaps' explanation ran out too (exit 1, nothing written)."""
    try:
        if outcome.status == "infeasible" and explain:
            return explain_infeasible(data, options, tables)
        if outcome.x is not None and ctx.x is not None:
            explain_gaps(ctx, outcome, tables, timings)
    except KeyboardInterrupt as stop:
        if hold is None:  # no caller keeps the plan on an interrupt: it is the caller's
            raise
        why = f"terminated ({stop.within})" if isinstance(stop, Terminated) else "interrupted"
        _unexplained(tables, why, outcome.status != "infeasible")
    except MemoryError:
        log.warning("out of memory while explaining; the explanation is left out")
        _unexplained(tables, "out of memory", outcome.status != "infeasible")
    return None


def _unexplained(tables: Tables, why: str, gaps: bool) -> None:
    """The Summary's `explanation` `not given: <why>`; where it was the gaps' (`gaps`, not an
    infeasible workbook's conflict, whose lines have no reasons to work out), no Gaps sheet
    (one set before the stop has no reasons in Sustainability) and the short lines' blank
    reasons said as not worked out."""
    tables.summary.append(("explanation", f"{NOT_GIVEN}: {why}"))
    if gaps:
        tables.extra.pop("Gaps", None)
        mark_unexplained(tables, why)


def refuse_arguments(source: object, backend: str, formulation: str, **given: Any) -> None:
    """Raise UsageError naming every argument of `solve` that is wrong, before anything is
    read: its type (`mistyped_arguments`), an unknown backend or formulation, a `within` out
    of its range (the Settings sheet's `alternatives_within` is checked once it is read)."""
    start, baseline = given.pop("start", None), given.pop("baseline", None)
    wrong = mistyped_arguments(**given)
    if not isinstance(source, str | Path | Data):
        wrong.insert(0, f"source must be a workbook's path or a Data, got {type(source).__name__}")
    if start is not None and not isinstance(start, dict):  # an API trial's list: AttributeError
        wrong.append(
            f"start must be a dict of (contributor, capability, site[, period]) -> units, got "
            f"{type(start).__name__}"
        )
    if baseline is not None and not isinstance(baseline, str | Path | Baseline):
        wrong.append(
            f"baseline must be an output's path or a Baseline, got {type(baseline).__name__}"
        )
    if backend not in BACKENDS:
        wrong.append(f"unknown backend '{backend}' (choose {' or '.join(BACKENDS)})")
    if formulation not in FORMULATIONS:
        wrong.append(f"unknown formulation '{formulation}' (choose {' or '.join(FORMULATIONS)})")
    within = given.get("within")
    if isinstance(within, int | float) and not 0 <= within <= 1:
        wrong.append(f"within must be a share between 0 and 1 (5% is 0.05), got {within}")
    if wrong:
        raise UsageError("; ".join(wrong))
