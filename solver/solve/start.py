"""The start of a solve: the construction heuristic's plan (solve/greedy.py, a timed
workbook's solve/greedy_time.py), or on a large model without one HiGHS's feasibility run's
(solve/feasible.py), handed to every stage as its MIP start."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from ..errors import Issue
from ..model.context import BuildContext
from .baseline_start import baseline_start, with_kept
from .feasible import FALLBACK_SHARE, REPAIRED, fallback_start, repair_limit
from .greedy import TRIES_PER_SECOND, GreedyResult, greedy_start, heuristic_tries
from .greedy_time import TRIES_PER_SECOND as TIMED_TRIES_PER_SECOND
from .greedy_time import greedy_time_start, timed_heuristic_tries
from .highs import LexicographicSolver
from .options import SolveOptions
from .repair import repaired

log = logging.getLogger("forcegen")

ARRIVE = "arrive"  # last element of a timed start's key (c, k, s, period, ARRIVE): units arriving
# a MIP start: units per option, (c, k, s) -> units; in time (c, k, s, period) -> units present
# and (c, k, s, period, ARRIVE) -> units arriving
MipStart = dict[tuple, float]


@dataclass
class _InHand:
    """The first valid plan the construction start has made (the baseline's start, else the
    heuristic's), kept should a Ctrl-C or SIGTERM come before the start is returned."""

    x: np.ndarray | None = None
    message: str = ""

    def take(self, x: np.ndarray | None, message: str) -> None:
        if self.x is None and x is not None:
            self.x, self.message = x, message


def construction_start(
    ctx: BuildContext,
    solver: LexicographicSolver,
    options: SolveOptions,
    timings: dict[str, float],
) -> tuple[tuple[np.ndarray, np.ndarray] | None, str, list[np.ndarray], bool]:
    """The construction heuristic's plan as a MIP start (on a large model without one: HiGHS's
    feasibility run's, solve/feasible.py; None when neither found one), what it did, the
    other valid plans a stage may adopt (solve/highs.py): a re-plan's start from its baseline
    (solve/baseline_start.py), or the heuristic's where that one is the better start; and
    whether a Ctrl-C or SIGTERM came once a valid plan was made (the baseline's start, or the
    heuristic's): that plan is then the start, and the plan so far. A fault trial lost it
    twice, and the solve said no plan had been found: a stop as the heuristic's line was
    logged, and one during the heuristic that follows a re-plan's start from its baseline."""
    t0 = time.perf_counter()
    hand = _InHand()
    try:
        start, message, plans = _made(ctx, solver, options, hand)
    except KeyboardInterrupt:
        if hand.x is None:  # before any plan: the stop is the command's
            raise
        timings["heuristic"] = time.perf_counter() - t0
        return (np.arange(solver.mm.n_cols), hand.x), hand.message, [], True
    timings["heuristic"] = time.perf_counter() - t0
    return start, message, plans, False


def _made(
    ctx: BuildContext, solver: LexicographicSolver, options: SolveOptions, hand: _InHand
) -> tuple[tuple[np.ndarray, np.ndarray] | None, str, list[np.ndarray]]:
    """`construction_start`'s start, message and plans; each valid plan made is put in `hand`
    as soon as it is whole."""
    mm, began = solver.mm, solver.clock.now()
    tries = _tries(ctx, options)
    based, based_message, used = None, "", 0
    if ctx.data.baseline is not None:
        based, based_message, used = _from_baseline(ctx, solver, options, tries, hand)
    # the budget is shared, but the heuristic keeps at least half of it: where the baseline no
    # longer fits (a nation leaving) its plan is the better start for the shortfall stages;
    # where the baseline gave no start at all, the heuristic's is the only one: all of it
    share = max(tries - used, tries // 2) if based is not None else tries
    greedy = _heuristic(ctx, solver, share)
    x, message = with_kept(mm, ctx, greedy.x), greedy.message
    hand.take(x, message)
    log.info("%s", greedy.message)
    plans: list[np.ndarray] = []
    if based is not None and (x is None or mm.better(based, x)):
        plans = [] if x is None else [x]
        x, message = based, based_message
    elif based is not None:
        plans = [based]
    if x is None and not solver.beyond_reach():  # else no plan exists: the solve says so
        spent = solver.clock.now() - began
        x, message = fallback_start(solver, options.budget, spent, greedy.message, greedy.partial)
    start = (np.arange(mm.n_cols), x) if x is not None else None
    return start, message, plans


def _from_baseline(
    ctx: BuildContext,
    solver: LexicographicSolver,
    options: SolveOptions,
    tries: int,
    hand: _InHand,
) -> tuple[np.ndarray | None, str, int]:
    """A re-plan's start from its baseline (solve/baseline_start.py) within `tries`, what it did
    and the tries it used; where it leaves rows short (the baseline's units hold what a hard
    line now needs: ITA leaving the bundled timed example), its near-plan repaired by HiGHS as
    the heuristic's is (solve/repair.py), within `baseline_repair_limit`. The start, once
    made, is put in `hand`."""
    based = _heuristic(ctx, solver, tries, from_baseline=True)
    hand.take(based.x, based.message)
    log.info("%s", based.message)
    if based.x is not None or based.partial is None or solver.mm.col_group is None:
        return based.x, based.message, based.tries
    partial = with_kept(solver.mm, ctx, based.partial)
    assert partial is not None
    found = repaired(solver, partial, baseline_repair_limit(options.budget))
    if found is None:
        return None, based.message, based.tries
    message = f"{based.message}; {REPAIRED}"
    hand.take(found, message)
    return found, message, based.tries


def baseline_repair_limit(budget: float) -> float:
    """The time (or work) the repair of a baseline's near-plan may take in a solve of `budget`:
    REPAIR_SHARE of FALLBACK_SHARE of it, and at least REPAIR_FLOOR (half the budget at most).

    Why the floor: ITA leaving the bundled timed example after month 12 under `--work-limit 5`
    left one hard line short in one month; its repair (one capability, 4,558 columns) took
    0.06 s but needed 1-1.5 work units, most of it HiGHS's cost of a run of that size, against
    the 0.5 the share gave. Without the repair the re-plan started from the construction
    heuristic's plan instead, and came back with priority 2 at 1,041 and 2,236 unit-months of
    changes where the repaired baseline gave 93 and 220 (and the base plan 77)."""
    return repair_limit(budget, FALLBACK_SHARE * budget)


def _tries(ctx: BuildContext, options: SolveOptions) -> int:
    """The construction heuristic's budget of tries for this solve (greedy.py, greedy_time.py)."""
    if ctx.timed:
        return timed_heuristic_tries(options.budget)
    return heuristic_tries(options.budget)


def _heuristic(
    ctx: BuildContext, solver: LexicographicSolver, tries: int, from_baseline: bool = False
) -> GreedyResult:
    """The construction heuristic (a timed workbook's, or from the re-plan's baseline) within
    `tries`, its tries charged to the solve's clock."""
    mm = solver.mm
    if from_baseline:
        found = baseline_start(mm, ctx, tries)
    elif ctx.timed:
        found = greedy_time_start(mm, ctx, tries)
    else:
        found = greedy_start(mm, ctx, tries)
    solver.clock.spend(found.tries / (TIMED_TRIES_PER_SECOND if ctx.timed else TRIES_PER_SECOND))
    return found


def start_in_time(ctx: BuildContext, x: np.ndarray) -> MipStart:
    """A solved timed plan as a MIP start: units present under (c, k, s, period) and units
    arriving under (c, k, s, period, ARRIVE) (the arrivals fix its tours: with a tour limit the
    same units present can be tours of different lengths)."""
    assert ctx.x is not None
    keys = ctx.xkeys(np.arange(len(ctx.x)))
    present = np.rint(x[ctx.x["col"].to_numpy()])
    arriving = np.asarray(x[ctx.x["arrive"].to_numpy()], dtype=float)
    start: MipStart = {}
    for key, units, arrive in zip(keys, present.tolist(), arriving.tolist(), strict=True):
        if units > 0:
            start[key] = units
        if arrive > 1e-9:
            start[(*key, ARRIVE)] = arrive
    return start


def start_columns(ctx: BuildContext, units: MipStart) -> tuple[np.ndarray, np.ndarray]:
    """A MIP start as x columns and their values: a snapshot's from {(c, k, s): units}, a
    timed model's from units present and arriving (`start_in_time`'s keys); an option the
    start does not name starts at 0."""
    assert ctx.x is not None
    if ctx.timed:
        keys = ctx.xkeys(np.arange(len(ctx.x)))
        present = [units.get(k, 0.0) for k in keys]
        arriving = [units.get((*k, ARRIVE), 0.0) for k in keys]
        cols = np.concatenate([ctx.x["col"].to_numpy(), ctx.x["arrive"].to_numpy()])
        return cols, np.array(present + arriving, dtype=float)
    options = zip(ctx.x["contributor"], ctx.x["capability"], ctx.x["site"], strict=True)
    return ctx.x["col"].to_numpy(), np.array([units.get(k, 0) for k in options], dtype=float)


def unknown_start_keys(ctx: BuildContext, start: dict) -> list[Issue]:
    """A warning naming the keys of `start` that are no allocation option of the model (a
    capability not pledged, a site without that line, an option a caveat forbids): their
    units are not in the start."""
    assert ctx.x is not None
    known = set(ctx.xkeys(np.arange(len(ctx.x))))  # (c, k, s), and the period in time

    def option(key: tuple) -> tuple:  # a timed start's arrivals: (c, k, s, period, ARRIVE)
        return key[:-1] if ctx.timed and key and key[-1] == ARRIVE else key

    unknown = [k for k in start if option(tuple(k)) not in known]
    if not unknown:
        return []
    shown = ", ".join("/".join(map(str, k)) for k in unknown[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    return [
        Issue(
            "start",
            f"{len(unknown)} key(s) of the start name no allocation option of the model "
            f"({shown}{more}): their units are not in the start",
            "warning",
        )
    ]
