"""Whether the outputs compared plan the same force: outputs of unrelated workbooks are still
compared (a planner may mean it), with a note that the comparison says little."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .timed_views import TimedView
from .views import ScenarioView


def note_unrelated(views: Sequence[ScenarioView | TimedView]) -> None:
    """Add a note to each output after the first that shares no requirement line (site x
    capability) with the first: a what-if or a scenario of one workbook keeps its lines, an
    output of another workbook does not. Outputs without lines (unreadable) are left alone."""
    base = _lines(views[0])
    if not base:
        return
    for view in views[1:]:
        lines = _lines(view)
        if lines and not lines & base:
            view.notes.append(
                f"{view.name} shares no requirement line (site x capability) with "
                f"{views[0].name}: they look like outputs of unrelated workbooks, so the "
                "comparison says little"
            )


def _lines(view: ScenarioView | TimedView) -> set[tuple[str, str]]:
    table: pd.DataFrame = view.coverage if isinstance(view, TimedView) else view.lines
    if table.empty or not {"site", "capability"} <= set(table.columns):
        return set()
    return {(str(s), str(c)) for s, c in zip(table["site"], table["capability"], strict=True)}


def _two_versions(mine: dict, theirs: dict) -> bool:
    """Whether two Summaries record different contents of their input (a scenario of one
    workbook records the workbook's: a trial edited a requirement between two sweeps into one
    folder, and the edit read as a withdrawal's effect)."""
    a, b = str(mine.get("input_sha256") or ""), str(theirs.get("input_sha256") or "")
    return bool(a and b and a != b)


def note_sources(views: Sequence[ScenarioView | TimedView], base_path: Path) -> None:
    """Say where an output after the first comes from when it is not where the first does:
    another input workbook (a what-if copy: the comparison is of two workbooks, not two
    scenarios of one), and a baseline other than the first output (a re-plan against another
    file: its changes and asks are against that file, and the comparison shows none)."""
    from .replan import is_replan_of

    base = views[0]
    for view in views[1:]:
        mine, theirs = view.summary.get("input_file"), base.summary.get("input_file")
        if mine and theirs and mine != theirs:
            view.notes.append(
                f"{view.name} was solved from {mine}, {base.name} from {theirs}: the "
                "comparison is of two workbooks"
            )
        elif mine and mine == theirs and _two_versions(view.summary, base.summary):
            view.notes.append(
                f"{view.name} and {base.name} were solved from two versions of {mine} (their "
                "input_sha256 differ): a difference may be the workbook's edit, not the "
                "scenario's"
            )
        against = view.summary.get("baseline_file") or "the Baseline sheet of its workbook"
        if view.summary.get("baseline_sha256") and not is_replan_of(view.summary, base_path):
            other = (
                f"another version of {against} (or another file of that name)"
                if against == base_path.name
                else f"{against}, not against {base_path.name}"
            )
            view.notes.append(
                f"{view.name} was re-planned against {other}: its changes and asks are against "
                "that baseline, and are not shown here"
            )
