"""Problems found in a workbook, reported all at once as `Sheet!Cell: message` (about a sheet as
a whole: `Sheet: message`, the sheet named as a reference starts with it, `' pledges '`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .addresses import SHEET, sheet_of, split_address
from .exit_codes import EXIT_INPUT, EXIT_INTERNAL

# a place is a reference, `Sheet!C12`, `Sheet!12:12` (a whole row), `Sheet!C` ...
# (`addresses.split_address`), whose part after the `!` gives the column letters and row;
_CELL = re.compile(r"\$?(?P<column>[A-Z]*)\$?(?P<row>\d*)")
# or a sheet (as a reference starts with it, `addresses.SHEET`) or table and a row in words:
# `Tours row 5`, `' tours ' rows 2, 3`, `pledges row 4 (units)`, `pledges (columns)` (its header)
_ROW_IN_WORDS = re.compile(
    rf"^(?P<sheet>{SHEET}) (?:rows? (?P<row>\d+)(?=$| \(|,)|(?P<header>\(columns\))$)"
)


WARNING = "warning"  # the level of an Issue that does not stop a read
LISTED = 5  # the problems a one-line note names (`InputError.listed`)


@dataclass(frozen=True, order=True)
class Issue:
    """One problem (or warning) tied to a place in the workbook."""

    where: str
    message: str
    level: str = "error"  # "error" or WARNING

    def at_sheet(self, name: str) -> bool:
        """Whether the issue is at sheet `name` (a cell of it, or the sheet itself), matched as
        the contract matches names."""
        return at_sheet(self.where, name)

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return f"{prefix}{self.where}: {self.message}" if self.where else f"{prefix}{self.message}"


def at_sheet(where: str, name: str) -> bool:
    """Whether the place `where` (`Scenarios!E2`, `' scenarios '!E2`, a sheet's title alone) is
    on sheet `name`, matched as the contract matches names."""
    from .io.schema_types import norm  # here: the schema's modules import this one

    return norm(sheet_of(where)) == norm(name)


@dataclass
class Issues:
    """Collects issues while reading and validating; raised as one `InputError`."""

    items: list[Issue] = field(default_factory=list)
    # the cells of the errors in items[:_indexed] (`has_error_at`; items are also appended to
    # directly, hence indexed when asked)
    _error_cells: set[str] = field(default_factory=set, repr=False, compare=False)
    _indexed: int = field(default=0, repr=False, compare=False)

    def has_error_at(self, where: str) -> bool:
        """Whether an error is reported at `where` already (a formula without its value)."""
        if len(self.items) < self._indexed:  # items replaced: index again
            self._error_cells, self._indexed = set(), 0
        for issue in self.items[self._indexed :]:
            if issue.level == "error":
                self._error_cells.add(issue.where)
        self._indexed = len(self.items)
        return where in self._error_cells

    def drop(self, unwanted: Callable[[Issue], bool]) -> None:
        """Remove the issues `unwanted` says are superseded (by one that says it better)."""
        self.items = [i for i in self.items if not unwanted(i)]
        self._error_cells, self._indexed = set(), 0

    def error(self, where: str, message: str) -> None:
        self.items.append(Issue(where, message, "error"))

    def missing(self, where: str, message: str) -> None:
        """An error for a blank cell, unless `where` has one already: a cell holding an Excel
        error value (`#REF!`) reads as blank and is said as such first (a fault trial saw
        `Excel error value #REF!` and `units is required` at one cell)."""
        if not self.has_error_at(where):
            self.error(where, message)

    def warn(self, where: str, message: str) -> None:
        self.items.append(Issue(where, message, WARNING))

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

    exit_code = EXIT_INTERNAL


class InputError(ForcegenError):
    """The workbook (or the command line) is invalid: every problem is listed. `note`, if
    any, says how to read them: the message's first line, never counted as a problem."""

    exit_code = EXIT_INPUT

    def __init__(
        self, errors: list[Issue], warnings: list[Issue] | None = None, note: str = ""
    ) -> None:
        self.errors = in_workbook_order(errors)
        self.warnings = in_workbook_order(warnings or [])
        self.note = note
        super().__init__("\n".join([*([note] if note else []), *(str(e) for e in self.errors)]))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Issue], list[Issue], str]]:
        """Pickled as its issues: a multiprocessing caller's job that raised one crashed the
        pool's result thread (unpickled from its message alone) and hung (a review)."""
        return (InputError, (self.errors, self.warnings, self.note))

    def plus(self, errors: list[Issue]) -> InputError:
        """This error with `errors` said beside its own (all at once), its warnings and note."""
        return InputError([*self.errors, *errors], self.warnings, self.note)

    @property
    def first(self) -> str:
        """The first problem, for a message that has room for one."""
        return str(self.errors[0]) if self.errors else str(self)

    @property
    def listed(self) -> str:
        """Every problem in one line, for a note (`Tours!D2: ...; Tours!E3: ...`), past
        LISTED of them `; and N more`: a note naming only the first had a planner fix one
        cell, run again, and meet the next (a trial)."""
        if not self.errors:
            return str(self)
        shown = "; ".join(str(e) for e in self.errors[:LISTED])
        more = len(self.errors) - LISTED
        return shown + (f"; and {more} more" if more > 0 else "")


class UsageError(ForcegenError):
    """A request that cannot be carried out as asked (bad path, output equal to input...)."""

    exit_code = EXIT_INPUT


class SolverFailure(ForcegenError):
    """HiGHS failed in a way that is not the workbook's fault."""

    exit_code = EXIT_INTERNAL


def in_workbook_order(issues: list[Issue]) -> list[Issue]:
    """`issues` as a planner fixes them: what is not in a sheet first (the file, the command
    line), then sheet by sheet in the contract's order (`io.schema.INPUT_SHEETS`; other sheets
    after them, in the order first met), within a sheet by row, then column. Issues at one place
    keep the order they were found in."""
    from openpyxl.utils.cell import column_index_from_string

    from .io.schema import INPUT_SHEETS  # here: the schema's modules import this one
    from .io.schema_types import norm

    contract = {norm(sheet.name): rank for rank, sheet in enumerate(INPUT_SHEETS)}
    others: dict[str, int] = {}

    def key(issue: Issue) -> tuple[int, int, int]:
        title, place = _place(issue.where)
        sheet = norm(title)
        if sheet in contract:
            rank = contract[sheet]
        elif place:
            rank = len(contract) + others.setdefault(sheet, len(others))
        else:  # not in a sheet: a file, the command line
            return (-1, 0, 0)
        row = int(place["row"]) if place and place["row"] else 0
        if place and place.groupdict().get("header"):
            row = -1  # a table's header, before its row 0
        column = (place.groupdict().get("column") or "") if place else ""
        return (rank, row, column_index_from_string(column) if column else 0)

    return sorted(issues, key=key)  # stable: one place's issues keep their order


def _place(where: str) -> tuple[str, re.Match[str] | None]:
    """The sheet `where` is at and the match of its column and row (None when it names no
    cell or row: a sheet alone, `' pledges '`, or a file)."""
    reference = split_address(where)
    if reference is not None:
        return reference[0], _CELL.match(reference[1])
    in_words = _ROW_IN_WORDS.match(where)
    return (sheet_of(in_words["sheet"]), in_words) if in_words else (sheet_of(where), None)


def raise_all(problems: list[UsageError]) -> None:
    """Nothing without problems; one: that UsageError; several: an InputError listing each
    (every mistake of the command line said at once, exit 2 either way)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputError([Issue("", str(p)) for p in problems])
