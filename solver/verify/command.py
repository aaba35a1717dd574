"""`forcegen verify`: exit 0 when the allocation holds, 3 when it violates a rule, 2 for invalid
input."""

from __future__ import annotations

from pathlib import Path

import click

from ..commands_common import guarded


@click.command("verify")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("allocation", type=click.Path(path_type=Path))
@click.option(
    "-s",
    "--scenario",
    default=None,
    help="Scenario of the Scenarios sheet to apply [default: the one in ALLOCATION's "
    "Summary, else base].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Also write the findings to this workbook (sheets Violations and Stages).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    default=None,
    help="The earlier output ALLOCATION was re-planned against (its Allocation, or Tours, with "
    "an optional lock column); wins over WORKBOOK's Baseline sheet. Locked rows must be kept, "
    "and the changes stage is recomputed beside the stored one.",
)
@guarded(writes=lambda options: options.get("output") is not None)
def verify_command(
    workbook: Path,
    allocation: Path,
    scenario: str | None,
    output: Path | None,
    baseline: Path | None,
) -> int:
    """Check an edited ALLOCATION against WORKBOOK.

    ALLOCATION is an output workbook whose Allocation sheet may have been edited by hand. Every
    pledge, requirement, hard line, single-source line, site limit and caveat is checked,
    independently of the model, and the objective stages are recomputed beside the stored ones.
    For a timed WORKBOOK (a Periods sheet) the plan is ALLOCATION's Tours sheet: tour windows,
    tour lengths, rotation and dwell, and every rule and caveat in every period. With a baseline
    (--baseline, or WORKBOOK's Baseline sheet) its locked rows must be kept, and the changes
    stage is recomputed beside the stored one, marked `(differs)` like any stage: what a plan
    changes breaks no rule. Each message names the Allocation rows (or, in time, the Tours
    rows) behind it. A plan that holds but scores worse than the stored stages is still valid:
    exit 0, and the result line says at which stage it is worse.
    Exit 0 when the allocation holds, 3 when it violates a rule, 2 for invalid input."""
    from ..results.overwrite_guard import refuse_overwriting_inputs
    from ..results.safe_write import check_writable
    from . import verify_file, write_report
    from .report import text_lines

    refuse_swapped(workbook, allocation)
    if output is not None:
        inputs = [workbook, allocation, *([baseline] if baseline is not None else [])]
        refuse_overwriting_inputs(output, inputs, kind=(".xlsx", "a workbook"), keeps_plans=True)
        check_writable(output)
    report = verify_file(workbook, allocation, scenario, baseline)
    for w in report.warnings:
        click.echo(str(w) if w.level == "warning" else f"warning: {w}", err=True)
    same = allocation.name == workbook.name  # out/plan.xlsx against plan.xlsx: their paths
    plan, given = (str(allocation), str(workbook)) if same else (allocation.name, workbook.name)
    for line in text_lines(report, f"verify {plan} against {given}"):
        click.echo(line)
    if output is not None:
        facts = [("input_file", workbook.name), ("allocation_file", allocation.name)]
        if baseline is not None:
            facts.append(("baseline_file", baseline.name))
        write_report(
            report, output, [workbook, allocation, *([baseline] if baseline else [])], facts
        )
        click.echo(f"written: {output}")
    return report.exit_code


def refuse_swapped(workbook: Path, allocation: Path) -> None:
    """WORKBOOK that is an output of solve (Summary and a plan, no Requirements): a usage
    error that says so, and which order was meant when ALLOCATION is an input workbook."""
    from ..errors import UsageError
    from ..io.filecheck import is_plan, sheet_names

    first, second = sheet_names(workbook), sheet_names(allocation)
    if first is None or not is_plan(first):
        return
    swap = ""
    if second is not None and "requirements" in second:
        swap = f"; did you mean `forcegen verify {allocation} {workbook}`?"
    raise UsageError(
        f"{workbook} is an output of forcegen solve (it has a Summary and a plan, no "
        "Requirements), but verify takes the input workbook first and the output second" + swap
    )
