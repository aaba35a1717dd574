"""Run a sweep: solve base and the scenarios in parallel, write each output as it arrives, then
the comparison. One scenario's failure is reported in its row and never stops the others."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compare import Comparison, compare_views, error_view, write_comparison
from ..errors import InputError
from ..io.read import read_data
from ..parallel import cores
from ..results.writer import atomic_write, refuse_overwriting_inputs
from .backends import Backend, make_backend
from .progress import Progress
from .scenarios import Planned, plan
from .task import EXIT_INTERNAL, Task, TaskResult

COMPARISON = "comparison.xlsx"
EXIT_INTERRUPTED = 130
# the worst code wins: infeasible < no solution in time < invalid input < internal < interrupted
SEVERITY = {0: 0, 3: 1, 4: 2, 2: 3, 1: 4, EXIT_INTERRUPTED: 5}


@dataclass
class SweepReport:
    """Every scenario's result in plan order (base first), the files written, the comparison."""

    results: list[TaskResult]
    outputs: dict[str, Path]
    comparison: Comparison | None = None
    comparison_path: Path | None = None
    seconds: float = 0.0
    runner: str = ""
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every scenario solved (optimal or feasible), else the worst code (SEVERITY)."""
        codes = [r.exit_code for r in self.results]
        if self.interrupted:
            codes.append(EXIT_INTERRUPTED)
        return max(codes, key=lambda c: SEVERITY.get(c, SEVERITY[EXIT_INTERNAL]), default=0)

    @property
    def solved(self) -> int:
        return sum(r.exit_code == 0 for r in self.results)


def default_dir(workbook: Path) -> Path:
    return Path("outputs") / Path(workbook).stem


def file_names(names: list[str]) -> dict[str, str]:
    """A safe, distinct file name per scenario (never comparison.xlsx)."""
    out: dict[str, str] = {}
    taken = {COMPARISON.casefold()}
    for name in names:
        stem = re.sub(r"[^\w.-]+", "_", name).strip("._") or "scenario"
        candidate, n = f"{stem}.xlsx", 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}.xlsx"
        taken.add(candidate.casefold())
        out[name] = candidate
    return out


def run_sweep(
    workbook: Path,
    *,
    out_dir: Path | None = None,
    scenarios: list[str] | None = None,
    withdraw_each: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    options: dict[str, Any] | None = None,
    on_result: Callable[[TaskResult, Path | None], None] | None = None,
    progress: Progress | None = None,
) -> SweepReport:
    """Solve base and the scenarios of `workbook` (or those named; `withdraw_each` adds one
    `withdraw_<CODE>` per available contributor) into `out_dir`/<scenario>.xlsx, then write
    `out_dir`/comparison.xlsx. `options` are `api.solve`'s (time_limit, threads, ...)."""
    began = time.perf_counter()
    workbook = Path(workbook)
    out_dir = Path(out_dir) if out_dir is not None else default_dir(workbook)
    content = _read_bytes(workbook)
    try:
        base = read_data(workbook)
    except InputError:
        base = None  # base's own row reports why
    planned, notes = plan(workbook, list(scenarios or []), withdraw_each, base)
    names = file_names([p.name for p in planned])
    paths = {p.name: out_dir / names[p.name] for p in planned}
    for path in [*paths.values(), out_dir / COMPARISON]:
        refuse_overwriting_inputs(path, [workbook])
    tasks = [
        Task(p.name, p.generated, workbook.name, content, dict(options or {})) for p in planned
    ]
    backend = make_backend(workers or cores(), len(tasks), scheduler)
    report = SweepReport([], {}, runner=backend.label, notes=notes)
    results: dict[str, TaskResult] = {}

    def finished(result: TaskResult) -> None:
        results[result.scenario] = result
        path = paths[result.scenario] if result.output is not None else None
        if path is not None:
            atomic_write(path, result.output or b"")
            report.outputs[result.scenario] = path
        if progress is not None:
            progress.clear()
        if on_result is not None:
            on_result(result, path)

    if progress is not None:
        progress.start(len(tasks))
    try:
        _drive(backend, tasks, finished, progress)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        backend.close(cancel=True)
        if progress is not None:
            progress.close()
    report.results = [results.get(p.name) or _not_run(p) for p in planned]
    views = [r.view for r in report.results]
    report.comparison = compare_views(views)
    report.comparison_path = write_comparison(report.comparison, out_dir / COMPARISON, [workbook])
    report.seconds = time.perf_counter() - began
    return report


def _drive(
    backend: Backend,
    tasks: list[Task],
    finished: Callable[[TaskResult], None],
    progress: Progress | None,
) -> None:
    """Keep `backend.slots` tasks submitted; hand each result over as soon as it is known."""
    queue = list(tasks)
    running: dict[Any, Task] = {}
    done = 0
    while queue or running:
        while queue and len(running) < backend.slots:
            task = queue.pop(0)
            running[backend.submit(task)] = task
        if progress is not None:
            progress.update(done, [t.scenario for t in running.values()])
        for handle in backend.done(list(running), timeout=0.25):
            task = running.pop(handle)
            result = _result(backend, handle, task)
            finished(result)
            done += 1
            if result.status == "interrupted":  # Ctrl-C reached a solve: stop the sweep too
                raise KeyboardInterrupt
    if progress is not None:
        progress.update(done, [])


def _result(backend: Backend, handle: Any, task: Task) -> TaskResult:
    """The task's result; a worker that died is an internal error of that scenario."""
    try:
        return backend.result(handle)
    except Exception as exc:
        text = f"internal error: the worker failed: {type(exc).__name__}: {exc}"
        view = error_view(task.scenario, text, generated=task.generated)
        return TaskResult(task.scenario, "error", EXIT_INTERNAL, 0.0, view, None, [text])


def _not_run(planned: Planned) -> TaskResult:
    view = error_view(
        planned.name, "not run (interrupted)", status="not_run", generated=planned.generated
    )
    return TaskResult(planned.name, "not_run", EXIT_INTERRUPTED, 0.0, view, None, [view.error])


def _read_bytes(workbook: Path) -> bytes:
    from ..io.excel import check_file

    check_file(workbook)  # a missing or non-workbook file: exit 2 with what it is
    return workbook.read_bytes()
