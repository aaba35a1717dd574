"""Every input sheet and column, declared once as data.

Validation (`validate.py`), the `template` workbook (`template.py`) and the reference tables in
`docs/workbook.md` are all generated from these declarations.
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
MAX_MONTHS = 600
MONTHS_WHY = "50 years, longer than any operation; is the cell right?"


def _window(what: str) -> tuple[Column, Column]:
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


def _latlon(what: str) -> tuple[Column, Column]:
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


CONTRIBUTORS = Sheet(
    "Contributors",
    "One row per nation or organisation.",
    (
        Column(
            "contributor", "text", "short code, e.g. `LVA`, `FRA`, `USA`", REQUIRED, example="FRA"
        ),
        Column(
            "name",
            "text",
            "display name",
            default_text="= contributor",
            free=True,
            example="France",
        ),
        *_latlon("the capital or home base, for distance-based cost"),
        Column(
            "gdp", "number", "reference weight for burden-sharing reports", minimum=0, example=3000
        ),
        Column(
            "status",
            "choice",
            "an unavailable contributor deploys nothing",
            "available",
            choices=("available", "unavailable"),
            example="available",
        ),
    ),
    key=("contributor",),
)

CAPABILITIES = Sheet(
    "Capabilities",
    "The kinds of unit that sites require and contributors pledge.",
    (
        Column(
            "capability", "text", "e.g. `INF_BN`, `AD_BTY`, `LOG_COY`", REQUIRED, example="INF_BN"
        ),
        Column("description", "text", "free text", free=True, example="Infantry battalion"),
        Column(
            "category",
            "text",
            "a grouping caveats can name, e.g. `ground`, `air`, `maritime`, `enabler`",
            example="ground",
        ),
        Column(
            "personnel_per_unit",
            "int",
            "default size of one unit",
            0,
            minimum=0,
            maximum=MAX_UNIT_SIZE,
            maximum_why="more people than any single unit",
            example=600,
        ),
    ),
    key=("capability",),
)

SITES = Sheet(
    "Sites",
    "Deployment sites.",
    (
        Column("site", "text", "e.g. `Kyiv`, `Odesa`, `LVA-East`", REQUIRED, example="Kyiv"),
        Column("country", "text", "country code of the site, e.g. `UKR`", example="UKR"),
        Column(
            "zone",
            "text",
            "a grouping caveats can name, e.g. `rear`, `central`, `forward`, `home`",
            example="central",
        ),
        *_latlon("the site"),
        Column(
            "max_contributors",
            "int",
            "at most this many contributors present at the site",
            default_text="blank (no limit)",
            minimum=1,
        ),
    ),
    key=("site",),
)

REQUIREMENTS = Sheet(
    "Requirements",
    "What each site needs: the statement of requirements.",
    (
        Column("site", "text", "the site", REQUIRED, ref="Sites", example="Kyiv"),
        Column(
            "capability", "text", "the capability", REQUIRED, ref="Capabilities", example="INF_BN"
        ),
        Column(
            "units",
            "int",
            "units needed",
            REQUIRED,
            minimum=0,
            maximum=MAX_UNITS,
            maximum_why=UNITS_WHY,
            example=2,
        ),
        Column("priority", "int", "1 is most important", 1, minimum=1, maximum=9, example=1),
        Column(
            "weight",
            "number",
            "relative weight of one missing unit within its priority",
            1.0,
            default_text="1",
            minimum=0,
            exclusive_minimum=True,
            maximum=MAX_WEIGHT,
            maximum_why="beyond the solver's precision; give the line a higher priority instead",
        ),
        Column("hard", "yesno", "if yes, the requirement must be met in full", False),
        Column(
            "single_source",
            "yesno",
            "if yes, all units of this line come from one contributor",
            False,
        ),
        *_window("the line is active"),
    ),
    key=("site", "capability"),
)

PLEDGES = Sheet(
    "Pledges",
    "What each contributor offers.",
    (
        Column("contributor", "text", "who pledges", REQUIRED, ref="Contributors", example="FRA"),
        Column("capability", "text", "what", REQUIRED, ref="Capabilities", example="INF_BN"),
        Column(
            "units",
            "int",
            "deployable units offered",
            REQUIRED,
            minimum=0,
            maximum=MAX_UNITS,
            maximum_why=UNITS_WHY,
            example=2,
        ),
        Column(
            "personnel_per_unit",
            "int",
            "this contributor's unit size",
            default_text="the capability's",
            minimum=0,
            maximum=MAX_UNIT_SIZE,
            maximum_why="more people than any single unit",
        ),
        Column(
            "cost_per_unit",
            "number",
            "cost of deploying one unit to any site; blank: distance-based cost",
            minimum=0,
            maximum=MAX_COST_PER_UNIT,
            maximum_why="beyond the solver's precision; give costs in thousands or millions",
        ),
        *_window("the pledged units can be present"),
        Column(
            "tour_months",
            "int",
            "a unit's tour (uninterrupted stay at one site) lasts at most this many months "
            "(timed workbooks only)",
            default_text="blank (no limit)",
            minimum=1,
            maximum=MAX_MONTHS,
            maximum_why=MONTHS_WHY,
        ),
        Column(
            "dwell_months",
            "int",
            "after a tour, the unit stays at home this many months before it can deploy again "
            "(timed workbooks only)",
            default_text="0",
            minimum=0,
            maximum=MAX_MONTHS,
            maximum_why=MONTHS_WHY,
        ),
    ),
    key=("contributor", "capability"),
)

CAVEATS = Sheet(
    "Caveats",
    "National caveats: restrictions a contributor attaches to its pledge. A blank filter matches "
    "everything.",
    (
        Column("id", "text", "unique key", default_text="`C<row number>`", example="C1"),
        Column(
            "contributor",
            "text",
            "who the caveat binds",
            REQUIRED,
            ref="Contributors",
            example="FRA",
        ),
        Column(
            "caveat", "choice", "the caveat kind (see below)", REQUIRED, example="max_personnel"
        ),
        Column("capability", "text", "filter: this capability only", ref="Capabilities"),
        Column("category", "text", "filter: capabilities of this category only"),
        Column("site", "text", "filter: this site only", ref="Sites"),
        Column("zone", "text", "filter: sites of this zone only"),
        Column("country", "text", "filter: sites of this country only"),
        Column(
            "other",
            "text",
            "the other contributor, for `requires` and `not_with`",
            ref="Contributors",
        ),
        Column(
            "value",
            "number",
            "the limit, for the kinds that take one",
            maximum=MAX_CAVEAT_VALUE,
            maximum_why="more than the personnel of the largest possible pledge",
            example=1500,
        ),
        Column(
            "note",
            "text",
            "free text, copied to the outputs",
            free=True,
            example="parliamentary mandate",
        ),
        *_window("the caveat applies"),
    ),
    key=("id",),
    required=False,
)

SETTINGS = Sheet(
    "Settings",
    "Solver settings, one per row (optional sheet).",
    (
        Column("setting", "text", "the setting's name (see below)", REQUIRED, example="time_limit"),
        Column("value", "number", "its value", REQUIRED, example=60),
    ),
    key=("setting",),
    required=False,
)

SCENARIOS = Sheet(
    "Scenarios",
    "Alternate assumptions applied by `solve --scenario NAME` (optional sheet).",
    (
        Column("scenario", "text", "scenario name", REQUIRED, example="us_backstop"),
        Column("sheet", "text", "the sheet to change", REQUIRED, example="Contributors"),
        Column("key", "text", "the row's key (see below)", REQUIRED, example="USA"),
        Column(
            "column",
            "text",
            "the column to set, or `drop` to remove the row",
            REQUIRED,
            example="status",
        ),
        Column("value", "text", "the new value", example="available"),
    ),
    required=False,
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
        ),
        Column(
            "months",
            "int",
            "length of the period in whole months; periods may be uneven",
            1,
            minimum=1,
            maximum=MAX_MONTHS,
            maximum_why=MONTHS_WHY,
            example=1,
        ),
        Column(
            "start",
            "date",
            "first day, for display; given on the first row only, later starts follow by "
            "adding months",
            example="2027-01-01",
        ),
        Column(
            "phase", "text", "a label such as `IOC`, `FOC`, `sustain`, `drawdown`", example="IOC"
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

INPUT_SHEETS: tuple[Sheet, ...] = (
    CONTRIBUTORS,
    CAPABILITIES,
    SITES,
    REQUIREMENTS,
    PLEDGES,
    CAVEATS,
    SETTINGS,
    SCENARIOS,
    PERIODS,
    PROFILE,
)
SHEETS_BY_NAME = {s.name: s for s in INPUT_SHEETS}


@dataclass(frozen=True)
class Setting:
    """One entry of the Settings sheet."""

    name: str
    kind: str  # int | number
    default: float
    minimum: float
    description: str
    maximum: float | None = None


SETTING_SPECS: tuple[Setting, ...] = (
    Setting("time_limit", "number", 60.0, 0.0, "seconds for the whole solve", None),
    Setting("mip_gap", "number", 1e-4, 0.0, "relative MIP gap per objective stage", 1.0),
    Setting("threads", "int", 0, 0, "solver threads; 0 lets HiGHS choose", 1024),
    Setting(
        "seed",
        "int",
        0,
        0,
        "solver random seed; the same workbook and seed give the same result",
        2**31 - 1,  # HiGHS's random_seed is a 32-bit int
    ),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTING_SPECS}

# Which column(s) form the key a Scenarios row names, per sheet.
SCENARIO_KEYS: dict[str, tuple[str, ...]] = {
    "Contributors": ("contributor",),
    "Capabilities": ("capability",),
    "Sites": ("site",),
    "Requirements": ("site", "capability"),
    "Pledges": ("contributor", "capability"),
    "Caveats": ("id",),
    "Settings": ("setting",),
    "Periods": ("period",),
    "Profile": ("site", "capability", "from"),
}

# The columns that only a timed workbook may fill, per sheet (the whole Profile sheet too).
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "Requirements": ("from", "to"),
    "Pledges": ("from", "to", "tour_months", "dwell_months"),
    "Caveats": ("from", "to"),
}


def norm(name: object) -> str:
    """How sheet and column names are matched: case-insensitive, surrounding spaces ignored."""
    return " ".join(str(name).split()).casefold()
