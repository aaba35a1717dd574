"""Solve one scenario of one case: the unit of work a check worker process runs."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..drill import rehearse
from ..errors import ForcegenError, InputError
from ..model.stage_names import stage_records

THREADS = 1  # HiGHS threads: pinned, since the thread count changes HiGHS's search path
SOLVE_LOG = "forcegen.solve"  # the logger that says what a solve does on Ctrl-C

Job = tuple[str, str, str]  # (workbook, scenario, case name)


@dataclass
class Run:
    """What solving one scenario gave: its answer, or the errors that stopped it."""

    workbook: str
    scenario: str
    seconds: float = 0.0
    answer: dict[str, Any] | None = None
    mip_gap_setting: float = 1e-4
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0  # 2 invalid input, 1 internal error
    unsteady: list[str] = field(default_factory=list)  # stages stopped by a limit in seconds
    # a solve in seconds that used much of its time limit, though nothing stopped it: `0.12 s
    # of its 0.15 s time limit` ('' otherwise; `near_the_clock`)
    near_limit: str = ""
    conflict: list[str] = field(default_factory=list)  # an infeasible run's conflicting rules
    rerun: bool = False  # its first worker was killed: this is its run alone (runner.py)


class KeepsNoPlan(logging.Filter):
    """Drops a solve's own word on Ctrl-C, that it is "keeping the best plan found so far": a
    check keeps no interrupted plan (it is neither compared nor pinned), and says itself what
    it does (see `runner.run_check`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from ..solve.highs import KEEPS_BEST_PLAN

        return not (isinstance(record.args, tuple) and KEEPS_BEST_PLAN in record.args)


@contextlib.contextmanager
def keeping_no_plan() -> Iterator[None]:
    """Within: the solves of this process do not say that they keep a plan on Ctrl-C."""
    keeps_none = KeepsNoPlan()
    logger = logging.getLogger(SOLVE_LOG)
    logger.addFilter(keeps_none)
    try:
        yield
    finally:
        logger.removeFilter(keeps_none)


def warm_up() -> None:
    """Import the solver before the first job, so that a job's time is its own; in a worker
    process (which runs check jobs only), drop the solves' word that they keep a plan."""
    from .. import api  # noqa: F401

    if multiprocessing.parent_process() is not None:
        logging.getLogger(SOLVE_LOG).addFilter(KeepsNoPlan())


def solve_job(job: Job) -> Run:
    """`solve_scenario(workbook, scenario, case)` of the job (workbook, scenario, case)."""
    return solve_scenario(*job)


def solve_scenario(workbook: str, scenario: str, case: str | None = None) -> Run:
    """Read, solve (threads pinned to 1) and reduce to the pinned answer; raises only
    KeyboardInterrupt (an interrupted solve is never compared or pinned). `case`: the case's
    name, for the fault drill (solver/drill.py: CASE/SCENARIO; default the workbook's stem).

    Errors come back as text (an `InputError` does not survive pickling between processes).
    """
    from .. import api
    from .pins import answer

    run = Run(workbook, scenario)
    began = time.perf_counter()
    rehearse(f"{case or Path(workbook).stem}/{scenario}")
    try:
        result = api.solve(workbook, scenario=scenario, threads=THREADS)
        if result.status == "interrupted":  # Ctrl-C or SIGTERM reached the solve: stop the check
            raise KeyboardInterrupt
        if (memory := result.outcome.out_of_memory) is not None:
            # the plan so far, kept for a planner, is no answer to compare with the pins
            raise MemoryError(f"out of memory in stage {memory.name}")
        run.answer = answer(result)
        run.mip_gap_setting = float(result.options.mip_gap)
        run.unsteady = stopped_by_the_clock(result.summary)
        seconds = time.perf_counter() - began
        run.near_limit = "" if run.unsteady else near_the_clock(result.summary, seconds)
        if result.status == "infeasible" and result.conflict is not None:
            run.conflict = [text for _, text in result.conflict.rules]
    except InputError as exc:
        run.errors = [str(e) for e in exc.errors]
        run.exit_code = exc.exit_code
    except ForcegenError as exc:
        run.errors = [str(exc)]
        run.exit_code = exc.exit_code
    except MemoryError as exc:  # this case is too large for the machine; the others go on
        said = str(exc) or "the model is too large for this machine"
        run.errors = [said if said.startswith("out of memory") else f"out of memory: {said}"]
        run.exit_code = 1
    except Exception as exc:  # an internal error: reported for this case, the others go on
        run.errors = [f"internal error: {type(exc).__name__}: {exc}"]
        run.exit_code = 1
    run.seconds = time.perf_counter() - began
    return run


# a run in seconds that took more than this share of its time limit gets a note (NEAR_LIMIT)
NEAR_SHARE = 0.25


def near_the_clock(summary: dict[str, Any], seconds: float) -> str:
    """`0.12 s of its 0.15 s time limit` where a run counted in seconds took more than
    NEAR_SHARE of its time limit (reading, building and writing too: what a slower machine
    takes from it); '' otherwise. Nothing stopped it here, but the stages' shares and the
    steps started only with enough time left are read from the clock: a slower or busier
    machine may end elsewhere (a CI trial pinned such a case on an idle machine, without a
    word, and saw it fail under load)."""
    limit = summary.get("option.time_limit")
    if summary.get("option.work_limit") or not isinstance(limit, int | float) or limit <= 0:
        return ""
    if seconds <= NEAR_SHARE * float(limit):
        return ""
    return f"{seconds:.2g} s of its {float(limit):g} s time limit"


def stopped_by_the_clock(summary: dict[str, Any]) -> list[str]:
    """The stages a limit in seconds stopped (the time limit, or a share of it): their values
    depend on the machine's speed and load, so a pin of them fails on a slower or busier
    machine. A work limit's shares do not (solve/clock.py). A run that found no plan within a
    limit in seconds is such too (`no plan found`): a faster machine finds one (its Summary
    has no stage stopped, since no stage had a plan to stop with)."""
    in_seconds = not summary.get("option.work_limit")
    limited = summary.get("option.time_limit") not in (None, "", "none")
    if summary.get("status") == "no_solution" and in_seconds and limited:
        return ["no plan found"]
    return [
        stage.name
        for stage in stage_records(summary)
        if stage.stopped == "time limit" or (stage.stopped == "share" and in_seconds)
    ]
