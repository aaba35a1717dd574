"""Run a check: read every case, solve its scenarios in parallel, compare (or re-pin) in order."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..parallel import process_pool
from .cases import Case, display, find_cases
from .compare import FAIL, NOTE, compare
from .pins import PinError, load_pin, same_answers, write_pin
from .run import Run, solve_scenario, warm_up

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

    @property
    def exit_code(self) -> int:
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


def _executor(workers: int, jobs: int) -> ProcessPoolExecutor | None:
    return process_pool(workers, jobs, initializer=warm_up, preload=PRELOAD)


def default_workers(n_cases: int) -> int:
    """min(cores, cases), at least 1."""
    return max(1, min(os.cpu_count() or 1, n_cases))


def _results(
    jobs: list[tuple[str, str]], pool: ProcessPoolExecutor | None
) -> Iterator[Callable[[], Run]]:
    """One getter per job, in job order; with a pool every job is submitted at once."""
    if pool is None:
        warm_up()
        for workbook, scenario in jobs:
            yield lambda w=workbook, s=scenario: solve_scenario(w, s)
        return
    futures: list[Future[Run]] = [pool.submit(solve_scenario, w, s) for w, s in jobs]
    for fut in futures:
        yield fut.result


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

    pool = _executor(workers, len(jobs))
    try:
        getters = _results(jobs, pool)
        for info in infos:
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
                continue
            runs = []
            for _ in info.scenarios:
                run = next(getters)()
                runs.append(run)
                emit(_compare_run(info, run, strict, update))
            for orphan in _orphans(info, update):
                emit(orphan)
            if update and not any(r.errors for r in runs):
                pin = _new_pin(info, runs)
                changed = not same_answers(info.pin, pin)
                if changed:
                    write_pin(case.pin, pin)
                    report.written.append(display(case.pin))
                if on_written is not None:
                    on_written(display(case.pin), changed)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    report.seconds = time.perf_counter() - began
    return report
