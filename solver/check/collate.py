"""Runs that finish in any order, turned into outcomes in case order (case, then scenario with
base first), and with --update each case's pin once every scenario of it is in.

An outcome comes out as soon as it and all before it are known, so the console reads the same
whatever the number of workers; with --update a case's outcomes once its pin is written or not
(pin_fate.py: they say whether the pin holds them). After an interruption `finish` gives the
rest, still in that order: each scenario that finished with its real verdict (a case whose
scenarios all finished is closed as usual: its orphans, its pin), and only the others as
errors `not run`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from .cases import Case, display, pin_path
from .compare import FAIL, NOTE, compare
from .outcome import ERROR, FAILED, NEW, PASS, REMOVED, SAME, UPDATED, CheckReport, Outcome
from .pin_fate import PinFate, settle_pin, unpinned
from .run import Job, Run

UNSTEADY = "stopped by a time limit"  # a note's start (report.LEADING_NOTES)
NEAR_LIMIT = "solved near its time limit"  # a note's start, as UNSTEADY's
NEAR_LIMIT_WHY = (
    "nothing stopped it here, but a slower or busier machine may, and its stages' shares are "
    "read from the clock; give a reference case a work_limit on its Settings sheet (the same "
    "plan on every machine)"
)
NOW_INFEASIBLE = "infeasible now, these rules cannot all hold together"  # the same
CHANGED_NO_MOVE = "the workbook changed since it was pinned, the answer did not"
PIN_OF_ANOTHER = "the pin was made for"  # a pin copied from another case
RERUN = (
    "a worker was killed (out of memory?) while it first ran: this is its run alone, after the "
    "others"
)


@dataclass
class CaseInfo:
    """A case as read before any solve: its scenarios (base first, then by name), the workbook's
    hash and the pin; or the errors that keep it from being checked."""

    case: Case
    scenarios: list[str]
    sha256: str = ""
    pin: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0


class Collator:
    """The outcomes of `infos` in case order from their runs in any order: `add` each finished
    run (its job's index in `jobs`); `emit` sees every outcome once, `on_written(pin, changed)`
    each pin written or left as it was by --update, `on_not_written(pin, why)` each it did not
    write although a scenario of its case finished."""

    def __init__(
        self,
        infos: list[CaseInfo],
        report: CheckReport,
        emit: Callable[[Outcome], None],
        on_written: Callable[[str, bool], None] | None = None,
        on_not_written: Callable[[str, str], None] | None = None,
    ) -> None:
        self.infos = infos
        self.report = report
        self.emit = emit
        self.on_written = on_written
        self.on_not_written = on_not_written
        self.jobs: list[Job] = []  # every scenario of every readable case, in case order
        self._first: list[int] = []  # per case, the index of its first job
        for info in infos:
            self._first.append(len(self.jobs))
            if not info.errors:
                self.jobs += [(str(info.case.workbook), s, info.case.name) for s in info.scenarios]
        self.runs: dict[int, Run] = {}  # the runs finished, by job index
        self._next = 0  # the first case not yet settled
        self._shown: set[tuple[str, str]] = set()  # (case, scenario) of the outcomes emitted
        self._fates: dict[int, PinFate] = {}  # per case, what --update did with its pin
        self._told: set[int] = set()  # the cases whose pin's fate has been said
        self._stopped = ""  # what stopped the check (`finish`), '' while it runs

    def add(self, index: int, run: Run) -> None:
        """Job `index` finished: emit every outcome now known in order."""
        self.runs[index] = run
        self.advance()

    def advance(self) -> None:
        """Emit, in order, the outcomes known and not yet emitted, up to the first missing run."""
        while self._next < len(self.infos) and self._settle(self._next, None):
            self._next += 1

    def finish(self, stopped: str, exit_code: int) -> None:
        """After an interruption (`stopped`: `interrupted`, `terminated by SIGTERM`): emit the
        rest in order, each scenario that finished with its verdict and the others as errors
        `not run (interrupted)` (with the interruption's `exit_code`)."""
        self._stopped = stopped
        for i in range(self._next, len(self.infos)):
            self._settle(i, (f"not run ({stopped})", exit_code))
        self._next = len(self.infos)

    def _settle(self, i: int, not_run: tuple[str, int] | None) -> bool:
        """Emit what is known of case i and not yet emitted, in order, and close the case once
        every scenario of it finished. Without `not_run` stop at its first scenario not
        finished (False; with --update at once, emitting none); with it, such a scenario is
        that error. True when the case is done."""
        info = self.infos[i]
        name = info.case.name
        if info.errors:
            if self._unseen(name, "-"):
                self._show(_error(info, "-", info.errors, info.exit_code))
            return True
        runs = [self.runs.get(self._first[i] + k) for k in range(len(info.scenarios))]
        finished = [run for run in runs if run is not None]
        if self.report.update and not_run is None and len(finished) < len(runs):
            return False  # its verdicts say whether its pin holds them: known once all ran
        unwritten = self._fate(i, runs).why
        for scenario, run in zip(info.scenarios, runs, strict=True):
            if run is None and not_run is None:
                return False
            if not self._unseen(name, scenario):
                continue
            if run is not None:
                said = compare_run(info, run, self.report.strict, self.report.update)
                self._show(unpinned(said, unwritten))
            elif not_run is not None:
                why, code = not_run
                self._show(_error(info, scenario, [why], code))
        if len(finished) == len(runs):
            self._close(i)
        elif finished and self.report.update:
            self._tell(i)
        return True

    def _fate(self, i: int, runs: list[Run | None]) -> PinFate:
        """What --update does with case i's pin, decided (and the pin written) once; nothing
        without --update."""
        if not self.report.update:
            return PinFate()
        if i not in self._fates:
            self._fates[i] = settle_pin(self.infos[i], runs, self.report, self._stopped)
        return self._fates[i]

    def _unseen(self, case: str, scenario: str) -> bool:
        """Whether the outcome of (case, scenario) is still to be emitted (an interrupt may
        have come while the ones before were being shown)."""
        return (case, scenario) not in self._shown

    def _show(self, outcome: Outcome) -> None:
        self._shown.add((outcome.case, outcome.scenario))
        self.emit(outcome)

    def _close(self, i: int) -> None:
        """Every scenario of case i finished: its pinned scenarios gone from the workbook; with
        --update, what became of its pin."""
        info = self.infos[i]
        unwritten = self._fates.get(i, PinFate()).why
        for orphan in orphans(info, self.report.update):
            if self._unseen(orphan.case, orphan.scenario):
                self._show(unpinned(orphan, unwritten))
        if self.report.update:
            self._tell(i)

    def _tell(self, i: int) -> None:
        """Say once what --update did with case i's pin: the error of its write (said as the
        pin's, `coalition/pin`: a trial read `cannot check` of a case checked), `not written`
        and why, or written (changed or not)."""
        if i in self._told:
            return
        self._told.add(i)
        info, fate = self.infos[i], self._fates[i]
        pin = display(info.case.pin)
        if fate.error:
            self._show(_error(info, PIN, [fate.error], fate.exit_code))
        elif fate.why and self.on_not_written is not None:
            self.on_not_written(pin, fate.why)
        elif not fate.why and self.on_written is not None:
            self.on_written(pin, fate.changed)


def _pin_elsewhere(case: Case, info: CaseInfo) -> str:
    """`; a pin lies next to the workbook, at ...`: where a case has no pin where it is looked
    for, but one lies next to its workbook (pinned before the folder became a project's
    `inputs`, a CI trial: the pins stayed there, `check` looked below `outputs/`)."""
    beside = case.workbook.with_suffix(".json")
    if info.pin is not None or beside == case.pin or not beside.is_file():
        return ""
    return (
        f"; a pin lies next to the workbook, at {display(beside)} (where pins of a folder that "
        "is no project's inputs live): move it, or give --pins"
    )


def update_hint(case: Case) -> str:
    """The command that re-pins `case`, to be typed as it stands: with `--pins` when its pin is
    not where a check without that option looks for it (else the command would write the pin
    there and leave this one missing), each path quoted where a shell needs it (a space)."""
    words = ["forcegen", "check", "--update"]
    if case.pin.absolute() != pin_path(case.workbook).absolute():
        words += ["--pins", display(case.pin.parent)]
    words.append(display(case.workbook))
    return f"run `{command_line(words)}`"


def command_line(words: list[str], windows: bool = os.name == "nt") -> str:
    """`words` as one command for the user's shell: POSIX quoting ('a b'), or on Windows the
    double quotes cmd.exe and PowerShell both read ("a b"); a path's backslashes are no reason
    to quote it there (POSIX quoting would wrap `inputs\\x.xlsx` in quotes cmd.exe keeps)."""
    return subprocess.list2cmdline(words) if windows else shlex.join(words)


PIN = "pin"  # the scenario label of a case's pin that could not be written


def _error(info: CaseInfo, scenario: str, errors: list[str], exit_code: int) -> Outcome:
    """An error of the case's `scenario` ("-": the case could not be read; PIN: its pin could
    not be written)."""
    case = info.case
    out = Outcome(case.name, scenario, display(case.workbook), display(case.pin), ERROR)
    out.errors, out.exit_code, out.ran = errors, exit_code, False
    return out


def compare_run(info: CaseInfo, run: Run, strict: bool, update: bool) -> Outcome:
    """The verdict on one finished scenario: its errors, or how its answer compares with the
    pin (with `update`: new, updated or unchanged)."""
    case = info.case
    if run.errors:
        out = _error(info, run.scenario, run.errors, run.exit_code)
        out.seconds, out.ran = run.seconds, True
        return out
    out = Outcome(case.name, run.scenario, display(case.workbook), display(case.pin), PASS)
    out.seconds = run.seconds
    assert run.answer is not None
    hint = update_hint(case)
    pinned = None if info.pin is None else info.pin["scenarios"].get(run.scenario)
    out.status = str(run.answer.get("status") or "")
    out.pinned_status = str((pinned or {}).get("status") or "")
    if pinned is None:
        if update:
            out.outcome = NEW
            out.notes = _unsteady(run)
        else:
            out.outcome = FAILED
            where = f"no pin at {display(case.pin)}" if info.pin is None else "scenario not pinned"
            out.failures = [f"{where}: {hint} to pin it{_pin_elsewhere(case, info)}"]
        return out
    findings = compare(pinned, run.answer, mip_gap=run.mip_gap_setting, strict=strict)
    out.failures = [f.text for f in findings if f.level == FAIL]
    out.notes = [*_unsteady(run), *(f.text for f in findings if f.level == NOTE)]
    if run.conflict and pinned.get("status") != "infeasible":  # why, as `solve` says it
        out.notes.insert(0, f"{NOW_INFEASIBLE}: {'; '.join(run.conflict)}")
    if update:
        out.outcome = UPDATED if findings else SAME
        return out
    named = str((info.pin or {}).get("workbook") or "")
    if named and named != case.workbook.name:  # a pin copied from another case: said, pass or fail
        out.notes.insert(0, f"{PIN_OF_ANOTHER} {named}, not {case.workbook.name}")
    changed = info.pin is not None and info.pin.get("input_sha256") not in (None, info.sha256)
    if changed and not out.failures:
        out.notes.append(f"{CHANGED_NO_MOVE}; if intended, {hint} to record it")
    if out.failures:
        out.outcome = FAILED
        assert info.pin is not None
        if info.pin.get("input_sha256") not in (None, info.sha256):
            out.notes.append(f"the workbook changed since it was pinned; if intended, {hint}")
    if out.failures or run.scenario == info.scenarios[0]:  # said once per case on a pass
        out.notes += _pin_provenance(info.pin or {}, bool(out.failures), hint)
    return out


def _pin_provenance(pin: dict, failed: bool, hint: str) -> list[str]:
    """Notes on what the pin records of its making, pass or fail (a CI trial: a pin made with
    another HiGHS passed without a word, and one stripped of `input_sha256` could no longer
    notice a changed workbook, silently):
    `pinned with forcegen 0.0.9, highs 1.9.0; now forcegen 0.1.0, highs 1.16.0` (on a pass,
    `...: the answer still holds`); `the pin records no input_sha256, so a change of the
    workbook cannot be noticed: ...`. A pin without `pinned_with` is not noted: it only
    explains a failure. On a pass they are said of the case's first scenario only: every
    scenario of every case said them after a version bump (a review)."""
    notes = []
    pinned_with = pin.get("pinned_with") or {}
    now = {"forcegen": __version__, "highs": _highs_version()}
    # a pin of an older forcegen may record fewer versions: those it records are compared
    if pinned_with and any(pinned_with.get(k, v) != v for k, v in now.items()):
        was = ", ".join(f"{k} {v}" for k, v in sorted(pinned_with.items()))
        held = "" if failed else ": the answer still holds"
        notes.append(
            f"pinned with {was}; now " + ", ".join(f"{k} {v}" for k, v in now.items()) + held
        )
    if not pin.get("input_sha256"):
        notes.append(
            f"the pin records no input_sha256, so a change of the workbook cannot be noticed: "
            f"{hint} to record it"
        )
    return notes


def _unsteady(run: Run) -> list[str]:
    """A note when the run's answer depends on the machine's speed (`run.stopped_by_the_clock`):
    a pin of it fails on a slower or busier machine; and when its first worker was killed (a
    CI trial: a recurring out-of-memory kill read as a plain pass)."""
    again = [RERUN] if run.rerun else []
    if run.near_limit:
        return [*again, f"{NEAR_LIMIT} ({run.near_limit}): {NEAR_LIMIT_WHY}"]
    if not run.unsteady:
        return again
    return [
        *again,
        f"{UNSTEADY} ({', '.join(run.unsteady)}): its answer depends on the machine's speed and "
        "load; give a reference case a work_limit on its Settings sheet (the same plan on every "
        "machine)",
    ]


def _highs_version() -> str:
    from ..solve.instance import highs_version

    return highs_version()


def orphans(info: CaseInfo, update: bool) -> list[Outcome]:
    """Scenarios in the pin that the workbook no longer has."""
    if info.pin is None:
        return []
    gone = sorted(set(info.pin["scenarios"]) - set(info.scenarios))
    case = info.case
    text = "pinned, but no longer in the workbook"
    hint = update_hint(case)
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
