"""The output workbook written to its file: refused over an input, over a workbook forcegen did
not write, over the baseline a re-plan was made against, or over a plan edited by hand; else
written atomically (results/safe_write.py). `api.write` adds the earlier plan's keeping
(results/earlier_plan.py); the command line says that itself, in its own words, first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..baseline import Baseline
from ..errors import UsageError
from .digest import allocation_digest, baseline_sha256s, tours_digest
from .overwrite_guard import refuse_overwriting_inputs, refuse_replacing_an_edited_plan
from .report import output_sheets
from .safe_write import atomic_write
from .writer import build_workbook, workbook_bytes

if TYPE_CHECKING:
    from ..api import Result


def write_output(result: Result, output: Path, inputs: Sequence[str | Path] = ()) -> Path:
    """Write `result`'s output workbook at `output` (see the module)."""
    refuse_overwriting_inputs(
        output, [Path(p) for p in inputs], kind=(".xlsx", "an output workbook")
    )
    refuse_overwriting_the_baseline(output, result.data.baseline)
    refuse_replacing_an_edited_plan(output)
    data = workbook_bytes(build_workbook(output_sheets(result.tables)))
    atomic_write(output, data)
    return output


def refuse_a_plan_changed_after_solving(result: Result) -> None:
    """A Result whose plan (its Allocation, in time its Tours) was changed in Python after
    solving no longer agrees with its other sheets (Summary, Coverage, Dashboard): written, it
    read `optimal`, 107 units, beside an Allocation of 99 units at one site (an API trial), and
    compare then called it edited by hand. The plan's digests the Summary recorded when it was
    solved (`allocation_sha256`, `tours_sha256`) tell it. `api.write`'s: the command line and
    a sweep write the Result as tabulated."""
    tables = result.tables
    summary = dict(tables.summary)
    changed = []
    recorded_allocation = summary.get("allocation_sha256")
    if recorded_allocation and allocation_digest(tables.allocation) != recorded_allocation:
        changed.append("allocation")
    tours, recorded_tours = tables.timed.get("Tours"), summary.get("tours_sha256")
    if tours is not None and recorded_tours and tours_digest(tours) != recorded_tours:
        changed.append("Tours")
    if changed:
        raise UsageError(
            f"the result's {' and '.join(changed)} changed after solving, and its other sheets "
            "(Summary, Coverage, Dashboard) still describe the plan as solved: write refuses a "
            "plan they do not describe; write the Result as solved and edit the output "
            "workbook (verify then checks the edit), or change the Data and solve again"
        )


def refuse_overwriting_the_baseline(output: Path, baseline: Baseline | None) -> None:
    """A re-plan written over the earlier output it was re-planned against (read by its
    content: `--baseline` reads a file the Result no longer names) would lose that plan: the
    command line refuses it as an input of the command, and so does `write`."""
    if baseline is None or not baseline.sha256 or not output.is_file():
        return
    if baseline.sha256 in baseline_sha256s(output):
        raise UsageError(
            f"output {output.name} is the baseline this result was re-planned against "
            f"({baseline.file}); choose another output path"
        )
