"""`--alternatives` around a solved plan, for the API (api.solve): the cost band, the search
(solve/alternatives.py: a snapshot's by its (contributor, site) presence columns, a timed one's
by who is where when) and its tables (results/alternatives.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np
import pandas as pd

from .alternative_adopted import (
    adopt,
    adoptable,
    adopted_text,
    better_alternative,
    first_lower,
    lexicographic_columns,
)
from .data import Data
from .errors import UsageError
from .io.schema import SETTINGS_BY_NAME
from .model.context import BuildContext
from .model.stage_names import SETTLED, stage_key
from .results.alternatives import add_alternative_tables
from .results.tables import Tables
from .solve.alternatives import Alternatives, find_alternatives, find_timed_alternatives
from .solve.highs import LexicographicSolver
from .solve.near_optimal import band_note
from .solve.outcome import SolveOutcome
from .solve_steps import has_settled_plan, note_alternatives_not_searched, read_plan
from .time_plan import TimedPlan
from .wording import joined


def alternatives_within(data: Data, within: float | None) -> float:
    """The cost band of `--alternatives`: the option, else the Settings sheet's."""
    default = SETTINGS_BY_NAME["alternatives_within"].default
    band = float(data.settings.get("alternatives_within", default)) if within is None else within
    if not 0 <= band <= 1:
        raise UsageError(f"within must be a share between 0 and 1 (5% is 0.05), got {band}")
    return band


def searched_alternatives(
    ctx: BuildContext,
    solver: LexicographicSolver,
    outcome: SolveOutcome,
    solved: tuple[Tables, TimedPlan | None],
    asked: tuple[int, float],
    late_stop: bool,
    remade: Callable[[TimedPlan | None], Tables],
    hold: Callable[[], AbstractContextManager[Any]] | None = None,
) -> tuple[Tables, TimedPlan | None]:
    """The alternatives searched after the plan (`asked`: how many, within what share), or
    noted as not searched: a stop came once the plan was in hand (the caller stops), the solve
    ran out of memory (its search needs as much), or the plan is not settled. Returns the
    tables and the timed plan (`solved`: as solved), both made again (`remade(plan)`) where
    the search adopted a better plan, under the caller's `hold` (a stop then is remembered, not
    raised: the outcome holds the adopted plan by then, and a review saw the result lost)."""
    (tables, plan), (alternatives, band) = solved, asked
    data = ctx.data

    def retabulate() -> Tables:  # the plan the search adopted, read and tabulated
        nonlocal plan
        plan = read_plan(ctx, outcome.x) if data.timed else None
        return remade(plan)

    if late_stop:
        note_alternatives_not_searched(tables, alternatives, band)
    elif outcome.out_of_memory is not None:
        note_alternatives_not_searched(tables, alternatives, band, "out of memory")
    elif has_settled_plan(outcome):
        held = hold or nullcontext
        tables = add_alternatives(data, ctx, solver, outcome, tables, asked, retabulate, held)
    return tables, plan


def add_alternatives(
    data: Data,
    ctx: BuildContext,
    solver: LexicographicSolver,
    outcome: SolveOutcome,
    tables: Tables,
    asked: tuple[int, float],
    retabulate: Callable[[], Tables],
    held: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> Tables:
    """Up to `count` other plans (as good at every stage, or inside the cost band `within`),
    added to the tables; where one is better than the plan at a stage its search did not prove,
    it is adopted (alternative_adopted.py) and the tables are made again (`retabulate`, from
    `outcome` as adopted). Returns the tables."""
    assert ctx.pairs is not None and ctx.x is not None and outcome.x is not None
    count, within = asked
    if ctx.timed:  # plans that differ in who is where when
        alt = find_timed_alternatives(solver, ctx, outcome.x, count, within)
    else:
        alt = snapshot_alternatives(ctx, solver, outcome.x, count, within)
    if within > 0 and band_note(outcome):
        alt.message += f"; {band_note(outcome)}"
    with held():  # the search is over: what follows keeps its plans, whatever stop comes
        return _tabulated(data, ctx, outcome, tables, alt, within, retabulate)


def _tabulated(
    data: Data,
    ctx: BuildContext,
    outcome: SolveOutcome,
    tables: Tables,
    alt: Alternatives,
    within: float,
    retabulate: Callable[[], Tables],
) -> Tables:
    """The alternatives added to the tables, a better one adopted (the tables then made again:
    `retabulate`), and the message saying what was found."""
    add_alternative_tables(tables, data, ctx, alt)
    adopted = ""
    table = tables.extra["Alternatives"]
    number = better_alternative(table, outcome.stages) if adoptable(data, within) else None
    if number is not None:
        adopted = adopted_text(table, number, outcome.stages)
        adopt(outcome, alt, number, table)
        tables = retabulate()
        add_alternative_tables(tables, data, ctx, alt)
    unproven = "said" if within > 0 and band_note(outcome) else bool(band_note(outcome))
    cheaper, better = _cheaper(tables, unproven), better_before_cost(tables)
    if cheaper or better or adopted:
        said = alt.message.replace(AS_GOOD, NO_DEARER) if cheaper else alt.message
        if better:  # `as good` is no longer what every one is
            said = said.replace("each as good", "each at least as good")
        if adopted:  # they were held to the solve's plan, not to the plan written
            said = said.replace(
                "as good at every stage", "as good at every stage as the solve's plan"
            )
            adopted += _dearer_than_written(tables)
        said = "; ".join(t for t in (said, adopted, better, cheaper) if t)
        tables.summary = [
            (k, said if k == "alternatives.message" else v) for k, v in tables.summary
        ]
    return tables


def _dearer_than_written(tables: Tables) -> str:
    """After an adoption, what the alternatives cost against the plan written, where any costs
    more: `; against the plan written they cost 1.28% and 1.69% more (cost_above_plan_pct)`.
    They were held to the solve's plan, which the written one beat: `cost within the MIP gap`
    alone read as within 0.01% of the plan written, beside a sheet of 1.28% and 1.69% (a
    README trial)."""
    table = tables.extra.get("Alternatives")
    if table is None or "cost_above_plan_pct" not in table:
        return ""
    above = [float(v) for v in table.loc[table["plan"] != 1, "cost_above_plan_pct"]]
    if not any(v > 1e-9 for v in above):
        return ""
    each = "they cost" if len(above) > 1 else "it costs"
    listed = joined([f"{v:.3g}%" for v in above])
    return f"; against the plan written {each} {listed} more (cost_above_plan_pct)"


def better_before_cost(tables: Tables) -> str:
    """`plan 3 (Tours.3) is better than the plan at shortfall.p2 (145.5 against 146): the
    plan's search stopped before its proof` where an alternative beats the plan at a stage
    before cost ('' where none does). The alternatives are held to the plan's value at each
    stage from above (`_hold_all`): a plan a limit stopped can be beaten there too. Only an
    alternative as good as the plan at every stage before (`first_lower`)."""
    table = tables.extra.get("Alternatives")
    if table is None or not len(table):
        return ""
    plan = table[table["plan"] == 1]
    better = first_lower(table)
    summary = dict(tables.summary)
    for stage in lexicographic_columns(table):
        if stage in ("cost", "presence"):
            break
        own = float(plan[stage].iloc[0])
        below = better[better["stage"] == stage]
        if len(below):
            best = below.loc[below[stage].idxmin()]
            proven = summary.get(stage_key(stage, "status")) in SETTLED
            why = (
                "the plan's stage is optimal within the MIP gap (0 for an exact order)"
                if proven
                else "the plan's search stopped before its proof"
            )
            return (
                f"plan {int(best['plan'])} ({best['sheet']}) is better than the plan at "
                f"{stage} ({float(best[stage]):g} against {own:g}): {why}"
            )
    return ""


# an alternative's message where one costs less than the plan: not `as good at every stage`
AS_GOOD = "each as good at every stage (cost within the MIP gap)"
NO_DEARER = "each as good at every stage before cost, and no dearer (within the MIP gap)"


def _cheaper(tables: Tables, unproven: bool | str) -> str:
    """`plan 3 (Tours.3) costs 0.87% less than the plan, whose cost is not proven optimal`
    (`unproven` True; False: `, within the MIP gap`; "said": nothing more) where an
    alternative costs less than the plan (the holds bound its cost from above only, and a
    plan whose cost stage a limit stopped can be beaten: a trial saw -0.28% and -0.87% said
    as `as good at every stage`), and is as good at every stage before (`first_lower`), ''
    where none does."""
    table = tables.extra.get("Alternatives")
    if table is None or "cost_above_plan_pct" not in table:
        return ""
    better = first_lower(table)
    below = better[(better["stage"] == "cost") & (better["cost_above_plan_pct"] < -1e-9)]
    if not len(below):
        return ""
    best = below.loc[below["cost_above_plan_pct"].idxmin()]
    less = -float(best["cost_above_plan_pct"])
    said = f"plan {int(best['plan'])} ({best['sheet']}) costs {less:.4g}% less than the plan"
    if unproven == "said":  # the message says already that the plan's cost is not proven
        return said
    return said + (", whose cost is not proven optimal" if unproven else ", within the MIP gap")


def snapshot_alternatives(
    ctx: BuildContext, solver: LexicographicSolver, x: np.ndarray, count: int, within: float
) -> Alternatives:
    """A snapshot's search: the presence pattern is its (contributor, site) columns."""
    assert ctx.pairs is not None and ctx.x is not None
    pair_of_x = pd.MultiIndex.from_frame(ctx.pairs[["contributor", "site"]]).get_indexer(
        pd.MultiIndex.from_frame(ctx.x[["contributor", "site"]])
    )
    return find_alternatives(
        solver, ctx.pairs["col"].to_numpy(), pair_of_x, ctx.x["col"].to_numpy(), x, count, within
    )
