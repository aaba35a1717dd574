"""The console's ranking of withdrawals (`forcegen compare` and `sweep`): those that hurt most,
each change of shortfall marked where a plan behind it was not proven, and what is not ranked
(split from compare/console.py)."""

from __future__ import annotations

import click
import pandas as pd

from ..model.stage_names import is_shortfall, stage_records
from ..wording import count
from .caution import MARK, UNPROVEN
from .console import WORSE, signed
from .noise_floor import base_beaten_lines
from .robustness_where import shortfall_not_optimised
from .tables import DELTA, Comparison
from .views import ScenarioView


def robustness_lines(cmp: Comparison, top: int = 5) -> list[str]:
    """The withdrawals that hurt most, and where; then those not run (or failed), unranked."""
    rb = cmp.robustness
    if rb is None or not len(rb):
        return []
    counted = "unit-months" if cmp.timed else "units"  # a timed sweep's (sweep/timed_view.py)
    lines = [
        click.style(
            f"withdrawals that hurt most (weighted shortfall by priority vs base: {counted} "
            "short times their line's weight, as the objective ranks them; then the lines that "
            f"lose, {counted} allocated base->withdrawal):",
            bold=True,
        )
    ]
    ranked = rb[rb["rank"].notna()]
    unsure = {v.name for v in cmp.views if shortfall_unproven(v)}
    same = pd.Series(
        [_no_shortfall_change(r, cmp.priorities) for _, r in ranked.iterrows()],
        index=ranked.index,
        dtype=bool,
    )
    moved = rb.attrs.get("moves", {})  # per scenario with a plan: (why, losing, gaining)
    unoptimised = {v.name for v in cmp.views if shortfall_not_optimised(v)}

    def ranked_lines(rows: pd.DataFrame) -> list[str]:
        return [_ranked_line(cmp, r, counted, moved, unoptimised) for _, r in rows.iterrows()]

    lines += ranked_lines(ranked[~same].head(top))
    if len(ranked) and same.all():  # the heading would stand over nothing (a review)
        lines.append("  none: no withdrawal changes any priority's shortfall")
    if same.any():  # harm, if any, in cost alone: not among those that hurt most (a trial)
        lines.append(
            f"  no shortfall change, ranked by cost ({count(int(same.sum()), 'withdrawal')}):"
        )
        lines += ranked_lines(ranked[same].head(top))
    unchanged = set(rb.attrs.get("unchanged", []))
    unranked = rb[rb["rank"].isna()]
    if not len(ranked):
        lines.append(f"  nothing to rank: {_why_none_ranked(unranked, unchanged)}")
    why_not = unranked["status"].where(~unranked["scenario"].isin(unchanged), "changes_nothing")
    for status, group in unranked.groupby(why_not, sort=False):
        said = str(status).replace("_", " ")
        lines.append(
            click.style(f"  not ranked, {said} ({count(len(group), 'withdrawal')}): ", fg=WORSE)
            + ", ".join(str(w) for w in group["withdrawn"])
        )
    return (
        lines + _unproven_ranking(cmp.base, ranked, unsure) + base_beaten_lines(rb, cmp.priorities)
    )


def _ranked_line(
    cmp: Comparison, r: pd.Series, counted: str, moved: dict, unoptimised: set[str]
) -> str:
    """`  1. CZE    p1 +2, p2 +0; S1/INF 4->2`: a ranked withdrawal's shortfall against base
    by priority (marked where not proven), `cost +20` where no shortfall changes, and its
    lines losing (up to 4) and how many gain; a plan-less one's why."""
    marked = set(str(r["not_proven"]).split(", "))  # the Robustness sheet's (tables.py)
    deltas = [(p, r[f"{DELTA}objective.shortfall.p{p}"]) for p in cmp.priorities]
    short = ", ".join(f"p{p} {signed(d)}" + (MARK if f"p{p}" in marked else "") for p, d in deltas)
    if _no_shortfall_change(r, cmp.priorities) and pd.notna(r[f"{DELTA}objective.cost"]):
        short += f", cost {signed(r[f'{DELTA}objective.cost'])}"
    if r["scenario"] in moved:  # a plan: its lines losing (up to 4) and how many gain
        why, lost, gained = moved[r["scenario"]]
        shown = [why, *lost[:4]] + ([f"+{len(lost) - 4} more"] if len(lost) > 4 else [])
        where = "; ".join(filter(None, shown)) or f"no line loses {counted}"
        if gained:
            where += f"; {count(len(gained), 'line')} {'gains' if len(gained) == 1 else 'gain'}"
            where += " (Robustness sheet)"
    else:  # solved without a plan: why
        where = str(r["where"] or "")
    mark = " (not optimised)" if r["scenario"] in unoptimised else ""
    return f"  {r['rank']:>2}. {r['withdrawn']:<6} {short}{mark}; {where}"


def _no_shortfall_change(row: pd.Series, priorities: list[int]) -> bool:
    """Whether a ranked withdrawal leaves the shortfall of every priority as in base (a plan
    whose harm, if any, is in cost alone)."""
    deltas = [row[f"{DELTA}objective.shortfall.p{p}"] for p in priorities]
    return all(pd.notna(d) and abs(float(d)) <= 1e-9 for d in deltas)


def _why_none_ranked(unranked: pd.DataFrame, unchanged: set[str]) -> str:
    """Why no withdrawal is ranked: each changes nothing (solved, but its pledges end before
    the period it is withdrawn after), none gave an answer, or some of each."""
    changes_nothing = unranked["scenario"].isin(unchanged)
    if len(unranked) and changes_nothing.all():
        return "no withdrawal changes the plan"
    if changes_nothing.any():
        return "each withdrawal changes nothing or gave no answer"
    return "no withdrawal gave an answer"


def shortfall_unproven(view: ScenarioView) -> bool:
    """Whether a limit stopped the view's search before every shortfall stage was proven (its
    Summary's stage statuses; without them, whether the plan is proven at all): a stage after
    the shortfall (cost, presence) left open does not make its shortfall doubtful."""
    if view.status not in UNPROVEN:
        return False
    stages = [s for s in stage_records(view.summary) if is_shortfall(s.name)]
    return not stages or not all(s.proven for s in stages)


def _unproven_ranking(base: ScenarioView, ranked: pd.DataFrame, unsure: set[str]) -> list[str]:
    """Under the ranking: base and the ranked withdrawals (their changes marked `~`) whose
    shortfall a limit stopped before its proof. Their shortfall may be where the search
    stopped, not what the withdrawal forces (a 10 s sweep of the timed example ranked a
    withdrawal of one medical team +566 at priority 2)."""
    names = ["base"] if base.name in unsure else []
    pairs = zip(ranked["withdrawn"], ranked["scenario"], strict=True)
    names += [str(w) for w, scenario in pairs if scenario in unsure]
    if not names:
        return []
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return [
        click.style(
            f"  not proven optimal: {shown}: a shortfall marked {MARK} (at or after a stage "
            "the withdrawal's plan or base's did not prove) may be where the search stopped, "
            "not what the withdrawal forces (raise --time-limit or --work-limit for a ranking "
            "to trust)",
            fg="yellow",
        )
    ]
