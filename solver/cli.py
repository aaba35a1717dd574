"""The `forcegen` command line. Exit codes: 0 solved, 1 internal error, 2 invalid input or usage,
3 infeasible, 4 no feasible solution within the time limit, 130 interrupted (Ctrl-C),
143 stopped by SIGTERM."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .commands_common import Share, echo_err, guarded, solver_options
from .errors import SolverFailure, UsageError
from .exit_codes import EXIT_INTERRUPTED, EXIT_OK
from .results.safe_write import file_stem
from .signals import StopSignals
from .wording import count


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="forcegen")
@click.option("-v", "--verbose", is_flag=True, help="Log each build part's time and each stage.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(verbose: bool, debug: bool) -> None:
    """forcegen: allocate nations' pledged contributions to deployment sites, under national
    caveats, with an optimal lexicographic plan (shortfall by priority, then cost, then presence).

    \b
    Typical use:
      forcegen validate inputs/coalition.xlsx
      forcegen solve inputs/coalition.xlsx -o outputs/coalition.xlsx
      forcegen template inputs/new.xlsx
    """
    level = logging.INFO if verbose or debug else logging.WARNING
    # module names help whoever reads a -v log; a planner sees the message alone
    layout = "%(name)s: %(message)s" if verbose or debug else "%(message)s"
    logging.basicConfig(level=level, format=layout, stream=sys.stderr)


def default_output(input_path: Path, scenario: str) -> Path:
    """outputs/<input>[-<scenario>].xlsx. A name that is no safe file name (`a/b` would make a
    folder, `../x` leave outputs/) is made one as a sweep makes it, with the first 6 hex digits
    of its SHA-1 after it, so that `a/b`, `a b` and `a_b` never share an output."""
    if scenario == "base":
        return Path("outputs") / f"{input_path.stem}.xlsx"
    stem = file_stem(scenario)
    if stem != scenario:
        stem += "-" + hashlib.sha1(scenario.encode("utf-8")).hexdigest()[:6]
    return Path("outputs") / f"{input_path.stem}-{stem}.xlsx"


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output workbook [default: outputs/<input name>[-<scenario>].xlsx].",
)
@click.option(
    "-s",
    "--scenario",
    default="base",
    show_default=True,
    help="Scenario of the Scenarios sheet to apply.",
)
@solver_options("for the whole solve")
@click.option("--solver-log", is_flag=True, help="Show HiGHS's own log.")
@click.option(
    "--price-caveats",
    is_flag=True,
    help="Re-solve with each caveat lifted (and each hard requirement softened) and "
    "report what each costs: the CaveatPrices sheet.",
)
@click.option(
    "--alternatives",
    type=click.IntRange(min=0),
    default=0,
    help="Also find up to K other plans as good at every stage (cost within the MIP "
    "gap; with --within, within that cost band) with different presence (in time: who is where when): sheets Allocation.2, ... "
    "(a timed workbook's Tours.2, ...) and Alternatives.",
)
@click.option(
    "--within",
    type=Share(),
    help="With --alternatives: plans whose cost is at most this much above the plan's "
    "(5% or 0.05), shortfall as good, as different as possible in presence "
    "[Settings alternatives_within, else 0: as good at every stage].",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    default=None,
    help="Re-plan against an earlier output FILE (its Allocation, or a timed output's Tours, "
    "with an optional lock column): change as few units as the shortfall allows. Wins over "
    "the workbook's Baseline sheet.",
)
@guarded
def solve(
    workbook: Path,
    output: Path | None,
    scenario: str,
    price_caveats: bool,
    alternatives: int,
    within: float | None,
    **solver_kwargs: Any,
) -> int:
    """Solve WORKBOOK and write the allocation workbook.

    Ctrl-C or SIGTERM keeps the best plan found so far and writes it (exit 130, or 143 for
    SIGTERM); during --price-caveats or --alternatives, what was not done says so. Once the
    status is printed, the plan is written whatever arrives."""
    from .results.overwrite_guard import (
        file_state,
        refuse_overwriting_inputs,
        refuse_replacing_an_edited_plan,
    )
    from .results.safe_write import check_writable

    output = output or default_output(workbook, scenario)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"output {output.name} must be an .xlsx workbook (give -o NAME.xlsx)")
    inputs = [workbook, *([solver_kwargs["baseline"]] if solver_kwargs.get("baseline") else [])]
    refuse_overwriting_inputs(output, inputs)
    check_writable(output)
    refuse_replacing_an_edited_plan(output)
    if within is not None and not alternatives:
        raise UsageError("--within is the cost band of --alternatives K: give --alternatives too")
    found = file_state(output)  # to tell a file another run writes meanwhile
    with StopSignals() as stops:
        return _solve(
            workbook,
            (output, found),
            stops,
            price_caveats,
            alternatives,
            scenario=scenario,
            within=within,
            **solver_kwargs,
        )


def _solve(
    workbook: Path,
    target: tuple[Path, tuple[int, ...] | None],
    stops: StopSignals,
    price_caveats: bool,
    alternatives: int,
    **solver_kwargs: Any,
) -> int:
    """`target`: the output, and its `file_state` when the command started."""
    from . import api
    from .price_step import price_step
    from .results.earlier_plan import better_plan_replaced, earlier_plan_kept
    from .results.output_file import write_output
    from .results.overwrite_guard import (
        file_state,
        refuse_replacing_an_edited_plan,
        written_meanwhile,
    )

    output, found = target

    result = api.solve(
        workbook,
        alternatives=alternatives,
        hold=stops.held,
        checkpoint=stops.check,
        **solver_kwargs,
    )
    with stops.held():  # from the status line on, the plan is written whatever arrives
        _print_result(result, alternatives)
    unfinished = alternatives > 0 and _alternatives_interrupted(result)
    if price_caveats:
        unfinished |= price_step(result, stops)
    # held to the end: a signal just after the plan is written must not say it was not
    with stops.held():
        code, kept = result.exit_code, earlier_plan_kept(result, output, unfinished)
        if kept:
            echo_err(kept)
        else:
            baseline = solver_kwargs.get("baseline")
            try:
                # edited by hand meanwhile: refused before any word of replacing it (a trial)
                refuse_replacing_an_edited_plan(output)
                if (now := file_state(output)) is not None and now != found:
                    echo_err(written_meanwhile(output))
                elif better := better_plan_replaced(result, output):
                    echo_err(better)
                write_output(result, output, [workbook, *([baseline] if baseline else [])])
            except (UsageError, MemoryError) as failed:
                # a full disk, or no memory left to build the workbook: said where the status
                # was, not on stderr only
                lost = "the plan above is in no file; " if result.outcome.x is not None else ""
                click.echo(f"not written: {output} ({lost}see the error)")
                if isinstance(failed, MemoryError):  # not "the model is too large": it was solved
                    raise SolverFailure(
                        f"out of memory while writing {output.name}; run again with more memory "
                        "free (close other programs), or on a machine with more"
                    ) from None
                raise
            click.echo(f"written: {output}")
        if stops.stopped:
            if not kept:
                echo_err(_stopped_note(stops.name, result.status))
            code = stops.exit_code
        elif unfinished:
            code = EXIT_INTERRUPTED
        if result.outcome.abandoned:
            # HiGHS is still inside a cancelled stage in a thread: a normal exit would wait for
            # it or abort in its destructors. The output is written and closed; leave now.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code


def _stopped_note(signal_name: str, status: str) -> str:
    """What a stop did to a plan that is written: cut its search short, or nothing (it came
    once HiGHS had returned: the plan is the whole run's, as its Summary says)."""
    if status == "interrupted":
        return f"stopped by {signal_name}: the plan found so far is written"
    return (
        f"stopped by {signal_name} once the search had ended: the plan is the whole run's "
        f"({status}) and is written"
    )


def _print_result(result: Any, alternatives: int) -> None:
    from .results.console import summary_lines

    for w in result.data.warnings:
        echo_err(str(w))
    for line in summary_lines(result.tables):
        click.echo(line)
    if result.conflict is not None:
        for line in result.conflict.lines():
            click.echo(line)
    if alternatives:
        skipped = f"alternatives not searched: the solve ended {result.status}"
        click.echo(dict(result.tables.summary).get("alternatives.message", skipped))


def _alternatives_interrupted(result: Any) -> bool:
    return dict(result.tables.summary).get("alternatives.status") == "interrupted"


def _names(names: list[str], shown: int = 10) -> str:
    """The first `shown` names, then how many more: a workbook may hold thousands of scenarios."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    default=None,
    help="Also check an earlier output as the baseline of a re-plan of WORKBOOK, as solve "
    "--baseline reads it: its rows and locks against the base case, before any solve.",
)
@guarded(writes=False)
def validate(workbook: Path, baseline: Path | None) -> int:
    """Check WORKBOOK (and each of its scenarios): every problem listed, exit 0 if clean."""
    from . import api
    from .baseline_words import doomed_verdict
    from .commands_common import baseline_warnings
    from .io.baseline_cells import said_with_baseline_file
    from .io.periods import timed_summary
    from .io.scenario_labels import doomed_by_sheet

    with said_with_baseline_file(baseline):  # a refused workbook: the file's own errors too
        data, found = api.check_workbook(workbook)  # read once for every scenario
    warnings = [str(w) for w in found]
    doomed = doomed_by_sheet(found, data.scenarios)
    if baseline is not None:
        said, doomed = baseline_warnings(workbook, data, baseline)  # the file sets the sheet aside
        warnings += said
    for w in warnings:
        echo_err(w)

    timed = f"{timed_summary(data)}; " if data.timed else ""
    click.echo(
        f"{workbook.name}: valid ({timed}{count(len(data.contributors), 'contributor')}, "
        f"{count(len(data.sites), 'site')}, {count(len(data.capabilities), 'capability')}, "
        f"{count(len(data.requirements), 'requirement')}, {count(len(data.pledges), 'pledge')}, "
        f"{count(len(data.caveats), 'caveat')}, "
        f"scenarios: {_names(['base', *data.scenarios])}; {count(len(warnings), 'warning')})"
        + doomed_verdict(doomed, every=baseline is None and bool(data.scenarios))
    )
    return EXIT_OK


@main.command()
@click.argument("output", type=click.Path(path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help=(
        "Overwrite OUTPUT if it is a forcegen output (not a plan edited by hand), or a "
        "template nobody has filled in."
    ),
)
@guarded
def template(output: Path, force: bool) -> int:
    """Write an empty workbook with every sheet and column of the contract, those of time
    too: rows on its Periods sheet make the workbook timed (a Profile, tours and windows then
    apply); without them it is a snapshot."""
    from .io.template import TEMPLATE_CREATOR, is_blank_template, template_workbook
    from .results.overwrite_guard import refuse_overwriting_inputs, refuse_replacing_an_edited_plan
    from .results.safe_write import atomic_write
    from .results.writer import OUTPUT_CREATOR, workbook_bytes

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output.name}: the template is an .xlsx workbook; give NAME.xlsx")
    if output.exists() and not force:
        raise UsageError(
            f"{output} exists: choose another name, or move it away first (a template may since "
            "hold a planner's data; --force replaces only a forcegen output that is no plan edited by "
            "hand, or a blank template)"
        )
    blank = output.exists() and is_blank_template(output)
    refuse_overwriting_inputs(
        output, [], replaceable=(OUTPUT_CREATOR, *((TEMPLATE_CREATOR,) if blank else ()))
    )
    # a planner's work, even with --force
    refuse_replacing_an_edited_plan(output, "writing a template over it", "another name")
    atomic_write(output, workbook_bytes(template_workbook()))
    click.echo(f"written: {output}")
    return EXIT_OK


def _register_commands() -> None:
    """Commands that live in their own packages, registered in one place."""
    from .check.command import check_command
    from .compare.command import compare_command
    from .generate_command import generate_command
    from .report.command import report_command
    from .sweep.command import sweep_command
    from .verify.command import verify_command

    for command in (
        verify_command,
        generate_command,
        check_command,
        report_command,
        sweep_command,
        compare_command,
    ):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
