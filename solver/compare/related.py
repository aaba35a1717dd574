"""Whether the outputs compared plan the same force: outputs of unrelated workbooks are still
compared (a planner may mean it), with a note that the comparison says little."""

from __future__ import annotations

from collections.abc import Sequence

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
