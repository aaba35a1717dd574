"""Problems found in a workbook, reported all at once as `Sheet!Cell: message`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Issue:
    """One problem (or warning) tied to a place in the workbook."""

    where: str
    message: str
    level: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return f"{prefix}{self.where}: {self.message}" if self.where else f"{prefix}{self.message}"


@dataclass
class Issues:
    """Collects issues while reading and validating; raised as one `InputError`."""

    items: list[Issue] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.items.append(Issue(where, message, "error"))

    def warn(self, where: str, message: str) -> None:
        self.items.append(Issue(where, message, "warning"))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.level == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors, self.warnings)


class ForcegenError(Exception):
    """Base of forcegen's own errors; the CLI maps each to an exit code."""

    exit_code = 1


class InputError(ForcegenError):
    """The workbook (or the command line) is invalid: every problem is listed. `note`, if
    any, says how to read them: the message's first line, never counted as a problem."""

    exit_code = 2

    def __init__(
        self, errors: list[Issue], warnings: list[Issue] | None = None, note: str = ""
    ) -> None:
        self.errors = list(errors)
        self.warnings = list(warnings or [])
        self.note = note
        super().__init__("\n".join([*([note] if note else []), *(str(e) for e in self.errors)]))


class UsageError(ForcegenError):
    """A request that cannot be carried out as asked (bad path, output equal to input...)."""

    exit_code = 2


class SolverFailure(ForcegenError):
    """HiGHS failed in a way that is not the workbook's fault."""

    exit_code = 1
