"""Every input sheet and column, declared once as data.

Validation (`validate.py`), the `template` workbook (`template.py`) and the reference tables in
`docs/workbook.md` are all generated from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema_baseline import BASELINE
from .schema_time import PERIODS, PROFILE, window
from .schema_types import (
    MAX_CAVEAT_VALUE,
    MAX_COST_PER_UNIT,
    MAX_UNIT_SIZE,
    MAX_UNITS,
    MAX_WEIGHT,
    REQUIRED,
    UNITS_WHY,
    Column,
    Sheet,
    latlon,
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
        *latlon("the capital or home base, for distance-based cost"),
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
        *latlon("the site"),
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
        *window("the line is active"),
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
        *window("the pledged units can be present"),
        Column(
            "tour_months",
            "int",
            "a unit's tour (uninterrupted stay at one site) lasts at most this many months "
            "(timed workbooks only)",
            default_text="blank (no limit)",
            minimum=1,
        ),
        Column(
            "dwell_months",
            "int",
            "after a tour, the unit stays at home this many months before it can deploy again "
            "(timed workbooks only)",
            default_text="0",
            minimum=0,
        ),
    ),
    key=("contributor", "capability"),
)

CAVEATS = Sheet(
    "Caveats",
    "National caveats: restrictions a contributor attaches to its pledge. A blank filter matches "
    "everything. A column of your own (a rationale, a source) is copied to the output's Caveats "
    "sheet.",
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
            "caveat",
            "choice",
            "the caveat kind (see the table of caveat kinds)",
            REQUIRED,
            example="max_personnel",
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
        *window("the caveat applies"),
    ),
    key=("id",),
    required=False,
    copies_other_columns=True,
)

# a caveat's filter columns (the Caveats columns described `filter: ...`), and those of them
# that select sites: one list for the model, the explanations and the tables (verify has its own)
CAVEAT_FILTERS: tuple[str, ...] = tuple(
    c.name for c in CAVEATS.columns if c.description.startswith("filter:")
)
SITE_FILTERS: tuple[str, ...] = ("site", "zone", "country")

SETTINGS = Sheet(
    "Settings",
    "Solver settings, one per row (optional sheet).",
    (
        Column(
            "setting",
            "text",
            "the setting's name (see the table of settings)",
            REQUIRED,
            example="time_limit",
        ),
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
        Column(
            "key",
            "text",
            "the row's key: Contributors contributor, Capabilities capability, Sites site, "
            "Requirements site/capability, Pledges contributor/capability, Caveats id, Settings "
            "setting, Periods period, Profile site/capability/from",
            REQUIRED,
            example="USA",
        ),
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
    BASELINE,
)
SHEETS_BY_NAME = {s.name: s for s in INPUT_SHEETS}
# the sheets whose rows have a window of periods (`from`/`to`, time.md), in the input's order
WINDOWED = tuple(s.name for s in INPUT_SHEETS if any(c.name == "from" for c in s.columns))


@dataclass(frozen=True)
class Setting:
    """One entry of the Settings sheet."""

    name: str
    kind: str  # int | number
    default: float
    minimum: float
    description: str
    maximum: float | None = None
    share: bool = False  # a fraction that may be typed as a percentage: `1%` is 0.01


SETTING_SPECS: tuple[Setting, ...] = (
    Setting("time_limit", "number", 60.0, 0.0, "seconds for the whole solve", None),
    Setting(
        "work_limit",
        "number",
        0.0,
        0.0,
        "work units for the whole solve instead of seconds (about a second each on the "
        "reference machine): the same plan on any machine and load; 0 = use time_limit",
        None,
    ),
    Setting(
        "mip_gap",
        "number",
        1e-4,
        0.0,
        "relative MIP gap per objective stage (0.01 or 1%)",
        1.0,
        share=True,
    ),
    Setting("threads", "int", 0, 0, "solver threads; 0 lets HiGHS choose", 1024),
    Setting(
        "seed",
        "int",
        0,
        0,
        "solver random seed; the same workbook and seed give the same result",
        2**31 - 1,  # HiGHS's random_seed is a 32-bit int
    ),
    Setting(
        "alternatives_within",
        "number",
        0.0,
        0.0,
        "with `solve --alternatives K`: other plans may cost up to this share more than the "
        "plan (0.05 or 5%), shortfall as good; 0: only plans as good at every stage; "
        "`--within` wins",
        1.0,
        share=True,
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
