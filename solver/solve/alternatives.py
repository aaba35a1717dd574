"""Alternate allocations: as good at every stage (within the MIP gap), as different as possible.

After the lexicographic solve every stage is held (shortfall stages exactly, cost within the MIP
gap, presence exactly). Each further plan maximises the number of (contributor, site) presences
that differ from the plans found so far, and a no-good cut per plan forbids repeating a presence
pattern. When no different pattern is left, fewer than the K plans asked for exist.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import highspy
import numpy as np

from ..wording import count
from .highs import LexicographicSolver
from .instance import MS

log = logging.getLogger("forcegen.alternatives")


@dataclass
class Alternatives:
    plans: list[np.ndarray]  # column values of each further plan
    requested: int
    exhausted: bool  # True when no further distinct plan exists
    message: str
    status: str = "complete"  # complete | exhausted | time_limit | interrupted


def find_alternatives(
    solver: LexicographicSolver,
    presence_cols: np.ndarray,
    pair_of_x: np.ndarray,
    xcols: np.ndarray,
    base_x: np.ndarray,
    k: int,
) -> Alternatives:
    """`pair_of_x[i]` is the position in `presence_cols` of x column `xcols[i]`'s (c, s) pair."""
    patterns = [_pattern(base_x, presence_cols)]
    plans: list[np.ndarray] = []
    deadline = time.perf_counter() + solver.options.time_limit
    ended = "time_limit"
    try:
        _presence_is_real(solver.h, presence_cols, pair_of_x, xcols)
        _hold_all(solver, base_x)
        while len(plans) < k:
            x, ended = _next_plan(solver, presence_cols, patterns, deadline)
            if x is None:
                break
            plans.append(x)
            patterns.append(_pattern(x, presence_cols))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM outside HiGHS's run: keep what was found
        ended = "interrupted"
    if len(plans) == k:
        ended = "complete"
    return Alternatives(plans, k, ended == "exhausted", _message(len(plans), k, ended), ended)


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
    _no_good(h, presence_cols, patterns[-1])
    # minimise sum over found plans of (y in pattern) - (y outside pattern): most different
    weight = np.zeros(mm.n_cols)
    for pat in patterns:
        weight[presence_cols] += np.where(pat, 1.0, -1.0)
    h.changeColsCost(mm.n_cols, np.arange(mm.n_cols, dtype=np.int32), weight)
    h.changeObjectiveOffset(0.0)
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return None, "time_limit"
    h.setOptionValue("time_limit", float(remaining))
    h.clearSolver()
    status = solver._run(remaining)
    if solver.cancelled.is_set():
        return None, "interrupted"
    if status in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        return None, "exhausted"
    if h.getInfo().primal_solution_status != 2:
        return None, "time_limit"
    x = np.asarray(h.getSolution().col_value, dtype=float)
    integer = mm.integrality.astype(bool)
    x[integer] = np.round(x[integer])
    return x, "found"


def _message(found: int, k: int, ended: str) -> str:
    if ended == "complete":
        return f"{count(k, 'alternative plan')} found, each as good at every stage"
    if ended == "exhausted":
        return (
            f"only {count(found, 'alternative plan')} {'exists' if found == 1 else 'exist'} with a different presence "
            f"pattern at equal stage values (asked for {k})"
        )
    if ended == "interrupted":
        return f"interrupted: {count(found, 'alternative plan')} found before the interrupt (asked for {k})"
    return f"{count(found, 'alternative plan')} found before the time limit (asked for {k})"


def _pattern(x: np.ndarray, presence_cols: np.ndarray) -> np.ndarray:
    return np.round(x[presence_cols]) > 0.5


def _hold_all(solver: LexicographicSolver, base_x: np.ndarray) -> None:
    """Hold every stage at the base plan's value: cost within the MIP gap, the rest exactly."""
    mm, h = solver.mm, solver.h
    gap = solver.options.mip_gap
    for (row, value), stage in zip(solver.holds, mm.stages, strict=False):
        if stage.name == "cost":
            upper = value + max(stage.hold_abs, stage.hold_rel * abs(value), gap * abs(value))
            h.changeRowBounds(row, -highspy.kHighsInf, upper)
    for i in range(len(solver.holds), len(mm.stages)):  # the last stage (presence) is not held
        cost = mm.costs[i]
        value = float(cost @ base_x)
        nz = np.flatnonzero(cost)
        # exactly the base plan's value: an alternative neither adds nor saves a contingent
        h.addRow(value - 0.5, value + 0.5, len(nz), nz.astype(np.int32), cost[nz])


def _presence_is_real(
    h: highspy.Highs, presence_cols: np.ndarray, pair_of_x: np.ndarray, xcols: np.ndarray
) -> None:
    """present[c,s] <= sum_k x[c,k,s], so that a presence pattern means units on the ground."""
    n = len(presence_cols)
    order = np.argsort(pair_of_x, kind="stable")
    starts = np.searchsorted(pair_of_x[order], np.arange(n))
    ends = np.append(starts[1:], len(order))
    for j in range(n):
        members = xcols[order[starts[j] : ends[j]]]
        idx = np.concatenate([[presence_cols[j]], members]).astype(np.int32)
        vals = np.concatenate([[1.0], -np.ones(len(members))])
        h.addRow(-highspy.kHighsInf, 0.0, len(idx), idx, vals)


def _no_good(h: highspy.Highs, cols: np.ndarray, pattern: np.ndarray) -> None:
    """At least one presence differs from `pattern`: sum_out y - sum_in y >= 1 - |in|."""
    coefs = np.where(pattern, -1.0, 1.0)
    h.addRow(1.0 - float(pattern.sum()), highspy.kHighsInf, len(cols), cols.astype(np.int32), coefs)
