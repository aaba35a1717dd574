"""The `forcegen` command line. Exit codes: 0 solved, 1 internal error, 2 invalid input or usage,
3 infeasible, 4 no feasible solution within the time limit, 130 interrupted."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .commands_common import EXIT_OK, echo_err, guarded, solver_options
from .errors import UsageError


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
    logging.basicConfig(level=level, format="%(name)s: %(message)s", stream=sys.stderr)


def default_output(input_path: Path, scenario: str) -> Path:
    suffix = "" if scenario == "base" else f"-{scenario}"
    return Path("outputs") / f"{input_path.stem}{suffix}.xlsx"


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
    "gap) with different presence: sheets Allocation.2, ... and Alternatives.",
)
@guarded
def solve(
    workbook: Path,
    output: Path | None,
    scenario: str,
    time_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    seed: int | None,
    backend: str,
    solver_log: bool,
    price_caveats: bool,
    alternatives: int,
) -> int:
    """Solve WORKBOOK and write the allocation workbook."""
    from . import api
    from .results.console import summary_lines
    from .results.writer import refuse_overwriting_inputs

    output = output or default_output(workbook, scenario)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"output {output.name} must be an .xlsx workbook (give -o NAME.xlsx)")
    refuse_overwriting_inputs(output, [workbook])
    result = api.solve(
        workbook,
        scenario=scenario,
        backend=backend,
        time_limit=time_limit,
        mip_gap=mip_gap,
        threads=threads,
        seed=seed,
        solver_log=solver_log,
        alternatives=alternatives,
    )
    for w in result.data.warnings:
        echo_err(str(w))
    for line in summary_lines(result.tables):
        click.echo(line)
    if result.conflict is not None:
        for line in result.conflict.lines():
            click.echo(line)
    if alternatives:
        click.echo(dict(result.tables.summary)["alternatives.message"])
    if price_caveats and result.outcome.abandoned:
        echo_err("caveat prices skipped: HiGHS did not stop after its time limit")
    elif price_caveats:
        from .results.console import price_lines

        def progress(n: int, total: int, rule: str) -> None:
            click.echo(
                f"\rpricing {n}/{total}: re-solving without {rule:<30}", err=True, nl=n == total
            )

        for line in price_lines(api.price_caveats(result, progress)):
            click.echo(line)
    api.write(result, output, [workbook])
    click.echo(f"written: {output}")
    if result.outcome.abandoned:
        # HiGHS is still inside a cancelled stage in a thread: a normal exit would wait for it
        # or abort in its destructors. The output is written and closed; leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(result.exit_code)
    return result.exit_code


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@guarded(writes=False)
def validate(workbook: Path) -> int:
    """Check WORKBOOK (and each of its scenarios): every problem listed, exit 0 if clean."""
    from . import api

    warnings = api.check(workbook)
    for w in warnings:
        echo_err(w)
    from .io.periods import timed_summary

    data = api.read(workbook, allow_timed=True)
    timed = f"{timed_summary(data)}; " if data.timed else ""
    click.echo(
        f"{workbook.name}: valid ({timed}{len(data.contributors)} contributors, {len(data.sites)} sites, "
        f"{len(data.capabilities)} capabilities, {len(data.requirements)} requirements, "
        f"{len(data.pledges)} pledges, {len(data.caveats)} caveats, "
        f"scenarios: {', '.join(['base', *data.scenarios])}; {len(warnings)} warning(s))"
    )
    return EXIT_OK


@main.command()
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@guarded
def template(output: Path, force: bool) -> int:
    """Write an empty workbook with every sheet and column of the contract."""
    from .io.template import template_workbook
    from .results.writer import atomic_write, workbook_bytes

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output.name}: the template is an .xlsx workbook; give NAME.xlsx")
    if output.exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
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
