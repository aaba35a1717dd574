"""The unit of work of a sweep: solve one scenario, in a worker process or on a Dask worker.

A task carries the workbook's bytes (so a Dask worker on another machine needs no shared
folder) and returns the output workbook's bytes plus the tables the comparison needs; it never
raises: a failure comes back as text with the exit code `forcegen solve` would have given.

The task copies the workbook into a temporary folder; for a local sweep that folder lies inside
the sweep's own `scratch` folder, which the sweep removes at its end, so a worker killed
mid-task leaves no copy behind; on a Dask worker it is a scratch folder of the task's own,
locked while it runs, which the next task on that machine removes if its worker was killed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..commands_common import stop_within
from ..compare.views import ScenarioView, error_view, from_tables
from ..drill import rehearse
from ..errors import ForcegenError, InputError, UsageError
from ..exit_codes import EXIT_INPUT, EXIT_INTERNAL
from ..explain.conflict import LIFTED_GIVES_A_PLAN, Conflict
from ..io.schema_baseline import BASELINE
from ..results.room import DISK_FULL, no_room
from ..solve.options import SolveArgs
from ..wording import count
from ..worker_signals import InlineStop, JobStop, interruptible
from .scratch import held_scratch
from .stable_note import scenario_note

if TYPE_CHECKING:
    from ..baseline import Baseline
    from ..data import Data


@dataclass(frozen=True)
class BaselineFile:
    """A baseline as a task carries it: the output workbook's file name and its bytes, and
    the path as the planner gave it (`shown`: what a warning about the file names, not the
    task's scratch copy; blank: the name)."""

    name: str
    content: bytes
    shown: str = ""


@dataclass(frozen=True)
class Task:
    """Solve `scenario` of the workbook `name` (given as bytes) with `options` (api.solve's),
    against `baseline` when there is one; `note` goes to the scenario's comparison remark."""

    scenario: str
    generated: bool
    name: str
    workbook: bytes
    options: SolveArgs = field(default_factory=SolveArgs)
    scratch: str | None = None  # the folder of the task's temporary files (None: the system's)
    baseline: BaselineFile | None = None
    note: str = ""
    # what reading `baseline` warns of (an unrelated file, a key gone) is said, but what base's
    # reading says too (these: said by base's task, sweep/prepare.py), unless it is base's
    # own plan (a stable sweep)
    baseline_said: tuple[str, ...] = ()
    baseline_warnings: bool = True


@dataclass
class TaskResult:
    """What a task gave: the output workbook (None when nothing could be written) and its view."""

    scenario: str
    status: str  # optimal, feasible, infeasible, no_solution, interrupted, or error
    exit_code: int
    seconds: float
    view: ScenarioView
    output: bytes | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    timed: bool = False  # the workbook has periods: figures in unit-months
    started: bool = False  # not_run: it was running when the sweep was stopped; no plan came back
    unwritten: bool = False  # its plan could not be written (a full disk): no whole run's answer
    # an infeasible scenario's first conflict, its rules as `solve` says them (and how many
    # conflicts were found): the console names them under the scenario's FAIL line
    conflict: list[str] = field(default_factory=list)
    conflicts: str = ""  # `1 other conflict`, `at least 4 other conflicts`, or why none was found
    conflict_cut_short: bool = False  # its search ran out of budget: it may not be minimal


def warm_up() -> None:
    """Import the solver before the first task, so that a task's time is its own."""
    from .. import api  # noqa: F401


def run_task(task: Task) -> TaskResult:
    """Read (with the scenario applied), solve and build the output workbook; never raises but
    KeyboardInterrupt. In a pool's worker a stop forwarded by the sweep ends it as Ctrl-C ends
    `solve` (solver/worker_signals.py): with the best plan so far (once there is one, the
    output is built whatever comes), or, before there is one, by raising KeyboardInterrupt."""
    with interruptible() as stop:
        return _run(task, stop)


def _run(task: Task, stop: JobStop | InlineStop | None) -> TaskResult:
    began = time.perf_counter()
    rehearse(task.scenario)
    unwritten = False
    try:
        with _task_folder(task) as folder:
            path = Path(folder) / task.name
            path.write_bytes(task.workbook)
            return _solve(task, path, began, stop)
    except InputError as exc:
        errors = [str(e) for e in exc.errors]
        code = exc.exit_code
    except ForcegenError as exc:
        errors, code = [str(exc)], exc.exit_code
    except Exception as exc:  # reported for this scenario, the others go on
        if (stopped := stop_within(exc)) is not None:
            raise stopped from None  # a library's own error for a stop inside it: the stop
        said, code = _failure(exc, task)
        errors = [said]
        unwritten = isinstance(exc, OSError) and exc.errno in DISK_FULL
    view = error_view(task.scenario, "; ".join(errors), generated=task.generated)
    seconds = time.perf_counter() - began
    return TaskResult(
        task.scenario, "error", code, seconds, view, None, errors, unwritten=unwritten
    )


def _task_folder(task: Task) -> contextlib.AbstractContextManager[str]:
    """The folder of the task's files: one of its own in the sweep's scratch folder (which the
    sweep removes, whatever ends its workers); on a remote (Dask) worker a scratch folder of
    its own, locked while the task runs, with those of tasks whose worker was killed removed
    first (a fault trial: a killed Dask worker left its copy of the workbook in /tmp for good,
    its folder's name carrying no process for a clean-up to check)."""
    if task.scratch is not None:
        return tempfile.TemporaryDirectory(prefix="forcegen-sweep-", dir=task.scratch)
    return held_scratch()


def _failure(exc: Exception, task: Task) -> tuple[str, int]:
    """A task's failure in a planner's words, and its exit code: a full disk in the scratch
    folder (the scenario's copy of the workbook, its plan: 2), out of memory (a MemoryError, or
    the SystemError a C extension raises on one: both were 'internal error: MemoryError: '
    with no text), else an internal error."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        reason, remedy = no_room(exc, temporary=True)
        return (
            f"cannot write in the scratch folder {_scratch(task)}: {reason}; {remedy}",
            EXIT_INPUT,
        )
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, MemoryError) or (
        isinstance(exc, SystemError) and isinstance(cause, MemoryError)
    ):
        return (
            "out of memory: the scenario needs more memory than the worker had; run the sweep "
            "with fewer --workers if others ran beside it (each holds a model), or on a machine with "
            "more memory (or a higher memory limit)"
        ), EXIT_INTERNAL
    return f"internal error: {type(exc).__name__}: {exc}", EXIT_INTERNAL


def _scratch(task: Task) -> str:
    """The folder holding the task's temporary files."""
    return task.scratch or tempfile.gettempdir()


def _base_plan(path: Path, data: Data) -> tuple[Data, Baseline]:
    """A stable sweep's baseline, base's output of this sweep, without its file's SHA-256: base's
    solve time is in its bytes, so every scenario's Summary would differ from one sweep to the
    next (a review); its content digest `baseline_sha256` names it. Read into a copy of `data`
    that the solve then takes, as `solve --baseline` reads it: what reading it warns of is in
    the result's data, and not among the workbook's own (`_warnings`)."""
    from .. import api

    solved = dataclasses.replace(data, warnings=list(data.warnings))
    read = api.read_baseline(path, solved)
    return solved, dataclasses.replace(read, file_sha256=None)


def _solve(task: Task, path: Path, began: float, stop: JobStop | InlineStop | None) -> TaskResult:
    from .. import api
    from ..results.output_file import write_output
    from .scenarios import read_scenario

    data = read_scenario(path, task.scenario)
    inputs: list[str | Path] = [path]
    options: dict[str, Any] = dict(task.options)
    if task.baseline is not None:  # in a folder of its own: its name may be the workbook's
        baseline = path.parent / "baseline" / task.baseline.name
        baseline.parent.mkdir()
        baseline.write_bytes(task.baseline.content)
        inputs.append(baseline)
        options["baseline"] = baseline
    solving = data
    if task.baseline is not None and not task.baseline_warnings:
        solving, options["baseline"] = _base_plan(options["baseline"], data)
    if stop is not None:  # a stop once the plan is in hand no longer loses it (`solve`'s way)
        options |= {"hold": stop.held, "checkpoint": stop.check}
    result = api.solve(solving, **options)
    with stop.held() if stop is not None else contextlib.nullcontext():
        scratch_plan = path.with_name("output.xlsx")
        try:
            written = write_output(result, scratch_plan, inputs)  # as `solve` does
        except UsageError as exc:  # a full scratch folder: the name of its file means nothing
            said = str(exc).replace(
                f"cannot write {scratch_plan.name}",
                f"cannot write its plan in the scratch folder {_scratch(task)}",
            )
            raise UsageError(f"solved ({result.status}) but not written: {said}") from None
        output = written.read_bytes()
        # the result too: a stop as it was built lost the plan in hand (a review)
        return _result(task, data, result, output, began, path.parent / "baseline")


def _result(
    task: Task, data: Data, result: Any, output: bytes, began: float, copied: Path
) -> TaskResult:
    """The task's result of its solve `result` and written plan `output` (`copied`: the folder
    of its baseline's copy)."""
    from .timed_view import timed_view

    if data.timed:
        view = timed_view(result, task.scenario, generated=task.generated)
    else:
        view = from_tables(task.scenario, result.tables, generated=task.generated)
    if task.note:
        view.notes.append(scenario_note(task.note, dict(result.tables.summary)))
    return TaskResult(
        scenario=task.scenario,
        status=result.status,
        exit_code=result.exit_code,
        seconds=time.perf_counter() - began,
        view=view,
        output=output,
        warnings=_warnings(task, data, result.data, copied),
        timed=data.timed,
        summary=dict(result.tables.summary),
        conflict=[text for _, text in result.conflict.rules] if result.conflict else [],
        conflicts=other_conflicts(result.conflict) if result.conflict else "",
        conflict_cut_short=result.conflict is not None and not result.conflict.complete,
    )


def _warnings(task: Task, data: Data, solved: Data, copied: Path) -> list[str]:
    """The workbook's warnings, then what reading the task's baseline warned of (in `solved`,
    the data as solved) but what base's task says (`Task.baseline_said`), a key a scenario
    lacks read as base's words for the same key; the baseline's copy in the folder `copied`
    named as the planner gave it (a trial read a warning about `/tmp/forcegen-sweep-.../
    baseline/t1.xlsx`)."""
    # a baseline given sets the workbook's Baseline sheet aside, and its warnings with it, as
    # `solve --baseline` drops them (io/baseline_input.py `set_aside_sheet`; a contract audit)
    own = [str(w) for w in data.warnings if task.baseline is None or not w.at_sheet(BASELINE.name)]
    if task.baseline is None or not task.baseline_warnings:
        return own
    seen = set(own)
    said = set(task.baseline_said)
    shown = task.baseline.shown or task.baseline.name
    theirs = [str(w).replace(str(copied / task.baseline.name), shown) for w in solved.warnings]
    return own + [
        w for w in theirs if w not in seen and _in_base_words(w, task.scenario) not in said
    ]


def _in_base_words(warning: str, scenario: str) -> str:
    """A baseline warning of `scenario` as base's reading words it (io/baseline_input.py)."""
    lacks = f"in scenario '{scenario}' (it drops it, or the workbook lacks it)"
    return warning.replace(lacks, "of the workbook")


def other_conflicts(conflict: Conflict) -> str:
    """What the sweep's console says beside the first conflict: the others its sheet lists
    (`at least` where more remain unnamed), or why no conflict was found."""
    if conflict.undecided:
        return f"no conflict could be found: {conflict.undecided}"
    if not conflict.more:
        return ""
    final = conflict.more_note == LIFTED_GIVES_A_PLAN  # else more may remain unnamed
    least = "" if final else "at least "
    return f"{least}{count(len(conflict.more), 'other conflict')}"
