"""The Baseline sheet of the schema (contract `replanning.md`): the plan to re-plan against."""

from __future__ import annotations

from ..data import is_blank
from .coerce import Bad, coerce
from .schema_time import window
from .schema_types import MAX_UNITS, REQUIRED, UNITS_WHY, Column, Sheet

BASELINE = Sheet(
    "Baseline",
    "The current plan: what nations have already been asked for, or what is already deployed "
    "(optional sheet; `--baseline OUTPUT.xlsx` takes it from an earlier output instead). With "
    "rows, the plan changes as few units (unit-months in time) as the shortfall allows.",
    (
        Column("contributor", "text", "who", REQUIRED, ref="Contributors", example="FRA"),
        Column("capability", "text", "what", REQUIRED, ref="Capabilities", example="INF_BN"),
        Column("site", "text", "where", REQUIRED, ref="Sites", example="Kyiv"),
        Column(
            "units",
            "int",
            "units in the current plan",
            REQUIRED,
            minimum=0,
            maximum=MAX_UNITS,
            maximum_why=UNITS_WHY,
            example=2,
        ),
        *window("the row is a tour: its units are present"),
        Column(
            "lock",
            "yesno",
            "yes: these units stay as they are in the new plan (the workbook is infeasible if "
            "they cannot)",
            False,
            example="no",
        ),
    ),
    key=(),
    required=False,
)


def locks(value: object) -> bool:
    """A `lock` cell read where it is not the baseline being read (the output guards, a lock
    typed where no re-plan reads it): blank no, else as the column reads yes/no; a cell that
    cannot be read as yes/no counts as a lock, to be safe (the baseline's own reading calls it
    an error)."""
    if is_blank(value) or (isinstance(value, str) and not value.strip()):
        return False
    try:
        return bool(coerce(BASELINE.column("lock"), value))
    except Bad:
        return True
