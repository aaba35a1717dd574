"""The time sheets of the schema: Periods, Profile, and the columns only a timed workbook fills."""

from __future__ import annotations

from .schema_types import MAX_UNITS, REQUIRED, UNITS_WHY, Column, Sheet


def window(what: str) -> tuple[Column, Column]:
    """`from`, `to`: the periods (keys of Periods, inclusive) in which `what` applies."""
    return (
        Column(
            "from",
            "text",
            f"{what} from this period on (timed workbooks only)",
            default_text="first period",
            ref="Periods",
        ),
        Column(
            "to",
            "text",
            f"{what} up to this period, inclusive (timed workbooks only)",
            default_text="last period",
            ref="Periods",
        ),
    )


PERIODS = Sheet(
    "Periods",
    "The periods of a timed workbook, in time order (optional sheet: with at least one row the "
    "workbook is timed; without, it is a snapshot).",
    (
        Column(
            "period",
            "text",
            "e.g. `2027-01`, `M01`, `Q3-2027`; the row order is the time order",
            REQUIRED,
            example="2027-01",
            month_dates=True,
        ),
        Column(
            "months",
            "int",
            "length of the period in whole months; periods may be uneven",
            1,
            minimum=1,
            example=1,
        ),
        Column(
            "start",
            "date",
            "first day, for display; when given on the first row only, later starts "
            "follow by adding months",
            example="2027-01-01",
            keeps_row=True,
        ),
        Column(
            "phase",
            "text",
            "a label such as `IOC`, `FOC`, `sustain`, `drawdown`",
            example="IOC",
            keeps_row=True,
        ),
    ),
    key=("period",),
    required=False,
)

PROFILE = Sheet(
    "Profile",
    "Requirements that change over time: a line's units in some of its periods (optional "
    "sheet; timed workbooks only).",
    (
        Column("site", "text", "the line's site", REQUIRED, ref="Sites", example="Kyiv"),
        Column(
            "capability",
            "text",
            "the line's capability",
            REQUIRED,
            ref="Capabilities",
            example="INF_BN",
        ),
        Column("from", "text", "first period", REQUIRED, ref="Periods", example="2027-01"),
        Column("to", "text", "last period, inclusive", REQUIRED, ref="Periods", example="2027-03"),
        Column(
            "units",
            "int",
            "the units required in periods from..to, instead of the line's `units`",
            REQUIRED,
            minimum=0,
            maximum=MAX_UNITS,
            maximum_why=UNITS_WHY,
            example=1,
        ),
    ),
    key=("site", "capability", "from"),
    required=False,
)
# The columns that only a timed workbook may fill, per sheet (the whole Profile sheet too).
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "Requirements": ("from", "to"),
    "Pledges": ("from", "to", "tour_months", "dwell_months"),
    "Caveats": ("from", "to"),
    "Baseline": ("from", "to"),
}
