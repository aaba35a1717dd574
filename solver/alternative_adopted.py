"""An alternative better than the plan, where the plan's search stopped before its proof, becomes
the plan written (an analyst trial: a timed `--alternatives 2 --work-limit 15` found a plan 1.66%
cheaper, equal at every other stage, which `verify` confirmed, while the Summary, the Dashboard,
`compare` and the briefing all read the dearer one).

With the stages in the solve's order and v_j(P) plan P's value at stage j, alternative A is
better than the plan P0 when, at the first stage d with |v_d(A) - v_d(P0)| > tol_d,

    v_d(A) < v_d(P0),    the plan's stage d is not proven (status not optimal/skipped),
    and v_j(A) <= v_j(P0) + tol_j at every later stage j

(tol_j = 1e-9 max(1, |v_j(P0)|)). Of several, the lexicographically least is adopted. Where the
plan's stage d is proven, A differs within the MIP gap the planner accepted, and the plan stays:
the one `solve` without `--alternatives` gives (the message says so, alternatives_search.py).
So it does where A is worse at a later stage, which the holds allow for cost (within the MIP
gap, `_hold_all`): a later stage proven of P0 might not be of A (a review).

Adopting A: the outcome's column values become A's and A's place among the alternatives is
taken by the solve's plan; each stage keeps its status, and its gap is recomputed against the
bound the stage proved, bound = v_j(P0)(1 - gap_j), as (v_j(A) - bound) / v_j(A)
(solve/outcome.py `stage_gap`). A later stage j proven optimal stays proven: P0 was optimal
there over the plans no worse than P0 at every earlier stage (cost within the MIP gap of P0's);
A's own such plans, no worse than A before j, are among them, since A is no worse than P0 at
any stage; A is one of them and no worse than P0 at j, so v_j(A) = v_j(P0), their optimum.

Not in a timed re-plan: its tours are read to keep the baseline's rotations (solve/
baseline_cuts.py), with HiGHS holding the plan's model, which the search has since changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .data import Data
from .model.stage_names import SETTLED, is_shortfall, priority_of
from .solve.alternatives import Alternatives
from .solve.outcome import SolveOutcome, StageResult, stage_gap


def better_alternative(table: pd.DataFrame, stages: Sequence[StageResult]) -> int | None:
    """The plan number (2, 3, ...) of the alternative to adopt, per the module's rule; None
    where none is better at a stage the plan did not prove and no worse at any other."""
    proven = {s.name: s.status in SETTLED for s in stages}
    columns = lexicographic_columns(table)
    plan = table[table["plan"] == 1]
    if not len(plan) or not columns:
        return None
    own = [float(plan[c].iloc[0]) for c in columns]
    best: tuple[list[float], int] | None = None
    for row in first_lower(table).to_dict("records"):
        values = [float(row[c]) for c in columns]
        if proven.get(row["stage"], False):
            continue
        if any(v > o + 1e-9 * max(1.0, abs(o)) for v, o in zip(values, own, strict=True)):
            continue  # worse at a later stage: not adopted (the module's docstring)
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
    status = {s.name: s.status for s in stages}[names[first]]
    return (
        f"plan {number} was better than the solve's plan at {names[first]} "
        f"({_said(mine[first])} against {_said(own[first])}), {UNPROVEN_SAID.get(status, ANY)}: "
        f"{ADOPTED} {sheet}"
    )


# how the message says an adoption, which the briefing reads (report/html.py)
ADOPTED = "it is written as the plan, and the solve's plan as"
# why the solve's plan could be beaten at a stage, by the stage's status (a review: a stage the
# search never reached was said stopped before its proof)
ANY = "whose search stopped before its proof"
UNPROVEN_SAID = {
    "not_solved": "a stage the solve's search stopped before",
    "heuristic": "where the solve kept the construction heuristic's plan",
}


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


def lexicographic_columns(table: pd.DataFrame) -> list[str]:
    """The Alternatives sheet's stage columns in the solve's order: shortfall.pN by N, then
    changes, cost and presence (the sheet lists changes last)."""
    shortfall = sorted((str(c) for c in table.columns if is_shortfall(str(c))), key=priority_of)
    return shortfall + [c for c in ("changes", "cost", "presence") if c in table.columns]


def first_lower(table: pd.DataFrame) -> pd.DataFrame:
    """The alternatives better than plan 1, each with the first stage where it differs from
    plan 1 (`stage`), where it is lower: a plan better there is lexicographically better
    whatever its later stages. One worse at an earlier stage is not among them, however low it
    is later: after an adoption, alternatives held to the solve's plan may be (a review)."""
    columns = lexicographic_columns(table)
    plan = table[table["plan"] == 1]
    if not len(plan) or not columns:
        return table.iloc[0:0].assign(stage=pd.Series(dtype=object))
    own = [float(plan[c].iloc[0]) for c in columns]
    keep, stages = [], []
    for i, row in enumerate(table.to_dict("records")):
        values = [float(row[c]) for c in columns]
        first = _first_difference(values, own)
        if row["plan"] != 1 and first is not None and values[first] < own[first]:
            keep.append(i)
            stages.append(columns[first])
    return table.iloc[keep].assign(stage=stages)


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
