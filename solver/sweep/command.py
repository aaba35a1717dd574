"""`forcegen sweep`: every scenario in parallel, one output each, and comparison.xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from ..commands_common import echo_err, guarded, solver_options
from ..errors import UsageError
from ..wording import count, joined, percent
from .backends import DASK_LABEL
from .task import TaskResult

if TYPE_CHECKING:
    from ..solve.options import SolveArgs
    from .run import SweepReport

MAX_ERROR_LINES = 5


@click.command("sweep")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    "out_dir",
    type=click.Path(path_type=Path, dir_okay=True, file_okay=False),
    help="Folder of the outputs [default: outputs/<input name>/].",
)
@click.option(
    "-s",
    "--scenario",
    "scenarios",
    multiple=True,
    help="Solve only this scenario (repeatable; base is always solved) [default: all].",
)
@click.option(
    "--withdraw-each",
    is_flag=True,
    help="Add one scenario withdraw_<CODE> per available contributor (its status set to "
    "unavailable): which single withdrawal hurts most, and where.",
)
@click.option(
    "--after",
    metavar="PERIOD",
    help="With --withdraw-each, in a timed workbook: each contributor leaves after PERIOD "
    "instead (scenarios withdraw_<CODE>_after_<PERIOD>).",
)
@click.option(
    "--withdraw",
    "withdrawals",
    metavar="CODE[@PERIOD]",
    multiple=True,
    help="Add the scenario withdraw_<CODE> (CODE withdrawn for the whole horizon), or with "
    "@PERIOD, in a timed workbook, withdraw_<CODE>_after_<PERIOD>: CODE leaves after PERIOD "
    "(each of its pledges ends there at the latest). Repeatable.",
)
@click.option(
    "--stable/--no-stable",
    default=None,
    help="Solve base first, then re-plan every other scenario with base's plan as its "
    "baseline, so the comparison shows only the changes a scenario forces [default: stable "
    "with --withdraw-each, and with --withdraw unless --baseline is given; else not].",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="An earlier output (its Allocation, or a timed plan's Tours) every scenario is "
    "re-planned against, as solve --baseline; with --stable, base only.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Local worker processes [default: cores]."
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on an existing Dask distributed cluster (e.g. tcp://host:8786) instead; needs "
    "pip install 'forcegen[distributed]' here and forcegen on its workers.",
)
@solver_options("per scenario")
@guarded
def sweep_command(
    workbook: Path,
    out_dir: Path | None,
    scenarios: tuple[str, ...],
    withdraw_each: bool,
    after: str | None,
    withdrawals: tuple[str, ...],
    stable: bool | None,
    baseline: Path | None,
    workers: int | None,
    scheduler: str | None,
    time_limit: float | None,
    work_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    seed: int | None,
    backend: str,
) -> int:
    """Solve base and every scenario of WORKBOOK (or those named) in parallel, each into
    DIR/<scenario>.xlsx as `forcegen solve --scenario NAME` would write it (stable: with
    `--baseline` base's output; a run a time limit stops may differ from run to run, one with
    a work limit does not), and compare them in DIR/comparison.xlsx (sheets Scenarios, Charts, Sites, Contributors, Changes, and
    Robustness with generated withdrawals).

    \b
    Withdrawals: --withdraw-each adds withdraw_<CODE> per available contributor; with
    --after PERIOD (a timed workbook) each leaves after PERIOD instead. --withdraw ITA adds
    one; --withdraw ITA@2027-12 adds withdraw_ITA_after_2027-12 (ITA leaves after 2027-12).
    With --withdraw-each, or --withdraw without --baseline, the sweep is --stable unless
    --no-stable: base is solved first and every other scenario re-planned against base's plan
    (the backfill view).

    \b
    Progress (done/total, elapsed, ETA, running) goes to stderr, one result line per scenario
    to stdout. A scenario that fails (invalid override, infeasible, time limit) is reported in
    its row; the others go on. A workbook whose base case cannot be read is refused at once
    (every error, exit 2, nothing written).
    Exit codes: 0 every scenario solved (optimal or feasible); otherwise the worst of
    3 infeasible < 4 no solution within the time limit < 2 invalid input < 1 internal error;
    130 interrupted by Ctrl-C, 143 by SIGTERM (the workers are stopped; what finished is
    written, with the comparison, and so are the best plans so far of the scenarios that
    were running, as `interrupted`). A scenario whose worker process is killed (out of memory?)
    runs again alone once; only if it is killed again is it reported failed (exit 1).
    One sweep at a time writes to a folder: another sweep into it, or a folder that cannot be
    written, is refused before anything is solved (exit 2).
    """
    from ..errors import raise_all
    from ..io.withdrawals import parse_option
    from .prepare import default_dir
    from .progress import Progress
    from .run import run_sweep

    malformed = []
    for text in withdrawals:
        try:
            parse_option(text)
        except UsageError as exc:
            malformed.append(exc)
    raise_all(malformed)  # every malformed --withdraw at once, before the workbook is read
    printer = ResultPrinter()
    report = run_sweep(
        workbook,
        out_dir=out_dir or default_dir(workbook),
        scenarios=list(scenarios),
        withdraw_each=withdraw_each,
        after=after,
        withdrawals=tuple(parse_option(w) for w in withdrawals),
        workers=workers,
        scheduler=scheduler,
        options=_options(time_limit, work_limit, mip_gap, threads, seed, backend),
        on_result=printer,
        on_plan=printer.plan,
        progress=Progress(0),  # run_sweep sets the total once it knows the scenarios
        stable=stable,
        baseline=baseline,
        finish=_print_summary,  # within the sweep's signal guard
    )
    return report.exit_code


def _options(
    time_limit: float | None,
    work_limit: float | None,
    mip_gap: float | None,
    threads: int | None,
    seed: int | None,
    backend: str,
) -> SolveArgs:
    """The solver options given on the command line, checked before any work is done."""
    from ..solve.options import SolveOptions

    given: dict[str, Any] = {
        "time_limit": time_limit,
        "work_limit": work_limit,
        "mip_gap": mip_gap,
        "threads": threads,
        "seed": seed,
    }
    SolveOptions.from_settings({}, **given)  # a bad option fails before any work
    return cast(
        "SolveArgs", {k: v for k, v in given.items() if v is not None} | {"backend": backend}
    )


NAME_WIDTH = 20  # the scenario column of the result lines, at least
MAX_NAME_WIDTH = 48  # and at most: a longer name pushes its own line's columns right


class ResultPrinter:
    """Print each scenario's line as it finishes, the names in one column as wide as the
    longest (`plan`); a warning shared by scenarios only once."""

    def __init__(self) -> None:
        self.width = NAME_WIDTH
        self.seen_warnings: set[str] = set()

    def plan(self, names: list[str]) -> None:
        self.width = min(max([NAME_WIDTH, *(len(n) for n in names)]), MAX_NAME_WIDTH)

    def __call__(self, result: TaskResult, path: Path | None) -> None:
        for w in result.warnings:
            if w not in self.seen_warnings:
                self.seen_warnings.add(w)
                click.echo(w, err=True)
        for line in result_lines(result, path, self.width):
            click.echo(line)


def _print_summary(report: SweepReport) -> None:
    """Notes, robustness, the one-line tally and, when stopped early, what that left out."""
    from ..compare.console_ranking import robustness_lines

    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    assert report.comparison is not None
    for line in robustness_lines(report.comparison):
        click.echo(line)
    failed = len(report.results) - report.solved
    stopped = report.stopped_by
    click.echo(
        f"sweep: {count(len(report.results), 'scenario')}: {report.solved} solved, {failed} not "
        f"({report.seconds:.1f} s, {report.runner})"
        + (f"; {stopped}" if report.interrupted else "")
    )
    if report.comparison_error is not None:
        echo_err(click.style("error: ", fg="red") + f"comparison: {report.comparison_error}")
    else:
        click.echo(f"written: {report.comparison_path}")
    if report.interrupted:
        dask = report.runner.startswith(DASK_LABEL)
        click.echo(stopped_line(report.results, stopped, dask), err=True)


def stopped_line(results: list[TaskResult], stopped: str, dask: bool = False) -> str:
    """What a stopped sweep kept: the best plans of the scenarios that were running, those
    that were running but gave no plan back, and the scenarios not run. On a Dask cluster the
    scenarios not started are cancelled, but Dask cannot stop a task that runs: it runs on
    there to its own limit, and its result is not kept."""
    not_run = [r.scenario for r in results if r.status == "not_run" and not r.started]
    no_plan = [r.scenario for r in results if r.status == "not_run" and r.started]
    kept = [r.scenario for r in results if r.status == "interrupted"]
    named = f" ({', '.join(not_run)})" if not_run else ""
    stopped_with = f"the best plans so far of {joined(kept)} are written; " if kept else ""
    if no_plan:
        stopped_with += f"{joined(no_plan)} stopped while running, no plan came back; "
    workers = (
        "the scenarios not started on the Dask cluster were cancelled (those running there run "
        "on to their time limit: Dask cannot stop a running task)"
        if dask
        else "the workers were stopped"
    )
    return (
        f"{stopped}: {workers}; {stopped_with}"
        f"{count(len(not_run), 'scenario')} not run{named}, what finished is written with the "
        "comparison"
    )


def result_lines(result: TaskResult, path: Path | None, width: int = NAME_WIDTH) -> list[str]:
    """One line per scenario (and its first errors below it), its name `width` wide."""
    from ..results.earlier_plan import memory_stage
    from ..results.tables import explanation_skipped

    ok = result.exit_code == 0
    mark = click.style("ok  " if ok else "FAIL", fg="green" if ok else "red", bold=not ok)
    s = result.summary
    text = f"{mark}  {result.scenario:<{width}} {result.status:<12} {result.seconds:6.2f} s"
    if result.view.has_plan:
        stages = "  ".join(
            f"{k.removeprefix('objective.').removeprefix('shortfall.')} {_num(v)}"
            + _unproven(s, k.removeprefix("objective."))
            for k, v in result.view.stages.items()
        )
        text += f"  {stages}  coverage {s.get('coverage_pct')}%"
        text += " of unit-months" if result.timed else ""
    elif result.status != "error":
        text += f"  {s.get('message', '')}"
    if explanation_skipped(s):  # a stop during its Gaps step: its output has no Gaps
        text += f"  (explanation {s['explanation']})"
    if path is not None:
        text += f"  -> {path}"
    lines = [text]
    if stage := memory_stage(s):  # a plan kept, but the run failed (exit 1): say why
        lines.append(
            f"      out of memory in stage {stage}: the plan so far is written, the later "
            "stages not solved; give the sweep fewer --workers if others ran beside it (each "
            "holds a model), or a machine with more memory"
        )
    if result.conflicts.startswith("no conflict"):  # why none was found, in HiGHS's words
        lines.append(f"      {result.conflicts}")
    if result.conflict:  # why there is no plan, as `solve` says it (a trial saw no rule named)
        others = result.conflicts
        also = f" (and {others}: see its Infeasibility sheet)" if others else ""
        cut = (
            " (the search was cut short: it may not be minimal)"
            if result.conflict_cut_short
            else ""
        )
        lines.append(f"      these rules cannot all hold together{also}{cut}:")
        lines += [f"        - {rule}" for rule in result.conflict[:MAX_ERROR_LINES]]
        if len(result.conflict) > MAX_ERROR_LINES:
            lines.append(f"        ... {len(result.conflict) - MAX_ERROR_LINES} more")
    if result.errors:
        lines[0] += f"  (exit {result.exit_code}, nothing written)"
        lines += [f"      {e}" for e in result.errors[:MAX_ERROR_LINES]]
        if len(result.errors) > MAX_ERROR_LINES:
            lines.append(f"      ... {len(result.errors) - MAX_ERROR_LINES} more")
    return lines


def _unproven(summary: dict[str, Any], stage: str) -> str:
    """` (gap 3.6%)` after a stage a limit stopped before its proof, ` (not proven)` where it
    has no gap, ` (not optimised)` where the search stopped before the stage ran; '' for a
    stage proven optimal (or one the Summary does not list)."""
    from ..model.stage_names import stage_records

    record = next((r for r in stage_records(summary) if r.name == stage), None)
    if record is None or record.proven:
        return ""
    if record.status == "not_solved":  # the search stopped before it: its value is the start's
        return " (not optimised)"
    return " (not proven)" if record.gap is None else f" (gap {percent(record.gap)})"


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1e4 else f"{value:,.6g}"
    return "-" if value is None else str(value)
