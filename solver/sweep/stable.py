"""`sweep --stable`: every scenario re-planned with the base plan as its baseline.

Without it each scenario is solved from nothing, and among the many plans that are equally good
for the scenario HiGHS picks one: the comparison then shows a reshuffle that the scenario does
not force. With it, base is solved first and its output is every other scenario's baseline
(`api.solve(..., baseline=base.xlsx)`, replanning.md): after the shortfall stages a scenario
minimises the units changed against base's plan, so what the comparison shows against base is
what the scenario forces (the withdrawn nation's units and who backfills for them), and only
then the cost. Each scenario's output is what `forcegen solve --scenario NAME --baseline
base.xlsx` writes, but for the baseline it records (below).

`--withdraw-each` is stable unless `--no-stable` is given: the question it answers is who
fills in for the nation that leaves, and nothing else should move. A base without a plan
(infeasible, an error) is no baseline: the scenarios are then solved from nothing, and the
sweep says so.

What a scenario's Summary records as its baseline (`baseline_sha256`) is base's output without
its timings: the SHA-256 of every sheet's cell values of base.xlsx, the Summary's timing rows
(`solve_seconds`, `seconds.*`) left out (`output_sha256`). The raw file's SHA-256 (what
`solve --baseline FILE` records for a file given to it) would change with base's solve time
from one run to the next, and with it every scenario's Summary: two sweeps of the same
workbook and settings would then differ beyond their own timing cells, and a pipeline could
not tell a changed plan from a slower machine. The digest identifies what the scenarios were
re-planned against: base's plan, the input workbook (`input_sha256`), the settings and
versions its Summary names, and anything edited in the file since. A `--baseline FILE` given
to the sweep is an input, the same bytes every run: its file SHA-256 is kept, as solve's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator

from openpyxl import load_workbook

from ..io.scenarios import BASE
from .task import BaselineFile, Task, TaskResult

BASE_NOTE = "the baseline of every other scenario (sweep --stable)"
SCENARIO_NOTE = (
    "re-planned with base's plan as its baseline (sweep --stable): the changes against base "
    "are those this scenario forces"
)


TIMING = ("solve_seconds", "seconds.")  # the Summary keys a run's speed decides


def output_sha256(content: bytes) -> str:
    """The digest of an output workbook (its bytes) with its timings left out: what a stable
    sweep's scenarios record as `baseline_sha256` (see the module's docstring).

    Each sheet in workbook order, each of its rows in order as the cells' values read (openpyxl,
    read-only, formulas as written), trailing empty cells dropped and empty rows skipped, is the
    line `json.dumps([sheet title, *values], default=str, ensure_ascii=False)` + LF, except the
    Summary rows whose key (first cell) is `solve_seconds` or starts with `seconds.`; the digest
    is the SHA-256 (hex) of those lines in UTF-8. Two runs that differ only in their timings
    give the same digest; any other cell changed gives another."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    digest = hashlib.sha256()
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                values = list(row)
                while values and values[-1] is None:
                    values.pop()
                if not values:
                    continue
                if sheet.title == "Summary" and str(values[0]).startswith(TIMING):
                    continue
                line = json.dumps([sheet.title, *values], default=str, ensure_ascii=False)
                digest.update(f"{line}\n".encode())
    finally:
        book.close()
    return digest.hexdigest()


def is_stable(stable: bool | None, withdraw_each: bool) -> bool:
    """The flag as given; by default stable exactly with `--withdraw-each`."""
    return withdraw_each if stable is None else stable


def against_base(
    tasks: list[Task], base: TaskResult, base_file: str
) -> tuple[list[Task], str | None]:
    """The scenarios' tasks with base's output as their baseline, and a note when base has
    no plan to be one (the tasks are then returned as they were)."""
    if base.output is None or not base.view.has_plan or base.status == "interrupted":
        return tasks, (
            f"--stable: base has no plan ({base.status}), so the scenarios are solved "
            "without a baseline"
        )
    baseline = BaselineFile(base_file, base.output, output_sha256(base.output))
    return [dataclasses.replace(t, baseline=baseline, note=SCENARIO_NOTE) for t in tasks], None


def batches(
    tasks: list[Task],
    stable: bool,
    results: dict[str, TaskResult],
    base_file: str,
    notes: list[str],
) -> Iterator[list[Task]]:
    """The tasks (base first) in the order they can run: all at once, or (stable) base alone,
    then the others against base's output, read from `results` once base has finished; what
    became of the baseline goes to `notes`."""
    if not stable or len(tasks) == 1:
        yield tasks
        return
    yield tasks[:1]
    base = results.get(BASE)
    if base is None:  # base did not finish (interrupted): nothing else runs
        return
    rest, note = against_base(tasks[1:], base, base_file)
    notes.append(
        note or f"--stable: every other scenario re-planned against base's plan ({base_file})"
    )
    yield rest
