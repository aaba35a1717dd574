"""The Settings sheet: one row per setting (`setting`, `value`), read into the values the solve
uses, the defaults where a row is missing or its value blank."""

from __future__ import annotations

from ..addresses import row_address
from ..errors import Issues
from .coerce import Bad, clean_text, coerce, percent_text, suggest
from .header_names import with_underscores
from .raw_sheet import RawSheet
from .schema import SETTINGS_BY_NAME, Setting
from .schema_types import Column

LARGE_GAP = 0.1  # a mip_gap from which a plan 'optimal' may be far from it: said
SHARE_ADVICE = ": the gap is a share, 1% is 0.01; give it as one if that was meant"


def gap_extent(gap: float) -> str:
    """What a relative gap g = (value - bound) / value lets pass as optimal: a plan up to
    bound / (1 - g), i.e. g / (1 - g) above its bound (11.1% at 0.1); any plan at 1 (a
    review: "100% worse" understated it)."""
    if gap >= 1:
        return "any plan at all"
    return f"a plan up to {100 * gap / (1 - gap):.3g}% above its bound"


def _share_out_of_range(spec: Setting, typed: str) -> str:
    """A percentage outside the setting's range, said as typed (`150%`, not 1.5)."""
    top = 100 * (spec.maximum if spec.maximum is not None else 1.0)
    return f"{spec.name} must be from {100 * spec.minimum:g}% to {top:g}%, got {typed!r}"


def _setting_named(typed: str, where: str, issues: Issues) -> str | None:
    """The setting a name cell names: a known name in any case, or one written with spaces or
    hyphens for its underscores (`Time Limit`), with a warning, as a header `cost per unit` is
    read as cost_per_unit (a trial's `Time Limit` was refused, exit 2); else None, with the
    error and its did-you-mean."""
    name = typed.casefold()
    if name in SETTINGS_BY_NAME:
        return name
    underscored = with_underscores(name)
    if underscored in SETTINGS_BY_NAME:
        issues.warn(where, f"setting '{typed}' is read as {underscored}")
        return underscored
    issues.error(
        where,
        f"unknown setting '{typed}'"
        + (suggest(name, SETTINGS_BY_NAME) or f" (known: {', '.join(SETTINGS_BY_NAME)})"),
    )
    return None


def read_settings(sheet: RawSheet | None, issues: Issues) -> dict[str, float]:
    """Every setting's value: the sheet's where given (a name known, once; a value of the
    setting's type and range), else its default; each problem an error at its cell."""
    values = {s.name: s.default for s in SETTINGS_BY_NAME.values()}
    if sheet is None:
        return values
    for col in ("setting", "value"):
        if col not in sheet.columns:
            issues.error(row_address(sheet.title, sheet.header_row), f"column '{col}' is missing")
            return values
    seen: dict[str, int] = {}
    cells: dict[str, str] = {}  # setting -> the cell of its value
    as_percent: set[str] = set()  # the shares typed as a percentage (`15%`)
    for row in sheet.rows:
        name_raw = row.values.get("setting")
        where_name = row.where.get("setting") or sheet.address("setting", row.row)
        if name_raw is None:
            issues.error(where_name, "setting name is required")
            continue
        name = _setting_named(clean_text(name_raw), where_name, issues)
        spec = SETTINGS_BY_NAME.get(name or "")
        if name is None or spec is None:
            continue
        if name in seen:
            issues.error(where_name, f"setting '{name}' appears twice (first at row {seen[name]})")
            continue
        seen[name] = row.row
        where_value = row.where.get("value") or sheet.address("value", row.row)
        cells[name] = where_value
        raw_value = row.values.get("value")
        if raw_value is None:
            continue
        setting = Column(name, spec.kind, "", minimum=spec.minimum, maximum=spec.maximum)
        value = percent_text(raw_value) if spec.share else raw_value
        if value is not raw_value:
            as_percent.add(name)
        try:
            values[name] = coerce(setting, value)
        except Bad as bad:
            issues.error(
                where_value,
                str(bad) if value is raw_value else _share_out_of_range(spec, raw_value),
            )
    if values["time_limit"] == 0 and values["work_limit"] == 0 and "time_limit" in cells:
        # read (the contract gives no range), but a solve by it would have no time at all
        issues.warn(
            cells["time_limit"],
            "time_limit 0 leaves a solve no time: solve refuses it unless --time-limit or a "
            "work_limit is given; give a time above 0",
        )
    if values["mip_gap"] >= LARGE_GAP and "mip_gap" in cells:
        # read (the contract allows up to 1), but a planner who typed 1 meant 1% (a trial: a
        # plan 16.5% dearer was then said optimal)
        gap = values["mip_gap"]
        typed = f"{100 * gap:g}%" if "mip_gap" in as_percent else f"{gap:g}"
        # the advice is for a bare 1 meant as 1%, not for a percentage typed as one (a review)
        advice = "" if "mip_gap" in as_percent else SHARE_ADVICE
        issues.warn(
            cells["mip_gap"],
            f"mip_gap {typed} lets each stage stop where its bound is {100 * gap:g}% below the "
            f"plan's value, so {gap_extent(gap)} is said optimal (unless --mip-gap gives "
            f"another){advice}",
        )
    return values
