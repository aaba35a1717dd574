"""`forcegen generate`: write a synthetic, feasible workbook with every caveat kind."""

from __future__ import annotations

from pathlib import Path

import click


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
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def generate_command(
    output: Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float,
    force: bool,
) -> None:
    """Write a synthetic workbook to OUTPUT: contract-valid, feasible, with every caveat kind.

    For benchmarks and for trying forcegen on your own machine; the data are random, not real.
    """
    from .commands_common import guarded

    guarded(_generate)(output, contributors, sites, capabilities, seed, density, force)


def _generate(
    output: Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float,
    force: bool,
) -> int:
    from .errors import UsageError
    from .generate import generate_workbook
    from .generate.write import GENERATED_CREATOR
    from .results.writer import OUTPUT_CREATOR, refuse_overwriting_inputs

    if output.exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    refuse_overwriting_inputs(output, [], replaceable=(OUTPUT_CREATOR, GENERATED_CREATOR))
    try:
        counts = generate_workbook(output, contributors, sites, capabilities, seed, density)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    click.echo(
        f"written: {output} (" + ", ".join(f"{n} {k.lower()}" for k, n in counts.items()) + ")"
    )
    return 0
