"""Run a sweep: solve base and the scenarios in parallel, write each output as it arrives, then
the comparison. One scenario's failure is reported in its row and never stops the others. The
output folder is checked before any work and is this sweep's alone while it runs (folder.py)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..compare import Comparison, compare_views, error_view, write_comparison
from ..errors import UsageError
from ..exit_codes import (
    EXIT_INFEASIBLE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NO_SOLUTION,
    EXIT_OK,
    EXIT_TERMINATED,
)
from ..io.scenario_labels import finding, unlabelled
from ..io.scenarios import BASE
from ..io.withdrawals import Withdrawal
from ..parallel import cores
from ..results.safe_write import atomic_write
from ..signals import Stop, sigterm_as_interrupt
from .backends import Backend, DaskCluster, make_backend
from .drive import drive
from .earlier import set_aside, settle
from .folder import holding
from .prepare import COMPARISON, Prepared, prepare
from .progress import Progress
from .scenarios import Planned
from .scratch import scratch
from .stable import batches
from .task import Task, TaskResult

if TYPE_CHECKING:
    from ..solve.options import SolveArgs

log = logging.getLogger("forcegen.sweep")
# a scenario that did not run to its end: stopped with its best plan, or before it had one
PARTIAL = ("interrupted", "not_run")
# the worst code wins: infeasible < no solution in time < invalid input < internal < interrupted
SEVERITY = {
    EXIT_OK: 0,
    EXIT_INFEASIBLE: 1,
    EXIT_NO_SOLUTION: 2,
    EXIT_INPUT: 3,
    EXIT_INTERNAL: 4,
    EXIT_INTERRUPTED: 5,
    EXIT_TERMINATED: 5,
}


@dataclass
class SweepReport:
    """Every scenario's result in plan order (base first), the files written, the comparison."""

    results: list[TaskResult]
    outputs: dict[str, Path]
    comparison: Comparison | None = None
    comparison_path: Path | None = None
    comparison_error: UsageError | None = None  # comparison.xlsx could not be written
    seconds: float = 0.0
    runner: str = ""
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    interrupt_code: int = EXIT_INTERRUPTED  # 143 when SIGTERM stopped it
    stopped_by: str = "interrupted"  # `Stop.message`: `terminated (SIGTERM)`, ...
    stopped_running: set[str] = field(default_factory=set)  # running when stopped, no plan back

    @property
    def exit_code(self) -> int:
        """0 when every scenario solved (optimal or feasible), else the worst code (SEVERITY);
        an interrupted sweep's is what stopped it (a scenario solved in this process and
        stopped by the same SIGTERM says 130, `interrupted`: the sweep's 143 wins)."""
        if self.interrupted:
            return self.interrupt_code
        codes = [r.exit_code for r in self.results]
        if self.comparison_error is not None:
            codes.append(self.comparison_error.exit_code)
        return max(codes, key=lambda c: SEVERITY.get(c, SEVERITY[EXIT_INTERNAL]), default=0)

    @property
    def solved(self) -> int:
        return sum(r.exit_code == 0 for r in self.results)


def _importing_main_in_a_worker() -> bool:
    """Whether a worker process is importing the main script (multiprocessing runs it as
    `__mp_main__` in every process it starts with spawn or forkserver) and it called us."""
    frame = sys._getframe(1)
    while frame is not None:  # the script's own top level, not a function of it a job runs
        if frame.f_globals.get("__name__") == "__mp_main__" and frame.f_code.co_name == "<module>":
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def run_sweep(
    workbook: Path,
    *,
    out_dir: Path | None = None,
    scenarios: list[str] | None = None,
    withdraw_each: bool = False,
    after: str | None = None,
    withdrawals: tuple[Withdrawal, ...] = (),
    workers: int | None = None,
    scheduler: str | None = None,
    options: SolveArgs | None = None,
    on_result: Callable[[TaskResult, Path | None], None] | None = None,
    on_plan: Callable[[list[str]], None] | None = None,
    progress: Progress | None = None,
    stable: bool | None = None,
    baseline: Path | None = None,
    finish: Callable[[SweepReport], None] | None = None,
) -> SweepReport:
    """Solve base and the scenarios of `workbook` (or those named; `withdraw_each` adds one
    `withdraw_<CODE>` per available contributor, leaving after the period `after` if given;
    `withdrawals` adds those named) into `out_dir`/<scenario>.xlsx, then write
    `out_dir`/comparison.xlsx. `options` are `api.solve`'s (time_limit, threads, ...).

    `on_result` hears of each scenario as it finishes; `on_plan` first of every scenario's name,
    once they are known (the console lines' alignment).
    `baseline`: an earlier output every scenario is re-planned against (`solve --baseline`).
    `stable`: base first, then every other scenario with base's plan as its baseline (see
    sweep/stable.py); None: stable with `withdraw_each`, and with `withdrawals` unless
    `baseline` is given.
    `finish(report)`: the command's last lines, once the comparison is written, still within
    the signal guard (a Ctrl-C or SIGTERM then is recorded, exit 130 or 143: after the guard
    a Ctrl-C said "nothing was written" of a sweep whose every output was, and a SIGTERM
    killed it without its summary).

    The scenarios are solved in worker processes that import the calling script: a script
    that calls `run_sweep` must do so under `if __name__ == "__main__":` (else each worker
    would start a sweep of its own; that is refused with `UsageError`)."""
    if _importing_main_in_a_worker():
        raise UsageError(
            "run_sweep was called in a worker process, which imported the script that calls "
            'it: call run_sweep under `if __name__ == "__main__":`'
        )
    if getattr(sys.modules.get("__main__"), "__file__", None) == "<stdin>":
        raise UsageError(  # each worker would fail to import it: said as killed (a trial)
            "run_sweep solves in worker processes that import the calling script, and a script "
            "read from standard input (`python - < script.py`) cannot be imported: save it to "
            "a file and run that, or call run_sweep from an interactive session"
        )
    # from the start: a SIGTERM while the workbook is read and the scenarios planned (seconds,
    # for a large workbook) is said, exit 143, as `check` says it (before, it killed the
    # sweep without a word)
    with sigterm_as_interrupt() as stop:
        began = time.perf_counter()
        sweep = prepare(
            Path(workbook),
            out_dir,
            list(scenarios or []),
            withdraw_each,
            after,
            withdrawals,
            baseline,
            stable,
            on_plan,
        )
        # the folder is this sweep's until it ends (another sweep into it is refused at once)
        with holding(sweep.out_dir):
            backend = make_backend(workers or cores(), len(sweep.planned), scheduler)
            try:  # last of the checks before any work: nothing is removed from a sweep refused
                plans = list(sweep.paths.values())
                inputs = [Path(workbook), *([Path(baseline)] if baseline else [])]
                sweep.notes += set_aside(plans, sweep.out_dir / COMPARISON, inputs)
            except BaseException:
                backend.close(cancel=True)
                raise
            report = SweepReport([], {}, runner=backend.label, notes=sweep.notes)
            write = _Writer(sweep, report, progress, on_result)
            with scratch(local=not isinstance(backend, DaskCluster)) as folder:
                tasks = sweep.tasks(options or {}, folder)
                order = batches(
                    tasks,
                    sweep.stable,
                    write.solved,
                    write.results,
                    sweep.names[BASE],
                    report.notes,
                )
                report.interrupted = _solve_all(
                    backend, order, len(tasks), write, progress, stop, report.stopped_running
                )
            # a stop that came as the sweep ended (held: `finishing`) is one too
            report.interrupted = report.interrupted or stop.terminated or stop.interrupted
            report.interrupt_code, report.stopped_by = stop.exit_code(), stop.message()
            report.results = [
                write.results.get(p.name) or _not_run(p, report) for p in sweep.planned
            ]
            written = {path: write.results[name].summary for name, path in report.outputs.items()}
            _compare(report, sweep)
            # the earlier comparison stays unless this one is whole: every scenario finished
            # (none stopped, by the sweep's stop or its worker's alone), every plan and the
            # comparison written
            partial = any(r.status in PARTIAL or r.unwritten for r in report.results)
            kept = partial or report.comparison_error is not None
            report.notes += settle(sweep.out_dir, written, COMPARISON, kept)
            report.seconds = time.perf_counter() - began
            _late_stop(report, stop)  # one that came as the comparison was written
            if finish is not None:
                finish(report)
            _late_stop(report, stop)
        return report


class _Writer:
    """Each scenario's result as it comes back: its warnings but base's, its output written
    (one that cannot be written, a full disk or a file locked, is an error of its own), told
    to `on_result`. `solved` holds every result as it came back, `results` what is reported
    (recorded only once written: an interrupted write is not run)."""

    def __init__(
        self,
        sweep: Prepared,
        report: SweepReport,
        progress: Progress | None,
        on_result: Callable[[TaskResult, Path | None], None] | None,
    ) -> None:
        self.sweep, self.report, self.progress, self.on_result = sweep, report, progress, on_result
        self.base_warnings = {str(w) for w in sweep.base.warnings}
        self.solved: dict[str, TaskResult] = {}
        self.results: dict[str, TaskResult] = {}

    def __call__(self, result: TaskResult) -> None:
        # base's warnings are base's result's to say: a scenario says only what differs
        result.warnings = _own_warnings(result, self.base_warnings)
        self.solved[result.scenario] = result
        path = self.sweep.paths[result.scenario] if result.output is not None else None
        if path is not None:
            try:
                atomic_write(path, result.output or b"")
                self.report.outputs[result.scenario] = path
            except UsageError as exc:
                result, path = _not_written(result, str(exc)), None
        self.results[result.scenario] = result
        if self.progress is not None:
            self.progress.clear()
        if self.on_result is not None:
            self.on_result(result, path)


def _compare(report: SweepReport, sweep: Prepared) -> None:
    """The comparison of every scenario's result, written to the sweep's folder."""
    if sweep.base.timed:
        report.notes.append(
            f"{sweep.workbook.name} is timed: the comparison counts unit-months (a unit for a "
            "month), its stages are weighted unit-months"
        )
    timed = sweep.base.timed  # also when no timed scenario finished
    report.comparison = compare_views([r.view for r in report.results], timed=timed)
    try:
        report.comparison_path = write_comparison(
            report.comparison, sweep.out_dir / COMPARISON, [sweep.workbook]
        )
    except UsageError as exc:  # a full disk: the scenarios' outputs and the tally still stand
        report.comparison_error = exc


def _late_stop(report: SweepReport, stop: Stop) -> None:
    """A stop held as the sweep ended (every scenario in): the exit code says it."""
    if (stop.terminated or stop.interrupted) and not report.interrupted:
        log.warning("%s as the sweep ended: every output is written", stop.message())
        report.interrupted, report.interrupt_code = True, stop.exit_code()
        report.stopped_by = stop.message()


def _solve_all(
    backend: Backend,
    batches: Iterator[list[Task]],
    total: int,
    finished: Callable[[TaskResult], None],
    progress: Progress | None,
    stop: Stop,
    stopped_running: set[str],
) -> bool:
    """Solve the batches of tasks one after the other (see `drive.drive`), then close the backend;
    True when interrupted (Ctrl-C, SIGTERM, or a solve interrupted), and then the workers are
    terminated, not waited for; `stopped_running` then names the scenarios that were running
    and gave back no plan."""
    if progress is not None:
        progress.start(total)
    interrupted = True  # until the drive ends: then nothing is left running
    try:
        done = 0
        for tasks in batches:
            drive(backend, tasks, finished, progress, stop, done, stopped_running)
            done += len(tasks)
        interrupted = False
    except KeyboardInterrupt:
        pass
    finally:
        stop.finishing = True
        backend.close(cancel=interrupted)  # interrupted or failed: the workers are terminated
        if progress is not None:
            progress.close()
    return interrupted


def _not_written(result: TaskResult, why: str) -> TaskResult:
    """A scenario solved but whose output could not be written: an error of its own (the
    sweep goes on with the others), never a result."""
    text = f"solved ({result.status}) but not written: {why}"
    view = error_view(result.scenario, text, generated=result.view.generated)
    # exit 2, as `solve` gives for an output it cannot write
    return TaskResult(
        result.scenario, "error", EXIT_INPUT, result.seconds, view, None, [text], unwritten=True
    )


def _own_warnings(result: TaskResult, base_warnings: set[str]) -> list[str]:
    """The result's warnings but those base gives too (a scenario's, once its label is taken
    off, saying what one of base's says, whichever cells it lists: `finding`); base's own are
    all kept."""
    if result.scenario == BASE:
        return result.warnings
    in_base = {finding(w) for w in base_warnings}
    return [w for w in result.warnings if finding(unlabelled(w, result.scenario)) not in in_base]


def _not_run(planned: Planned, report: SweepReport) -> TaskResult:
    """A scenario that did not finish: never started (or its state unknown), or running when
    the sweep was stopped and no plan came back from its worker."""
    why = report.stopped_by
    started = planned.name in report.stopped_running
    text = f"stopped while running, no plan came back ({why})" if started else f"not run ({why})"
    view = error_view(planned.name, text, status="not_run", generated=planned.generated)
    return TaskResult(
        planned.name, "not_run", report.interrupt_code, 0.0, view, None, [text], started=started
    )
