"""`forcegen report OUTPUT.xlsx [more...] [-o report.html] [--input WORKBOOK]`."""

from __future__ import annotations

from pathlib import Path

import click

from ..commands_common import guarded


def write_report(
    outputs: list[Path], html_path: Path | None = None, input_path: Path | None = None
) -> Path:
    """Read the output workbooks, write the HTML briefing (atomically); returns its path."""
    from ..results.writer import atomic_write, refuse_overwriting_inputs
    from .html import page
    from .load import load_geo, load_output

    if not outputs:
        from ..errors import UsageError

        raise UsageError("give at least one output workbook written by `forcegen solve`")
    html_path = Path(html_path) if html_path else outputs[0].with_suffix(".html")
    extra = [input_path] if input_path else []
    refuse_overwriting_inputs(html_path, [*outputs, *extra])
    read = [load_output(p) for p in outputs]
    geos = [load_geo(o, input_path) for o in read]
    atomic_write(html_path, page(read, geos).encode("utf-8"))
    return html_path


@click.command("report")
@click.argument("outputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="HTML file to write [default: next to the first output, same name, .html].",
)
@click.option(
    "--input",
    "input_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The input workbook, for the sites' and homes' coordinates [default: the "
    "Summary's input_file next to the output, in ./inputs or ../inputs].",
)
@guarded
def report_command(
    outputs: tuple[Path, ...], html_path: Path | None, input_path: Path | None
) -> int:
    """Write a one-page HTML briefing (self-contained: inline CSS and SVG) from OUTPUTS, the
    workbooks written by `forcegen solve`; with several, a comparison against the first."""
    written = write_report(list(outputs), html_path, input_path)
    click.echo(f"written: {written}")
    return 0
