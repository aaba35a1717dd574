"""Run a check: read every case, solve its scenarios in parallel, compare (or re-pin) in order.

Ctrl-C or SIGTERM stops it: the workers are terminated, what finished is reported, the
scenarios not solved are errors `not run (interrupted)`, and the exit code is 130 (143 for
SIGTERM). A scenario whose worker is killed runs again alone (see `solver.parallel`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..parallel import Lost, failure_text, in_order, local_runner, run_jobs
from ..signals import EXIT_TERMINATED, sigterm_as_interrupt
from .cases import Case, display, find_cases
from .compare import FAIL, NOTE, compare
from .pins import PinError, load_pin, same_answers, write_pin
from .run import Run, solve_job, warm_up

PASS, FAILED, ERROR = "pass", "fail", "error"
NEW, UPDATED, SAME, REMOVED = "new", "updated", "unchanged", "removed"
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_REGRESSED = 0, 1, 2, 5
PRELOAD = ("solver.api", "solver.check.run")


@dataclass
class Outcome:
    """The verdict on one case and scenario (`scenario` is "-" when the case could not be read)."""

    case: str
    scenario: str
    workbook: str
    pin: str
    outcome: str  # pass, fail, error; with --update: new, updated, unchanged, removed, error
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0  # of an error: 2 invalid input, 1 internal

    @property
    def label(self) -> str:
        return f"{self.case}/{self.scenario}"


@dataclass
class CheckReport:
    """Every outcome in order (by case, then scenario with base first) and the pins written."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0
    update: bool = False
    strict: bool = False
    workers: int = 1
    interrupt_code: int = 0  # 130 after Ctrl-C, 143 after SIGTERM

    @property
    def exit_code(self) -> int:
        if self.interrupt_code:
            return self.interrupt_code
        errors = [o.exit_code for o in self.outcomes if o.outcome == ERROR]
        if errors:
            return EXIT_INPUT if EXIT_INPUT in errors else EXIT_INTERNAL
        if any(o.outcome == FAILED for o in self.outcomes):
            return EXIT_REGRESSED
        return EXIT_OK

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)


@dataclass
class _CaseInfo:
    case: Case
    scenarios: list[str]
    sha256: str = ""
    pin: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0


def _read_case(case: Case, update: bool) -> _CaseInfo:
    """Validate the base case, list the scenarios (base first, then by name), load the pin
    (an unreadable pin is an error, except with `update`, which replaces it)."""
    from .. import api

    info = _CaseInfo(case, [])
    try:
        data = api.read(case.workbook)
        info.scenarios = ["base", *sorted(s for s in data.scenarios if s != "base")]
        info.sha256 = data.source_sha256
    except InputError as exc:
        info.errors, info.exit_code = [str(e) for e in exc.errors], exc.exit_code
        return info
    try:
        info.pin = load_pin(case.pin)
    except PinError as exc:
        if not update:
            info.errors, info.exit_code = [str(exc)], exc.exit_code
    return info


def default_workers(n_cases: int) -> int:
    """min(cores, cases), at least 1."""
    return max(1, min(os.cpu_count() or 1, n_cases))


def _runs(jobs: list[tuple[str, str]], workers: int) -> tuple[Any, Iterator[Run]]:
    """The runner (to close) and every job's Run in job order, solved on `workers` processes."""
    runner = local_runner(solve_job, workers, len(jobs), initializer=warm_up, preload=PRELOAD)
    runs = (
        _as_run(job, out) for job, out in zip(jobs, in_order(run_jobs(runner, jobs)), strict=True)
    )
    return runner, runs


def _as_run(job: tuple[str, str], outcome: Run | Lost | Exception) -> Run:
    """The job's Run; a worker killed twice, or a failure to hand the result over, is an
    internal error of that scenario."""
    if isinstance(outcome, Run):
        return outcome
    return Run(*job, errors=[failure_text(outcome)], exit_code=EXIT_INTERNAL)


def _compare_run(info: _CaseInfo, run: Run, strict: bool, update: bool) -> Outcome:
    case = info.case
    out = Outcome(case.name, run.scenario, display(case.workbook), display(case.pin), PASS)
    out.seconds = run.seconds
    if run.errors:
        out.outcome, out.errors, out.exit_code = ERROR, run.errors, run.exit_code
        return out
    assert run.answer is not None
    hint = f"run `forcegen check --update {display(case.workbook)}`"
    pinned = None if info.pin is None else info.pin["scenarios"].get(run.scenario)
    if pinned is None:
        if update:
            out.outcome = NEW
        else:
            out.outcome = FAILED
            where = f"no pin at {display(case.pin)}" if info.pin is None else "scenario not pinned"
            out.failures = [f"{where}: {hint} to pin it"]
        return out
    findings = compare(pinned, run.answer, mip_gap=run.mip_gap_setting, strict=strict)
    out.failures = [f.text for f in findings if f.level == FAIL]
    out.notes = [f.text for f in findings if f.level == NOTE]
    if update:
        out.outcome = UPDATED if findings else SAME
        return out
    if out.failures:
        out.outcome = FAILED
        assert info.pin is not None
        if info.pin.get("input_sha256") not in (None, info.sha256):
            out.notes.append(f"the workbook changed since it was pinned; if intended, {hint}")
        pinned_with = info.pin.get("pinned_with", {})
        now = {"forcegen": __version__, "highs": _highs_version()}
        if pinned_with and pinned_with != now:
            was = ", ".join(f"{k} {v}" for k, v in sorted(pinned_with.items()))
            out.notes.append(
                f"pinned with {was}; now " + ", ".join(f"{k} {v}" for k, v in now.items())
            )
    return out


def _highs_version() -> str:
    from ..solve.instance import highs_version

    return highs_version()


def _orphans(info: _CaseInfo, update: bool) -> list[Outcome]:
    """Scenarios in the pin that the workbook no longer has."""
    if info.pin is None:
        return []
    gone = sorted(set(info.pin["scenarios"]) - set(info.scenarios))
    case = info.case
    text = "pinned, but no longer in the workbook"
    hint = f"run `forcegen check --update {display(case.workbook)}`"
    return [
        Outcome(
            case.name,
            name,
            display(case.workbook),
            display(case.pin),
            REMOVED if update else FAILED,
            failures=[] if update else [f"{text}: {hint}"],
            notes=[text] if update else [],
        )
        for name in gone
    ]


def _new_pin(info: _CaseInfo, runs: list[Run]) -> dict[str, Any]:
    return {
        "case": info.case.name,
        "workbook": info.case.workbook.name,
        "input_sha256": info.sha256,
        "pinned_with": {"forcegen": __version__, "highs": _highs_version()},
        "scenarios": {run.scenario: run.answer for run in runs},
    }


def run_check(
    paths: list[Path],
    *,
    update: bool = False,
    strict: bool = False,
    workers: int | None = None,
    pins_dir: Path | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_written: Callable[[str, bool], None] | None = None,
) -> CheckReport:
    """Check (or with `update`, re-pin) every case under `paths`.

    Outcomes come in a fixed order (case name, then scenario with base first) whatever the
    number of workers; `on_outcome` sees each as soon as it and all before it are known, and
    `on_written(pin, changed)` each pin considered by `update`.
    """
    began = time.perf_counter()
    cases = find_cases(paths, pins_dir)
    workers = workers or default_workers(len(cases))
    report = CheckReport(update=update, strict=strict, workers=workers)
    infos = [_read_case(case, update) for case in cases]
    jobs = [(str(i.case.workbook), s) for i in infos if not i.errors for s in i.scenarios]

    def emit(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    runner, runs = _runs(jobs, workers)
    with sigterm_as_interrupt() as stop:
        cancel = True
        try:
            for info in infos:
                _check_case(info, runs, report, emit, on_written)
            cancel = False
        except KeyboardInterrupt:
            report.interrupt_code = stop.exit_code()
        finally:
            stop.finishing = True
            runner.close(cancel=cancel)  # on an interrupt or error the workers are terminated
        if stop.terminated:
            report.interrupt_code = stop.exit_code()
    if report.interrupt_code:
        for outcome in _not_run(infos, report):
            emit(outcome)
    report.seconds = time.perf_counter() - began
    return report


def _check_case(
    info: _CaseInfo,
    runs: Iterator[Run],
    report: CheckReport,
    emit: Callable[[Outcome], None],
    on_written: Callable[[str, bool], None] | None,
) -> None:
    """Emit the outcomes of one case (taking its runs from `runs`); with `update`, re-pin it."""
    case = info.case
    if info.errors:
        emit(
            Outcome(
                case.name,
                "-",
                display(case.workbook),
                display(case.pin),
                ERROR,
                errors=info.errors,
                exit_code=info.exit_code,
            )
        )
        return
    done = []
    for _ in info.scenarios:
        run = next(runs)
        done.append(run)
        emit(_compare_run(info, run, report.strict, report.update))
    for orphan in _orphans(info, report.update):
        emit(orphan)
    if report.update and not any(r.errors for r in done):
        pin = _new_pin(info, done)
        changed = not same_answers(info.pin, pin)
        if changed:
            write_pin(case.pin, pin)
            report.written.append(display(case.pin))
        if on_written is not None:
            on_written(display(case.pin), changed)


def _not_run(infos: list[_CaseInfo], report: CheckReport) -> list[Outcome]:
    """An error `not run (interrupted)` for each case and scenario without an outcome."""
    seen = {(o.case, o.scenario) for o in report.outcomes}
    terminated = report.interrupt_code == EXIT_TERMINATED
    why = "not run (terminated by SIGTERM)" if terminated else "not run (interrupted)"
    out = []
    for info in infos:
        case = info.case
        for scenario in info.scenarios if not info.errors else ["-"]:
            if (case.name, scenario) not in seen:
                out.append(
                    Outcome(
                        case.name,
                        scenario,
                        display(case.workbook),
                        display(case.pin),
                        ERROR,
                        errors=[why],
                        exit_code=report.interrupt_code,
                    )
                )
    return out
