"""The plan an output already holds, when a solve is about to replace it.

`solve -o OUT` with no plan to show for it (no plan within the time limit: exit 4; or Ctrl-C
before the first plan) would write its empty workbook over OUT. When OUT holds a plan solved
from the same workbook (its Summary's `input_sha256` is this input's SHA-256), scenario and
baseline, that plan is still an answer to the question asked, the best one there is: it is
kept, and the run's failure is said on the console instead (README "Exit codes").

A run with a plan replaces OUT as asked; when OUT's plan of the same question was better
(lexicographically, by the stage values its Summary records: a longer run's), the console says
so first, so that a shorter run never replaces a better plan unnoticed. A run interrupted
(Ctrl-C, SIGTERM, in its solve or after it, in its alternatives or caveat prices), or out of
memory in a stage, with a plan no better than OUT's does not replace it: neither was a request
to lose the better plan, or an equal one with its prices and alternatives (fault trials: out of
memory kept a plan of 31% coverage over one of 91%, exit 0; a Ctrl-C in the prices left 1 of 22
rules priced over a file with all 22).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.open_book import open_workbook

if TYPE_CHECKING:
    from ..api import Result


def memory_stage(summary: dict[Any, Any]) -> str:
    """The stage a Summary says ran out of memory (its `stage.<name>.stopped` is `memory`: the
    plan so far kept, the later stages not solved), or ''."""
    from ..model.stage_names import stage_records
    from ..solve.outcome import MEMORY

    return next((s.name for s in stage_records(summary) if s.stopped == MEMORY), "")


INTERRUPTED, OUT_OF_MEMORY = "interrupted", "out of memory"  # `cut_short`'s answers


def cut_short(summary: dict[Any, Any]) -> str:
    """Why a run's plan is no whole run's answer, from its Summary: `interrupted`, `out of
    memory`, or '' (it ran to its end, a time or work limit included)."""
    if summary.get("status") == INTERRUPTED:
        return INTERRUPTED
    return OUT_OF_MEMORY if memory_stage(summary) else ""


def earlier_plan(
    output: Path, input_sha256: str, scenario: str, baseline_sha256: str = ""
) -> dict[Any, Any]:
    """The Summary of the plan `output` holds when it is a forcegen output of the workbook whose
    SHA-256 is `input_sha256`, solved for `scenario` against the same baseline (its Summary's
    `baseline_sha256`, "" for none), with a plan (status optimal or feasible, or interrupted
    with rows in its Allocation); {} for anything else (no such file, another workbook,
    scenario or baseline, no plan, unreadable)."""
    if not (input_sha256 and output.is_file()):
        return {}
    try:
        book = open_workbook(output)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return {}
    try:
        return _plan_summary(book, input_sha256, scenario, baseline_sha256)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return {}
    finally:
        book.close()


def summary_of(path: Path) -> dict[Any, Any]:
    """The Summary sheet of forcegen output `path` as {key: value}; {} when it has none or
    cannot be read."""
    try:
        book = open_workbook(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return {}
    try:
        if "Summary" not in book.sheetnames:
            return {}
        return {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return {}
    finally:
        book.close()


def _plan_summary(book: Any, input_sha256: str, scenario: str, baseline_sha256: str) -> dict:
    if not {"Summary", "Allocation"} <= set(book.sheetnames):
        return {}
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    if summary.get("input_sha256") != input_sha256 or summary.get("scenario") != scenario:
        return {}
    if (summary.get("baseline_sha256") or "") != baseline_sha256:
        return {}
    status = summary.get("status")
    if status == "interrupted":  # stopped before its first plan, or with one
        rows = book["Allocation"].iter_rows(min_row=2, values_only=True)
        return summary if any(any(v is not None for v in row) for row in rows) else {}
    return summary if status in ("optimal", "feasible") else {}


def better_stage(earlier: dict[Any, Any], now: dict[str, Any]) -> tuple[str, float, float] | None:
    """The first stage (in `now`'s lexicographic order, `objective.<stage>`) where the earlier
    Summary's value is lower than `now`'s by more than 1e-6 of it, with the two values, when
    every stage before it is equal; None when the earlier plan is not better."""
    for key, value in now.items():
        before = earlier.get(key)
        if value is None or not isinstance(before, int | float):
            return None
        tolerance = 1e-6 * max(1.0, abs(float(value)))
        if float(before) < float(value) - tolerance:
            return key.removeprefix("objective."), float(before), float(value)
        if float(before) > float(value) + tolerance:
            return None
    return None


def same_question(result: Result, output: Path) -> dict[Any, Any]:
    """The Summary of the plan `output` holds of `result`'s workbook, scenario and baseline
    (`earlier_plan`), {} when none."""
    data = result.data
    baseline = data.baseline.sha256 if data.baseline is not None else ""
    return earlier_plan(output, data.source_sha256, data.scenario, baseline or "")


def earlier_plan_kept(result: Result, output: Path, stopped_after: bool = False) -> str:
    """What `solve` says instead of writing, when `output` holds a plan of the same question
    and `result` has no plan (no plan in time, or stopped before one; an infeasible run's
    answer is always written), or was interrupted with a plan no better (a Ctrl-C is no
    request to replace a longer run's plan, nor its prices and alternatives: the run's plan is
    not written over it); "" to write as usual. `stopped_after`: the run was stopped after its
    plan, in its alternatives or its caveat prices (a fault trial: a Ctrl-C there replaced a
    better plan, and a plan as good with all its prices by one with 1 of 22)."""
    stopped = "interrupted" if result.status == "interrupted" or stopped_after else ""
    if not stopped and result.outcome.out_of_memory is not None:
        stopped = "out of memory"
    if result.status != "no_solution" and not stopped:
        return ""
    earlier = same_question(result, output)
    status = earlier.get("status")
    if not status:
        return ""
    if result.outcome.x is None:
        return (
            f"not written: {output} holds a plan of this workbook and scenario (solved "
            f"{status}), which this run, finding none, would replace; it is kept (give another "
            "-o to keep this run's record too)"
        )
    found = better_stage(earlier, result.stage_values)
    if found is None:
        proves_more = result.status == "optimal" and status != "optimal"
        if not stopped or proves_more or not _as_good(earlier, result.stage_values):
            return ""  # a plan as good that this run proved is written (a review)
        return (
            f"not written: {output} holds a plan of this workbook and scenario as good as this "
            f"{stopped} run's (solved {status}); it is kept (give another -o to keep this "
            "run's plan too)"
        )
    stage, before, now = found
    return (
        f"not written: {output} holds a better plan of this workbook and scenario (solved "
        f"{status}; {stage} {before:,.6g} against {now:,.6g} in this {stopped} run's plan); it "
        "is kept (give another -o to keep this run's plan too)"
    )


def _as_good(earlier: dict[Any, Any], now: dict[str, Any]) -> bool:
    """The earlier Summary records every stage of `now`, and `now` is better at none."""
    recorded = {key: earlier.get(key) for key in now}
    if not all(isinstance(v, int | float) for v in recorded.values()):
        return False
    return better_stage(now, recorded) is None


def better_plan_replaced(result: Result, output: Path) -> str:
    """A warning when `output` holds a better plan of the same question than `result`'s (a
    longer run's): it is replaced as asked, but not unnoticed. "" otherwise."""
    if result.outcome.x is None:
        return ""
    found = better_stage(same_question(result, output), result.stage_values)
    if found is None:
        return ""
    stage, before, now = found
    return (
        f"warning: {output} held a better plan of this workbook and scenario ({stage} "
        f"{before:,.6g} against {now:,.6g} now, a longer run's?); it is replaced as asked: "
        "give another -o to keep both"
    )
