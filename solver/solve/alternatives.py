"""Alternate allocations: as good at every stage (within the MIP gap), as different as possible.

After the lexicographic solve every stage is held (shortfall stages exactly, cost within the MIP
gap, presence exactly). Each further plan maximises the number of (contributor, site) presences
that differ from the plans found so far, and a no-good cut per plan forbids repeating a presence
pattern. When no different pattern is left, fewer than the K plans asked for exist.

With a band W > 0 (`--within`) the holds are those of solve/near_optimal.py instead: every stage
before cost exactly as good, cost at most (1 + W) times the plan's, presence free.

In time the pattern is who is where when: one 0/1 column y[c,s,t] per (contributor, site,
period) with an option, tied both ways to the units present,

    x[c,k,s,t] - ub[c,k,s,t] y[c,s,t] <= 0  (each k)      y[c,s,t] - sum_k x[c,k,s,t] <= 0,

so that y = 1 exactly when c has units at s in t. An alternative differs from every plan found
in at least one y: some contributor is at some site in some period where it was not, or is not
where it was. Its tours therefore differ in planner terms (a nation, a site, a period), never
only in columns a planner does not see (arrivals, indicators, how units are split in tours).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from ..model.context import BuildContext
from ..model.portable import dot
from ..wording import count
from .alternatives_near import NearSearch, Presences, searched_near
from .highs import LexicographicSolver
from .instance import MS
from .near_optimal import hold_within, within_text
from .options import SolveOptions

log = logging.getLogger("forcegen.alternatives")


@dataclass
class Alternatives:
    plans: list[np.ndarray]  # column values of each further plan
    requested: int
    exhausted: bool  # True when no further distinct plan exists
    message: str
    status: str = "complete"  # complete | exhausted | not_found | time_limit | interrupted | memory
    base: np.ndarray | None = None  # the base plan's column values (timed searches)
    within: float = 0.0  # the cost band: 0 for plans as good at every stage


def find_alternatives(
    solver: LexicographicSolver,
    presence_cols: np.ndarray,
    pair_of_x: np.ndarray,
    xcols: np.ndarray,
    base_x: np.ndarray,
    k: int,
    within: float = 0.0,
) -> Alternatives:
    """`pair_of_x[i]` is the position in `presence_cols` of x column `xcols[i]`'s (c, s) pair;
    `within`: the cost band W (0: plans as good at every stage)."""

    def prepare() -> np.ndarray:
        _presence_is_real(solver.h, presence_cols, pair_of_x, xcols)
        return _pattern(base_x, presence_cols)

    return _search(solver, presence_cols, prepare, base_x, k, within)


def find_timed_alternatives(
    solver: LexicographicSolver,
    ctx: BuildContext,
    base_x: np.ndarray,
    k: int,
    within: float = 0.0,
) -> Alternatives:
    """Up to k plans of a timed model as good at every stage as `base_x`, each with its own
    pattern of (contributor, site, period) presences (see the module's docstring)."""
    assert ctx.x is not None and ctx.pairs is not None
    x = ctx.x
    xcols = x["col"].to_numpy()
    pair_of_x = pd.MultiIndex.from_frame(ctx.pairs[["contributor", "site"]]).get_indexer(
        pd.MultiIndex.from_frame(x[["contributor", "site"]])
    )
    cst, triples = pd.factorize(
        pd.MultiIndex.from_frame(x[["contributor", "site", "t"]]), sort=True
    )
    ycols = np.arange(len(triples)) + solver.h.getNumCol()
    pair_cols = ctx.pairs["col"].to_numpy()

    def prepare() -> np.ndarray:
        # the horizon's presence columns, held at the base plan's count, must be real too
        _presence_is_real(solver.h, pair_cols, pair_of_x, xcols)
        _add_period_presence(solver.h, cst, xcols, x["ub"].to_numpy(dtype=float))
        _presence_is_real(solver.h, ycols, cst, xcols)
        present = np.bincount(cst, weights=np.round(base_x[xcols]), minlength=len(triples))
        return present > 0.5

    near = None
    if searched_near(solver):
        near = NearSearch(base_x, Presences(xcols, cst, ycols), k)
    alt = _search(solver, ycols, prepare, base_x, k, within, near or _next_plan)
    alt.base = base_x
    pattern = "pattern of who is where when"
    alt.message = _message(len(alt.plans), k, alt.status, within, pattern, _limit_text(solver))
    return alt


# the next plan of a search, or None and why (solve/alternatives_near.py's NearSearch, or
# `_next_plan` on the whole model)
NextPlan = Callable[
    [LexicographicSolver, np.ndarray, list[np.ndarray], float], tuple[np.ndarray | None, str]
]

# Under a work limit without a time limit, the search's hard stop in seconds per unit of its
# budget. Its runs are HiGHS's MIP on the whole model, whose LPs counts cannot stop (HiGHS 1.16
# gives a MIP's LPs only a time limit: solve/clock.py): on the timed example a search of 20
# units ran 424 s and found nothing (a trial). A unit is about a second of this project's
# machine, and a command may take twice its limit (README).
SAFETY_STOP = 2.0


def safety_stop(options: SolveOptions) -> float:
    """The search's hard stop in seconds: the time limit given, else, under a work limit,
    SAFETY_STOP times its budget (a search it stops says `time limit`, and is not
    reproducible, as any the time limit stops)."""
    if math.isfinite(options.time_limit) or options.work_limit <= 0:
        return options.time_limit
    return SAFETY_STOP * options.work_limit


def _limit_text(solver: LexicographicSolver) -> str:
    """What stopped the search, as its message says it: the safety stop named as such where
    no time limit was given (`safety_stop`), and said not reproducible."""
    limit = solver.limit_name()
    options = solver.options
    if limit == "time limit" and not math.isfinite(options.time_limit):
        stop = safety_stop(options)
        return (
            f"time limit of {stop:g} s it has under a work limit ({SAFETY_STOP:g} x the work "
            "limit, a hard stop: a run counts cannot stop may overrun; such a stop is not "
            "reproducible; give --time-limit to set it)"
        )
    return limit


def _search(
    solver: LexicographicSolver,
    pattern_cols: np.ndarray,
    prepare: Callable[[], np.ndarray],
    base_x: np.ndarray,
    k: int,
    within: float,
    next_plan: NextPlan | None = None,
) -> Alternatives:
    """The search loop: `prepare` adds the pattern's rows (and columns) to HiGHS and returns the
    base plan's pattern over `pattern_cols`; every stage is held at `base_x`'s value (with a
    band `within` > 0: the stages before cost, and cost inside the band). Each plan is
    `next_plan`'s (HiGHS's MIP on the whole model, `_next_plan`, unless given) once the last
    plan's no-good row is added."""
    next_plan = next_plan or _next_plan
    plans: list[np.ndarray] = []
    # a fresh budget, as the solve had (and with a work limit, a fresh hard stop: the time
    # limit given, else SAFETY_STOP times the budget in seconds)
    solver.clock.start(safety_stop(solver.options))
    deadline = solver.clock.deadline(solver.options.budget)
    log.info(
        "up to %s, within a %s of %g %s of their own",
        count(k, "other plan"),
        solver.limit_name(),
        solver.options.budget,
        solver.clock.unit,
    )
    ended = "time_limit"
    try:
        patterns = [prepare()]
        if within > 0:
            hold_within(solver, base_x, within)
        else:
            _hold_all(solver, base_x)
        while len(plans) < k:
            _no_good(solver.h, pattern_cols, patterns[-1])
            x, ended = next_plan(solver, pattern_cols, patterns, deadline)
            if x is None:
                break
            plans.append(x)
            patterns.append(_pattern(x, pattern_cols))
            log.info("plan %d of %d found", len(plans), k)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM outside HiGHS's run: keep what was found
        ended = "interrupted"
    except MemoryError:  # a search too large for the machine: keep what was found, and the plan
        ended = "memory"
    if len(plans) == k:
        ended = "complete"
    message = _message(len(plans), k, ended, within, limit=_limit_text(solver))
    return Alternatives(plans, k, ended == "exhausted", message, ended, within=within)


def _next_plan(
    solver: LexicographicSolver,
    presence_cols: np.ndarray,
    patterns: list[np.ndarray],
    deadline: float,
) -> tuple[np.ndarray | None, str]:
    """The next plan, most different from those found, or None and why there is none: no
    different pattern left (exhausted), the time limit, or an interrupt (a search stopped by
    Ctrl-C is not kept, even if HiGHS had a plan: it is not the one asked for)."""
    h, mm = solver.h, solver.mm
    # minimise sum over found plans of (y in pattern) - (y outside pattern): most different
    n_cols = h.getNumCol()  # the model's columns and those the search added
    weight = np.zeros(n_cols)
    for pat in patterns:
        weight[presence_cols] += np.where(pat, 1.0, -1.0)
    h.changeColsCost(n_cols, np.arange(n_cols, dtype=np.int32), weight)
    h.changeObjectiveOffset(0.0)
    remaining = deadline - solver.clock.now()
    if remaining <= 0:
        return None, "time_limit"
    h.setOptionValue("time_limit", float(remaining))
    h.clearSolver()
    status = solver.run_highs(remaining)
    if solver.cancelled.is_set():
        return None, "interrupted"
    if status == MS.kMemoryLimit:  # not "the time limit"
        raise MemoryError("HiGHS ran out of memory searching an alternative plan")
    if status in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        return None, "exhausted"
    if h.getInfo().primal_solution_status != 2:
        return None, "time_limit"
    x = np.asarray(h.getSolution().col_value, dtype=float)
    integer = mm.integrality.astype(bool)
    x[: mm.n_cols][integer] = np.round(x[: mm.n_cols][integer])
    x[mm.n_cols :] = np.round(x[mm.n_cols :])  # the search's own columns are 0/1
    return x, "found"


def _message(
    found: int,
    k: int,
    ended: str,
    within: float,
    pattern: str = "presence pattern",
    limit: str = "time limit",
) -> str:
    if within > 0:
        band = f"shortfall as good and cost within {within_text(within)} of the plan's"
        each, equal = f"with {band}", f", {band}"
    else:
        each = "as good at every stage (cost within the MIP gap)"
        equal = " at equal stage values (cost within the MIP gap)"
    if ended == "complete":
        return f"{count(k, 'alternative plan')} found, each {each}"
    if ended == "exhausted":
        exist = (
            "no alternative plan exists"
            if found == 0
            else f"only {count(found, 'alternative plan')} {'exists' if found == 1 else 'exist'}"
        )
        return f"{exist} with a different {pattern}{equal} (asked for {k})"
    if ended == "not_found":
        none = (
            "no alternative plan found"
            if found == 0
            else f"{count(found, 'alternative plan')} found"
        )
        return (
            f"{none}: no neighbourhood of the plan searched (some capabilities and months at a "
            f"time) holds another with a different {pattern}{equal}, which does not prove that "
            f"none exists (asked for {k})"
        )
    if ended == "interrupted":
        return f"interrupted: {count(found, 'alternative plan')} found before the interrupt (asked for {k})"
    if ended == "memory":
        return (
            f"out of memory: {count(found, 'alternative plan')} found before the search ran "
            f"out of memory (asked for {k})"
        )
    return f"{count(found, 'alternative plan')} found before the {limit} (asked for {k})"


def _pattern(x: np.ndarray, presence_cols: np.ndarray) -> np.ndarray:
    return np.round(x[presence_cols]) > 0.5


def _hold_all(solver: LexicographicSolver, base_x: np.ndarray) -> None:
    """Hold every stage at the base plan's value: cost within the MIP gap, the rest exactly.

    The base plan's own value, not the stage's at its end: a later stage may have improved an
    earlier one within its hold (a fault trial: an alternative at priority 2's 146.5, the
    plan's 146, said to be as good at every stage before cost). A stage held on its face
    (row -1) is held exactly by the face's bounds already."""
    mm, h = solver.mm, solver.h
    gap = solver.options.mip_gap
    held = zip(solver.holds, solver.held_stages(), mm.stages, strict=False)
    for (row, _), (cost, value, slack), stage in held:
        if row < 0:
            continue
        value = min(value, dot(cost, base_x))
        if stage.name == "cost":
            slack = max(stage.hold_abs, stage.hold_rel * abs(value), gap * abs(value))
        h.changeRowBounds(row, -highspy.kHighsInf, value + slack)
    for i in range(len(solver.holds), len(mm.stages)):  # the last stage (presence) is not held
        cost = mm.costs[i]
        value = dot(cost, base_x)
        nz = np.flatnonzero(cost)
        # exactly the base plan's value: an alternative neither adds nor saves a contingent
        h.addRow(value - 0.5, value + 0.5, len(nz), nz.astype(np.int32), cost[nz])


def _presence_is_real(
    h: highspy.Highs, presence_cols: np.ndarray, pair_of_x: np.ndarray, xcols: np.ndarray
) -> None:
    """present[c,s] <= sum_k x[c,k,s], so that a presence pattern means units on the ground
    (one row per presence column, in their order)."""
    n = len(presence_cols)
    order = np.argsort(pair_of_x, kind="stable")
    starts = np.searchsorted(pair_of_x[order], np.arange(n))
    ends = np.append(starts[1:], len(order))
    rows = [
        (
            np.concatenate([[presence_cols[j]], xcols[order[starts[j] : ends[j]]]]),
            np.concatenate([[1.0], -np.ones(ends[j] - starts[j])]),
        )
        for j in range(n)
    ]
    _add_rows(h, rows, upper=0.0)


def _add_period_presence(
    h: highspy.Highs, group: np.ndarray, xcols: np.ndarray, ub: np.ndarray
) -> None:
    """One 0/1 column per group (contributor, site, period), appended after the model's, and
    x - ub y <= 0 for each x of the group (y = 1 wherever units are present)."""
    n, first = int(group.max(initial=-1)) + 1, h.getNumCol()
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(
        n,
        np.arange(first, first + n, dtype=np.int32),
        np.full(n, highspy.HighsVarType.kInteger),
    )
    rows = [
        (np.array([col, first + g]), np.array([1.0, -bound]))
        for col, g, bound in zip(xcols.tolist(), group.tolist(), ub.tolist(), strict=True)
    ]
    _add_rows(h, rows, upper=0.0)


def _add_rows(h: highspy.Highs, rows: list[tuple[np.ndarray, np.ndarray]], upper: float) -> None:
    """Rows -inf <= sum coef x <= upper, (columns, coefficients) each, in one call."""
    if not rows:
        return
    lengths = np.array([len(cols) for cols, _ in rows])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    idx = np.concatenate([cols for cols, _ in rows]).astype(np.int32)
    vals = np.concatenate([v for _, v in rows]).astype(float)
    n = len(rows)
    h.addRows(n, np.full(n, -highspy.kHighsInf), np.full(n, upper), len(idx), starts, idx, vals)


def _no_good(h: highspy.Highs, cols: np.ndarray, pattern: np.ndarray) -> None:
    """At least one presence differs from `pattern`: sum_out y - sum_in y >= 1 - |in|."""
    coefs = np.where(pattern, -1.0, 1.0)
    h.addRow(1.0 - float(pattern.sum()), highspy.kHighsInf, len(cols), cols.astype(np.int32), coefs)
