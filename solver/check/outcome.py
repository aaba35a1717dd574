"""What a check says: the verdict on each case and scenario (`Outcome`), and the whole run's
(`CheckReport`) with its exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..exit_codes import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_REGRESSED

PASS, FAILED, ERROR = "pass", "fail", "error"
NEW, UPDATED, SAME, REMOVED = "new", "updated", "unchanged", "removed"


@dataclass
class Outcome:
    """The verdict on one case and scenario (`scenario` is "-" when the case could not be read)."""

    case: str
    scenario: str
    workbook: str
    pin: str
    outcome: str  # pass, fail, error; with --update: new, updated, unchanged, removed, error
    seconds: float = 0.0
    ran: bool = True  # False for a scenario not run (stopped before, a case unread, a pin)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exit_code: int = 0  # of an error: 2 invalid input, 1 internal, 130/143 not run (interrupted)
    status: str = ""  # the solve's status now (optimal, feasible, infeasible, ...); '' if none
    pinned_status: str = ""  # the pin's; '' without a pin

    @property
    def label(self) -> str:
        return f"{self.case}/{self.scenario}"


@dataclass
class CheckReport:
    """Every outcome in order (by case, then scenario with base first) and the pins written."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # --update: pins of cases with an error
    unwritable: list[str] = field(default_factory=list)  # --update: pins a write failed
    # --update: pins of cases stopped by the interruption after a scenario of theirs finished
    interrupted: list[str] = field(default_factory=list)
    seconds: float = 0.0
    update: bool = False
    strict: bool = False
    workers: int = 1
    interrupt_code: int = 0  # 130 after Ctrl-C, 143 after SIGTERM

    @property
    def exit_code(self) -> int:
        """The first that applies: the interruption's (130, 143), 2 when any error is invalid
        input, 1 for any other error (internal), 5 when any answer moved, else 0."""
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
