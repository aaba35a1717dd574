"""Run a check: read every case, solve its scenarios in parallel, compare (or re-pin) in order.

Ctrl-C or SIGTERM stops it: the workers are terminated, every scenario that finished is
reported with its verdict (also one that finished while an earlier one still ran), the others
are errors `not run (interrupted)`, and the exit code is 130 (143 for SIGTERM). A scenario
whose worker is killed runs again alone (see `solver.parallel`)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..exit_codes import EXIT_INTERNAL
from ..parallel import Lost, StoppedAlone, failure_text, local_runner, run_jobs
from ..signals import HungUp, Terminated, sigterm_as_interrupt
from .cases import Case, case_names, display, find_cases, lost_workbooks
from .collate import CaseInfo, Collator
from .outcome import FAILED, CheckReport, Outcome
from .pin_sums import check_sums
from .pins import PinError, check_kind, load_pin
from .run import Job, Run, keeping_no_plan, solve_job, warm_up

__all__ = ["default_workers", "run_check"]

PRELOAD = ("solver.api", "solver.check.run")
STOPPING = "the scenarios finished so far are reported, the others as not run"

log = logging.getLogger("forcegen.check")


def _read_case(case: Case, update: bool) -> CaseInfo:
    """Validate the base case, list the scenarios (base first, then by name), load the pin
    (an unreadable pin is an error, except with `update`, which replaces it)."""
    from .. import api

    info = CaseInfo(case, [])
    try:
        data = api.read(case.workbook)
        info.scenarios = ["base", *sorted(s for s in data.scenarios if s != "base")]
        info.sha256 = data.source_sha256
    except InputError as exc:
        info.errors, info.exit_code = [str(e) for e in exc.errors], exc.exit_code
        return info
    try:
        info.pin = load_pin(case.pin)
        if info.pin is not None:
            check_kind(info.pin, case.pin, data.timed)
            check_sums(info.pin, case.pin)
    except PinError as exc:
        if not update:
            info.errors, info.exit_code = [str(exc)], exc.exit_code
    return info


def default_workers(n_cases: int) -> int:
    """min(cores, cases), at least 1."""
    return max(1, min(os.cpu_count() or 1, n_cases))


def _as_run(job: Job, outcome: Run | Lost | StoppedAlone | Exception) -> Run:
    """The job's Run; a worker killed twice, or a failure to hand the result over, is an
    internal error of that scenario (a check asks no `StoppedAlone` of run_jobs: its stops
    are its own)."""
    if isinstance(outcome, Run):
        return outcome
    if isinstance(outcome, StoppedAlone):
        raise KeyboardInterrupt
    workbook, scenario, _ = job
    return Run(workbook, scenario, errors=[failure_text(outcome)], exit_code=EXIT_INTERNAL)


def lost_case(name: str, pin: Path, workbook: Path) -> Outcome:
    """The verdict on a pinned case whose workbook is gone: a failure (exit 5), never deleted
    by --update (a pin is kept work; the planner decides). `name` as the case would have."""
    return Outcome(
        name,
        "-",
        display(workbook),
        display(pin),
        FAILED,
        failures=[
            f"pinned, but its workbook {display(workbook)} is gone: restore it, or delete "
            f"{display(pin)} if the case was retired"
        ],
    )


def run_check(
    paths: list[Path],
    *,
    update: bool = False,
    strict: bool = False,
    workers: int | None = None,
    pins_dir: Path | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_written: Callable[[str, bool], None] | None = None,
    on_not_written: Callable[[str, str], None] | None = None,
    finish: Callable[[CheckReport], None] | None = None,
) -> CheckReport:
    """Check (or with `update`, re-pin) every case under `paths`.

    Outcomes come in a fixed order (case name, then scenario with base first) whatever the
    number of workers; `on_outcome` sees each as soon as it and all before it are known, and
    `on_written(pin, changed)` each pin written or left as it was by `update`, and
    `on_not_written(pin, why)` each it did not write though a scenario of its case finished
    (with `update` a case's outcomes come once that is known). Interrupted, the rest come
    after the interruption in the same order: what finished with its verdict, the rest
    `not run`.

    `finish(report)` makes the command's report (the JUnit file, the last lines) once every
    outcome is in, still within the signal guard: a Ctrl-C or SIGTERM then is recorded (exit
    130 or 143) and the report completes; after the guard, a SIGTERM killed the command in the
    middle of its JUnit file (its temporary file left behind) and a Ctrl-C lost it.
    """
    began = time.perf_counter()
    cases = find_cases(paths, pins_dir)
    workers = workers or default_workers(len(cases))
    report = CheckReport(update=update, strict=strict, workers=workers)

    def emit(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    killed: set[int] = set()  # jobs whose first worker was killed: their outcome says so

    def worker_lost(index: int) -> None:
        killed.add(index)
        workbook, scenario, _ = jobs[index]
        log.warning(
            "%s (%s): a worker was killed (out of memory?) while it ran; it runs again alone "
            "once the others are done",
            Path(workbook).name,
            scenario,
        )

    with sigterm_as_interrupt() as stop, keeping_no_plan():
        # a SIGTERM while reading (or one whose exception a finaliser lost, raised by the
        # check): nothing checked, exit 143
        infos = [_read_case(c, update) for c in cases]
        collator = Collator(infos, report, emit, on_written, on_not_written)
        stop.check()
        jobs = collator.jobs
        report.workers = max(1, min(workers, len(jobs)))  # the processes run: one per job at most
        runner = None
        cancel = True
        try:
            runner = local_runner(
                solve_job, workers, len(jobs), initializer=warm_up, preload=PRELOAD
            )
            collator.advance()  # the cases that could not be read, before any solve
            # before every wait, a signal whose exception was lost is raised
            for index, outcome in run_jobs(
                runner, jobs, lambda *_: stop.check(), None, worker_lost
            ):
                run = _as_run(jobs[index], outcome)
                run.rerun = index in killed
                collator.add(index, run)
            cancel = False
        except KeyboardInterrupt:
            report.interrupt_code = stop.exit_code()
            log.warning("%s: stopping the check; %s", stop.message(), STOPPING)
        finally:
            stop.finishing = True
            if runner is not None:  # on an interrupt or error the workers are terminated
                runner.close(cancel=cancel)
        if stop.terminated or stop.interrupted:  # also one that came as the check was ending
            report.interrupt_code = stop.exit_code()
        if not report.interrupt_code:
            lost = lost_workbooks(paths, cases, pins_dir)
            names = case_names([*(c.workbook for c in cases), *(w for _, w in lost)])
            for pin, workbook in lost:
                emit(lost_case(names[workbook], pin, workbook))
        if report.interrupt_code:
            by = (HungUp if stop.hung_up else Terminated).within
            why = f"terminated by {by}" if stop.terminated else "interrupted"
            collator.finish(why, report.interrupt_code)
        report.seconds = time.perf_counter() - began
        if finish is not None:
            finish(report)
        if (stop.terminated or stop.interrupted) and not report.interrupt_code:
            log.warning("%s as the check ended: its report is complete", stop.message())
            report.interrupt_code = stop.exit_code()
    return report
