"""The caution a comparison carries when some of its plans were not proven optimal: a limit
(time, work, an interrupt) stopped their search, so a difference between two outputs may be where
a search stopped rather than what a scenario changes. One wording, said on the console under the
overview, in the remark of each such output on the Scenarios sheet, and at the top of the
briefing's comparison (solver/report/compare.py)."""

from __future__ import annotations

from collections.abc import Sequence

UNPROVEN = ("feasible", "interrupted")  # a plan a limit stopped before its proof


def unproven_caution(names: Sequence[str]) -> str:
    """`not proven optimal: base, italy_leaves: a difference may come from ...`, naming the
    outputs (by their labels) whose plans are not proven optimal."""
    return (
        f"not proven optimal: {', '.join(names)}: a difference may come from where the search "
        "stopped, not from the scenario (raise the time or work limit)"
    )
