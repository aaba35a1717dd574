"""The note a stable sweep's scenario carries (sweep/stable.py), as solved."""

from __future__ import annotations

from ..model.stage_names import is_shortfall, stage_records
from ..outputs.load import PLAN_STATUSES
from ..results.earlier_plan import INTERRUPTED, OUT_OF_MEMORY, cut_short

SCENARIO_NOTE = (
    "re-planned with base's plan as its baseline (sweep --stable): the changes against base "
    "are those this scenario forces"
)


def scenario_note(note: str, summary: dict) -> str:
    """A scenario's note as solved: SCENARIO_NOTE says that the changes are those the scenario
    forces, which holds only where the stages up to `changes` are proven; otherwise it says
    which is not (a trial: at a work limit of 20 an Italy withdrawal changed 302 rows before
    Italy left, under that note). A scenario interrupted, or out of memory, with a plan is
    doubted alike, saying so rather than to raise a limit (a fault trial: an interrupted
    re-plan's 344 unit-months of changes, 72 in a whole run, were said to be those forced)."""
    if note != SCENARIO_NOTE or not _has_plan(summary):
        return note  # no plan (infeasible, none found, stopped first): no changes to doubt
    unproven = []
    for stage in stage_records(summary):
        if (is_shortfall(stage.name) or stage.name == "changes") and not stage.proven:
            said = "" if stage.gap is None else f" (gap {100 * stage.gap:.3g}%)"
            unproven.append(f"{stage.name}{said}")
        if stage.name == "changes":
            break
    if not unproven:
        return note
    why = {INTERRUPTED: "it was interrupted", OUT_OF_MEMORY: "it ran out of memory"}
    return (
        "re-planned with base's plan as its baseline (sweep --stable), but "
        f"{', '.join(unproven)} {'is' if len(unproven) == 1 else 'are'} not proven: some "
        "changes against base may be the search's, not the scenario's "
        f"({why.get(cut_short(summary), 'raise the work or time limit')})"
    )


def _has_plan(summary: dict) -> bool:
    """A plan came back: a status with one, and the stages' values (a run interrupted before
    any plan has the status `interrupted` and no values: a review saw its `changes` doubted)."""
    if summary.get("status") not in PLAN_STATUSES:
        return False
    values = [v for k, v in summary.items() if str(k).startswith("objective.")]
    return any(isinstance(v, int | float) and v == v for v in values)
