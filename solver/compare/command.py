"""`forcegen compare`: outputs of forcegen (edited by hand or not) side by side, base first."""

from __future__ import annotations

from pathlib import Path

import click

from ..commands_common import guarded


@click.command("compare")
@click.argument("outputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the comparison workbook (sheets and charts) to this file.",
)
@click.option(
    "--input",
    "input_workbook",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The input workbook: recompute every figure from each Allocation sheet (of a timed "
    "output: from a Tours sheet edited after solving) and check its rules, with the scenario "
    "its Summary names [default: the input each Summary names, next to the output or in "
    "./inputs].",
)
@guarded
def compare_command(
    outputs: tuple[Path, ...], output: Path | None, input_workbook: Path | None
) -> int:
    """Compare output workbooks of solve or sweep: the first is the base.

    \b
    Per scenario: status, every objective stage, coverage, personnel and shortfall per
    priority; per site x capability and per contributor, what each scenario allocates and the
    change against base; the allocation rows that differ. Improvements show green, losses red.
    Allocation sheets are compared as they stand. Whenever the input is found (--input, else
    the input_file of each Summary), every figure is recomputed from the Allocation sheet and
    the plan is checked by verify's rules; a plan edited after solving (found by content) is
    shown as `edited`, and without its input its stage values are left blank.
    An output solved with --baseline BASE, BASE being the first output (its Summary's
    baseline_sha256 is BASE's), is a re-plan of it: the comparison says so and shows what it
    changes and asks of each nation against BASE (sheets Asks and Re-plan changes).
    Timed outputs (a Tours sheet) are compared per period: the lines that gain or lose
    coverage when, the tours added, removed or changed, unit-months short per priority; a plan
    as solved is compared as written (its Summary's stage values; forcegen verify checks a
    timed plan). A timed plan whose Tours were edited after solving (found by content) is
    shown as `edited`, its tours as they stand; with its input (--input, else its Summary's
    input_file) its stage values, coverage and unit-months short are recomputed from its Tours
    and its rules checked, as verify does; without it they are left blank, said not
    recomputed. A timed output with a snapshot one is a usage error.
    An output not proven optimal (a limit stopped its solve) is named under the table and in
    its remark on the Scenarios sheet: a difference may be where its search stopped.
    Exit codes: 0 compared, 2 an unreadable workbook or bad usage.
    """
    from . import compare_files, write_comparison
    from .console import comparison_lines, stage_source
    from .replan import replan_lines

    if output is not None:
        from ..results.overwrite_guard import refuse_overwriting_inputs
        from ..results.safe_write import check_writable

        refuse_overwriting_inputs(
            output,
            [*outputs, *([input_workbook] if input_workbook else [])],
            kind=(".xlsx", "a workbook"),
            keeps_plans=True,
        )
        check_writable(output)
    from .timed_views import is_timed_output

    if any(is_timed_output(p) for p in outputs):
        return compare_timed_command(list(outputs), output, input_workbook)
    cmp = compare_files(list(outputs), input_workbook)
    for line in comparison_lines(cmp):
        click.echo(line)
    for line in replan_lines(cmp.replans):
        click.echo(line)
    click.echo(f"stage values: {stage_source(cmp)}")
    for note in cmp.notes:
        click.echo(f"note: {note}", err=True)
    if output is not None:
        write_comparison(cmp, output)
        click.echo(f"written: {output}")
    return 0


def compare_timed_command(
    outputs: list[Path], output: Path | None, input_workbook: Path | None
) -> int:
    """`forcegen compare` on timed outputs (all timed, or a usage error)."""
    from . import compare_timed_files
    from .replan import replan_lines
    from .timed_output import timed_lines, timed_stage_source, write_timed_comparison

    cmp = compare_timed_files(outputs, input_workbook)
    for line in timed_lines(cmp):
        click.echo(line)
    for line in replan_lines(cmp.replans):
        click.echo(line)
    click.echo(f"stage values: {timed_stage_source(cmp)}")
    if input_workbook is not None and not any(v.edited for v in cmp.views):
        cmp.notes.append(
            "--input is used only for a timed plan whose Tours were edited after solving: "
            "plans as solved are compared as written (forcegen verify checks a timed plan "
            "against its input)"
        )
    for note in cmp.notes:
        click.echo(f"note: {note}", err=True)
    if output is not None:
        write_timed_comparison(cmp, output)
        click.echo(f"written: {output}")
    return 0
