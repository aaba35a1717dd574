"""Compare scenarios: base (the first) against the others, as tables, console lines and
comparison.xlsx with charts.

    from solver import compare
    cmp = compare.compare_files(["outputs/coalition/base.xlsx", "outputs/coalition/us_backstop.xlsx"])
    cmp.overview, cmp.sites, cmp.contributors, cmp.changes
    compare.write_comparison(cmp, "outputs/diff.xlsx")
"""

from __future__ import annotations

from pathlib import Path

from ..data import Data
from .tables import Comparison, compare_views
from .views import ScenarioView, error_view, from_tables, load_output, read_output, settle
from .workbook import write_comparison

__all__ = [
    "Comparison",
    "ScenarioView",
    "compare_files",
    "compare_views",
    "error_view",
    "from_tables",
    "load_output",
    "unique_labels",
    "write_comparison",
]


def compare_files(paths: list[Path], input_workbook: Path | None = None) -> Comparison:
    """Read output workbooks (base first) and compare them. With `input_workbook`, every stage
    is recomputed from each Allocation sheet with the input (and the scenario its Summary names)."""
    views = []
    for path in paths:
        view = read_output(Path(path))
        data = None if input_workbook is None else _input_for(view, Path(input_workbook))
        settle(view, data)
        views.append(view)
    unique_labels(views, [Path(p).stem for p in paths])
    return compare_views(views)


def unique_labels(views: list[ScenarioView], stems: list[str]) -> None:
    """Label each view by its scenario; by file name where scenarios repeat; then numbered."""
    names = [v.name for v in views]
    if len(set(names)) < len(names):
        names = list(stems)
    seen: dict[str, int] = {}
    for view, name in zip(views, names, strict=True):
        seen[name] = seen.get(name, 0) + 1
        view.name = name if seen[name] == 1 else f"{name}#{seen[name]}"


def _input_for(view: ScenarioView, workbook: Path) -> Data:
    """The input with the scenario the output was solved for (a generated `withdraw_<CODE>`
    too); base, with a note, when the input does not define it."""
    from ..sweep.scenarios import known_scenario, read_scenario

    scenario = str(view.summary.get("scenario") or "base")
    if not known_scenario(workbook, scenario):
        view.notes.append(
            f"{Path(view.source).name} was solved for scenario '{scenario}', which "
            f"{workbook.name} does not define: recomputed against base"
        )
        scenario = "base"
    return read_scenario(workbook, scenario)
