"""The Robustness sheet's `where`: why a withdrawal's plan can be better than base's, the lines
that lose units against base, and those that gain (solver/compare/tables.py `robustness`)."""

from __future__ import annotations

import pandas as pd

from ..caveats import KINDS
from ..io.withdrawals import CHANGES_NOTHING, nothing_said, parse_name
from ..model.stage_names import is_shortfall, priority_of, stage_records
from .views import ScenarioView

# said of a withdrawal whose plan is better than base's at the first stage where they differ.
# A whole withdrawal takes the nation's pledges away but also its caveats (those that bind
# beyond its own units, `CaveatKind.beyond_own_units`: its no_weakening made its home lines
# hard), and others' not_with caveats naming it stop mattering; a withdrawal from a period on
# does so from that period (io/withdrawals.py). Base "optimal" is optimal within the MIP gap,
# so a difference within it says nothing; a base not proven, or edited by hand, may simply not
# be the best plan.
LIFTED = "; ".join(
    f"its {name} {kind.beyond_own_units}" for name, kind in KINDS.items() if kind.beyond_own_units
)
BETTER_THAN_BASE = (
    f"better than base: the withdrawal also lifts the nation's caveats ({LIFTED}), or the plans "
    "differ within the MIP gap"
)
BETTER_THAN_UNPROVEN = (
    "better than base: the withdrawal also lifts the nation's caveats, or base's plan is not "
    "optimal (not proven: raise the time or work limit)"
)
BETTER_FROM_A_PERIOD = (
    f"better than base: from that period on the withdrawal also lifts the nation's caveats "
    f"({LIFTED}), or the plans differ within the MIP gap"
)
BETTER_FROM_A_PERIOD_UNPROVEN = (
    "better than base: from that period on the withdrawal also lifts the nation's caveats, or "
    "base's plan is not optimal (not proven: raise the time or work limit)"
)
BETTER_THAN_EDITED = "better than base, whose plan was edited by hand"
NOT_OPTIMISED = (
    "not optimised: the search stopped before its shortfall {stages} ran, so its shortfall "
    "{where}is its start's (raise the time or work limit)"
)
CHANGES_UNPROVEN = (
    "changes not proven the fewest (stage changes {status}): some of the moves below may be the "
    "search's, not the withdrawal's (raise the time or work limit)"
)
SETTLED_PLANS = ("optimal",)  # a base whose every stage is proven


def changes_nothing(view: ScenarioView) -> str:
    """The generated withdrawal's note when it says the withdrawal changes nothing (a nation
    leaving after a period none of its pledges runs past): '' otherwise. Its plan differs from
    base's only where their searches stopped, so a rank would read that as the withdrawal's
    harm, or as a gain (a trial: two such withdrawals ranked p3 -132)."""
    for key, value in view.summary.items():
        said = nothing_said(str(value)) if str(key).startswith("note.") else None
        if said is not None:
            return f"{CHANGES_NOTHING} ({said}): not ranked"
    return ""


def shortfall_not_optimised(view: ScenarioView) -> bool:
    """Whether the search stopped before one of the view's shortfall stages ran (`not_solved`):
    its shortfall there is its start's (the construction heuristic's plan, or its baseline's),
    not a search's (a trial saw a re-plan whose start took the whole work limit ranked second
    by a +322 that no stage had tried to lower). A view without a plan (infeasible) has no
    shortfall to doubt: its stages were not solved because there is no plan, and its line says
    so (`no plan (infeasible)`), not `(not optimised)`."""
    if not view.has_plan:
        return False
    return any(
        s.status == "not_solved" for s in stage_records(view.summary) if is_shortfall(s.name)
    )


def changes_unproven(view: ScenarioView) -> str:
    """CHANGES_UNPROVEN where the view re-planned from base (a stable sweep's withdrawal, whose
    `changes` stage keeps the moves to those the withdrawal forces) and that stage is not
    proven: its moves then include the search's (a review: the `where` of such a scenario
    listed them as the withdrawal's). '' otherwise, and for a view without a plan."""
    if not view.has_plan:
        return ""
    changes = [s for s in stage_records(view.summary) if s.name == "changes"]
    if not changes or changes[0].proven:
        return ""
    return CHANGES_UNPROVEN.format(status=changes[0].status)


def not_optimised(view: ScenarioView) -> str:
    """NOT_OPTIMISED naming the shortfall stages the search stopped before (`not_solved`), ''
    where there is none (`shortfall_not_optimised`): `... before its shortfall stages p2, p3
    ran, so its shortfall there is its start's` (an analyst trial: the words said no shortfall
    stage had run beside a p1 the search had run)."""
    if not shortfall_not_optimised(view):
        return ""
    names = [
        f"p{priority_of(s.name)}"
        for s in stage_records(view.summary)
        if is_shortfall(s.name) and s.status == "not_solved"
    ]
    every = len(names) == sum(is_shortfall(s.name) for s in stage_records(view.summary))
    stages = ("stage " if len(names) == 1 else "stages ") + ", ".join(names)
    return NOT_OPTIMISED.format(stages=stages, where="" if every else "there ")


def better_than_base(base: ScenarioView, name: str) -> str:
    """Why a withdrawal can be better than base (see above)."""
    if base.edited:
        return BETTER_THAN_EDITED
    proven = base.status in SETTLED_PLANS
    withdrawal = parse_name(name)
    if withdrawal is not None and withdrawal.after is not None:
        return BETTER_FROM_A_PERIOD if proven else BETTER_FROM_A_PERIOD_UNPROVEN
    return BETTER_THAN_BASE if proven else BETTER_THAN_UNPROVEN


def better(deltas: tuple[float, ...]) -> bool:
    """Stage deltas (withdrawal - base) that make the withdrawal lexicographically better."""
    first = next((d for d in deltas if abs(d) > 1e-9), 0.0)
    return first < 0


def line_priority(view: ScenarioView) -> pd.Series:
    """Each requirement line's priority (site, capability) in the view."""
    key = pd.MultiIndex.from_frame(view.lines[["site", "capability"]].astype(object))
    return pd.Series(pd.to_numeric(view.lines["priority"], errors="coerce").to_numpy(), index=key)


def moves(
    base: pd.Series, now: pd.Series, priority: pd.Series | None = None
) -> tuple[list[str], list[str]]:
    """(['Kyiv/AD_BTY 2->1', ...], ['Lviv/INF_BN 0->1', ...]): the lines with fewer units than
    in base, and those with more, each by `priority` (per site and capability; the most
    important first), then the largest change, then name: the first few are what a console
    shows (a trial's sweep listed a priority-3 line's loss first and hid three priority-1
    losses behind `+12 more`). A withdrawal can move units between lines (in time, a unit's
    months), and the losses alone would read as pure harm."""
    now = now.groupby(level=[0, 1]).sum()
    base = base.groupby(level=[0, 1]).sum()
    both = pd.concat([base.rename("base"), now.rename("now")], axis=1).fillna(0).astype("int64")
    rank = priority.groupby(level=[0, 1]).min() if priority is not None else None
    both["priority"] = rank.reindex(both.index).fillna(float("inf")) if rank is not None else 0
    both["change"] = -(both["now"] - both["base"]).abs()
    both = both.sort_values(["priority", "change"], kind="mergesort")  # names already sorted

    def said(rows: pd.DataFrame) -> list[str]:
        return [f"{s}/{k} {int(r.base)}->{int(r.now)}" for (s, k), r in rows.iterrows()]

    return said(both[both["now"] < both["base"]]), said(both[both["now"] > both["base"]])


def where_text(why: str, lost: list[str], gained: list[str]) -> str:
    """The Robustness sheet's `where`: why a withdrawal can be better than base, the lines
    that lose, then those that gain ('gains elsewhere: ...' after losses, else 'gains: ...')."""
    gains = ("gains elsewhere: " if lost else "gains: ") + ", ".join(gained) if gained else ""
    return "; ".join(filter(None, [why, *lost, gains]))
