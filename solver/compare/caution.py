"""The caution a comparison carries when some of its plans were not proven optimal: a limit
(time, work, an interrupt) stopped their search, so a difference between two outputs may be where
a search stopped rather than what a scenario changes. One wording, said on the console under the
overview, in the remark of each such output on the Scenarios sheet, and at the top of the
briefing's comparison (solver/report/compare.py). A plan edited by hand after its solve is
not named: its differences are the edit's (an edit trial read "may come from where the search
stopped" of a plan whose only change was the edit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model.stage_names import stage_records
from ..results.earlier_plan import memory_stage

UNPROVEN = ("feasible", "interrupted")  # a plan a limit stopped before its proof


def search_may_differ(status: object, edited: bool) -> bool:
    """Whether an output's differences may be where its search stopped: a plan a limit stopped
    before its proof, as solved (not edited by hand after: its differences are the edit's)."""
    return status in UNPROVEN and not edited


def unproven_caution(names: Sequence[str]) -> str:
    """`not proven optimal: base, italy_leaves: a difference may come from ...`, naming the
    outputs (by their labels) whose plans are not proven optimal."""
    return (
        f"not proven optimal: {', '.join(names)}: a difference may come from where the search "
        "stopped, not from the scenario (raise the time or work limit)"
    )


def memory_remark(summary: dict[Any, Any]) -> str:
    """`out of memory in stage shortfall.p2: the plan so far, not a whole run's answer (run on
    a machine with more memory to finish)` of an output whose run ran out of memory; ''
    otherwise. Its status is `feasible` (the contract's), and the caution of a limit that
    stopped a search said to raise the limit (a fault trial: a plan of 31% coverage listed
    beside one of 91% with no word of memory)."""
    stage = memory_stage(summary)
    if not stage:
        return ""
    return (
        f"out of memory in stage {stage}: the plan so far, not a whole run's answer (run on a "
        "machine with more memory to finish)"
    )


def cautions(summary: dict[Any, Any], name: str, status: object, edited: bool) -> list[str]:
    """What an output's remark says of its proof: out of memory (`memory_remark`), else the
    search may have stopped (`unproven_caution`), else nothing."""
    if edited:
        return []
    if said := memory_remark(summary):
        return [said]
    return [unproven_caution([name])] if search_may_differ(status, edited) else []


MARK = "~"  # beside a change at a stage one of the two plans did not prove


def unproven_stages(summary: dict[Any, Any]) -> dict[str, str]:
    """Stage name -> `gap 2.13%` (or '' without one) for each stage an output's Summary says
    is not proven (`stage.<name>.status` other than SETTLED)."""
    return {
        r.name: "" if r.gap is None else f"gap {100 * r.gap:.3g}%"
        for r in stage_records(summary)
        if not r.proven
    }


def marked_legend(unproven: dict[str, dict[str, str]]) -> str:
    """What MARK means, with each output's unproven stages: `~ a change at or after a stage
    one of the two plans did not prove: base: cost (gap 2.09%); us_late: shortfall.p3 (gap
    2.13%)` (a later stage was solved holding that one; the colon keeps an output named `a`
    from reading as the article)."""
    said = "; ".join(
        f"{name}: "
        + ", ".join(f"{stage} ({gap})" if gap else stage for stage, gap in stages.items())
        for name, stages in unproven.items()
        if stages
    )
    return f"{MARK} a change at or after a stage one of the two plans did not prove: {said}"


def first_open(summary: dict[Any, Any], status: str, has_plan: bool, stages: Sequence[str]) -> int:
    """The position among `stages` of the first one an output's Summary does not prove (one
    past the last where each is proven): a change there or after may be where a search
    stopped. Without stage statuses, a plan not proven proves none; no plan, nothing to doubt
    (an infeasible output's figures are blank)."""
    if not has_plan:
        return len(stages)
    open_stages = unproven_stages(summary)
    if status in UNPROVEN and not stage_records(summary):
        return 0
    found = [i for i, stage in enumerate(stages) if stage in open_stages]
    return found[0] if found else len(stages)
