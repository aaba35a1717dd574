"""What `check --update` does with a case's pin, and what its scenarios' verdicts then say.

A pin holds every scenario of its case, so it is written once all of them solved, and only
then: not when one ended in error, nor when the check was stopped before all of them ran, nor
when the write failed (a full disk). A verdict `NEW`, `UPDATED` or `REMOVED` says that the pin
now holds the scenario's answer (or no longer holds the scenario), so under --update a case's
verdicts wait until its pin is written or not (collate.py); where it is not, such a scenario
fails instead (`not re-pinned: ...`), as a check of the pin left would fail it. An interrupted
--update printed `UPDATED coalition/base ... objective.presence pinned 999, now 65` for a pin
it never wrote, and `0 pins written` at the end (a CI trial).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import UsageError
from .cases import display
from .outcome import FAILED, NEW, REMOVED, UPDATED, CheckReport, Outcome
from .pins import same_answers, write_pin
from .run import Run

if TYPE_CHECKING:
    from .collate import CaseInfo

WITHHELD = "a scenario of its case ended in error, and a pin holds every scenario"
STOPPED = "{stopped} before every scenario of its case ran, and a pin holds every scenario"
UNWRITABLE = "its pin could not be written (see its error)"
# what a verdict that says the pin holds the answer becomes where the pin was not written
NOT_DONE = {NEW: "not pinned", UPDATED: "not re-pinned", REMOVED: "still pinned"}


@dataclass(frozen=True)
class PinFate:
    """What --update did with a case's pin: written (`changed`: with other answers; else left
    as it was, holding these), or not, `why` ('' when it was); `error` (with its exit code)
    where the write failed."""

    changed: bool = False
    why: str = ""
    error: str = ""
    exit_code: int = 0


def settle_pin(
    info: CaseInfo, runs: list[Run | None], report: CheckReport, stopped: str
) -> PinFate:
    """Write the pin of case `info` where every scenario solved and its answers changed; the
    runs of its scenarios in order (None: not run, the check `stopped`, `interrupted`). The
    pin is added to the report's pins written or not written (not where no scenario ran: their
    lines say so)."""
    pin = display(info.case.pin)
    if any(run is None for run in runs):
        if any(run is not None for run in runs):
            report.interrupted.append(pin)
        return PinFate(why=STOPPED.format(stopped=stopped))
    finished = [run for run in runs if run is not None]
    if any(run.errors for run in finished):
        report.withheld.append(pin)
        return PinFate(why=WITHHELD)
    new = new_pin(info, finished)
    if same_answers(info.pin, new):
        return PinFate()
    try:
        write_pin(info.case.pin, new)
    except UsageError as exc:  # a full disk: this case's error, the others go on
        report.unwritable.append(pin)
        return PinFate(why=UNWRITABLE, error=f"pin not written: {exc}", exit_code=exc.exit_code)
    report.written.append(pin)
    return PinFate(changed=True)


def unpinned(outcome: Outcome, why: str) -> Outcome:
    """`outcome` where its case's pin was not written (`why`; '' where it was): a scenario new,
    moved or gone from the workbook fails, its first line saying that the pin does not hold it
    (`not re-pinned: ...`); the others as they were."""
    said = NOT_DONE.get(outcome.outcome)
    if not why or said is None:
        return outcome
    outcome.outcome = FAILED
    outcome.failures.insert(0, f"{said}: {why}")
    return outcome


def new_pin(info: CaseInfo, runs: list[Run]) -> dict[str, Any]:
    """The pin of a case whose every scenario solved."""
    from ..solve.instance import highs_version

    return {
        "case": info.case.name,
        "workbook": info.case.workbook.name,
        "input_sha256": info.sha256,
        "pinned_with": {"forcegen": __version__, "highs": highs_version()},
        "scenarios": {run.scenario: run.answer for run in runs},
    }
