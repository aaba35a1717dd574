"""`sweep --stable`: every scenario re-planned with the base plan as its baseline.

Without it each scenario is solved from nothing, and among the many plans that are equally good
for the scenario HiGHS picks one: the comparison then shows a reshuffle that the scenario does
not force. With it, base is solved first and its output is every other scenario's baseline
(`api.solve(..., baseline=base.xlsx)`, replanning.md): after the shortfall stages a scenario
minimises the units changed against base's plan, so what the comparison shows against base is
what the scenario forces (the withdrawn nation's units and who backfills for them), and only
then the cost. Each scenario's output is what `forcegen solve --scenario NAME --baseline
base.xlsx` writes, but for the baseline it records (below).

`--withdraw-each`, and `--withdraw` without `--baseline FILE`, are stable unless `--no-stable`
is given: the question they answer is who fills in for the nation that leaves, and nothing
else should move. A base without a plan
(infeasible, an error) is no baseline: the scenarios are then solved from nothing, and the
sweep says so. A base with a plan whose file could not be written is still the baseline, and
the sweep says the file is missing.

What a scenario's Summary records as its baseline (`baseline_sha256`) is base's output without
its timings: the SHA-256 of every sheet's cell values of base.xlsx, the Summary's timing rows
(`solve_seconds`, `seconds.*`) left out (`results.digest.output_sha256`), the value `solve
--baseline base.xlsx` records too (`io.baseline_input.read_baseline`), so `compare` and `report`
see each scenario as a re-plan of base.xlsx and `verify --baseline base.xlsx` checks it without a
warning. The raw file's SHA-256 would change with base's solve time from one run to the next,
and with it every scenario's Summary: two sweeps of the same workbook and settings would then
differ beyond their own timing cells, and a pipeline could not tell a changed plan from a slower
machine. The digest identifies what the scenarios were re-planned against: base's plan, the
input workbook (`input_sha256`), the settings and versions its Summary names, and anything
edited in the file since. A `--baseline FILE` given to the sweep is read as solve reads it, and
records the same digest of FILE.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..io.scenarios import BASE
from ..results.earlier_plan import memory_stage
from .stable_note import SCENARIO_NOTE
from .task import BaselineFile, Task, TaskResult

BASE_NOTE = "the baseline of every other scenario (sweep --stable)"


def is_stable(stable: bool | None, withdraws: bool) -> bool:
    """The flag as given; by default stable exactly when the sweep withdraws nations
    (`--withdraw-each` or `--withdraw`): the question is who backfills, and against a fresh
    optimum the comparison showed other nations' swaps and a cost no withdrawal caused."""
    return withdraws if stable is None else stable


def against_base(
    tasks: list[Task], base: TaskResult, base_file: str
) -> tuple[list[Task], str | None]:
    """The scenarios' tasks with base's output as their baseline, and a note when base has
    no plan to be one (the tasks are then returned as they were)."""
    if base.output is None or not base.view.has_plan:
        # an error's own words: a full disk in the worker's scratch folder is no missing plan
        # (a fault trial read `base has no plan (error)` of a base solved optimal)
        why = f"{base.status}: {base.view.error}" if base.view.error else base.status
        return tasks, (
            f"--stable: base has no plan to re-plan against ({why}), so the scenarios are "
            "solved without a baseline"
        )
    # its plan so far is written, but no whole run's: no baseline for the others either
    stopped = "was stopped" if base.status == "interrupted" else ""
    if stage := memory_stage(base.summary):
        stopped = f"ran out of memory in stage {stage}"
    if stopped:
        return tasks, (
            f"--stable: base {stopped} before it finished, so the scenarios are solved "
            "without a baseline"
        )
    baseline = BaselineFile(base_file, base.output)
    # base's plan: what a withdrawal makes of it is the point, not something to warn of
    return [
        dataclasses.replace(t, baseline=baseline, note=SCENARIO_NOTE, baseline_warnings=False)
        for t in tasks
    ], None


def batches(
    tasks: list[Task],
    stable: bool,
    solved: dict[str, TaskResult],
    results: dict[str, TaskResult],
    base_file: str,
    notes: list[str],
) -> Iterator[list[Task]]:
    """The tasks (base first) in the order they can run: all at once, or (stable) base alone,
    then the others against base's output, read from `solved` (each result as it came back)
    once base has finished; what became of the baseline goes to `notes`. When base's output
    could not be written (`results` holds its error instead: a full disk, a locked file), its
    plan is still the scenarios' baseline: the question is what each forces against base's
    plan, which was solved, and the note says the file is missing."""
    if not stable or len(tasks) == 1:
        yield tasks
        return
    yield tasks[:1]
    base = solved.get(BASE)
    if base is None:  # base did not finish (interrupted): nothing else runs
        return
    rest, note = against_base(tasks[1:], base, base_file)
    if note is None and results.get(BASE) is not base:
        note = (
            f"--stable: every other scenario re-planned against base's plan, though {base_file} "
            "could not be written (base's line says why): their baseline_sha256 names that plan"
        )
    notes.append(
        note or f"--stable: every other scenario re-planned against base's plan ({base_file})"
    )
    yield rest
