"""The start of a solve: the construction heuristic's plan (solve/greedy.py, a timed
workbook's solve/greedy_time.py), or on a large model without one HiGHS's feasibility run's
(solve/feasible.py), handed to every stage as its MIP start."""

from __future__ import annotations

import logging
import time

import numpy as np

from ..model.context import BuildContext
from .feasible import fallback_start
from .greedy import TRIES_PER_SECOND, greedy_start, heuristic_tries
from .greedy_time import TRIES_PER_SECOND as TIMED_TRIES_PER_SECOND
from .greedy_time import greedy_time_start, timed_heuristic_tries
from .highs import LexicographicSolver
from .options import SolveOptions

log = logging.getLogger("forcegen")


def construction_start(
    ctx: BuildContext,
    solver: LexicographicSolver,
    options: SolveOptions,
    timings: dict[str, float],
) -> tuple[tuple[np.ndarray, np.ndarray] | None, str]:
    """The construction heuristic's plan as a MIP start (on a large model without one: HiGHS's
    feasibility run's, solve/feasible.py; None when neither found one), and what it did."""
    t0 = time.perf_counter()
    mm, clock = solver.mm, solver.clock
    began = clock.now()
    if ctx.timed:
        greedy = greedy_time_start(mm, ctx, timed_heuristic_tries(options.budget))
        clock.spend(greedy.tries / TIMED_TRIES_PER_SECOND)
    else:
        greedy = greedy_start(mm, ctx, heuristic_tries(options.budget))
        clock.spend(greedy.tries / TRIES_PER_SECOND)
    log.info("%s", greedy.message)
    x, message = greedy.x, greedy.message
    if x is None:
        spent = clock.now() - began
        x, message = fallback_start(solver, options.budget, spent, greedy.message, greedy.partial)
    timings["heuristic"] = time.perf_counter() - t0
    start = (np.arange(mm.n_cols), x) if x is not None else None
    return start, message


def start_columns(ctx: BuildContext, units: dict) -> tuple:
    """A MIP start from {(contributor, capability, site): units}: x columns and values (a timed
    model's: see explain.pricing_time.start_in_time)."""
    assert ctx.x is not None
    if ctx.timed:
        from ..explain.pricing_time import start_columns as timed_start_columns

        return timed_start_columns(ctx, units)
    keys = zip(ctx.x["contributor"], ctx.x["capability"], ctx.x["site"], strict=True)
    return ctx.x["col"].to_numpy(), np.array([units.get(k, 0) for k in keys], dtype=float)
