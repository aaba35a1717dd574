"""An alternative better than the plan, where the plan's search stopped before its proof, becomes
the plan written (an analyst trial: a timed `--alternatives 2 --work-limit 15` found a plan 1.66%
cheaper, equal at every other stage, which `verify` confirmed, while the Summary, the Dashboard,
`compare` and the briefing all read the dearer one).

With the stages in the solve's order and v_j(P) plan P's value at stage j, alternative A is
better than the plan P0 when, at the first stage d with |v_d(A) - v_d(P0)| > tol_d,

    v_d(A) < v_d(P0)    and    the plan's stage d is not proven (status not optimal/skipped)

(tol_d = 1e-9 max(1, |v_d(P0)|)). Of several, the lexicographically least is adopted. Where the
plan's stage d is proven, A differs within the MIP gap the planner accepted, and the plan stays:
the one `solve` without `--alternatives` gives (the message says so, alternatives_search.py).

Adopting A: the outcome's column values become A's and A's place among the alternatives is
taken by the solve's plan; each stage keeps its status, and its gap is recomputed against the
bound the stage proved, bound = v_j(P0)(1 - gap_j), as (v_j(A) - bound) / v_j(A)
(solve/outcome.py `stage_gap`). A later stage proven
optimal stays proven: it was optimal with the earlier stages held no better than the plan's, a
relaxation of holding them at A's, and A is held no worse than the plan there.

Not in a timed re-plan: its tours are read to keep the baseline's rotations (solve/
baseline_cuts.py), with HiGHS holding the plan's model, which the search has since changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .data import Data
from .model.stage_names import SETTLED
from .solve.alternatives import Alternatives
from .solve.outcome import SolveOutcome, StageResult, stage_gap


def better_alternative(table: pd.DataFrame, stages: Sequence[StageResult]) -> int | None:
    """The plan number (2, 3, ...) of the alternative to adopt, per the module's rule; None
    where none is better at a stage the plan did not prove."""
    names = [s.name for s in stages if s.name in table.columns]
    proven = {s.name: s.status in SETTLED for s in stages}
    plan = table[table["plan"] == 1]
    if not len(plan) or not names:
        return None
    own = [float(plan[n].iloc[0]) for n in names]
    best: tuple[list[float], int] | None = None
    for row in table[table["plan"] != 1].to_dict("records"):
        values = [float(row[n]) for n in names]
        first = _first_difference(values, own)
        if first is None or values[first] > own[first] or proven[names[first]]:
            continue
        if best is None or _less(values, best[0]):
            best = (values, int(row["plan"]))
    return None if best is None else best[1]


def adoptable(data: Data, within: float) -> bool:
    """Whether a better alternative may be adopted: the search held every stage (`within` 0;
    a cost band frees presence, so a later stage proven of the plan might not be of A's) and
    the solve is no timed re-plan (the module's docstring)."""
    return within == 0 and not (data.timed and data.baseline is not None)


def adopted_text(table: pd.DataFrame, number: int, stages: Sequence[StageResult]) -> str:
    """`plan 3 was better than the solve's plan at cost (93,423,008.75 against 94,999,123.57):
    it is written as the plan, and the solve's plan as Tours.3`."""
    names = [s.name for s in stages if s.name in table.columns]
    values = table.set_index("plan")
    mine = [float(values.at[number, n]) for n in names]
    own = [float(values.at[1, n]) for n in names]
    first = _first_difference(mine, own)
    assert first is not None
    sheet = str(values.at[number, "sheet"])
    return (
        f"plan {number} was better than the solve's plan at {names[first]} "
        f"({_said(mine[first])} against {_said(own[first])}), whose search stopped before its "
        "proof: "
        f"it is written as the plan, and the solve's plan as {sheet}"
    )


def adopt(outcome: SolveOutcome, alt: Alternatives, number: int, table: pd.DataFrame) -> None:
    """Plan `number` becomes the outcome's plan and the solve's plan takes its place among the
    alternatives; stage gaps are recomputed against their bounds (the module's docstring)."""
    assert outcome.x is not None
    n_cols = len(outcome.x)
    chosen = alt.plans[number - 2]
    alt.plans[number - 2] = outcome.x
    outcome.x = chosen[:n_cols].copy()
    if alt.base is not None:
        alt.base = outcome.x
    values = table.set_index("plan")
    for stage in outcome.stages:
        if stage.name not in values.columns or stage.value is None:
            continue
        own, new = float(values.at[1, stage.name]), float(values.at[number, stage.name])
        if stage.gap is not None:  # relative, so the table's units serve as the stage's own
            stage.gap = stage_gap(new, own * (1.0 - float(stage.gap)))
        stage.value = float(stage.value) * new / own if own else new


def _first_difference(values: list[float], own: list[float]) -> int | None:
    for i, (v, o) in enumerate(zip(values, own, strict=True)):
        if abs(v - o) > 1e-9 * max(1.0, abs(o)):
            return i
    return None


def _less(values: list[float], other: list[float]) -> bool:
    first = _first_difference(values, other)
    return first is not None and values[first] < other[first]


def _said(value: float) -> str:
    """93423008.745 as `93,423,008.745`, 146.0 as `146`."""
    return f"{value:,.6f}".rstrip("0").rstrip(".")
