"""The building blocks of the input schema: a column, a sheet, the realistic ceilings.

`schema.py` and `schema_time.py` declare every sheet with these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REQUIRED = object()  # marker: the column must be filled


@dataclass(frozen=True)
class Column:
    """One input column: its name, type, default and meaning."""

    name: str
    kind: str  # text | int | number | yesno | choice | date
    description: str
    default: object = None  # value of a blank cell; REQUIRED means it may not be blank
    default_text: str = ""  # how the default reads in the docs, when it is not a plain value
    minimum: float | None = None
    maximum: float | None = None
    # why the maximum: set when it is forcegen's realistic ceiling rather than a range of the
    # contract (such a maximum is stated on its own in messages: "at most 1,000,000 (why)")
    maximum_why: str = ""
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None  # name of the sheet whose key this column names
    free: bool = False  # free text, kept exactly as typed (other text is compared: normalised)
    example: object = None  # a value for the template's example row
    # a period key: Excel turns a typed `2027-01` into the date 2027-01-01, so a date on the
    # first of a month is read as the key `2027-01` (with a warning), any other date refused
    month_dates: bool = False
    # a bad cell here is reported and read as blank, and its row is kept: the column is for
    # display only, and dropping the row would drop a key other sheets name (a Periods row with
    # a mistyped start date would hide every check of the windows that name its period)
    keeps_row: bool = False

    @property
    def names_a_month(self) -> bool:
        """Dates in this column are read as `YYYY-MM` period keys (see `month_dates`)."""
        return self.month_dates or self.ref == "Periods"

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def type_text(self) -> str:
        """The type as a planner reads it in the docs and in error messages."""
        if self.ref:
            return f"key of {self.ref}"
        if self.kind == "yesno":
            return "yes/no"
        if self.kind == "choice":
            return (
                " / ".join(f"`{c}`" for c in self.choices) if self.choices else "one of the kinds"
            )
        base = {"int": "whole number", "number": "number", "text": "text", "date": "date"}[
            self.kind
        ]
        if self.maximum_why:
            low = "" if self.minimum is None else f" {self.minimum_text()}"
            return f"{base}{low}, at most {self.maximum:,.0f}"
        if self.minimum is not None and self.maximum is not None:
            return f"{base} {self.minimum:g}..{self.maximum:g}"
        if self.minimum is not None:
            return f"{base} {'>' if self.exclusive_minimum else '>='} {self.minimum:g}"
        return base

    def minimum_text(self) -> str:
        """`>= 0` or `> 0`."""
        return f"{'>' if self.exclusive_minimum else '>='} {self.minimum:g}"

    def default_for_docs(self) -> str:
        if self.required:
            return "required"
        if self.default_text:
            return self.default_text
        if self.default is None:
            return "blank"
        if self.kind == "yesno":
            return "yes" if self.default else "no"
        return f"{self.default:g}" if isinstance(self.default, float) else str(self.default)


@dataclass(frozen=True)
class Sheet:
    """One input sheet: its columns and its unique key."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    notes: tuple[str, ...] = field(default=())
    # a column of the planner's own (not declared here) is copied to the output's sheet of
    # the same rows, not ignored: the Caveats sheet is "the input caveat rows" (workbook.md)
    copies_other_columns: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# Realistic ceilings. They keep every number HiGHS sees within its precision and every total
# forcegen forms within int64: one allocation's personnel is at most MAX_UNITS x MAX_UNIT_SIZE
# = 1e11, and a total over all of Excel's 1,048,576 rows at most ~1.05e17 < 2**63 (9.2e18).
MAX_UNITS = 1_000_000
MAX_UNIT_SIZE = 100_000
MAX_COST_PER_UNIT = 1e12
MAX_WEIGHT = 1e6
MAX_CAVEAT_VALUE = 1e11
UNITS_WHY = "more than any coalition fields; is the cell right?"
# 50 years: a period longer than any operation, warned of (io/periods.py), and generate's range.
# Not a maximum: time.md sets none (601 months was refused, a contract audit); start dates
# that would leave the calendar are refused at their cell
MAX_MONTHS = 600
MONTHS_WHY = "50 years, longer than any operation; is the cell right?"


def latlon(what: str) -> tuple[Column, Column]:
    """`lat`, `lon`: the position of `what`, in degrees."""
    return (
        Column(
            "lat", "number", f"latitude of {what}, degrees", minimum=-90, maximum=90, example=50.45
        ),
        Column(
            "lon",
            "number",
            f"longitude of {what}, degrees",
            minimum=-180,
            maximum=180,
            example=30.52,
        ),
    )


def norm(name: object) -> str:
    """How sheet and column names are matched: case-insensitive, surrounding spaces ignored."""
    return " ".join(str(name).split()).casefold()
