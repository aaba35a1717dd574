"""`forcegen check`: exit 0 when every answer holds, 5 when any moved (or is not pinned), 2 for
invalid input, 1 for an internal error, 130/143 when interrupted (see its --help)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click

from ..commands_common import echo_answer, guarded
from ..errors import ForcegenError, UsageError, raise_all

LABEL_WIDTH = 28  # case/scenario column of the console lines


class _CheckCommand(click.Command):
    """`check`, whose `--json` answers a command line click refuses (`--workers 0`, an option
    misspelt) as it answers one refused later: its exit code and errors as JSON on stdout,
    the usage text on stderr as for any command (a CI trial parsed an empty stdout)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # click's parser consumes `args`
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if "--json" in given:
                report = _usage_json(exc.exit_code, [exc.format_message()], "--update" in given)
                with contextlib.suppress(OSError):  # a stdout gone: the usage error still said
                    click.echo(json.dumps(report, indent=2, sort_keys=True))
            raise


@click.command("check", cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--update",
    is_flag=True,
    help="Re-pin the answers of the cases named (or all) and print what changed.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="An allocation that differs with equal stages fails instead of noting.",
)
@click.option(
    "--junit",
    "junit_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write JUnit XML (one testcase per case and scenario) to FILE.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a machine-readable JSON report instead of the lines.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Worker processes [default: min(cores, cases)]."
)
@click.option(
    "--pins",
    "pins_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the pins [default: outputs/... for a workbook below inputs/ (of its own "
    "project), else next to the workbook].",
)
@guarded
def check_command(
    paths: tuple[Path, ...],
    update: bool,
    strict: bool,
    junit_file: Path | None,
    as_json: bool,
    workers: int | None,
    pins_dir: Path | None,
) -> int:
    """Re-solve reference workbooks (CASE.xlsx files, or every .xlsx in DIR; default
    inputs/reference/) and each of their scenarios, with threads pinned to 1, and compare with
    the pinned answers: status, objective stages, model size, coverage, contributor totals and
    allocation. One line per case and scenario; for a failure, what moved.

    \b
    Tolerances: status, shortfall and presence stages, model size, coverage and totals exact;
    cost within the larger gap the two runs proved (relative, at least 1e-6, at most the
    mip_gap setting); a different allocation with equal stages is a note (a failure with
    --strict).

    Cases are named by their path below the folder holding them all (`a/case` for
    a/case.xlsx checked with b/case.xlsx), so no two share a name; a --pins folder holds
    their pins by file name, so such cases need one each.

    \b
    Exit codes (when several apply, the first in this order: 130/143, 2, 1, 5):
      0    every answer holds (with --update: every case re-pinned or unchanged)
      5    an answer moved from its pin, or is not pinned, or a pinned scenario is
           gone from the workbook (never with --update); or a pinned case's
           workbook is gone from a folder checked (also with --update, which
           keeps its pin)
      2    invalid input or usage: a workbook or pin that cannot be read (the
           other cases are still checked), a path that is no workbook or folder
           of them, a --pins folder that does not exist (without --update), a pin or JUnit file that cannot be written or would
           overwrite a case
      1    internal error: a solve that failed or whose worker was killed twice,
           or a fault of forcegen's own
      130  Ctrl-C, 143 SIGTERM: the workers are stopped; every scenario that
           finished is reported with its verdict, the others as not run (with
           --update, a case's pin only once every scenario of it ran: else its
           scenarios that moved fail as not re-pinned, and `not written` says so)
    """
    from .junit import write_junit
    from .outcome import CheckReport, Outcome
    from .report import json_report, outcome_lines, summary_line
    from .runner import run_check

    def show(outcome: Outcome) -> None:
        for line in outcome_lines(outcome, LABEL_WIDTH):
            click.echo(line)

    def written(pin: str, changed: bool) -> None:
        click.echo(f"{'written' if changed else 'unchanged'}: {pin}")

    def not_written(pin: str, why: str) -> None:
        click.echo(f"not written: {pin} ({why})")

    try:
        raise_all(_usage_problems(paths, pins_dir, junit_file, update))
    except ForcegenError as exc:
        if as_json:  # something to parse, as for any other outcome; the errors on stderr too
            errors = [str(e) for e in getattr(exc, "errors", [exc])]
            click.echo(
                json.dumps(_usage_json(exc.exit_code, errors, update), indent=2, sort_keys=True)
            )
        raise
    quiet = as_json
    _note_unsearched(list(paths))

    def finish(report: CheckReport) -> None:  # within run_check's signal guard
        if as_json:  # its exit_code would not be the command's if the JUnit file failed
            answer = json_report(report)
            if junit_file is not None:
                write_junit(report, junit_file)
            # the JUnit file is a file written too (a CI trial looked for it in `written`)
            answer["junit"] = None if junit_file is None else str(junit_file)
            echo_answer(json.dumps(answer, indent=2, sort_keys=True), "the report")
            return
        # the outcome first: a JUnit file that cannot be written (a full disk) lost it
        click.echo(summary_line(report))
        if junit_file is not None:
            write_junit(report, junit_file)
            click.echo(f"junit: {junit_file}")

    report = run_check(
        list(paths),
        update=update,
        strict=strict,
        workers=workers,
        pins_dir=pins_dir,
        on_outcome=None if quiet else show,
        on_written=None if quiet else written,
        on_not_written=None if quiet else not_written,
        finish=finish,
    )
    return report.exit_code


def _note_unsearched(paths: list[Path]) -> None:
    """A note on stderr (the JSON report is stdout's) of the workbooks in subfolders of the
    folders named, which are not checked."""
    from ..wording import count
    from .cases import unsearched

    below = unsearched(paths)
    if below:
        shown = ", ".join(str(p) for p in below[:3]) + (", ..." if len(below) > 3 else "")
        click.echo(
            f"note: {count(len(below), 'workbook')} in subfolders not checked ({shown}): "
            "only a folder's own .xlsx are; name a subfolder to check its cases",
            err=True,
        )


def _usage_json(exit_code: int, errors: list[str], update: bool) -> dict[str, object]:
    """--json for a command line refused before any case (by forcegen's checks or by click's
    parser): its exit code and every error, in the shape of a report with no results."""
    from .report import REPORT_FORMAT

    return {
        "report_format": REPORT_FORMAT,
        "mode": "update" if update else "check",
        "exit_code": exit_code,
        "errors": errors,
        "results": [],
        "junit": None,  # none written: the command line was refused
    }


def _usage_problems(
    paths: tuple[Path, ...], pins_dir: Path | None, junit_file: Path | None, update: bool
) -> list[UsageError]:
    """Every problem of the command line, found before any case is solved: a `--pins` folder
    that does not exist (a typo in a CI script: every case would fail as not pinned, and the
    hint would re-pin into the typo), a JUnit file that is a case workbook or pin or cannot be
    written, a pin `--update` would write over a workbook or cannot write."""
    from ..results.overwrite_guard import refuse_overwriting_inputs
    from ..results.safe_write import check_writable
    from .cases import find_cases

    problems: list[UsageError] = []

    def said(check: Callable[[], None]) -> None:
        try:
            check()
        except UsageError as problem:
            problems.append(problem)

    if pins_dir is not None and not update and not pins_dir.is_dir():
        problems.append(UsageError(f"--pins {pins_dir}: no such folder (--update creates it)"))
    try:  # each path's problem is added, beside the others below
        cases = find_cases(list(paths), pins_dir, problems)
    except UsageError as problem:  # two workbooks sharing a pin
        problems.append(problem)
        cases = []
    workbooks = [c.workbook for c in cases]
    if junit_file is not None:
        said(
            lambda: refuse_overwriting_inputs(
                junit_file, [*workbooks, *(c.pin for c in cases)], kind=(".xml", "JUnit XML")
            )
        )
        said(lambda: check_writable(junit_file))
        said(lambda: refuse_another_xml(junit_file))
    for pin in [c.pin for c in cases] if update else []:
        said(partial(refuse_overwriting_inputs, pin, workbooks, replaceable=()))
        said(partial(check_writable, pin))
    return problems


def refuse_another_xml(junit: Path) -> None:
    """An existing file at --junit that is no JUnit report of forcegen check (a build file,
    `pom.xml`, mistyped for the report's path: a CI trial saw it replaced) is not written
    over; a report of an earlier check is."""
    from .junit import SUITE

    if not junit.is_file() or junit.suffix.lower() != ".xml":
        return  # no file, or one of another kind: refuse_overwriting_inputs says so
    try:
        with junit.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return  # check_writable says what is wrong with it
    if not head.strip() or ("<testsuites" in head and f'name="{SUITE}"' in head):
        return  # empty (a path made ready by `mktemp`), or a report of an earlier check
    raise UsageError(
        f"--junit {junit}: the file exists and is not a JUnit report of forcegen check; "
        "choose another path, or move it away first"
    )
