"""`forcegen report OUTPUT.xlsx [more...] [-o report.html] [--input WORKBOOK]`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..commands_common import echo_err, guarded
from ..outputs.load import Geo, Output
from ..wording import count


def write_report(
    outputs: list[Path],
    html_path: Path | None = None,
    input_path: Path | None = None,
    tell: Callable[[Path, Geo], None] | None = None,
) -> Path:
    """Read the output workbooks and the inputs they came from, write the HTML briefing
    (atomically); returns its path. `tell` hears which input each output's map came from."""
    from ..compare.each_file import read_each
    from ..compare.views import note_in_file
    from ..io.filecheck import check_file
    from ..outputs.load import load_output
    from ..outputs.source import load_geo
    from ..results.overwrite_guard import refuse_overwriting_inputs, refuse_replacing_a_foreign_page
    from ..results.safe_write import atomic_write, check_writable
    from .edited import audited
    from .html import page

    if not outputs:
        from ..errors import UsageError

        raise UsageError("give at least one output workbook written by `forcegen solve`")
    html_path = Path(html_path) if html_path else outputs[0].with_suffix(".html")
    extra = [input_path] if input_path else []
    refuse_overwriting_inputs(html_path, [*outputs, *extra], kind=(".html", "an HTML page"))
    refuse_replacing_a_foreign_page(html_path)
    check_writable(html_path)  # before any work, as solve checks its output (a trial: after)
    if input_path is not None and Path(input_path).is_file():
        check_file(Path(input_path))  # no readable workbook: exit 2, as every reader says it
    read = read_each(outputs, lambda path: audited(with_plan_locks(load_output(path)), input_path))
    same_kind(read)
    geos = [load_geo(o, input_path) for o in read]
    refuse_overwriting_inputs(html_path, [g.source for g in geos if g.source is not None])
    said: set[str] = set()  # an input's warnings, said once for the outputs it serves
    for out, geo in zip(read, geos, strict=True):
        if tell is not None:
            for warning in out.warnings:
                echo_err(f"warning: {note_in_file(warning, out.path.name)}")
            tell(out.path, geo)
            for text in (note_in_file(w, w.where) for w in geo.warnings):
                if text not in said:
                    said.add(text)
                    echo_err(f"warning: {text}")
            # an edited plan: said on the console too, the rules it breaks after the first
            # note only (a trial read "the workbook found's It breaks 2 rules." after a second)
            for n, note in enumerate(out.audit_notes):
                ended = note if note.endswith(".") else f"{note}."
                broken = (
                    f" It breaks {count(len(out.violations), 'rule')}."
                    if out.violations and n == 0
                    else ""
                )
                echo_err(f"warning: {out.path}: {ended}{broken}")
    atomic_write(html_path, page(read, geos).encode("utf-8"))
    return html_path


def with_plan_locks(out: Output) -> Output:
    """`out` with a warning at each `lock` cell of its plan sheet (its Tours in time, else its
    Allocation) that a re-plan against it refuses, as verify warns of them: the briefing shows
    the plan, not its locks. Only a plan sheet with a `lock` column is read again, by verify's
    reader, for its cells' places."""
    from ..verify.baseline import plan_lock_warnings
    from ..verify.reader import read_raw

    plan = out.sheets.get("Tours" if out.timed else "Allocation")
    if plan is None or "lock" not in plan.columns:
        return out
    raw = read_raw(out.path)
    sheet = raw.tours if out.timed else raw.sheet
    out.warnings += plan_lock_warnings(sheet, out.path.name, "report")
    return out


def same_kind(outputs: list[Output]) -> None:
    """Outputs compared on one page are all timed or all snapshots: a usage error otherwise."""
    if len({o.timed for o in outputs}) > 1:
        from ..errors import UsageError

        timed = ", ".join(o.path.name for o in outputs if o.timed)
        snap = ", ".join(o.path.name for o in outputs if not o.timed)
        raise UsageError(
            f"cannot compare timed output(s) ({timed}) with snapshot output(s) ({snap}) on one "
            "page: give outputs of the same kind, or write one report each"
        )


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
    help="The input workbook, for the sites' and homes' coordinates [default: the Summary's "
    "input_file (its SHA-256 checked) next to the output, in its parent folder, the current "
    "folder or inputs/; for a sweep's output also above outputs/].",
)
@guarded
def report_command(
    outputs: tuple[Path, ...], html_path: Path | None, input_path: Path | None
) -> int:
    """Write a one-page HTML briefing (self-contained: inline CSS and SVG) from OUTPUTS, the
    workbooks written by `forcegen solve`; with several, a comparison against the first.
    A timed output (Tours sheet) also gets a Gantt chart per site, coverage over time, the
    first period each priority-1 line goes short and personnel per nation over time; timed
    and snapshot outputs are not mixed on one page."""
    written = write_report(list(outputs), html_path, input_path, tell_input)
    click.echo(f"written: {written}")
    return 0


def tell_input(output: Path, geo: Geo) -> None:
    """On the console: the input an output's map came from, or why there is no map."""
    if geo.source is not None:
        click.echo(f"input of {output}: {shown(geo.source)}")
        notes = geo.notes[1:]
    else:
        echo_err(f"warning: no map for {output}: {geo.notes[0]}")
        notes = geo.notes[1:]
    for note in notes:
        echo_err(f"note: {note}")


def shown(path: Path) -> str:
    """`path` relative to the current folder when below it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
