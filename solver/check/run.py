"""Solve one scenario of one case: the unit of work a check worker process runs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..drill import rehearse
from ..errors import ForcegenError, InputError

THREADS = 1  # HiGHS threads: pinned, since the thread count changes HiGHS's search path


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


def warm_up() -> None:
    """Import the solver before the first job, so that a job's time is its own."""
    from .. import api  # noqa: F401


def solve_job(job: tuple[str, str]) -> Run:
    """`solve_scenario(workbook, scenario)` of the job (workbook, scenario)."""
    return solve_scenario(*job)


def solve_scenario(workbook: str, scenario: str) -> Run:
    """Read, solve (threads pinned to 1) and reduce to the pinned answer; raises only
    KeyboardInterrupt (an interrupted solve is never compared or pinned).

    Errors come back as text (an `InputError` does not survive pickling between processes).
    """
    from .. import api
    from .pins import answer

    run = Run(workbook, scenario)
    began = time.perf_counter()
    rehearse(f"{Path(workbook).stem}/{scenario}")
    try:
        result = api.solve(workbook, scenario=scenario, threads=THREADS)
        if result.status == "interrupted":  # Ctrl-C or SIGTERM reached the solve: stop the check
            raise KeyboardInterrupt
        run.answer = answer(result)
        run.mip_gap_setting = float(result.options.mip_gap)
    except InputError as exc:
        run.errors = [str(e) for e in exc.errors]
        run.exit_code = exc.exit_code
    except ForcegenError as exc:
        run.errors = [str(exc)]
        run.exit_code = exc.exit_code
    except Exception as exc:  # an internal error: reported for this case, the others go on
        run.errors = [f"internal error: {type(exc).__name__}: {exc}"]
        run.exit_code = 1
    run.seconds = time.perf_counter() - began
    return run
