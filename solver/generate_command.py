"""`forcegen generate`: write a synthetic, feasible workbook with every caveat kind (timed with
`--periods`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .io.schema_types import MAX_MONTHS


@click.command("generate")
@click.argument("output", type=click.Path(path_type=Path))
@click.option(
    "--contributors",
    type=click.IntRange(min=4),
    default=30,
    show_default=True,
    help="Contributors (nations).",
)
@click.option(
    "--sites", type=click.IntRange(min=2), default=40, show_default=True, help="Deployment sites."
)
@click.option(
    "--capabilities",
    type=click.IntRange(min=1),
    default=12,
    show_default=True,
    help="Capabilities (unit types).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same arguments and seed give the same workbook.",
)
@click.option(
    "--density",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.3,
    show_default=True,
    help="Fraction of (site, capability) pairs required and (contributor, capability) "
    "pairs pledged.",
)
@click.option(
    "--periods",
    type=click.IntRange(1, MAX_MONTHS),
    default=None,
    help="Make the workbook timed: this many periods (a Periods sheet, windows, a Profile, "
    "pools). Without it, a snapshot.",
)
@click.option(
    "--months",
    type=click.IntRange(1, MAX_MONTHS),
    default=None,
    help="Months per period (with --periods).  [default: 1]",
)
@click.option(
    "--tour-months",
    type=click.IntRange(1, MAX_MONTHS),
    default=None,
    help="Pools' tour_months (with --periods; at least --months).  [default: 6]",
)
@click.option(
    "--dwell-months",
    type=click.IntRange(0, MAX_MONTHS),
    default=None,
    help="Pools' dwell_months (with --periods).  [default: 12]",
)
@click.option(
    "--pool-share",
    type=click.FloatRange(0, 1),
    default=None,
    help="Share of the pledges that are pools rotating with tours and dwell (with --periods); "
    "the others sustain their own units.  [default: 0.3]",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite OUTPUT if it is a forcegen output (not a plan edited by hand) or generated.",
)
def generate_command(
    output: Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float,
    periods: int | None,
    months: int | None,
    tour_months: int | None,
    dwell_months: int | None,
    pool_share: float | None,
    force: bool,
) -> None:
    """Write a synthetic workbook to OUTPUT: contract-valid, feasible, with every caveat kind.

    For benchmarks and for trying forcegen on your own machine; the data are random, not real.
    With --periods the workbook is timed, and still feasible: the hard lines are met in every
    period.
    """
    from .commands_common import guarded

    time = {
        "months": months,
        "tour_months": tour_months,
        "dwell_months": dwell_months,
        "pool_share": pool_share,
    }
    guarded(_generate)(
        output, contributors, sites, capabilities, seed, density, periods, time, force
    )


def _generate(
    output: Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float,
    periods: int | None,
    time: dict[str, Any],
    force: bool,
) -> int:
    from .errors import UsageError
    from .generate import TimeOptions, generate_case, mixes_costs, write_case
    from .generate.write import GENERATED_CREATOR
    from .results.overwrite_guard import refuse_overwriting_inputs, refuse_replacing_an_edited_plan
    from .results.writer import OUTPUT_CREATOR

    given = {name: value for name, value in time.items() if value is not None}
    if periods is None and given:
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise UsageError(f"{flags}: only with --periods (a timed workbook)")
    options = None if periods is None else TimeOptions(periods, **given)
    # what --force could never replace is refused first, so that its hint is never wrong
    refuse_overwriting_inputs(
        output,
        [],
        replaceable=(OUTPUT_CREATOR, GENERATED_CREATOR),
        kind=(".xlsx", "a workbook"),
    )
    # a planner's work, even with --force
    refuse_replacing_an_edited_plan(output, "writing a generated workbook over it", "another name")
    if output.exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    try:
        case = generate_case(contributors, sites, capabilities, seed, density, options)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    counts = write_case(case, output)
    click.echo(
        f"written: {output} (rows: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")"
    )
    if mixes_costs(case):
        # a first `generate` then `validate` met a long warning it took for a fault
        click.echo(
            "note: some pledges have a cost_per_unit and the others distance-based cost, on "
            "purpose (both kinds in one case); validate warns about the mix",
            err=True,
        )
    return 0
