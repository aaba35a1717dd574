"""Compare scenarios: base (the first) against the others, as tables, console lines and
comparison.xlsx with charts.

    from solver import compare
    cmp = compare.compare_files(["outputs/coalition/base.xlsx", "outputs/coalition/us_backstop.xlsx"])
    cmp.overview, cmp.sites, cmp.contributors, cmp.changes
    compare.write_comparison(cmp, "outputs/diff.xlsx")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from ..io.filecheck import is_plan, sheet_names
from .audit import Inputs, audit
from .each_file import audit_each, read_each
from .related import note_sources, note_unrelated
from .replan import is_replan_of, mark_replans, snapshot_replans, take_changes, timed_replans
from .tables import Comparison, compare_views
from .timed_audit import audit_timed
from .timed_tables import TimedComparison, compare_timed
from .timed_views import (
    TimedView,
    is_timed_output,
    mixed_kinds,
    read_timed,
    stale_replan_note,
)
from .unfit_cells import read_fully
from .views import ScenarioView, error_view, from_tables, load_output, read_output
from .workbook import write_comparison

__all__ = [
    "Comparison",
    "ScenarioView",
    "TimedComparison",
    "compare_files",
    "compare_timed_files",
    "compare_views",
    "error_view",
    "from_tables",
    "load_output",
    "unique_labels",
    "write_comparison",
]


def compare_files(paths: list[Path], input_workbook: Path | None = None) -> Comparison:
    """Read output workbooks (base first) and compare them.

    Each output's input workbook (`input_workbook`, else the one its Summary names, where it is
    found) is read with the scenario its Summary names; every figure is then recomputed from the
    Allocation sheet and the plan checked by verify's rules. See `audit`. Timed outputs are
    compared by `compare_timed_files`; timed and snapshot outputs together are a usage error."""
    timed = [is_timed_output(Path(p)) for p in paths]
    if any(timed):
        if all(timed):
            raise UsageError("timed outputs: compare them with compare_timed_files")
        refuse_mixed(paths, timed)
    inputs = Inputs(input_workbook)
    views = read_each([Path(p) for p in paths], lambda path: read_fully(path, inputs, read_output))

    def audit_one(i: int, view: ScenarioView) -> None:
        # a re-plan of the base (its baseline_sha256 is the base's) has the base's locks checked
        replans = i > 0 and is_replan_of(view.summary, Path(paths[0]))
        audit(view, inputs, baseline=Path(paths[0]) if replans else None)

    audit_each(views, audit_one)
    unique_labels(views, [Path(p).stem for p in paths])
    note_unrelated(views)
    note_sources(views, Path(paths[0]))
    found = snapshot_replans([Path(p) for p in paths], views)
    take_changes(views, found)  # the table's changes are the asks' (replan_lines)
    cmp = compare_views(views)
    cmp.replans = found
    mark_replans(cmp.overview, cmp.replans)
    return cmp


def compare_timed_files(paths: list[Path], input_workbook: Path | None = None) -> TimedComparison:
    """Read timed output workbooks (base first) and compare them per period. A plan as solved
    is compared as written (its stage values are the Summary's; `forcegen verify` checks its
    rules). A plan whose Tours were edited after solving is shown as `edited`
    (`timed_views.mark_edited`), its tours as they stand, and its figures recomputed from them
    with its input (`input_workbook`, else the one its Summary names, where it is found), or
    left blank without it (`timed_audit.audit_timed`); an edited re-plan of the base is said to
    be one, its Asks and Changes (the solved re-plan's) left out."""
    timed = [is_timed_output(Path(p)) for p in paths]
    if not all(timed):
        refuse_mixed(paths, timed)
    files = [Path(p) for p in paths]
    inputs = Inputs(input_workbook)
    views = read_each(files, lambda path: read_fully(path, inputs, read_timed))

    def audit_one(i: int, view: TimedView) -> None:
        replans = i > 0 and is_replan_of(view.summary, files[0])
        audit_timed(view, inputs, baseline=files[0] if replans else None)

    audit_each(views, audit_one)
    unique_labels(views, [p.stem for p in files])
    note_unrelated(views)
    note_sources(views, files[0])
    stale = {i for i, v in enumerate(views) if i and v.edited and is_replan_of(v.summary, files[0])}
    for i in sorted(stale):
        views[i].notes.append(stale_replan_note(views[i], files[0]))
    cmp = compare_timed(views)
    kept = [i for i in range(len(views)) if i not in stale]
    cmp.replans = timed_replans([files[i] for i in kept], [views[i] for i in kept])
    mark_replans(cmp.overview, cmp.replans)
    return cmp


def refuse_mixed(paths: list[Path], timed: list[bool]) -> None:
    """Timed outputs given with others: each other one that is no output at all (missing, not
    a workbook, an input workbook) is refused as such first, so that a typo in a file name is
    not called a snapshot output; then the mix of kinds is the error. Only the file and its
    sheets are looked at: a snapshot output's cells do not matter to a mix it cannot join."""
    for path, is_timed in zip(paths, timed, strict=True):
        if is_timed:
            continue
        sheets = sheet_names(Path(path))
        if sheets is None:
            read_output(Path(path))  # missing, or no workbook: the reader says which
        elif not is_plan(sheets):
            raise UsageError(
                f"{Path(path).name}: not an output of forcegen solve or sweep (it has no "
                "Summary and Allocation sheets)"
            )
    raise mixed_kinds(paths, timed)


def unique_labels(views: Sequence[ScenarioView | TimedView], stems: list[str]) -> None:
    """Label each view by its scenario; by file name where scenarios repeat; then numbered."""
    names = [v.name for v in views]
    if len(set(names)) < len(names):
        names = list(stems)
    seen: dict[str, int] = {}
    for view, name in zip(views, names, strict=True):
        seen[name] = seen.get(name, 0) + 1
        view.name = name if seen[name] == 1 else f"{name}#{seen[name]}"
